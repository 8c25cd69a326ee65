//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `little_endian_length` (t01, t02, t04, t05, t10, t13, t14): the length prefix read and written little-endian
//! - `length_counts_the_header` (t01, t02, t04, t05, t10, t13, t14): the length prefix counts the header too, `4 + n`
//! - `header_consumed_before_the_payload_is_there` (t03, t04, t11, t13): takes the header off the buffer, then answers `None` when the payload is short
//! - `rest_of_the_read_dropped` (t02, t05, t06, t13): clears the buffer after taking a frame, dropping the frames behind it
//! - `no_room_reserved` (t03, t13): answers `None` for a short payload without reserving room for the frame
//! - `empty_frame_waits` (t06, t13): waits for more than a header, so a frame of length 0 never decodes
//! - `limit_checked_once_the_frame_is_in` (t07, t13): checks the limit only once the whole frame is in the buffer
//! - `limit_exclusive` (t08, t13, t14): a frame of exactly the limit rejected, `>=` for `>`
//! - `encoder_ignores_the_limit` (t09, t14): the encoder sends payloads of any length
//! - `encoder_checks_after_the_header` (t09, t14): the encoder writes the header, then checks the limit
//! - `partial_frame_ignored_at_eof` (t11, t13): `decode_eof` answers `Ok(None)` over a partial frame, which vanishes
//! - `default_decode_eof` (t11, t13): no `decode_eof` of its own: tokio-util's default reports an `io::Error`
//! - `eof_oversized_header_truncated` (t07): `decode_eof` answers `Truncated` for anything that is not a frame, an oversized header included
//! - mutant `replace - with + in <impl Decoder for LengthPrefixed>::decode`: reserves more room than the frame needs, which costs memory but changes no frame
//!
//! Blind answers: 8 tried, 0 passed (2026-12); each showed a mistake a fixture above
//! already covers. The tests' streams had come in one read or one byte at a time: t13
//! now cuts any frames (empty, of exactly the limit) into reads of any sizes (the fault
//! kit's reader, short where the test says) and ends them cleanly, inside a frame or on
//! an oversized header, checking at every `decode` call that the buffer is left alone,
//! room reserved, or exactly one frame taken; t14 encodes any payloads against limits of
//! 0 to 9 after bytes already in `dst`. `decode_eof` over an oversized header is now
//! `TooLong` in the lesson and in t07.

use std::time::Duration;

