//! A failed step as a learner should read it: for a classic async mistake, why it
//! happens and which kata teaches it, first; then the failure's own text.

use crate::course::Course;
use crate::engine::harness::{Outcome, Spin, Timeout};
use crate::util::ui;
use crate::view::explain;

/// What a failed step means, as a learner should read it: for a classic async mistake,
/// why it happens and which kata of `course` teaches it, first; then the failure's own
/// text.
pub fn explain(outcome: &Outcome, package: &str, course: &Course) -> String {
    let explained = explanation(outcome, package, course);
    match explained.why {
        Some(why) => format!("{why}\n\n{}", explained.text),
        None => explained.text,
    }
}

/// A failure's explanation in its two parts, so a view can cut the text (a compiler
/// error can be a page long) and never the why.
pub struct Explanation {
    pub why: Option<String>,
    pub text: String,
}

pub fn explanation(outcome: &Outcome, package: &str, course: &Course) -> Explanation {
    const SHOWN: usize = 2;
    let text = match outcome {
        Outcome::Passed => String::new(),
        Outcome::Cancelled => "stopped before a verdict: a newer save came first".to_string(),
        Outcome::Failed(message) if message.contains("not yet implemented") => {
            match crate::course::locate::todo_hit(message, &course.root) {
                Some(place) => {
                    // From where the learner stands, as the `Edit` line gives it.
                    let here = std::env::current_dir().ok();
                    let path = crate::course::locate::from_here(
                        &course.root.join(&place.path),
                        &course.root,
                        here.as_deref(),
                    );
                    let place = format!("{path}:{}:{}", place.line, place.column);
                    format!("{message}\n\n(a `todo!()` in the kata's code: start at {place})")
                }
                None => {
                    format!("{message}\n\n(a `todo!()` in the kata's code: that is where to start)")
                }
            }
        }
        Outcome::Failed(message) => message.clone(),
        // What a hang usually means is the explainer's to say.
        Outcome::TimedOut(timeout) => timed_out(timeout),
        Outcome::Crashed(output) => format!("the test process died without a verdict:\n{output}"),
        Outcome::DoesNotCompile(errors) => {
            let mut text = format!(
                "does not compile ({}):\n\n",
                ui::plural(errors.len(), "error")
            );
            for error in errors.iter().take(SHOWN) {
                text += error.trim_end();
                text += "\n\n";
            }
            if errors.len() > SHOWN {
                text += &format!(
                    "…and {} more; fix the first one first (all of them: cargo test -p {package})",
                    errors.len() - SHOWN
                );
            }
            text.trim_end().to_string()
        }
    };
    let why = explain::diagnose(outcome, SHOWN)
        .map(|diagnosis| explain::render(&diagnosis, course, package));
    Explanation { why, text }
}

/// A time-out as the learner reads it: whether the test spun or sat parked, with the
/// figures that tell.
fn timed_out(timeout: &Timeout) -> String {
    let limit = ui::seconds(timeout.limit);
    let cpu = timeout
        .cpu
        .map(|cpu| format!("{} of CPU time in {limit}", ui::seconds(cpu)));
    let head = match (timeout.spin, cpu) {
        (Spin::Busy, Some(cpu)) => format!(
            "timed out after {limit}, busy: the test ran on the CPU all along ({cpu}), so \
             it never gave its thread back."
        ),
        (Spin::Parked, Some(cpu)) => format!(
            "timed out after {limit}, parked: a future never completed; the test sat \
             waiting ({cpu})."
        ),
        _ => format!("timed out after {limit}: a future never completed."),
    };
    format!(
        "{head}\n(the whole test process was stopped; raise the limit with --timeout if the \
         test is merely slow)"
    )
}

/// Kata folders cargo cannot load, which a build ran without: named, with their repair.
pub fn say_broken(course: &Course, broken: &[crate::engine::health::Broken]) {
    for item in broken {
        eprintln!(
            "\n{} {} was left out: cargo cannot load it.\n{}",
            ui::yellow("warning:"),
            item.id,
            ui::indent(&crate::engine::health::repair(&course.root, item), "    ")
        );
    }
}
