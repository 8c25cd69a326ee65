//! Why a step failed, when it failed with one of the classic async mistakes: a few plain
//! sentences and the kata that teaches it, printed after the compiler's or the test's
//! own text. The patterns are the exact phrases of rustc 1.95 and tokio 1.x; each is
//! tested against their real output (`explain/fixtures/`, made by
//! `scripts/capture-explainer-fixtures`).

use crate::course::Course;
use crate::engine::harness::Outcome;
use crate::util::ui::{self, plain};

/// A mistake the runner recognises. Declared from the most specific to the least: when
/// several match one step, the first wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mistake {
    /// Code grading refuses (`course::refused`): the compiler stopped it.
    RefusedByGrading,
    /// A trait's `async fn` future is spawned, but the trait does not promise `Send`.
    AsyncFnInTraitNotSend,
    /// A `std::sync` lock guard is held across an `.await` of a spawned future.
    LockGuardNotSend,
    /// A spawned future keeps an `Rc`.
    RcNotSend,
    /// A spawned future shares a `Cell` or `RefCell` (through an `Arc`).
    CellNotSync,
    /// "implementation of `Send` is not general enough": a borrowing async closure.
    SendNotGeneralEnough,
    /// A trait with `async fn` (or `-> impl Future`) used as `dyn Trait` (E0038).
    DynAsyncTrait,
    /// `.await` in a plain `fn` (E0728).
    AwaitOutsideAsync,
    /// A spawned `async` block borrows a local (E0373).
    SpawnedBlockBorrows,
    /// Any other value that makes a spawned future not `Send`.
    NotSend,
    /// Tokio's timers, I/O or `spawn` used outside a Tokio runtime.
    NoRuntime,
    /// A hand-built runtime without the timer or I/O driver.
    DriverDisabled,
    /// `block_on` (or dropping a runtime) inside a runtime.
    RuntimeInRuntime,
    /// The test never finished and spun on the CPU all along: a loop that never
    /// awaits, which blocks its thread.
    Busy,
    /// The test never finished and sat parked: a deadlock, or `Pending` without a wake.
    Hang,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Diagnosis {
    pub mistake: Mistake,
    /// What the compiler or runtime named: the type that is not `Send`, the trait, the
    /// method, the borrowed variable, the missing driver.
    pub subject: Option<String>,
}

/// What `outcome` shows, if it is a mistake we know. Of a compile failure, only the
/// first `errors_shown` errors count: an explanation of an error the learner cannot
/// see would puzzle more than help.
pub fn diagnose(outcome: &Outcome, errors_shown: usize) -> Option<Diagnosis> {
    match outcome {
        Outcome::Passed | Outcome::Cancelled => None,
        Outcome::TimedOut(timeout) => Some(Diagnosis {
            mistake: match timeout.spin {
                crate::engine::harness::Spin::Busy => Mistake::Busy,
                _ => Mistake::Hang,
            },
            subject: None,
        }),
        Outcome::Failed(text) | Outcome::Crashed(text) => diagnose_panic(&plain(text)),
        Outcome::DoesNotCompile(errors) => errors
            .iter()
            .take(errors_shown)
            .filter_map(|error| diagnose_error(&plain(error)))
            .min_by_key(|diagnosis| diagnosis.mistake),
    }
}