use framing::{FrameError, HEADER_LEN, LengthPrefixed};
use futures::{SinkExt, StreamExt};
use timeline::faults::io::{Fault, Reader};
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
    let mut src = BytesMut::from(&(MAX + 1).to_be_bytes()[..]);
    let got = LengthPrefixed::new(MAX).decode_eof(&mut src);
    assert!(
        matches!(got, Err(FrameError::TooLong { len: 9, max: MAX })),
        "at the end of the stream too, a header over the limit is TooLong {{ len: 9, max: \
         8 }}: the frame is refused for its length, not cut short; got {got:?}"
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

/// How a generated byte stream ends, after its whole frames.
#[derive(Clone, Debug)]
enum Tail {
    /// Right after the last whole frame.
    Clean,
    /// Inside one more frame, of this payload, `keep` bytes into it (header included).
    Cut { payload: Vec<u8>, keep: usize },
    /// With a header announcing `len` bytes, over the limit, and `then` bytes after it.
    Oversized { len: u32, then: Vec<u8> },
}

/// The bytes of `frames` then `tail`, and the items the lesson promises for them:
/// each frame, then `Truncated` or `TooLong` as the tail says.
fn stream_of(frames: &[Vec<u8>], tail: &Tail) -> (Vec<u8>, Vec<Result<Vec<u8>, String>>) {
    let mut bytes: Vec<u8> = frames.iter().flat_map(|frame| wire(frame)).collect();
    let mut items: Vec<Result<Vec<u8>, String>> = frames.iter().cloned().map(Ok).collect();
    match tail {
        Tail::Clean => {}
        Tail::Cut { payload, keep } => {
            bytes.extend_from_slice(&wire(payload)[..*keep]);
            items.push(Err(format!("Truncated {{ buffered: {keep} }}")));
        }
        Tail::Oversized { len, then } => {
            bytes.extend_from_slice(&len.to_be_bytes());
            bytes.extend_from_slice(then);
            items.push(Err(format!("TooLong {{ len: {len}, max: {MAX} }}")));
        }
    }
    (bytes, items)
}

/// An item as the promise above spells it.
fn spelled(item: Result<Bytes, FrameError>) -> Result<Vec<u8>, String> {
    item.map(|frame| frame.to_vec())
        .map_err(|err| format!("{err:?}"))
}

/// Feeds `bytes` to the codec by hand in `reads` (sizes of successive reads), as a
/// framed reader does: after each read, `decode` until it answers `None` or fails; at the
/// end, `decode_eof` likewise. Checks the decoder's promises at every call, and returns
/// the items.
fn decode_by_hand(bytes: &[u8], reads: &[usize]) -> Result<Vec<Result<Vec<u8>, String>>, String> {
    let mut codec = LengthPrefixed::new(MAX);
    let mut src = BytesMut::new();
    let mut items = Vec::new();
    let mut fed = 0;
    let mut sizes = reads.iter().copied().cycle();
    loop {
        let eof = fed == bytes.len();
        if !eof {
            let n = sizes.next().unwrap_or(1).clamp(1, bytes.len() - fed);
            src.extend_from_slice(&bytes[fed..fed + n]);
            fed += n;
        }
        loop {
            let before = src.clone();
            let decoded = if eof {
                codec.decode_eof(&mut src)
            } else {
                codec.decode(&mut src)
            };
            let call = if eof { "decode_eof" } else { "decode" };
            match decoded {
                Ok(Some(frame)) => {
                    let taken = HEADER_LEN + frame.len();
                    if before.len() < taken || src[..] != before[taken..] {
                        return Err(format!(
                            "{call} over the buffer {:?} gave the frame {:?} and left {:?}: \
                             it must take exactly one frame (its header and payload) off \
                             the front and leave every byte after it",
                            &before[..],
                            &frame[..],
                            &src[..]
                        ));
                    }
                    items.push(Ok(frame.to_vec()));
                }
                Ok(None) => {
                    if src[..] != before[..] {
                        return Err(format!(
                            "{call} over the buffer {:?} answered None but changed the \
                             buffer to {:?}: while the frame is incomplete, leave it alone",
                            &before[..],
                            &src[..]
                        ));
                    }
                    if let Some(header) = src.get(..HEADER_LEN) {
                        let len = u32::from_be_bytes(header.try_into().expect("4 bytes"));
                        let needed = HEADER_LEN + len as usize;
                        if !eof && len <= MAX && src.capacity() < needed {
                            return Err(format!(
                                "decode over {:?} waits for a frame of {needed} bytes, but \
                                 the buffer has room for {}: reserve room for the whole \
                                 frame once its header is there",
                                &src[..],
                                src.capacity()
                            ));
                        }
                    }
                    if eof {
                        if !src.is_empty() {
                            return Err(format!(
                                "decode_eof answered None with {:?} still in the buffer: \
                                 at the end of the stream, a partial frame is Truncated",
                                &src[..]
                            ));
                        }
                        return Ok(items);
                    }
                    break;
                }
                Err(err) => {
                    items.push(Err(format!("{err:?}")));
                    return Ok(items);
                }
            }
        }
    }
}

#[test]
fn t13_any_frames_cut_anywhere_come_out_whole() {
    use proptest::prelude::*;

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a current-thread runtime");
    // Payloads of 0 and exactly MAX bytes are drawn often: they are the edges.
    let payload = prop_oneof![
        Just(Vec::new()),
        proptest::collection::vec(any::<u8>(), MAX as usize),
        proptest::collection::vec(any::<u8>(), 0..=MAX as usize),
    ];
    let tail = prop_oneof![
        Just(Tail::Clean),
        payload
            .clone()
            .prop_flat_map(|payload| {
                let whole = HEADER_LEN + payload.len();
                (Just(payload), 1..whole)
            })
            .prop_map(|(payload, keep)| Tail::Cut { payload, keep }),
        (
            prop_oneof![Just(MAX + 1), MAX + 1..=u32::MAX, Just(u32::MAX)],
            proptest::collection::vec(any::<u8>(), 0..4)
        )
            .prop_map(|(len, then)| Tail::Oversized { len, then }),
    ];
    let case = (
        proptest::collection::vec(payload, 0..6),
        tail,
        proptest::collection::vec(prop_oneof![Just(1usize), 1usize..30], 1..8),
    );
    proptest::test_runner::TestRunner::new(proptest::test_runner::Config {
        cases: 300,
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x1102),
        failure_persistence: None,
        ..proptest::test_runner::Config::default()
    })
    .run(&case, |(frames, tail, reads)| {
        let (bytes, promised) = stream_of(&frames, &tail);
        let case = format!(
            "frames {frames:?} then {tail:?} (a limit of {MAX}), arriving in reads of \
             {reads:?} bytes (in turn)"
        );
        let by_hand = decode_by_hand(&bytes, &reads)
            .map_err(|broken| TestCaseError::fail(format!("{case}: {broken}")))?;
        if by_hand != promised {
            return Err(TestCaseError::fail(format!(
                "{case}: decode and decode_eof, called as a framed reader calls them, \
                 must give {promised:?}; they gave {by_hand:?}"
            )));
        }
        // The same reads from the fault kit's reader: read number i is cut short to the
        // i-th size (in turn), whatever room the framed reader offers.
        let calls = bytes.len() + 2;
        let reader = (1..=calls)
            .zip(reads.iter().cycle())
            .fold(Reader::new(bytes.clone()), |reader, (call, &n)| {
                reader.fault_at(call, Fault::Short(n))
            });
        let framed: Vec<_> = runtime.block_on(
            FramedRead::new(reader, LengthPrefixed::new(MAX))
                .take(16)
                .map(spelled)
                .collect(),
        );
        if framed != promised {
            return Err(TestCaseError::fail(format!(
                "{case}: a FramedRead over the codec must yield {promised:?}; it yielded \
                 {framed:?}"
            )));
        }
        Ok(())
    })
    .unwrap_or_else(|failure| panic!("the smallest case that breaks the promise: {failure}"));
}

