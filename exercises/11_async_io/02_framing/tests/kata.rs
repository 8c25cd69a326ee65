//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `little_endian_length` (t01, t02, t04, t05, t10): the length prefix read and written little-endian
//! - `length_counts_the_header` (t01, t02, t04, t05, t10): the length prefix counts the header too, `4 + n`
//! - `header_consumed_before_the_payload_is_there` (t03, t04, t11): takes the header off the buffer, then answers `None` when the payload is short
//! - `rest_of_the_read_dropped` (t02, t05, t06): clears the buffer after taking a frame, dropping the frames behind it
//! - `no_room_reserved` (t03): answers `None` for a short payload without reserving room for the frame
//! - `empty_frame_waits` (t06): waits for more than a header, so a frame of length 0 never decodes
//! - `limit_checked_once_the_frame_is_in` (t07): checks the limit only once the whole frame is in the buffer
//! - `limit_exclusive` (t08): a frame of exactly the limit rejected, `>=` for `>`
//! - `encoder_ignores_the_limit` (t09): the encoder sends payloads of any length
//! - `encoder_checks_after_the_header` (t09): the encoder writes the header, then checks the limit
//! - `partial_frame_ignored_at_eof` (t11): `decode_eof` answers `Ok(None)` over a partial frame, which vanishes
//! - `default_decode_eof` (t11): no `decode_eof` of its own: tokio-util's default reports an `io::Error`
//! - mutant `replace - with + in <impl Decoder for LengthPrefixed>::decode`: reserves more room than the frame needs, which costs memory but changes no frame

use std::time::Duration;

use framing::{FrameError, HEADER_LEN, LengthPrefixed};
use futures::{SinkExt, StreamExt};
use tokio::io::duplex;
use tokio_test::io::Builder;
use tokio_util::bytes::{BufMut, Bytes, BytesMut};
use tokio_util::codec::{Decoder, Encoder, Framed, FramedRead};

/// The limit the tests' codecs use, unless a test says otherwise.
const MAX: u32 = 8;