/// One rendered compiler error, without colour.
fn diagnose_error(text: &str) -> Option<Diagnosis> {
    let found = |mistake, subject: Option<&str>| {
        Some(Diagnosis {
            mistake,
            subject: subject.map(str::to_string),
        })
    };
    let refused = [
        "use of a disallowed method `",
        "use of a disallowed type `",
        "use of a disallowed macro `",
    ];
    if let Some(marker) = refused.iter().find(|m| text.contains(**m)) {
        return found(Mistake::RefusedByGrading, between(text, marker, "`"));
    }
    if text.contains("with `-F unsafe_code`")
        || text.contains("incompatible with previous forbid")
        || text.contains("a file outside its src/")
    {
        return found(Mistake::RefusedByGrading, None);
    }
    if text.contains("implementation of `Send` is not general enough") {
        return found(Mistake::SendNotGeneralEnough, None);
    }
    if text.contains("error[E0728]") {
        return found(Mistake::AwaitOutsideAsync, None);
    }
    if text.contains("error[E0038]")
        && (text.contains("` is `async`")
            || text.contains("references an `impl Trait` type in its return type"))
    {
        let subject = ending_at(text, "the trait `", "` is not dyn compatible");
        return found(Mistake::DynAsyncTrait, subject);
    }
    if text.contains("error[E0373]: async block may outlive the current function") {
        return found(
            Mistake::SpawnedBlockBorrows,
            between(text, "but it borrows `", "`"),
        );
    }
    let not_send = text.contains("cannot be sent between threads safely")
        || text.contains("cannot be shared between threads safely");
    // The same error for a closure sent to `std::thread::spawn` is not ours to explain.
    let in_a_future = [
        "future cannot be",
        "impl Future<",
        "{async block@",
        "used within this `async`",
        "used across an await",
    ]
    .iter()
    .any(|marker| text.contains(marker));
    if !(not_send && in_a_future) {
        return None;
    }
    // A cross-crate trait gets a note, a trait of the same crate a suggested fix.
    let method = ending_at(text, "note: `", "` is an `async fn` in trait")
        .or_else(|| between(text, "guarantees for all implementations of `", "`"));
    if let Some(method) = method {
        return found(Mistake::AsyncFnInTraitNotSend, Some(&trait_method(method)));
    }
    // The innermost culprit first: the help line names the field, the note the struct.
    let culprit = between(text, "the trait `Send` is not implemented for `", "`")
        .or_else(|| between(text, "the trait `Sync` is not implemented for `", "`"))
        .or_else(|| ending_at(text, "has type `", "` which is not `Send`"))
        .or_else(|| ending_at(text, "`", "` cannot be sent between threads safely"))
        .or_else(|| ending_at(text, "`", "` cannot be shared between threads safely"));
    let mistake = match culprit.map(base_name) {
        Some("MutexGuard" | "RwLockReadGuard" | "RwLockWriteGuard") => Mistake::LockGuardNotSend,
        Some("Rc") => Mistake::RcNotSend,
        Some("Cell" | "RefCell" | "UnsafeCell" | "OnceCell") => Mistake::CellNotSync,
        _ => Mistake::NotSend,
    };
    found(mistake, culprit)
}

/// A failed or crashed test's output, without colour.
fn diagnose_panic(text: &str) -> Option<Diagnosis> {
    let found = |mistake, subject: Option<&str>| {
        Some(Diagnosis {
            mistake,
            subject: subject.map(str::to_string),
        })
    };
    if text.contains("Cannot start a runtime from within a runtime")
        || text.contains("Cannot drop a runtime in a context where blocking is not allowed")
    {
        return found(Mistake::RuntimeInRuntime, None);
    }
    if text.contains("context was found, but timers are disabled") {
        return found(Mistake::DriverDisabled, Some("timers"));
    }
    if text.contains("context was found, but IO is disabled") {
        return found(Mistake::DriverDisabled, Some("IO"));
    }
    if text.contains("there is no reactor running")
        || text.contains("must be called from the context of a Tokio")
    {
        return found(Mistake::NoRuntime, None);
    }
    None
}

/// The explanation as the learner reads it: "why:", a few sentences, and on a line of
/// its own the katas that teach it, all wrapped. `current` is the package being run:
/// when it is one of those katas, the pointer says "this kata".
pub fn render(diagnosis: &Diagnosis, course: &Course, current: &str) -> String {
    const LABEL: &str = "why: ";
    let own = course
        .katas
        .iter()
        .find(|kata| kata.name == current || kata.solution_package() == current);
    let (text, teachers) = match (diagnosis.mistake, own.and_then(|k| k.hang.as_ref())) {
        // The kata knows what a hang means in it: that, not the generic list. Only a
        // parked hang: a busy loop is the same mistake in every kata.
        (Mistake::Hang, Some(meaning)) => (
            format!("A hang in this kata usually means {meaning}"),
            &[][..],
        ),
        _ => sentences(diagnosis),
    };
    let paragraphs = [Some(text), pointer(teachers, course, current)];
    let lines: Vec<String> = paragraphs
        .iter()
        .flatten()
        .flat_map(|paragraph| wrap(paragraph, WIDTH - LABEL.len()))
        .collect();
    let mut out = format!("{} {}", ui::bold("why:"), lines[0]);
    for line in &lines[1..] {
        out += &format!("\n{:width$}{line}", "", width = LABEL.len());
    }
    out
}

