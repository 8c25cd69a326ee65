//! The spans and events of `handle`, recorded by a subscriber that writes to memory.
//!
//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `records_the_keys` (t01): no `skip(keys)`: the keys go into the request span
//! - `default_span_name` (t01): no `name = "request"`: the span is called `handle`
//! - `fetch_skips_all` (t03): `skip_all` on `fetch`: its span has no key
//! - `request_span_on_the_spawn` (t03, t05): `.instrument(Span::current())` on the spawn, no fetch span of its own
//! - `spawn_without_instrument` (t04): the fetch spawned as it is: its span is a root of its own
//! - `entered_across_await` (t06): a `span.enter()` guard held across `.await`: spans leak into other work on the thread

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Subscriber};
use tracing_spans::handle;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

/// A span as the recorder saw it open.
struct SpanSeen {
    /// `name{field=value,…}`.
    label: String,
    /// The index of its parent in the recorder's list of spans.
    parent: Option<usize>,
}

#[derive(Default)]
struct Log {
    spans: Vec<SpanSeen>,
    /// Span ids are reused once a span closes: the index of the live span with each id.
    live: HashMap<Id, usize>,
    /// `message field=value…`, and the index of the span it happened in.
    events: Vec<(String, Option<usize>)>,
}

/// A `Layer` that writes every new span (name, fields, parent) and every event (message,
/// fields, span) to memory.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Log>>);

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
        let mut log = self.0.lock().unwrap();
        let parent = ctx
            .span(id)
            .and_then(|span| span.parent())
            .and_then(|parent| log.live.get(&parent.id()).copied());
        let label = format!("{}{{{}}}", attrs.metadata().name(), fields.fields.join(","));
        log.spans.push(SpanSeen { label, parent });
        let index = log.spans.len() - 1;
        log.live.insert(id.clone(), index);
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, _ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        values.record(&mut fields);
        let mut log = self.0.lock().unwrap();
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
        let mut log = self.0.lock().unwrap();
        let span = ctx
            .event_span(event)
            .and_then(|span| log.live.get(&span.id()).copied());
        let mut text = fields.message;
        for field in fields.fields {
            text.push(' ');
            text.push_str(&field);
        }
        log.events.push((text, span));
    }
}

/// What a run recorded: each span as its path from the root
/// (`request{id=7} > fetch{key=ab}`), each event as `path: message fields`, both sorted.
struct Recorded {
    spans: Vec<String>,
    events: Vec<String>,
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
        Recorded { spans, events }
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

/// Runs `requests` (id, keys) concurrently on a current-thread runtime, with the
/// recorder as this thread's default subscriber (so every spawned task, which runs on
/// this same thread, reports to it too). Returns the totals and what was recorded.
fn run(requests: &[(u64, &[&str])]) -> (Vec<usize>, Recorded) {
    let recorder = Recorder::default();
    let subscriber = tracing_subscriber::registry().with(recorder.clone());
    let totals = tracing::subscriber::with_default(subscriber, || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a current-thread runtime");
        runtime.block_on(async {
            let calls = requests
                .iter()
                .map(|(id, keys)| handle(*id, keys.iter().map(|k| k.to_string()).collect()));
            futures::future::join_all(calls)
                .await
                .into_iter()
                .map(|total| total.expect("a fetch task failed"))
                .collect()
        })
    });
    let recorded = recorder.0.lock().unwrap().recorded();
    (totals, recorded)
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
