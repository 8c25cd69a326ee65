//! The spans and events of `handle`, recorded by a subscriber that writes to memory.
//!
//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `records_the_keys` (t01, t02, t04, t05, t06, t07, t10): no `skip(keys)`: the keys go into the request span
//! - `default_span_name` (t01, t02, t04, t05, t06, t07, t10): no `name = "request"`: the span is called `handle`
//! - `fetch_skips_all` (t03, t04, t05, t06, t10): `skip_all` on `fetch`: its span has no key
//! - `request_span_on_the_spawn` (t03, t04, t05, t06, t08, t10): `.instrument(Span::current())` on the spawn, no fetch span of its own
//! - `spawn_without_instrument` (t04, t05, t06, t10): the fetch spawned as it is: its span is a root of its own
//! - `entered_across_await` (t06, t10): a `span.enter()` guard held across `.await`: spans leak into other work on the thread
//! - `done_logged_outside_span` (t02, t06, t10): `done` logged after the request span is left
//! - `new_request_span_per_fetch` (t07, t10): a fresh `request{id}` span for each fetch and for `done`: same name and id, not the same span
//! - `fetches_awaited_one_by_one` (t08): each fetch task awaited right after its spawn: the fetches run one after another
//! - `join_error_swallowed` (t09): a failed fetch logged and counted as 0: the request still returns `Ok`
//! - `no_keys_no_done` (t10): a request with no keys returns at once, without `done total=0`
//! - `debug_spans` (t11): spans at the debug level: at the usual info level the events lose their request
//! - `fetch_span_made_at_spawn_site` (t12): the `fetch` span made where the fetch is spawned (`.instrument(info_span!("fetch", key))`), none in `fetch` itself: `fetch` called on its own records no span
//!
//! Blind answers: 8 tried, 4 passed before this test file caught them (2026-12):
//! `new_request_span_per_fetch` (t07 counts the request spans: the paths alone read the
//! same), `fetches_awaited_one_by_one` (t08 counts the fetch spans open at once),
//! `join_error_swallowed` (t09: the recorder panics at one fetch's `fetched` event, a
//! fetch task failing on cue), and `key_field_as_debug` (`key = ?key` on a hand-made
//! span). That one is not wrong: the spec names the field, not how its value is
//! recorded, and now says so (a subscriber's output differs, and the recorder reads
//! `key=ab` for a value, `%` and `?` alike). The spec now also says that the fetches run
//! at once, that a request with no keys logs `done total=0`, that a key given twice is
//! fetched twice, and that the spans are at the info level (t10, t11).
//! A second blind round (2026-12, after these tests): 6 tried, 1 passed:
//! `fetch_span_made_at_spawn_site` (its spans under `handle` were right; t12 calls
//! `fetch` on its own).

use std::collections::HashMap;
use std::fmt;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex};

use futures::FutureExt;
use tokio::task::JoinError;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Subscriber};
use tracing_spans::{fetch, handle};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

/// A span as the recorder saw it open.
struct SpanSeen {
    /// `name{field=value,…}`.
    label: String,
    /// The index of its parent in the recorder's list of spans.
    parent: Option<usize>,
    level: Level,
}

#[derive(Default)]
struct Log {
    spans: Vec<SpanSeen>,
    /// Span ids are reused once a span closes: the index of the live span with each id.
    live: HashMap<Id, usize>,
    /// `message field=value…`, and the index of the span it happened in.
    events: Vec<(String, Option<usize>)>,
    /// `fetch` spans open now, and the most that were ever open at once.
    fetches_open: usize,
    most_fetches_open: usize,
}

/// A `Layer` that writes every new span (name, fields, parent) and every event (message,
/// fields, span) to memory. With `fail_at`, it panics at the event that reads so (say
/// `fetched len=3`), in whatever task logs it: a fault on cue.
#[derive(Clone, Default)]
struct Recorder {
    log: Arc<Mutex<Log>>,
    fail_at: Option<&'static str>,
}

/// Collects fields as `name=value`, the message apart. Strings are shown without quotes,
/// so that `key = %key` and `key = ?key` read the same.
#[derive(Default)]
struct Fields {
    message: String,
    fields: Vec<String>,
}

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let value = format!("{value:?}");
        let value = value.trim_matches('"');
        if field.name() == "message" {
            self.message = value.to_string();
        } else {
            self.fields.push(format!("{}={value}", field.name()));
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.record_debug(field, &format_args!("{value}"));
    }
}