/// The width the explanation is wrapped to: a fixed one, since the terminal's width is
/// not to be relied on (CI has none), and short lines read calmly.
const WIDTH: usize = 88;

/// The sentences for a diagnosis, and the packages of the katas that teach it.
fn sentences(diagnosis: &Diagnosis) -> (String, &'static [&'static str]) {
    let subject = diagnosis.subject.as_deref();
    let named = |fallback: &str| match subject {
        Some(subject) => format!("`{subject}`"),
        None => fallback.to_string(),
    };
    match diagnosis.mistake {
        Mistake::RefusedByGrading => (
            format!(
                "Grading refuses {} in a kata's code: code in a test's own process could use \
                 it to forge the test's verdict, so the runner builds no kata that uses it, \
                 here as in the classroom's grading (the compiler's note says why). No kata \
                 needs it: solve this one without it.",
                named("this")
            ),
            &[],
        ),
        Mistake::AsyncFnInTraitNotSend => {
            let method = subject.and_then(|s| s.rsplit("::").next()).unwrap_or("…");
            (
                format!(
                    "{} is an `async fn` in a trait, which promises nothing about `Send`, so \
                     generic code cannot spawn its future. Put the promise in the trait: \
                     `fn {method}(…) -> impl Future<Output = …> + Send` (implementors still \
                     write `async fn`).",
                    named("The method")
                ),
                &["send_futures"],
            )
        }
        Mistake::LockGuardNotSend => (
            format!(
                "The future holds {} across an `.await`; a `std::sync` lock guard is not \
                 `Send`, so the future cannot be spawned. Let the guard drop before the \
                 `.await`, or use `tokio::sync::Mutex` if it must live across one.",
                named("a lock guard")
            ),
            &["lock_across_await"],
        ),
        Mistake::RcNotSend => (
            format!(
                "The future keeps {}; an `Rc`'s count is not atomic, so it is not `Send` and \
                 the future cannot be spawned. Use `Arc` (with an atomic or a `Mutex` inside, \
                 not a `Cell`), or let the `Rc` drop before the next `.await`.",
                named("an `Rc`")
            ),
            &["rc_vs_arc"],
        ),
        Mistake::CellNotSync => (
            format!(
                "{} changes through shared references without synchronisation, so it is not \
                 `Sync`, and an `Arc` of it is not `Send`. Share a count as an \
                 `Arc<AtomicUsize>`, other data as an `Arc<Mutex<_>>`.",
                named("A `Cell` or `RefCell`")
            ),
            &["rc_vs_arc"],
        ),
        Mistake::SendNotGeneralEnough => (
            "A known limit of today's compiler (rust-lang/rust#134997): an `async ||` \
             closure that borrows from the spawned task cannot be proved `Send` for every \
             lifetime of the borrow. Write `async move ||`, so the closure owns what it uses."
                .to_string(),
            &["send_futures"],
        ),
        Mistake::DynAsyncTrait => (
            format!(
                "{} cannot be a `dyn` trait: an `async fn` (or `-> impl Future`) returns a \
                 different future type for each implementor, and a vtable needs one type. \
                 Add a companion trait whose method returns a boxed future, \
                 `Pin<Box<dyn Future<Output = T> + Send + '_>>`.",
                named("The trait")
            ),
            &["dynamic_dispatch"],
        ),
        Mistake::AwaitOutsideAsync => (
            "`.await` works only inside an `async fn` or an `async` block: a plain `fn` is \
             not a future, so it has nothing to suspend. Make the function `async` and \
             `.await` it from its callers; only the outermost future goes to a runtime \
             (`#[tokio::main]`, `block_on`)."
                .to_string(),
            &["lazy_futures"],
        ),
        Mistake::SpawnedBlockBorrows => (
            format!(
                "A spawned task may outlive the function that spawned it, so its future must \
                 own what it uses, and this one borrows {}. Write `async move` to move values \
                 in (for shared data, move in a clone of an `Arc`).",
                named("a local variable")
            ),
            &["spawning", "rc_vs_arc"],
        ),
        Mistake::NotSend => (
            format!(
                "`tokio::spawn` may move a task to another thread at any `.await`, so what \
                 its future keeps across one must be `Send`, and {} is not. Let that value \
                 drop before the `.await`, or use a type that is `Send`.",
                named("something it keeps")
            ),
            &["send_futures", "rc_vs_arc"],
        ),
        Mistake::NoRuntime => (
            "Tokio's timers, I/O and `tokio::spawn` work only inside a Tokio runtime, and \
             this ran outside one (a plain `#[test]` or `fn main`, another thread, another \
             executor). Run it under `#[tokio::test]` or `#[tokio::main]`, or in a \
             runtime's `block_on`."
                .to_string(),
            &["runtime"],
        ),
        Mistake::DriverDisabled => {
            let (driver, call) = match subject {
                Some("IO") => ("I/O driver", "enable_io()"),
                _ => ("timers", "enable_time()"),
            };
            (
                format!(
                    "This runtime was built without its {driver}: a `Builder` turns on only \
                     what you ask for. Call `.{call}` (or `.enable_all()`) before `.build()`."
                ),
                &["runtime"],
            )
        }
        Mistake::RuntimeInRuntime => (
            "Code already running on a Tokio runtime started or dropped another runtime, \
             which blocks the thread that drives its tasks. In async code, `.await` the \
             future instead of calling `block_on`; create and drop runtimes only in plain \
             code such as `fn main`."
                .to_string(),
            &["runtime", "blocking_the_runtime"],
        ),
        Mistake::Busy => (
            "A loop that never awaits blocks the thread: the test used the CPU all the \
             time it had, so nothing else on its thread ran, not the timer, not the task it \
             waits for, not the cancellation. An async loop must reach an `.await` that \
             waits (a sleep, a channel's `recv`, `tokio::task::yield_now()`) each time \
             round; CPU-heavy work goes to `spawn_blocking`."
                .to_string(),
            &["blocking_the_runtime", "cooperative_budget"],
        ),
        Mistake::Hang => (
            "A future that never completes is waiting for something that never comes: a \
             lock another task holds across an `.await` (a deadlock), a `Pending` returned \
             without arranging a wake, or a channel nobody sends on."
                .to_string(),
            &["countdown", "wakers", "lock_across_await"],
        ),
    }
}