#[test]
fn t14_any_payload_is_encoded_whole_or_refused_whole() {
    use proptest::prelude::*;

    for max in [0, 1, MAX] {
        let mut codec = LengthPrefixed::new(max);
        let mut dst = BytesMut::new();
        codec.encode(Bytes::new(), &mut dst).unwrap_or_else(|err| {
            panic!("an empty payload is within any limit, even {max}: {err:?}")
        });
        assert_eq!(
            &dst[..],
            &[0, 0, 0, 0][..],
            "an empty frame is its header alone"
        );
    }
    let case = (
        0..=MAX + 1,
        proptest::collection::vec(any::<u8>(), 0..12),
        proptest::collection::vec(prop_oneof![Just(0usize), 0..=MAX as usize + 3], 1..6),
    );
    proptest::test_runner::TestRunner::new(proptest::test_runner::Config {
        cases: 200,
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x1114),
        failure_persistence: None,
        ..proptest::test_runner::Config::default()
    })
    .run(&case, |(max, already, lens)| {
        let mut codec = LengthPrefixed::new(max);
        let mut dst = BytesMut::from(&already[..]);
        for len in lens {
            let payload: Vec<u8> = (0..len as u8).collect();
            let before = dst.clone();
            let got = codec.encode(Bytes::from(payload.clone()), &mut dst);
            let over = len > max as usize;
            let right = match &got {
                Ok(()) => !over && dst[..] == [&before[..], &wire(&payload)[..]].concat()[..],
                Err(FrameError::TooLong { len: l, max: m }) => {
                    over && *l == len && *m == max && dst[..] == before[..]
                }
                Err(_) => false,
            };
            if !right {
                return Err(TestCaseError::fail(format!(
                    "a limit of {max}, a payload of {len} bytes, encoded after {} bytes \
                     already in dst: {}; it returned {got:?} and dst went from {:?} to {:?}",
                    before.len(),
                    if over {
                        "over the limit, so Err(TooLong { len, max }) with dst as it was"
                    } else {
                        "within the limit (inclusive), so Ok with the 4-byte big-endian \
                         length and the payload appended"
                    },
                    &before[..],
                    &dst[..]
                )));
            }
        }
        Ok(())
    })
    .unwrap_or_else(|failure| panic!("the smallest case that breaks the promise: {failure}"));
}