impl<S> Layer<S> for Recorder
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        attrs.record(&mut fields);
        let mut log = self.log.lock().unwrap();
        let parent = ctx
            .span(id)
            .and_then(|span| span.parent())
            .and_then(|parent| log.live.get(&parent.id()).copied());
        let name = attrs.metadata().name();
        let label = format!("{name}{{{}}}", fields.fields.join(","));
        let level = *attrs.metadata().level();
        log.spans.push(SpanSeen {
            label,
            parent,
            level,
        });
        let index = log.spans.len() - 1;
        log.live.insert(id.clone(), index);
        if name == "fetch" {
            log.fetches_open += 1;
            log.most_fetches_open = log.most_fetches_open.max(log.fetches_open);
        }
    }

    fn on_close(&self, id: Id, _ctx: Context<'_, S>) {
        let mut log = self.log.lock().unwrap();
        if let Some(index) = log.live.remove(&id)
            && log.spans[index].label.starts_with("fetch{")
        {
            log.fetches_open -= 1;
        }
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, _ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        values.record(&mut fields);
        let mut log = self.log.lock().unwrap();
        if let Some(&index) = log.live.get(id) {
            let span = &mut log.spans[index];
            let (name, rest) = span.label.split_once('{').unwrap_or((&span.label, "}"));
            let mut all: Vec<String> = rest
                .trim_end_matches('}')
                .split(',')
                .filter(|f| !f.is_empty())
                .map(str::to_string)
                .collect();
            all.extend(fields.fields);
            span.label = format!("{name}{{{}}}", all.join(","));
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        let mut text = fields.message;
        for field in fields.fields {
            text.push(' ');
            text.push_str(&field);
        }
        if self.fail_at == Some(text.as_str()) {
            panic!(
                "the test's subscriber panics at `{text}` on purpose: a fetch task that \
                 fails, whose JoinError `handle` must return"
            );
        }
        let mut log = self.log.lock().unwrap();
        let span = ctx
            .event_span(event)
            .and_then(|span| log.live.get(&span.id()).copied());
        log.events.push((text, span));
    }
}

/// What a run recorded: each span as its path from the root
/// (`request{id=7} > fetch{key=ab}`), each event as `path: message fields`, both sorted;
/// the spans that were not at the info level; the most `fetch` spans open at once.
struct Recorded {
    spans: Vec<String>,
    events: Vec<String>,
    not_info: Vec<String>,
    most_fetches_open: usize,
}

impl Log {
    fn path(&self, index: usize) -> String {
        let span = &self.spans[index];
        match span.parent {
            Some(parent) => format!("{} > {}", self.path(parent), span.label),
            None => span.label.clone(),
        }
    }

    fn recorded(&self) -> Recorded {
        let mut spans: Vec<String> = (0..self.spans.len()).map(|i| self.path(i)).collect();
        let mut events: Vec<String> = self
            .events
            .iter()
            .map(|(text, span)| match span {
                Some(index) => format!("{}: {text}", self.path(*index)),
                None => format!("(no span): {text}"),
            })
            .collect();
        spans.sort();
        events.sort();
        let not_info = self
            .spans
            .iter()
            .filter(|span| span.level != Level::INFO)
            .map(|span| format!("{} at {}", span.label, span.level))
            .collect();
        Recorded {
            spans,
            events,
            not_info,
            most_fetches_open: self.most_fetches_open,
        }
    }
}

impl fmt::Display for Recorded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "spans recorded:")?;
        for span in &self.spans {
            writeln!(f, "  {span}")?;
        }
        writeln!(f, "events recorded:")?;
        for event in &self.events {
            writeln!(f, "  {event}")?;
        }
        Ok(())
    }
}

/// What one call of `handle` gave: its result, or the message of its own panic.
type Outcome = Result<Result<usize, JoinError>, String>;

/// Runs `requests` (id, keys) concurrently on a current-thread runtime, with the
/// recorder as this thread's default subscriber (so every spawned task, which runs on
/// this same thread, reports to it too). Returns what each `handle` gave and what was
/// recorded.
fn record(requests: &[(u64, &[&str])], fail_at: Option<&'static str>) -> (Vec<Outcome>, Recorded) {
    let recorder = Recorder {
        fail_at,
        ..Recorder::default()
    };
    let subscriber = tracing_subscriber::registry().with(recorder.clone());
    let outcomes = tracing::subscriber::with_default(subscriber, || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a current-thread runtime");
        runtime.block_on(async {
            let calls = requests.iter().map(|(id, keys)| {
                let keys = keys.iter().map(|k| k.to_string()).collect();
                AssertUnwindSafe(handle(*id, keys)).catch_unwind()
            });
            futures::future::join_all(calls)
                .await
                .into_iter()
                .map(|outcome| {
                    outcome.map_err(|payload| {
                        payload
                            .downcast_ref::<String>()
                            .cloned()
                            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                            .unwrap_or_else(|| "a panic".to_string())
                    })
                })
                .collect()
        })
    });
    let recorded = recorder.log.lock().unwrap().recorded();
    (outcomes, recorded)
}