/// "`06_pitfalls/01_lock_across_await` (lock_across_await) teaches this.", for the
/// katas of `packages` that this course holds (a classroom copy may hold only some
/// modules), or `None` when it holds none of them.
fn pointer(packages: &[&str], course: &Course, current: &str) -> Option<String> {
    let named: Vec<String> = packages
        .iter()
        .filter_map(|package| course.katas.iter().find(|kata| kata.name == *package))
        .map(|kata| {
            let here = if kata.name == current {
                ", this kata"
            } else {
                ""
            };
            format!("`{}` ({}{here})", kata.id(), kata.name)
        })
        .collect();
    let (last, rest) = named.split_last()?;
    Some(match rest {
        [] => format!("{last} teaches this."),
        _ => format!("{} and {last} teach this.", rest.join(", ")),
    })
}

/// Splits `text` into lines of at most `width` characters where it can. A `code span`
/// is never split, so a type name stays whole.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut in_code = false;
    for piece in text.split(' ') {
        match words.last_mut() {
            Some(word) if in_code => {
                word.push(' ');
                word.push_str(piece);
            }
            _ => words.push(piece.to_string()),
        }
        if piece.matches('`').count() % 2 == 1 {
            in_code = !in_code;
        }
    }
    let mut lines = vec![String::new()];
    for word in words {
        let line = lines.last_mut().expect("one line at least");
        if line.is_empty() {
            *line = word;
        } else if line.chars().count() + 1 + word.chars().count() <= width {
            line.push(' ');
            line.push_str(&word);
        } else {
            lines.push(word);
        }
    }
    lines
}

/// The text between the first `open` and the next `close`, on one line.
fn between<'a>(text: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = text.find(open)? + open.len();
    let end = start + text[start..].find(close)?;
    one_line(&text[start..end])
}

/// The text between the first `close` and the nearest `open` before it, on one line:
/// for phrases whose fixed part follows the name ("`X` cannot be sent …").
fn ending_at<'a>(text: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let end = text.find(close)?;
    let start = text[..end].rfind(open)? + open.len();
    one_line(&text[start..end])
}

fn one_line(found: &str) -> Option<&str> {
    (!found.is_empty() && !found.contains('\n')).then_some(found)
}

/// `std::sync::MutexGuard<'_, Vec<String>>` → `MutexGuard`.
fn base_name(ty: &str) -> &str {
    let outer = ty.split('<').next().unwrap_or(ty);
    outer.rsplit("::").next().unwrap_or(outer).trim()
}

