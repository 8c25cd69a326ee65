//! Framing with a codec: length-prefixed frames over a byte stream.
//!
//! A frame on the wire is a 4-byte big-endian length `n`, then `n` bytes of payload.

use std::io;

use tokio_util::bytes::{Bytes, BytesMut};
use tokio_util::codec::{Decoder, Encoder};

/// The length prefix: a `u32`, big-endian.
pub const HEADER_LEN: usize = 4;

/// What can go wrong while framing.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    /// A frame (announced by a header, or given to the encoder) is longer than the limit:
    /// `len` is its payload length, the header not counted.
    #[error("a frame of {len} bytes is over the limit of {max}")]
    TooLong { len: usize, max: u32 },
    /// The stream ended with `buffered` bytes of an unfinished frame (header or payload)
    /// in the buffer.
    #[error("the stream ended in the middle of a frame, {buffered} bytes into it")]
    Truncated { buffered: usize },
    /// The stream underneath failed.
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// A codec for length-prefixed frames of at most `max_frame` bytes of payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LengthPrefixed {
    max_frame: u32,
}

impl LengthPrefixed {
    /// A codec that accepts payloads of up to `max_frame` bytes, both ways.
    pub fn new(max_frame: u32) -> Self {
        LengthPrefixed { max_frame }
    }
}

impl Decoder for LengthPrefixed {
    type Item = Bytes;
    type Error = FrameError;

    /// Takes one whole frame off the front of `src`, or leaves `src` untouched and
    /// returns `Ok(None)` when it does not hold a whole frame yet (reserving room for the
    /// rest of the frame once the header is there). A header announcing more than
    /// `max_frame` bytes is an error at once, before any of the payload arrives.
    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Bytes>, FrameError> {
        let _ = src;
        todo!("read the header, check the limit, then take a whole frame or wait for one")
    }

    /// At the end of the stream: the frames still in `src`, then `Ok(None)` if nothing is
    /// left, or `Truncated` if part of a frame is (a whole header over the limit is
    /// `TooLong` here too).
    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Bytes>, FrameError> {
        let _ = src;
        todo!("the frames left, then None on an empty buffer or Truncated on a partial frame")
    }
}

impl Encoder<Bytes> for LengthPrefixed {
    type Error = FrameError;

    /// Appends the header and the payload to `dst`; a payload over the limit is an error
    /// and leaves `dst` as it was.
    fn encode(&mut self, payload: Bytes, dst: &mut BytesMut) -> Result<(), FrameError> {
        let _ = (payload, dst);
        todo!("check the limit, then append the big-endian length and the payload")
    }
}