/// [`record`] with no fault: every request must succeed. Returns the totals.
fn run(requests: &[(u64, &[&str])]) -> (Vec<usize>, Recorded) {
    let (outcomes, recorded) = record(requests, None);
    let totals = outcomes
        .into_iter()
        .zip(requests)
        .map(|(outcome, (id, keys))| match outcome {
            Ok(Ok(total)) => total,
            Ok(Err(error)) => panic!(
                "request {id} with keys {keys:?} failed, though no fetch did: {error}\n{recorded}"
            ),
            Err(panic) => panic!("request {id} with keys {keys:?} panicked: {panic}\n{recorded}"),
        })
        .collect();
    (totals, recorded)
}

/// The spans named `request` with this id, wherever they are in the tree.
fn request_spans(recorded: &Recorded, id: u64) -> usize {
    let label = format!("request{{id={id}}}");
    recorded
        .spans
        .iter()
        .filter(|path| path.rsplit(" > ").next() == Some(label.as_str()))
        .count()
}

const KEYS: &[&str] = &["a", "bb", "ccc"];

#[test]
fn t01_the_request_has_a_span_with_its_id() {
    let (totals, recorded) = run(&[(7, KEYS)]);
    assert_eq!(totals, [6], "the lengths of a, bb and ccc add up to 6");
    assert!(
        recorded.spans.iter().any(|s| s == "request{id=7}"),
        "expected a root span `request{{id=7}}`: `#[tracing::instrument]` names the span \
         after the function unless told `name = \"request\"`, and records every argument \
         unless told to `skip` it (the keys do not belong in it).\n{recorded}"
    );
}

#[test]
fn t02_done_is_logged_in_the_request_span() {
    let (_, recorded) = run(&[(7, KEYS)]);
    assert!(
        recorded
            .events
            .iter()
            .any(|e| e == "request{id=7}: done total=6"),
        "expected the event `done total=6` in the span `request{{id=7}}`: an event belongs \
         to the span current where it is logged.\n{recorded}"
    );
}

#[test]
fn t03_each_fetch_has_a_span_with_its_key() {
    let (_, recorded) = run(&[(7, KEYS)]);
    let mut fetches: Vec<&str> = recorded
        .spans
        .iter()
        .filter_map(|s| s.rsplit(" > ").next())
        .filter(|label| label.starts_with("fetch"))
        .collect();
    fetches.sort();
    assert_eq!(
        fetches,
        ["fetch{key=a}", "fetch{key=bb}", "fetch{key=ccc}"],
        "expected one span `fetch{{key=…}}` for each key.\n{recorded}"
    );
}

#[test]
fn t04_fetch_spans_are_children_of_the_request() {
    let (_, recorded) = run(&[(7, KEYS)]);
    for key in KEYS {
        let path = format!("request{{id=7}} > fetch{{key={key}}}");
        assert!(
            recorded.spans.contains(&path),
            "expected the span `{path}`: a task started with `tokio::spawn` begins with no \
             current span, so a span made in it is a root of its own. The span must go with \
             the future: `.instrument(span)` or `.in_current_span()` (tracing::Instrument) \
             before it is spawned.\n{recorded}"
        );
    }
}

#[test]
fn t05_fetch_events_are_in_their_fetch_span() {
    let (_, recorded) = run(&[(7, KEYS)]);
    for key in KEYS {
        let event = format!(
            "request{{id=7}} > fetch{{key={key}}}: fetched len={}",
            key.len()
        );
        assert!(
            recorded.events.contains(&event),
            "expected the event `{event}`: each fetch logs `fetched` in its own `fetch` span, \
             inside the request's.\n{recorded}"
        );
    }
}

#[test]
fn t06_two_requests_at_once_keep_their_own_spans() {
    let (totals, recorded) = run(&[(1, &["a", "bb"]), (2, &["ccc", "dddd"])]);
    assert_eq!(
        totals,
        [3, 7],
        "request 1 fetches a and bb, request 2 ccc and dddd"
    );
    let expected = [
        "request{id=1} > fetch{key=a}: fetched len=1",
        "request{id=1} > fetch{key=bb}: fetched len=2",
        "request{id=1}: done total=3",
        "request{id=2} > fetch{key=ccc}: fetched len=3",
        "request{id=2} > fetch{key=dddd}: fetched len=4",
        "request{id=2}: done total=7",
    ];
    assert_eq!(
        recorded.events, expected,
        "two requests handled at once on one thread must each keep their spans. A guard \
         from `span.enter()` held across an `.await` stays entered while the task is \
         suspended, so whatever runs on the thread meanwhile (the other request, the \
         spawned fetches) lands in the wrong span: use `#[instrument]` or \
         `.instrument(span)` for async code.\n{recorded}"
    );
}

