//! A failed step as a learner should read it: for a classic async mistake, why it
//! happens and which kata teaches it, first; then the failure's own text.

use crate::course::Course;
use crate::engine::harness::Outcome;
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
                    format!("{message}\n\n(a `todo!()` in the kata's code: start at {place})")
                }
                None => {
                    format!("{message}\n\n(a `todo!()` in the kata's code: that is where to start)")
                }
            }
        }
        Outcome::Failed(message) => message.clone(),
        // What a hang usually means is the explainer's to say.
        Outcome::TimedOut(limit) => format!(
            "timed out after {}: a future never completed.\n(the whole test process was \
             stopped; raise the limit with --timeout if the test is merely slow)",
            ui::seconds(*limit)
        ),
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
