//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `counts_the_capacity` (t01, t02): adds `buf.capacity()`, the room offered, not the bytes read
//! - `counts_the_room_left` (t01, t02): adds `buf.remaining()` measured before the read
//! - `counts_the_whole_filled_part` (t02): adds `buf.filled().len()`, bytes the caller already had included
//! - `pending_read_reported_as_eof` (t03): answers `Ready(Ok(()))` when the inner reader is `Pending`, which the caller takes for the end of the stream
//! - `counts_the_requested_write` (t05, t06, t09): adds `buf.len()`, what was offered, not what the inner writer accepted
//! - `writes_the_whole_buffer_in_one_poll` (t06): loops over the inner `poll_write` until the buffer is gone, and answers `Pending` after a partial write, so the caller sends those bytes again
//! - `flush_not_forwarded` (t07): `poll_flush` answers `Ready(Ok(()))` without flushing the inner writer
//! - `shutdown_not_forwarded` (t08): `poll_shutdown` answers `Ready(Ok(()))` without shutting the inner writer down
//! - `shutdown_only_flushes` (t08): `poll_shutdown` flushes the inner writer but never shuts it down

use std::io;
use std::pin::Pin;
use std::time::Duration;

use async_read_write::Metered;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt, BufWriter, ReadBuf, duplex};
use tokio_test::io::Builder;
use tokio_test::task::spawn;
use tokio_test::{assert_pending, assert_ready};

#[tokio::test(start_paused = true)]
async fn t01_reads_pass_through_and_are_counted() {
    let mock = Builder::new().read(b"hello").read(b", world").build();
    let mut io = Metered::new(mock);
    let mut got = Vec::new();
    io.read_to_end(&mut got)
        .await
        .expect("the mock reader never fails here");
    assert_eq!(
        got, b"hello, world",
        "the bytes of the inner reader must reach the caller unchanged, in order"
    );
    assert_eq!(
        io.bytes_read(),
        12,
        "12 bytes went through: count what each poll_read put into the ReadBuf (the growth \
         of `buf.filled()`), not the room the caller offered"
    );
}

#[tokio::test(start_paused = true)]
async fn t02_a_read_counts_only_the_bytes_it_added() {
    let mock = Builder::new().read(b"abcde").read(b"fghij").build();
    let mut io = Metered::new(mock);
    let mut storage = [0u8; 16];
    let mut buf = ReadBuf::new(&mut storage);
    buf.put_slice(b"xyz");
    std::future::poll_fn(|cx| Pin::new(&mut io).poll_read(cx, &mut buf))
        .await
        .expect("the mock reader never fails here");
    assert_eq!(
        buf.filled(),
        b"xyzabcde",
        "poll_read appends to the filled part of the ReadBuf, after what the caller put there"
    );
    assert_eq!(
        io.bytes_read(),
        5,
        "the ReadBuf held 3 bytes of the caller's before the call and 8 after, in a 16-byte \
         buffer: this read added 5. Measure `buf.filled().len()` before and after"
    );

    let mut small = [0u8; 2];
    let mut buf = ReadBuf::new(&mut small);
    std::future::poll_fn(|cx| Pin::new(&mut io).poll_read(cx, &mut buf))
        .await
        .expect("the mock reader never fails here");
    assert_eq!(
        (buf.filled(), io.bytes_read()),
        (&b"fg"[..], 7),
        "a 2-byte ReadBuf takes 2 bytes of the next 5: the count grows by 2"
    );
    let mut rest = Vec::new();
    io.read_to_end(&mut rest)
        .await
        .expect("the mock reader never fails here");
    assert_eq!((&rest[..], io.bytes_read()), (&b"hij"[..], 10));
}

#[tokio::test(start_paused = true)]
async fn t03_pending_is_passed_on_not_taken_for_eof() {
    let (client, mut server) = duplex(64);
    let mut reading = spawn(async move {
        let mut io = Metered::new(client);
        let mut buf = [0u8; 16];
        let n = io.read(&mut buf).await;
        (n.map(|n| buf[..n].to_vec()), io.bytes_read())
    });
    assert_pending!(
        reading.poll(),
        "nothing has been sent yet: the read must be Pending, as the inner reader said. \
         `Ready(Ok(()))` with nothing added to the ReadBuf means end of stream"
    );
    server.write_all(b"ping").await.expect("the peer is there");
    assert!(
        reading.is_woken(),
        "the inner reader registered the waker when it answered Pending: pass its Pending \
         on (do not make one up), and the data that arrives wakes the task"
    );
    let (got, count) = assert_ready!(reading.poll());
    assert_eq!(got.expect("the duplex stream never fails here"), b"ping");
    assert_eq!(
        count, 4,
        "a Pending poll read nothing: only the 4 bytes of the read that followed count"
    );
}

#[tokio::test(start_paused = true)]
async fn t04_end_of_stream_reads_zero_bytes() {
    let (client, server) = duplex(64);
    drop(server);
    let mut io = Metered::new(client);
    let mut buf = [0u8; 16];
    let n = io
        .read(&mut buf)
        .await
        .expect("a closed duplex stream reads as EOF, not an error");
    assert_eq!(
        (n, io.bytes_read()),
        (0, 0),
        "the peer is gone: the read ends with 0 bytes (EOF) and the count stays at 0"
    );
}