#[test]
fn t07_one_request_span_holds_all_of_its_work() {
    let (_, recorded) = run(&[(1, &["a", "bb"]), (2, &["ccc", "dddd"])]);
    for id in [1, 2] {
        assert_eq!(
            request_spans(&recorded, id),
            1,
            "expected one span `request{{id={id}}}` for request {id}, the parent of its \
             fetches and the span of its `done`: a span made anew with the same name and id \
             is another span (a subscriber sees a new span id, opened and closed apart), not \
             that request's. Make the request span once and hand that one to each spawned \
             fetch.\n{recorded}"
        );
    }
}

#[test]
fn t08_the_fetches_run_at_once() {
    let keys = ["a", "bb", "ccc", "dddd"];
    let (totals, recorded) = run(&[(7, &keys)]);
    assert_eq!(
        totals,
        [10],
        "the lengths of a, bb, ccc and dddd add up to 10"
    );
    assert_eq!(
        recorded.most_fetches_open,
        keys.len(),
        "at most {} of the 4 fetch spans were open at once: the fetches ran one after \
         another. Spawn every fetch before awaiting any, then collect them all (a \
         `JoinSet`, or the `JoinHandle`s in a `Vec`): awaiting each `JoinHandle` right after \
         its spawn makes the tasks pointless.\n{recorded}",
        recorded.most_fetches_open
    );
}

#[test]
fn t09_a_failed_fetch_is_returned_as_its_join_error() {
    let (outcomes, recorded) = record(&[(7, &["a", "bb", "ccc", "dddd"])], Some("fetched len=3"));
    match &outcomes[0] {
        Ok(Err(error)) if error.is_panic() => {}
        Ok(Err(error)) => panic!(
            "the fetch of `ccc` panicked, and handle returned a JoinError that is not its \
             panic: {error}\n{recorded}"
        ),
        Ok(Ok(total)) => panic!(
            "the fetch of `ccc` panicked (the test's subscriber panics when it logs \
             `fetched len=3`), yet handle returned Ok({total}): the JoinError of a failed \
             fetch task must come back to the caller, not be logged or counted as 0\n{recorded}"
        ),
        Err(panic) => panic!(
            "the fetch of `ccc` panicked (the test's subscriber panics when it logs \
             `fetched len=3`), and handle panicked too: {panic}. A JoinError is a value to \
             return (`?`), not to unwrap\n{recorded}"
        ),
    }
}

#[test]
fn t10_no_keys_one_key_and_a_key_twice() {
    let (totals, recorded) = run(&[(1, &[]), (2, &["a"]), (3, &["bb", "bb"])]);
    assert_eq!(
        totals,
        [0, 1, 4],
        "no keys add up to 0, `a` to 1, `bb` twice to 4"
    );
    let expected = [
        "request{id=1}: done total=0",
        "request{id=2} > fetch{key=a}: fetched len=1",
        "request{id=2}: done total=1",
        "request{id=3} > fetch{key=bb}: fetched len=2",
        "request{id=3} > fetch{key=bb}: fetched len=2",
        "request{id=3}: done total=4",
    ];
    assert_eq!(
        recorded.events, expected,
        "a request with no keys still logs `done total=0` in its span; one with a key twice \
         fetches it twice, each in a `fetch` span of its own\n{recorded}"
    );
    for id in [1, 2, 3] {
        assert_eq!(
            request_spans(&recorded, id),
            1,
            "expected one span `request{{id={id}}}`\n{recorded}"
        );
    }
}

#[test]
fn t11_the_spans_are_at_the_info_level() {
    let (_, recorded) = run(&[(7, KEYS)]);
    assert!(
        recorded.not_info.is_empty(),
        "spans not at the info level: {:?}. A subscriber that keeps info and above (the \
         usual setting) drops a debug span, and its events lose their request. \
         `#[tracing::instrument]` and `info_span!` make info spans.\n{recorded}",
        recorded.not_info
    );
}

#[test]
fn t12_fetch_called_on_its_own_records_its_span() {
    let recorder = Recorder::default();
    let subscriber = tracing_subscriber::registry().with(recorder.clone());
    let len = tracing::subscriber::with_default(subscriber, || {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a current-thread runtime")
            .block_on(fetch("abc".to_string()))
    });
    let recorded = recorder.log.lock().unwrap().recorded();
    assert_eq!(len, 3, "fetch(\"abc\") finds a value as long as its key");
    assert_eq!(
        (recorded.spans.clone(), recorded.events.clone()),
        (
            vec!["fetch{key=abc}".to_string()],
            vec!["fetch{key=abc}: fetched len=3".to_string()]
        ),
        "fetch called on its own, not from handle, must record its own `fetch` span with \
         the key, and `fetched` in it: the span belongs to the function \
         (`#[tracing::instrument]` on `fetch`), not to the place that spawns it.\n{recorded}"
    );
}