/// One frame as it goes on the wire: the big-endian length, then the payload.
fn wire(payload: &[u8]) -> Vec<u8> {
    let mut out = (payload.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(payload);
    out
}

/// Every item a `FramedRead` over `reads` (one read each) yields, to the end, or the
/// first 16 of a stream that never ends (none of these streams holds more than 3).
async fn frames_from(reads: &[&[u8]]) -> Vec<Result<Bytes, FrameError>> {
    let mut mock = Builder::new();
    for read in reads {
        mock.read(read);
    }
    FramedRead::new(mock.build(), LengthPrefixed::new(MAX))
        .take(16)
        .collect()
        .await
}

/// The payloads, if every item is a frame.
fn payloads(items: Vec<Result<Bytes, FrameError>>) -> Vec<Bytes> {
    items
        .into_iter()
        .map(|item| item.unwrap_or_else(|err| panic!("expected a frame, got the error {err:?}")))
        .collect()
}

#[test]
fn t01_encode_writes_the_length_then_the_payload() {
    let mut dst = BytesMut::new();
    LengthPrefixed::new(MAX)
        .encode(Bytes::from_static(b"hi"), &mut dst)
        .expect("2 bytes are under the limit");
    assert_eq!(
        &dst[..],
        &[0, 0, 0, 2, b'h', b'i'][..],
        "a frame is the payload's length as a 4-byte big-endian u32 (the length of the \
         payload alone, not counting the header), then the payload"
    );
    LengthPrefixed::new(MAX)
        .encode(Bytes::from_static(b"!"), &mut dst)
        .expect("1 byte is under the limit");
    assert_eq!(
        &dst[..],
        &[0, 0, 0, 2, b'h', b'i', 0, 0, 0, 1, b'!'][..],
        "encode appends to `dst`: the frames already there stay"
    );
}

#[test]
fn t02_decode_takes_one_whole_frame_off_the_front() {
    let mut src = BytesMut::new();
    src.put_slice(&wire(b"ping"));
    src.put_slice(&[0, 0]);
    let frame = LengthPrefixed::new(MAX)
        .decode(&mut src)
        .expect("a 4-byte frame is under the limit");
    assert_eq!(
        frame,
        Some(Bytes::from_static(b"ping")),
        "the buffer starts with a whole frame: header 0,0,0,4 then \"ping\". The length is \
         big-endian, and the item is the payload without its header"
    );
    assert_eq!(
        &src[..],
        &[0, 0][..],
        "decode consumes exactly one frame: the 2 bytes after it are the start of the next \
         frame and must stay in the buffer for the next call"
    );
}

#[test]
fn t03_an_incomplete_frame_is_left_in_the_buffer() {
    let mut codec = LengthPrefixed::new(MAX);
    let mut src = BytesMut::from(&[0u8, 0][..]);
    assert_eq!(
        codec.decode(&mut src).expect("nothing to reject yet"),
        None,
        "2 bytes are not even a header: Ok(None) asks the framed reader for more bytes"
    );
    assert_eq!(&src[..], &[0, 0][..], "and the 2 bytes stay where they are");

    let mut src = BytesMut::from(&wire(b"abcdefgh")[..5]);
    assert_eq!(
        codec
            .decode(&mut src)
            .expect("8 bytes are within the limit"),
        None,
        "the header says 8 bytes and 1 is here: not a frame yet"
    );
    assert_eq!(
        &src[..],
        &wire(b"abcdefgh")[..5],
        "an incomplete frame must stay in the buffer, header included: the next call \
         decodes from the start again. A header consumed now is lost, and the next call \
         reads payload bytes as a length"
    );
    assert!(
        src.capacity() >= HEADER_LEN + 8,
        "once the header tells how long the frame is, reserve room for all of it \
         (`src.reserve(..)`), so the reads that bring the rest need no reallocation: \
         capacity is {}, the frame needs {}",
        src.capacity(),
        HEADER_LEN + 8
    );
}

#[tokio::test(start_paused = true)]
async fn t04_a_frame_split_over_many_reads() {
    let bytes = [wire(b"split"), wire(b"up")].concat();
    let reads: Vec<&[u8]> = bytes.chunks(1).collect();
    let items = frames_from(&reads).await;
    assert_eq!(
        payloads(items),
        [Bytes::from_static(b"split"), Bytes::from_static(b"up")],
        "the stream arrives one byte per read: the decoder is called after each, answers \
         None until a whole frame is in the buffer, and the frames come out whole"
    );
}

#[tokio::test(start_paused = true)]
async fn t05_several_frames_in_one_read() {
    let bytes = [wire(b"one"), wire(b"two"), wire(b"three")].concat();
    let items = frames_from(&[&bytes]).await;
    assert_eq!(
        payloads(items),
        [
            Bytes::from_static(b"one"),
            Bytes::from_static(b"two"),
            Bytes::from_static(b"three")
        ],
        "one read brought three frames: the framed reader calls decode again while it \
         returns frames, so each call must take one frame and leave the rest in the buffer"
    );
}

#[tokio::test(start_paused = true)]
async fn t06_an_empty_frame_is_a_frame() {
    let bytes = [wire(b""), wire(b"x"), wire(b"")].concat();
    let items = frames_from(&[&bytes]).await;
    assert_eq!(
        payloads(items),
        [Bytes::new(), Bytes::from_static(b"x"), Bytes::new()],
        "a header of length 0 is a whole frame with an empty payload (a heartbeat, an \
         end-of-batch marker): 4 bytes in the buffer are enough to decode it"
    );
}

#[tokio::test(start_paused = true)]
async fn t07_an_oversized_header_is_rejected_at_once() {
    // The header announces MAX + 1 bytes, and no payload ever follows.
    let items = frames_from(&[&(MAX + 1).to_be_bytes()]).await;
    assert!(
        matches!(
            items.as_slice(),
            [Err(FrameError::TooLong { len: 9, max: MAX })]
        ),
        "a header announcing 9 bytes with a limit of 8 is an error as soon as the header \
         is read (one item, TooLong {{ len: 9, max: 8 }}, then the stream ends), before any \
         payload: waiting for the payload first lets a peer make you buffer whatever it \
         claims. Got {items:?}"
    );
    let mut src = BytesMut::from(&u32::MAX.to_be_bytes()[..]);
    let got = LengthPrefixed::new(MAX).decode(&mut src);
    assert!(
        matches!(got, Err(FrameError::TooLong { len, max: MAX }) if len == u32::MAX as usize),
        "a header of 4 GiB is rejected from the header alone, without reserving room for \
         it; got {got:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn t08_a_frame_of_exactly_the_limit_is_accepted() {
    let full = b"12345678";
    let mut dst = BytesMut::new();
    LengthPrefixed::new(MAX)
        .encode(Bytes::from_static(full), &mut dst)
        .expect("the limit is 8 bytes: an 8-byte payload is allowed, not over the limit");
    let items = frames_from(&[&dst]).await;
    assert_eq!(
        payloads(items),
        [Bytes::from_static(full)],
        "the limit is inclusive: a frame of exactly 8 bytes decodes too"
    );
}

#[test]
fn t09_the_encoder_refuses_an_oversized_payload() {
    let mut dst = BytesMut::from(&wire(b"ok")[..]);
    let got = LengthPrefixed::new(MAX).encode(Bytes::from_static(b"123456789"), &mut dst);
    assert!(
        matches!(got, Err(FrameError::TooLong { len: 9, max: MAX })),
        "the encoder keeps the same limit as the decoder: a 9-byte payload would be \
         rejected by the peer, so refuse to send it. Got {got:?}"
    );
    assert_eq!(
        &dst[..],
        &wire(b"ok")[..],
        "a refused frame writes nothing: a header left in `dst` without its payload would \
         desynchronise the stream for every frame after it"
    );
}

#[tokio::test(start_paused = true)]
async fn t10_end_of_stream_between_frames_ends_the_stream() {
    let bytes = wire(b"last");
    let items = frames_from(&[&bytes]).await;
    assert_eq!(
        payloads(items),
        [Bytes::from_static(b"last")],
        "the stream ends right after a whole frame: that frame, then the end of the stream, \
         no error"
    );
}

#[tokio::test(start_paused = true)]
async fn t11_end_of_stream_inside_a_frame_is_an_error() {
    let cut = &wire(b"partial")[..];
    for (len, what) in [(7, "in the payload"), (2, "in the header")] {
        let items = frames_from(&[&wire(b"done")[..], &cut[..len]]).await;
        assert!(
            matches!(
                items.as_slice(),
                [Ok(first), Err(FrameError::Truncated { buffered })]
                    if first[..] == b"done"[..] && *buffered == len
            ),
            "the stream ended {what}, {len} bytes into a frame: after the whole frame, the \
             stream must yield Truncated {{ buffered: {len} }}, from decode_eof, not end \
             quietly (the peer's last message would vanish) nor with tokio-util's default \
             error, an io::Error that does not say what happened. Got {items:?}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn t12_a_round_trip_over_framed_duplex_streams() {
    let (client, server) = duplex(16);
    let mut client = Framed::new(client, LengthPrefixed::new(MAX));
    let mut server = Framed::new(server, LengthPrefixed::new(MAX));
    let sent = [&b"hello"[..], b"", b"12345678", b"bye"].map(Bytes::from_static);
    let send = async {
        for frame in sent.clone() {
            client.send(frame).await?;
        }
        client.close().await
    };
    let receive = async {
        let mut got = Vec::new();
        // At most 16: 4 frames were sent, and a stream that never ends must not hang here.
        while got.len() < 16
            && let Some(frame) = server.next().await
        {
            got.push(frame?);
        }
        Ok::<_, FrameError>(got)
    };
    let (sent_ok, got) = tokio::time::timeout(Duration::from_secs(60), async {
        tokio::join!(send, receive)
    })
    .await
    .expect("the frames did not get through within a minute of virtual time");
    sent_ok.expect("the frames are under the limit and the peer is there");
    assert_eq!(
        got.expect("a clean stream of whole frames"),
        sent,
        "Framed is both ends at once: a Sink that encodes, a Stream that decodes. Over a \
         16-byte duplex, the frames arrive in pieces and are put back together"
    );
}