#[tokio::test(start_paused = true)]
async fn t05_a_partial_write_is_counted_as_accepted() {
    // The mock takes "he", then, a millisecond later, "llo".
    let mock = Builder::new()
        .write(b"he")
        .wait(Duration::from_millis(1))
        .write(b"llo")
        .build();
    let mut io = Metered::new(mock);
    let n = io
        .write(b"hello")
        .await
        .expect("the mock writer never fails here");
    assert_eq!(
        n, 2,
        "the inner writer accepted 2 of the 5 bytes: poll_write returns what it accepted, a \
         partial write, and the caller comes back with the rest"
    );
    assert_eq!(
        io.bytes_written(),
        2,
        "only 2 bytes went through: count what the inner writer accepted, not what it was offered"
    );
    io.write_all(b"llo")
        .await
        .expect("the mock writer never fails here");
    assert_eq!(io.bytes_written(), 5, "2 + 3 bytes went through");
}

#[tokio::test(start_paused = true)]
async fn t06_a_full_peer_gets_every_byte_once() {
    let (client, mut server) = duplex(4);
    let sent: Vec<u8> = (0..40).collect();
    let mut io = Metered::new(client);

    let mut first = spawn(io.write(&sent));
    let n = assert_ready!(
        first.poll(),
        "the duplex buffer has room for 4 bytes: the write must take those 4 and return \
         Ready(Ok(4)) at once. Pending means \"nothing written\": a poll_write that writes \
         some bytes and then answers Pending has lost track of them"
    )
    .expect("the duplex stream never fails here");
    drop(first);
    assert_eq!(
        (n, io.bytes_written()),
        (4, 4),
        "the duplex buffer holds 4 bytes: the first write takes 4 of the 40 and says so"
    );
    let mut second = spawn(io.write(&sent[4..]));
    assert_pending!(
        second.poll(),
        "the buffer is full until the peer reads: the write must be Pending"
    );
    drop(second);
    assert_eq!(io.bytes_written(), 4, "a Pending write wrote nothing");

    let write = async {
        io.write_all(&sent[4..]).await?;
        Ok::<_, io::Error>(io.bytes_written())
    };
    let read = async {
        // 41 bytes of room: a duplicated byte would show up here.
        let mut got = vec![0u8; 41];
        let mut len = 0;
        while len < 40 {
            match server.read(&mut got[len..]).await? {
                0 => break,
                n => len += n,
            }
        }
        got.truncate(len);
        Ok::<_, io::Error>(got)
    };
    let (written, got) = tokio::join!(write, read);
    let got = got.expect("the duplex stream never fails here");
    assert_eq!(
        got, sent,
        "the peer must receive each byte exactly once, in order. If poll_write wrote some \
         bytes and then answered Pending, the caller did not learn they were written and \
         sent them again: once bytes went in, return Ready with their count"
    );
    assert_eq!(written.expect("the duplex stream never fails here"), 40);
}

#[tokio::test(start_paused = true)]
async fn t07_flush_reaches_the_inner_writer() {
    let (client, mut server) = duplex(64);
    let mut io = Metered::new(BufWriter::new(client));
    io.write_all(b"order 66")
        .await
        .expect("buffered, nothing can fail");
    let mut buf = [0u8; 16];
    let mut reading = spawn(server.read(&mut buf));
    assert_pending!(
        reading.poll(),
        "a BufWriter keeps small writes in memory: nothing reaches the peer before a flush"
    );
    io.flush()
        .await
        .expect("the duplex stream never fails here");
    assert!(
        reading.is_woken(),
        "after flush() the peer must have the bytes: poll_flush has to flush the inner \
         writer (here a BufWriter), not just answer Ready"
    );
    let n = assert_ready!(reading.poll()).expect("the duplex stream never fails here");
    drop(reading);
    assert_eq!(&buf[..n], b"order 66");
}

#[tokio::test(start_paused = true)]
async fn t08_shutdown_reaches_the_inner_writer() {
    let (client, mut server) = duplex(64);
    let mut io = Metered::new(BufWriter::new(client));
    io.write_all(b"bye")
        .await
        .expect("buffered, nothing can fail");
    io.shutdown()
        .await
        .expect("the duplex stream never fails here");
    let mut got = Vec::new();
    let mut reading = spawn(server.read_to_end(&mut got));
    let read = assert_ready!(
        reading.poll(),
        "the writer shut down, yet the peer's read_to_end still waits for more: poll_shutdown \
         must shut the inner writer down (a shutdown flushes first, then closes the write \
         direction), so the peer reads the last bytes and then EOF"
    );
    drop(reading);
    read.expect("the duplex stream never fails here");
    assert_eq!(
        got, b"bye",
        "a shutdown flushes what the BufWriter still held"
    );
    assert_eq!(
        io.bytes_written(),
        3,
        "the wrapper is still there, and so is its count"
    );
}

#[tokio::test(start_paused = true)]
async fn t09_errors_pass_through_and_count_nothing() {
    let mock = Builder::new()
        .read(b"ok")
        .read_error(io::Error::new(io::ErrorKind::ConnectionReset, "reset"))
        .write_error(io::Error::new(io::ErrorKind::BrokenPipe, "gone"))
        .build();
    let mut io = Metered::new(mock);
    let mut buf = [0u8; 8];
    assert_eq!(io.read(&mut buf).await.expect("the first read succeeds"), 2);
    let err = io
        .read(&mut buf)
        .await
        .expect_err("the inner reader failed: the error must reach the caller");
    assert_eq!(err.kind(), io::ErrorKind::ConnectionReset);
    let err = io
        .write(b"data")
        .await
        .expect_err("the inner writer failed: the error must reach the caller");
    assert_eq!(err.kind(), io::ErrorKind::BrokenPipe);
    assert_eq!(
        (io.bytes_read(), io.bytes_written()),
        (2, 0),
        "a failed read or write moved no bytes: the counts stay at 2 read, 0 written"
    );
}