/// `<D as Database>::get` → `Database::get`: the learner's name for the method.
fn trait_method(method: &str) -> String {
    let parsed = method
        .strip_prefix('<')
        .and_then(|rest| rest.split_once(">::"))
        .and_then(|(qualified, name)| {
            let (_, tr) = qualified.split_once(" as ")?;
            Some(format!("{tr}::{name}"))
        });
    parsed.unwrap_or_else(|| method.to_string())
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};
    use std::time::Duration;

    use super::*;
    use crate::course::Kata;
    use crate::engine::harness::{Timeout, failure_message};

    /// A compile fixture as the runner holds it: one rendered error.
    fn compile(fixture: &str) -> Outcome {
        Outcome::DoesNotCompile(vec![fixture.to_string()])
    }

    /// A run fixture (a test binary's whole output, its test named `case`) as the
    /// harness reads it.
    fn failed(fixture: &str) -> Outcome {
        Outcome::Failed(failure_message(fixture, "case").expect("libtest failure output"))
    }

    fn diagnosis(outcome: &Outcome) -> Option<(Mistake, Option<String>)> {
        diagnose(outcome, 2).map(|d| (d.mistake, d.subject))
    }

    fn expect(outcome: Outcome, mistake: Mistake, subject: Option<&str>) {
        assert_eq!(
            diagnosis(&outcome),
            Some((mistake, subject.map(str::to_string))),
            "{outcome:?}"
        );
    }

    macro_rules! fixture {
        ($name:literal) => {
            include_str!(concat!("explain/fixtures/", $name, ".txt"))
        };
    }

    /// A compile fixture in both renderings the runner gets: plain, and with colour.
    macro_rules! renderings {
        ($name:literal) => {
            [
                include_str!(concat!("explain/fixtures/", $name, ".txt")),
                include_str!(concat!("explain/fixtures/", $name, ".ansi.txt")),
            ]
        };
    }

    #[test]
    fn each_compile_fixture_names_its_mistake_and_culprit() {
        use Mistake::*;
        let guard = Some("std::sync::MutexGuard<'_, Vec<String>>");
        let cases = [
            (
                renderings!("send_raw_pointer_across_await"),
                NotSend,
                Some("*const u8"),
            ),
            (
                renderings!("send_rc_across_await"),
                RcNotSend,
                Some("Rc<String>"),
            ),
            (
                renderings!("send_rc_captured"),
                RcNotSend,
                Some("Rc<Cell<usize>>"),
            ),
            (
                renderings!("send_arc_cell_captured"),
                CellNotSync,
                Some("Cell<usize>"),
            ),
            (
                renderings!("send_mutex_guard_across_await"),
                LockGuardNotSend,
                guard,
            ),
            (
                renderings!("send_mutex_guard_async_fn"),
                LockGuardNotSend,
                guard,
            ),
            (
                renderings!("send_async_fn_in_trait_local"),
                AsyncFnInTraitNotSend,
                Some("Store::get"),
            ),
            (
                renderings!("send_async_fn_in_trait_foreign"),
                AsyncFnInTraitNotSend,
                Some("Database::get"),
            ),
            (
                renderings!("send_not_general_enough"),
                SendNotGeneralEnough,
                None,
            ),
            (renderings!("await_outside_async"), AwaitOutsideAsync, None),
            (renderings!("dyn_async_fn"), DynAsyncTrait, Some("Database")),
            (
                renderings!("dyn_impl_future"),
                DynAsyncTrait,
                Some("Database"),
            ),
            (
                renderings!("async_block_outlives"),
                SpawnedBlockBorrows,
                Some("names"),
            ),
        ];
        for (texts, mistake, subject) in cases {
            for text in texts {
                expect(compile(text), mistake, subject);
            }
        }
    }

    #[test]
    fn what_grading_refuses_is_named_as_such() {
        let disallowed = "error: use of a disallowed method `std::process::exit`\n \
                          --> exercises/00_welcome/01_hello/src/lib.rs:5:5\n  |\n  = note: \
                          ends the test process, or starts others\n  = note: requested on \
                          the command line with `-F clippy::disallowed-methods`\n";
        expect(
            compile(disallowed),
            Mistake::RefusedByGrading,
            Some("std::process::exit"),
        );
        let unsafe_block = "error: usage of an `unsafe` block\n --> src/lib.rs:3:5\n  = note: \
                            requested on the command line with `-F unsafe_code`\n";
        expect(compile(unsafe_block), Mistake::RefusedByGrading, None);
        // The same method in an ordinary error is not grading's.
        let ordinary = "error[E0425]: cannot find function `exit` in module `std::process`\n";
        assert_eq!(diagnosis(&compile(ordinary)), None);
    }

    #[test]
    fn each_runtime_fixture_names_its_mistake() {
        use Mistake::*;
        let cases = [
            (fixture!("panic_no_reactor_sleep"), NoRuntime, None),
            (fixture!("panic_no_reactor_spawn"), NoRuntime, None),
            (
                fixture!("panic_timers_disabled"),
                DriverDisabled,
                Some("timers"),
            ),
            (fixture!("panic_runtime_in_runtime"), RuntimeInRuntime, None),
            (
                fixture!("panic_drop_runtime_in_async"),
                RuntimeInRuntime,
                None,
            ),
        ];
        for (text, mistake, subject) in cases {
            expect(failed(text), mistake, subject);
        }
        let ten = Duration::from_secs(10);
        let timeout = |cpu: Option<u64>| {
            Outcome::TimedOut(Timeout::new(ten, cpu.map(Duration::from_millis), ten))
        };
        expect(timeout(None), Hang, None);
        expect(timeout(Some(12)), Hang, None);
        expect(timeout(Some(9_900)), Busy, None);
    }

    /// A test stopped at its limit while spinning is a busy loop, in any kata: the
    /// kata's `hang` text is for a test that sat parked.
    #[test]
    fn a_busy_test_and_a_parked_one_get_their_own_verdicts() {
        let mut course = course(&[
            (
                "06_pitfalls",
                "03_blocking_the_runtime",
                "blocking_the_runtime",
            ),
            (
                "08_cancellation",
                "02_cancellation_tokens",
                "cancellation_tokens",
            ),
        ]);
        course.katas[1].hang = Some("something waits for a token nobody cancels.".into());
        let ten = Duration::from_secs(10);
        let busy = Outcome::TimedOut(Timeout::new(ten, Some(Duration::from_millis(9_870)), ten));
        let parked = Outcome::TimedOut(Timeout::new(ten, Some(Duration::from_millis(11)), ten));

        let text = flat(&crate::view::failure::explain(
            &busy,
            "cancellation_tokens",
            &course,
        ));
        assert!(
            text.starts_with("why: A loop that never awaits blocks the thread"),
            "{text}"
        );
        assert!(!text.contains("token nobody cancels"), "{text}");
        assert!(
            text.contains(
                "`06_pitfalls/03_blocking_the_runtime` (blocking_the_runtime) teaches this."
            ),
            "{text}"
        );
        assert!(
            text.contains("timed out after 10 s, busy: the test ran on the CPU all along (9.9 s of CPU time in 10 s)"),
            "{text}"
        );

        let text = flat(&crate::view::failure::explain(
            &parked,
            "cancellation_tokens",
            &course,
        ));
        assert!(
            text.starts_with(
                "why: A hang in this kata usually means something waits for a token nobody cancels."
            ),
            "{text}"
        );
        assert!(!text.contains("never awaits"), "{text}");
        assert!(
            text.contains("timed out after 10 s, parked: a future never completed; the test sat waiting (11 ms of CPU time in 10 s)."),
            "{text}"
        );
    }

    #[test]
    fn ordinary_failures_get_no_explanation() {
        for outcome in [
            compile(fixture!("plain_type_mismatch")),
            compile(fixture!("plain_type_mismatch.ansi")),
            compile(fixture!("plain_dyn_generic_method")),
            compile(fixture!("plain_dyn_generic_method.ansi")),
            failed(fixture!("panic_assert_eq")),
            failed(fixture!("panic_todo")),
            Outcome::Crashed("signal: 6 (SIGABRT)\nmemory allocation failed".into()),
            Outcome::Passed,
        ] {
            assert_eq!(diagnosis(&outcome), None, "{outcome:?}");
        }
        // The same words from a thread, not a future: not an async mistake.
        let thread = "error[E0277]: `Rc<i32>` cannot be sent between threads safely\n   = help: \
                      within `{closure@src/main.rs:5:24: 5:31}`, the trait `Send` is not \
                      implemented for `Rc<i32>`\n";
        assert_eq!(diagnosis(&compile(thread)), None);
    }

    #[test]
    fn the_most_specific_of_the_shown_errors_wins() {
        let errors =
            |list: &[&str]| Outcome::DoesNotCompile(list.iter().map(|e| e.to_string()).collect());
        // A generic not-`Send` first, a lock guard second: the guard is the sharper lesson.
        let outcome = errors(&[
            fixture!("send_raw_pointer_across_await"),
            fixture!("send_mutex_guard_across_await"),
        ]);
        assert_eq!(
            diagnosis(&outcome).map(|d| d.0),
            Some(Mistake::LockGuardNotSend)
        );
        // An error the learner is not shown does not speak.
        let outcome = errors(&[
            fixture!("plain_type_mismatch"),
            fixture!("plain_type_mismatch"),
            fixture!("dyn_async_fn"),
        ]);
        assert_eq!(diagnosis(&outcome), None);
        // An unrelated error first does not hide a known one after it.
        let outcome = errors(&[
            fixture!("plain_type_mismatch"),
            fixture!("await_outside_async"),
        ]);
        assert_eq!(
            diagnosis(&outcome).map(|d| d.0),
            Some(Mistake::AwaitOutsideAsync)
        );
    }

    fn course(names: &[(&str, &str, &str)]) -> Course {
        let katas = names
            .iter()
            .enumerate()
            .map(|(i, (module, folder, name))| Kata {
                module: module.to_string(),
                folder: folder.to_string(),
                name: name.to_string(),
                number: i + 1,
                exercise_dir: PathBuf::from("/c/exercises").join(module).join(folder),
                solution_dir: PathBuf::from("/c/solutions").join(module).join(folder),
                timeout: None,
                points: 10,
                reference_tests: vec![],
                hang: None,
                allow: vec![],
            })
            .collect();
        Course {
            root: PathBuf::from("/c"),
            katas,
            target_dir: None,
        }
    }

    /// The explanation on one line, without the wrapping.
    fn flat(text: &str) -> String {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn names_the_teaching_kata_by_id_and_name() {
        let course = course(&[
            ("03_async_traits", "02_send_futures", "send_futures"),
            ("06_pitfalls", "01_lock_across_await", "lock_across_await"),
            ("06_pitfalls", "02_rc_vs_arc", "rc_vs_arc"),
        ]);
        let diagnosis = diagnose(&compile(fixture!("send_mutex_guard_async_fn")), 2).unwrap();
        let text = flat(&render(&diagnosis, &course, "hello"));
        assert!(
            text.starts_with(
                "why: The future holds `std::sync::MutexGuard<'_, Vec<String>>` across an `.await`"
            ),
            "{text}"
        );
        assert!(
            text.ends_with("`06_pitfalls/01_lock_across_await` (lock_across_await) teaches this."),
            "{text}"
        );
        // In the kata itself, it says so; two katas are joined with "and".
        let diagnosis = diagnose(&compile(fixture!("send_raw_pointer_across_await")), 2).unwrap();
        let text = flat(&render(&diagnosis, &course, "rc_vs_arc"));
        assert!(text.contains("and `*const u8` is not."), "{text}");
        assert!(
            text.ends_with(
                "`03_async_traits/02_send_futures` (send_futures) and \
                 `06_pitfalls/02_rc_vs_arc` (rc_vs_arc, this kata) teach this."
            ),
            "{text}"
        );
    }

    #[test]
    fn a_kata_the_course_does_not_hold_is_not_named() {
        let course = course(&[("06_pitfalls", "02_rc_vs_arc", "rc_vs_arc")]);
        let hang = Diagnosis {
            mistake: Mistake::Hang,
            subject: None,
        };
        let text = flat(&render(&hang, &course, "x"));
        assert!(text.ends_with("or a channel nobody sends on."), "{text}");
        assert!(!text.contains("teach"), "{text}");
        let not_send = diagnose(&compile(fixture!("send_rc_across_await")), 2).unwrap();
        let text = flat(&render(&not_send, &course, "x"));
        assert!(text.ends_with("(rc_vs_arc) teaches this."), "{text}");
    }

    #[test]
    fn a_kata_that_knows_what_its_hang_means_says_that_instead() {
        let mut course = course(&[("01_how_async_works", "04_block_on", "block_on")]);
        course.katas[0].hang = Some("a waker that never unparks the parked thread.".into());
        let hang = Diagnosis {
            mistake: Mistake::Hang,
            subject: None,
        };
        for package in ["block_on", "block_on_solution"] {
            let text = flat(&render(&hang, &course, package));
            assert_eq!(
                text,
                "why: A hang in this kata usually means a waker that never unparks the parked thread."
            );
        }
        let elsewhere = flat(&render(&hang, &course, "other"));
        assert!(
            elsewhere.ends_with("or a channel nobody sends on."),
            "{elsewhere}"
        );
    }

    #[test]
    fn every_kata_named_is_in_this_course() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let course = Course::load(root).unwrap();
        let mistakes = [
            Mistake::AsyncFnInTraitNotSend,
            Mistake::LockGuardNotSend,
            Mistake::RcNotSend,
            Mistake::CellNotSync,
            Mistake::SendNotGeneralEnough,
            Mistake::DynAsyncTrait,
            Mistake::AwaitOutsideAsync,
            Mistake::SpawnedBlockBorrows,
            Mistake::NotSend,
            Mistake::NoRuntime,
            Mistake::DriverDisabled,
            Mistake::RuntimeInRuntime,
            Mistake::Busy,
            Mistake::Hang,
        ];
        for mistake in mistakes {
            let (_, packages) = sentences(&Diagnosis {
                mistake,
                subject: None,
            });
            assert!(!packages.is_empty(), "{mistake:?} names a kata");
            for package in packages {
                assert!(
                    course.katas.iter().any(|kata| kata.name == *package),
                    "{mistake:?} names {package}, which is not in the course: renamed?"
                );
            }
        }
    }

    #[test]
    fn the_runner_prints_the_why_first_and_says_nothing_twice() {
        let course = course(&[
            ("01_how_async_works", "02_countdown", "countdown"),
            ("01_how_async_works", "03_wakers", "wakers"),
            ("06_pitfalls", "01_lock_across_await", "lock_across_await"),
        ]);
        let outcome = compile(fixture!("send_mutex_guard_async_fn"));
        let text = crate::view::failure::explain(&outcome, "lock_across_await", &course);
        let (why, failure) = text
            .split_once("\n\ndoes not compile")
            .expect("why:, a blank line, then the failure");
        assert!(why.starts_with("why: "), "{why}");
        assert!(
            flat(why).ends_with("(lock_across_await, this kata) teaches this."),
            "{why}"
        );
        assert!(
            failure.ends_with("required by this bound in `spawn`"),
            "{failure}"
        );

        let ten = Duration::from_secs(10);
        let outcome = Outcome::TimedOut(Timeout::new(ten, None, ten));
        let text = crate::view::failure::explain(&outcome, "countdown", &course);
        assert!(text.starts_with("why: "), "{text}");
        assert!(
            text.contains("\n\ntimed out after 10 s: a future never completed."),
            "{text}"
        );
        for said_once in ["deadlock", "Pending", "--timeout", "never completed"] {
            assert_eq!(text.matches(said_once).count(), 1, "{said_once}: {text}");
        }

        let outcome = failed(fixture!("panic_assert_eq"));
        let text = crate::view::failure::explain(&outcome, "countdown", &course);
        assert!(!text.contains("why:"), "{text}");
    }

    #[test]
    fn wraps_at_spaces_but_never_inside_code() {
        let lines = wrap("one two `a b c` three", 9);
        assert_eq!(lines, ["one two", "`a b c`", "three"]);
        let long = wrap("`std::sync::MutexGuard<'_, Vec<String>>` x", 10);
        assert_eq!(long, ["`std::sync::MutexGuard<'_, Vec<String>>`", "x"]);
        assert!(wrap(&"word ".repeat(40), 30).iter().all(|l| l.len() <= 30));
    }

    #[test]
    fn reads_names_the_way_a_learner_writes_them() {
        assert_eq!(trait_method("<D as Database>::get"), "Database::get");
        assert_eq!(trait_method("Store::get"), "Store::get");
        assert_eq!(
            base_name("std::sync::MutexGuard<'_, Vec<String>>"),
            "MutexGuard"
        );
        assert_eq!(base_name("Rc<Cell<usize>>"), "Rc");
        assert_eq!(plain("\u{1b}[1m\u{1b}[91merror\u{1b}[0m: x"), "error: x");
    }
}
