//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `replies_in_order` (t02, t05): replies go to the waiting callers first come, first served, ignoring the ids
//! - `id_from_pending_count` (t03, t05): a request's id is the number of requests pending, so an id comes back while an older request with it may still get a reply
//! - `timeout_keeps_slot` (t04, t06): a timed-out request stays in the pending map
//! - `frees_only_on_timeout` (t06): the slot is freed on a reply or a timeout, but not when the caller drops the request
//! - `ignores_eof` (t07): when the connection ends the reader stops, but the waiting callers are left to time out
//!
//! No verdict depends on scheduling luck: the callers send at different instants of
//! virtual time, and the server answers at instants of its own.
//!
//! Mutants: cargo-mutants finds 5 viable, all killed. It leaves the reader task's body
//! alone (an `async` block inside `tokio::spawn`): the fixtures `replies_in_order` and
//! `ignores_eof` stand in for the mutants there, `id_from_pending_count` for the id.

use std::sync::Arc;
use std::time::Duration;

use request_response::{Client, RequestError};
use timeline::Timeline;
use tokio::io::{
    AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream, Lines, ReadHalf, WriteHalf,
};
use tokio::time::{Instant, sleep, sleep_until, timeout};

/// The client's timeout per request.
const TIMEOUT: Duration = Duration::from_millis(100);

/// Long enough in virtual time that only a future that never finishes reaches it.
const FOREVER: Duration = Duration::from_secs(3600);

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// The other end of the client's stream, played by the test.
struct Server {
    requests: Lines<BufReader<ReadHalf<DuplexStream>>>,
    replies: WriteHalf<DuplexStream>,
}

impl Server {
    /// The next request: its id and its body.
    async fn next_request(&mut self) -> (u64, String) {
        let line = timeout(FOREVER, self.requests.next_line())
            .await
            .expect("the server waited an hour for a request that was never written")
            .expect("the duplex pipe cannot fail")
            .expect("the client closed the stream, but a request was expected");
        let (id, body) = line.split_once(' ').unwrap_or_else(|| {
            panic!("request {line:?} is not `<id> <body>`: an id, one space, the body")
        });
        let id = id
            .parse()
            .unwrap_or_else(|_| panic!("request {line:?}: the id must be a decimal number"));
        (id, body.to_string())
    }

    async fn reply(&mut self, id: u64, body: &str) {
        let line = format!("{id} {body}\n");
        self.replies.write_all(line.as_bytes()).await.unwrap();
    }
}

fn connect() -> (Arc<Client>, Server) {
    let (ours, theirs) = tokio::io::duplex(1024);
    let (read, write) = tokio::io::split(theirs);
    let server = Server {
        requests: BufReader::new(read).lines(),
        replies: write,
    };
    (Arc::new(Client::new(ours, TIMEOUT)), server)
}

/// A caller on its own task that sends `body` at `at` and reports the answer and when
/// it came. Its request is drawn on `timeline`, from the call to the answer.
fn caller(
    timeline: &Timeline,
    client: &Arc<Client>,
    at: Duration,
    body: &'static str,
) -> tokio::task::JoinHandle<(Result<String, RequestError>, Duration)> {
    let client = client.clone();
    let timeline = timeline.clone();
    let start = Instant::now();
    tokio::spawn(async move {
        sleep_until(start + at).await;
        let request = timeline.run(format!("request({body})"), client.request(body));
        let answer = timeout(FOREVER, request)
            .await
            .expect("a request was still waiting after an hour: the client's timeout never fired");
        (answer, start.elapsed())
    })
}

#[tokio::test(start_paused = true)]
async fn t01_a_request_gets_its_reply() {
    let timeline = Timeline::new();
    timeline.expect("request(hello world) from 0 ms to the reply at 10 ms");
    let (client, mut server) = connect();
    let call = caller(&timeline, &client, ms(0), "hello world");
    let (id, body) = server.next_request().await;
    assert_eq!(
        body,
        "hello world",
        "the request line is `<id> <body>`, the body as given\n\n{}",
        timeline.render()
    );
    sleep(ms(10)).await;
    server.reply(id, "echo hello world").await;
    assert_eq!(
        call.await.unwrap(),
        (Ok("echo hello world".to_string()), ms(10)),
        "the server replied after 10 ms with the request's id: the caller gets the \
         reply's body, the whole rest of the line\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t02_replies_out_of_order_reach_their_own_callers() {
    let timeline = Timeline::new();
    timeline.expect("each request ends when the reply with its own id comes");
    let (client, mut server) = connect();
    let calls = [
        caller(&timeline, &client, ms(0), "a"),
        caller(&timeline, &client, ms(1), "b"),
        caller(&timeline, &client, ms(2), "c"),
    ];
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(server.next_request().await);
    }
    let mut distinct: Vec<u64> = ids.iter().map(|(id, _)| *id).collect();
    distinct.dedup();
    assert_eq!(
        distinct.len(),
        3,
        "three requests in flight need three different ids: {ids:?}\n\n{}",
        timeline.render()
    );
    sleep(ms(10)).await;
    for (id, body) in ids.iter().rev() {
        server.reply(*id, &format!("re:{body}")).await;
    }
    let mut answers = Vec::new();
    for call in calls {
        answers.push(call.await.unwrap().0);
    }
    assert_eq!(
        answers,
        [Ok("re:a".into()), Ok("re:b".into()), Ok("re:c".into())],
        "the server answered c, then b, then a: each reply must go to the caller whose \
         request had its id, not to whoever has waited longest. Keep the waiting \
         callers' reply Senders in a map by id\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t03_an_id_is_not_reused_while_a_reply_may_still_come() {
    let timeline = Timeline::new();
    timeline.expect("no id given twice while its request may still get a reply");
    let (client, mut server) = connect();
    let first = caller(&timeline, &client, ms(0), "first");
    let second = caller(&timeline, &client, ms(1), "second");
    let (first_id, _) = server.next_request().await;
    let (second_id, _) = server.next_request().await;
    server.reply(first_id, "re:first").await;
    assert_eq!(first.await.unwrap().0, Ok("re:first".into()));
    let third = caller(&timeline, &client, ms(20), "third");
    let (third_id, _) = server.next_request().await;
    assert_ne!(
        third_id,
        second_id,
        "\"second\" still waits for its reply, and \"third\" got its id: an id must be \
         unique among the client's requests (a counter), not one that is free right now \
         (the number pending)\n\n{}",
        timeline.render()
    );
    server.reply(third_id, "re:third").await;
    server.reply(second_id, "re:second").await;
    assert_eq!(second.await.unwrap().0, Ok("re:second".into()));
    assert_eq!(third.await.unwrap().0, Ok("re:third".into()));
}

#[tokio::test(start_paused = true)]
async fn t04_a_request_times_out_and_frees_its_slot() {
    let timeline = Timeline::new();
    timeline.expect("request(slow) from 0 ms, given up at the 100 ms timeout");
    let (client, mut server) = connect();
    let call = caller(&timeline, &client, ms(0), "slow");
    let _ = server.next_request().await; // and never answered
    sleep(ms(50)).await;
    assert_eq!(
        client.pending(),
        1,
        "at 50 ms, one request waits for its reply\n\n{}",
        timeline.render()
    );
    assert_eq!(
        call.await.unwrap(),
        (Err(RequestError::Timeout), TIMEOUT),
        "no reply: the request gives up after the client's 100 ms timeout\n\n{}",
        timeline.render()
    );
    assert_eq!(
        client.pending(),
        0,
        "the timed-out request still counts as pending: free its slot (remove its id \
         from the map), or every lost reply leaks one for good\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t05_a_late_reply_is_ignored_not_given_to_another_caller() {
    let timeline = Timeline::new();
    timeline.expect(
        "request(slow) over at 100 ms; request(next) from 150 ms to its own reply at 170 ms",
    );
    let (client, mut server) = connect();
    let slow = caller(&timeline, &client, ms(0), "slow");
    let next = caller(&timeline, &client, ms(150), "next");
    let (slow_id, _) = server.next_request().await;
    let (next_id, _) = server.next_request().await; // at 150 ms
    sleep(ms(10)).await;
    server.reply(slow_id, "late reply to slow").await; // at 160 ms
    sleep(ms(10)).await;
    server.reply(next_id, "re:next").await; // at 170 ms
    assert_eq!(slow.await.unwrap().0, Err(RequestError::Timeout));
    assert_eq!(
        next.await.unwrap(),
        (Ok("re:next".into()), ms(170)),
        "\"slow\" timed out at 100 ms and its reply came at 160 ms, while \"next\" was \
         waiting: a reply whose id nobody waits for any more is dropped, not handed to \
         another caller\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t06_a_cancelled_request_frees_its_slot() {
    let (client, mut server) = connect();
    let gave_up = tokio::join!(timeout(ms(10), client.request("abandoned")), async {
        server.next_request().await
    })
    .0;
    assert!(gave_up.is_err(), "the caller gives up after 10 ms");
    assert_eq!(
        client.pending(),
        0,
        "the caller dropped its request future: that must free the slot as well. \
         Cleanup that runs only on a reply or a timeout is skipped when the future is \
         dropped; a guard whose Drop removes the id runs however it ends"
    );
}

#[tokio::test(start_paused = true)]
async fn t07_a_closed_connection_fails_the_waiting_requests() {
    let timeline = Timeline::new();
    timeline.expect("request(doomed) ends at 10 ms, when the connection does");
    let (client, mut server) = connect();
    let call = caller(&timeline, &client, ms(0), "doomed");
    let _ = server.next_request().await;
    sleep(ms(10)).await;
    drop(server); // the connection ends at 10 ms
    assert_eq!(
        call.await.unwrap(),
        (Err(RequestError::Closed), ms(10)),
        "the connection ended at 10 ms with the request unanswered: no reply can come, \
         so fail it with Closed then, not with a Timeout at 100 ms. When the reader \
         sees the end of the stream, drop every waiting reply Sender\n\n{}",
        timeline.render()
    );
    assert_eq!(
        timeout(FOREVER, client.request("after")).await,
        Ok(Err(RequestError::Closed)),
        "a request on a closed connection fails at once\n\n{}",
        timeline.render()
    );
}
