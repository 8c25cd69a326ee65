//! The learner's loop as `next` and `watch` show it (`cmd::session` runs it): a kata's
//! header, its tests as they run, the failure explained and cut to a screen, where to
//! edit, a kata or module done, the finish. Each is written to the writer it is given.

use std::io::{self, Write};

use crate::course::progress::{Progress, done_count};
use crate::course::{Course, Kata};
use crate::engine::harness::Outcome;
use crate::engine::run::{self, KataResult};
use crate::{course::hint, course::locate, util::ui};

/// Who shows the view: it ends by saying what the learner does next.
#[derive(Clone, Copy, PartialEq)]
pub enum Mode {
    Next,
    /// `keys`: whether `h` reveals a hint (a Unix terminal).
    Watch {
        keys: bool,
    },
}

/// A module whose every kata passes now: its name, how many katas it has, the next one.
pub struct ModuleDone<'a> {
    pub module: &'a str,
    pub katas: usize,
    pub next: Option<&'a str>,
}

/// A test's line as it ends: `✓ label`, or `✗ label  test 2 of 5`.
pub fn step(
    out: &mut impl Write,
    index: usize,
    total: usize,
    step: &run::StepResult,
) -> io::Result<()> {
    if step.outcome == Outcome::Passed {
        writeln!(out, "  {} {}", ui::green("✓"), step.label)
    } else {
        let place = place(step, index, total);
        writeln!(
            out,
            "  {} {}{}",
            ui::red("✗"),
            ui::bold(&step.label),
            ui::dim(&place)
        )
    }
}

/// A kata that passes, and the loop goes on.
pub fn passed(out: &mut impl Write, kata: &Kata) -> io::Result<()> {
    writeln!(
        out,
        "\n{} {} passes: every test is green. On to the next kata.\n",
        ui::green("✓"),
        kata.id()
    )
}

/// A module done, and the next one named.
pub fn module_done(out: &mut impl Write, done: &ModuleDone) -> io::Result<()> {
    writeln!(
        out,
        "{} module {} done: all {} pass.{}\n",
        ui::green("★"),
        done.module,
        ui::plural(done.katas, "kata"),
        match done.next {
            Some(next) => format!(" Next: {next}."),
            None => String::new(),
        }
    )
}

/// Every kata passes: the full bar and what now.
pub fn complete(out: &mut impl Write, course: &Course) -> io::Result<()> {
    let total = course.katas.len();
    writeln!(
        out,
        "{} {total} of {total} katas done (100%)\n\n{}",
        ui::progress_bar(total, total, 20),
        finished(course)
    )
}

/// Where a failing step stands among the kata's tests: `  test 2 of 5`, or for a test
/// file that does not compile, the tests it holds (`  tests 3–5 of 5`).
fn place(step: &run::StepResult, index: usize, total: usize) -> String {
    match step.tests {
        // The kata's own code: every test waits on it.
        _ if step.label == run::KATA_CODE => String::new(),
        0 | 1 => format!("  test {index} of {total}"),
        n => format!("  tests {index}–{} of {total}", index + n - 1),
    }
}

/// Where the learner is: the kata's place in the course and the lesson to read.
pub fn header(
    out: &mut impl Write,
    course: &Course,
    kata: &Kata,
    note: &str,
    progress: &Progress,
) -> io::Result<()> {
    let total = course.katas.len();
    let done = done_count(course, progress);
    writeln!(
        out,
        "{} {} {}{note}",
        ui::bold(&format!("kata {} of {total}", kata.number)),
        ui::progress_bar(done, total, 10),
        ui::bold(&format!("· {}", kata.id()))
    )?;
    writeln!(out, "lesson: {}\n", course.relative(&kata.lesson()))
}

/// A kata's first failure: what failed and why (cut to a screen; the why never), the
/// learner's warnings, how many tests are left, where to edit and what to do next.
pub fn failure(
    out: &mut impl Write,
    course: &Course,
    kata: &Kata,
    result: &KataResult,
    mode: Mode,
) -> io::Result<()> {
    let Some(failed) = result.results.last() else {
        return Ok(());
    };
    // A test file that does not compile against the learner's code (`kata_send.rs`
    // spawns it): making it compile is this step, not a broken course.
    if let Outcome::DoesNotCompile(_) = failed.outcome
        && failed.label != run::KATA_CODE
    {
        writeln!(
            out,
            "\n{} does not compile against your code: making it compile is this step ({}).",
            failed.label,
            match failed.tests {
                1 => "it holds 1 test".to_string(),
                n => format!("it holds {n} tests"),
            }
        )?;
    }
    let explanation = crate::view::failure::explanation(&failed.outcome, &kata.name, course);
    // The why is never cut: it is what the learner needs most.
    if let Some(why) = &explanation.why {
        writeln!(out, "\n{}", ui::indent(why, "    "))?;
    }
    let see_all = format!(
        "see everything: `cargo xtask check {0}` or `cargo test -p {0}`",
        kata.name
    );
    writeln!(
        out,
        "\n{}\n",
        ui::indent(
            &cut(&explanation.text, MAX_LINES, MAX_LINE, &see_all),
            "    "
        )
    )?;
    // The learner's own warnings: for a future never awaited, the warning is the fix.
    if let Some(first) = result.warnings.first() {
        writeln!(
            out,
            "{} about your code ({}):\n",
            ui::yellow("the compiler warns"),
            ui::plural(result.warnings.len(), "warning")
        )?;
        writeln!(
            out,
            "{}\n",
            ui::indent(&cut(first, 14, MAX_LINE, &see_all), "    ")
        )?;
        if ui::plain(first).contains("futures do nothing unless you `.await` or poll them") {
            writeln!(
                out,
                "{}\n",
                ui::indent(
                    &format!(
                        "{} a future does nothing until it is awaited (or polled): calling \
                         an async fn only builds it. Put `.await` after the call.",
                        ui::bold("why:")
                    ),
                    "    "
                )
            )?;
        }
    }
    let remaining = result.total.saturating_sub(result.tests_run());
    if remaining > 0 {
        writeln!(
            out,
            "{} after this one.",
            ui::plural(remaining, "more test")
        )?;
    }
    let (code, function) = where_to_edit(course, kata, result, failed);
    let code = match function {
        Some(name) => format!("`{name}` at {code}"),
        None => code,
    };
    match mode {
        Mode::Next => writeln!(out, "Edit {code}, then run `cargo xtask next` again.")?,
        Mode::Watch { .. } => writeln!(out, "Edit {code} and save: it runs again.")?,
    }
    let hints = hint::count(kata);
    if hints > 0 {
        let hints = ui::plural(hints, "hint");
        match mode {
            Mode::Watch { keys: true } => {
                writeln!(out, "Stuck? Press h for the next of {hints}.")?;
            }
            _ => writeln!(
                out,
                "Stuck? `cargo xtask hint` reveals the next of {hints}."
            )?,
        }
    }
    Ok(())
}

/// Where to edit, as `path:line:col` (terminals make it clickable), from where the
/// learner stands (`lib.rs:38:5` in a kata's `src/`), and the function it is in:
/// where the compiler points into the learner's code; the `todo!()` or other panic the
/// test hit in it; else the kata function the failing test calls (its `todo!()`, or its
/// name), found in the test's source; else a future never awaited that the compiler
/// warns of; else the kata's first `todo!()`.
fn where_to_edit(
    course: &Course,
    kata: &Kata,
    result: &KataResult,
    failed: &run::StepResult,
) -> (String, Option<String>) {
    let here = std::env::current_dir().ok();
    let shown = |path: &std::path::Path, line: usize, column: usize| {
        let path = locate::from_here(path, &course.root, here.as_deref());
        format!("{path}:{line}:{column}")
    };
    let src = kata.exercise_dir.join("src");
    let named = |location: locate::Location| {
        let path = course.root.join(&location.path);
        let function = locate::enclosing(&kata.exercise_dir, &path, location.line);
        (shown(&path, location.line, location.column), function)
    };
    let test_calls = |message: &str| {
        let is_test = failed.label != run::KATA_CODE && !failed.label.starts_with("tests/");
        is_test
            .then(|| {
                locate::called_by_test(
                    &kata.exercise_dir,
                    &kata.test_files(),
                    &failed.label,
                    message,
                )
            })
            .flatten()
            .map(|called| {
                (
                    shown(&called.at.path, called.at.line, called.at.column),
                    Some(called.name),
                )
            })
    };
    let unawaited = || {
        let warnings: Vec<String> = result
            .warnings
            .iter()
            .filter(|w| ui::plain(w).contains("futures do nothing unless you"))
            .cloned()
            .collect();
        locate::compile_error_place(&warnings, &src, &course.root).map(named)
    };
    let found = match &failed.outcome {
        Outcome::DoesNotCompile(errors) => locate::compile_error_place(errors, &src, &course.root)
            .map(|location| (named(location).0, None)),
        // A `todo!()` the test ran into (in a task it spawned, too); a panic of the
        // learner's own code; else the function the test calls, whose result the test
        // found wrong.
        Outcome::Failed(message) => message
            .contains("not yet implemented")
            .then(|| locate::todo_hit(message, &course.root))
            .flatten()
            .or_else(|| locate::panic_in_code(message, &course.root, &course.relative(&src)))
            .filter(|place| place.path.starts_with(&course.relative(&src)))
            .map(named)
            .or_else(|| test_calls(message))
            .or_else(unawaited),
        Outcome::TimedOut(_) | Outcome::Crashed(_) => test_calls(""),
        Outcome::Passed | Outcome::Cancelled => None,
    };
    found
        .or_else(|| {
            locate::first_todo(&kata.exercise_dir).map(|todo| named(todo.relative_to(&course.root)))
        })
        .unwrap_or_else(|| {
            let lib = kata.exercise_dir.join("src/lib.rs");
            (locate::from_here(&lib, &course.root, here.as_deref()), None)
        })
}

/// At most this many lines of a failure are shown: a test that prints megabytes, or a
/// compiler error as long as a page, must not bury the verdict or freeze the screen.
const MAX_LINES: usize = 40;

/// Longer lines are cut too (a test can print a megabyte without a newline).
const MAX_LINE: usize = 400;

/// `text` with at most `max_lines` lines of at most `max_line` bytes each. What is left
/// out is said, with where to see it all. A compiler error keeps its head, then the
/// lines that carry a fix (rustc's `help:` and its suggestion, `note:`s other than the
/// "required by" chain), then the rest in order: the middle of a long chain goes first.
/// Colour codes are counted as text: a cut line ends with a reset, so no colour leaks
/// into the runner's own lines. A timeline (see `TIMELINE_MARKER`) is never cut: its
/// lines are kept whole, on top of the head.
pub fn cut(text: &str, max_lines: usize, max_line: usize, see_all: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let timeline = in_timeline(&lines);
    let keep = if lines.len() <= max_lines {
        vec![true; lines.len()]
    } else {
        chosen(&lines, max_lines, &timeline)
    };
    let mut shown: Vec<String> = Vec::new();
    let mut gap = 0;
    for ((line, kept), whole) in lines.iter().zip(&keep).zip(&timeline) {
        if !kept {
            gap += 1;
            continue;
        }
        if gap > 0 {
            shown.push(format!("[… {}]", ui::plural(gap, "line")));
            gap = 0;
        }
        if line.len() <= max_line || *whole {
            shown.push(line.to_string());
            continue;
        }
        let mut end = max_line;
        while !line.is_char_boundary(end) {
            end -= 1;
        }
        let reset = if line.contains('\x1b') { "\x1b[0m" } else { "" };
        shown.push(format!(
            "{}{reset}… ({} more bytes on this line)",
            &line[..end],
            line.len() - end
        ));
    }
    let dropped = keep.iter().filter(|kept| !**kept).count();
    if dropped > 0 {
        let more = if gap == dropped { "more " } else { "" };
        shown.push(format!(
            "[… {dropped} {more}lines{}; {see_all}]",
            if gap == dropped {
                ""
            } else {
                " left out in all"
            }
        ));
    } else if lines
        .iter()
        .zip(&timeline)
        .any(|(line, whole)| line.len() > max_line && !whole)
    {
        shown.push(format!("[long lines were cut; {see_all}]"));
    }
    shown.join("\n")
}

/// The block a timeline fills runs from this line to the next blank line, and the
/// runner shows it whole: a picture cut in half shows nothing. (A test below keeps it
/// equal to the recorder's.)
pub use crate::engine::harness::TIMELINE_MARKER;

/// For each of `lines`, whether it belongs to a timeline.
fn in_timeline(lines: &[&str]) -> Vec<bool> {
    let mut inside = false;
    lines
        .iter()
        .map(|line| {
            let text = ui::plain(line);
            if text.trim_start().starts_with(TIMELINE_MARKER) {
                inside = true;
            } else if text.trim().is_empty() {
                inside = false;
            }
            inside
        })
        .collect()
}

/// Which of `lines` to keep, at most `budget`: the lines of a timeline (`whole`), then
/// the head, the lines that carry a fix, then the rest from the top. The head is kept
/// however long the timelines are.
fn chosen(lines: &[&str], budget: usize, whole: &[bool]) -> Vec<bool> {
    const HEAD: usize = 8;
    /// A `help:` or `note:` keeps this many lines of its own (its code snippet).
    const BLOCK: usize = 8;
    let plain: Vec<String> = lines.iter().map(|line| ui::plain(line)).collect();
    let label = |index: usize| {
        let text = plain[index].trim_start();
        text.strip_prefix("= ").unwrap_or(text).to_string()
    };
    let fixes = |index: usize| {
        let text = label(index);
        text.starts_with("help:")
            || (text.starts_with("note:") && !text.starts_with("note: required"))
    };
    let mut order: Vec<usize> = (0..lines.len().min(HEAD)).collect();
    for start in (0..lines.len()).filter(|&i| fixes(i)) {
        order.push(start);
        // The snippet under it: until a blank line or the next label.
        for (index, line) in plain.iter().enumerate().take(start + BLOCK).skip(start + 1) {
            let text = label(index);
            let next_label = ["help:", "note:", "error", "warning", "-->"]
                .iter()
                .any(|l| text.starts_with(l));
            if line.trim().is_empty() || next_label {
                break;
            }
            order.push(index);
        }
    }
    order.extend(0..lines.len());
    let mut keep = whole.to_vec();
    let mut used = keep.iter().filter(|kept| **kept).count();
    let budget = budget.max(used + HEAD);
    for index in order {
        if used == budget {
            break;
        }
        if !keep[index] {
            keep[index] = true;
            used += 1;
        }
    }
    keep
}

/// The end of the course, for `next` and for `list` when everything is done: what the
/// learner has done and what they can do now.
pub fn finished(course: &Course) -> String {
    let mut text = format!(
        "{} Every kata passes: you have finished awaitlings, all {} katas. Well done!\n\nWhat now?\n",
        ui::green("✓"),
        course.katas.len()
    );
    let mut ideas: Vec<(String, String)> = Vec::new();
    if course.root.join("solutions").is_dir() {
        ideas.push((
            "cargo xtask solution KATA".into(),
            "compare your code with the reference solution, kata by kata".into(),
        ));
    }
    // The last module is where the course comes together (the capstone, in awaitlings).
    if let Some(last) = course.katas.last() {
        let what = if last.module.contains("capstone") {
            "the capstone's service: grow it your own way (a new command, a TTL); its tests \
             keep you honest"
        } else {
            "the last module: grow its code your own way; its tests keep you honest"
        };
        ideas.push((format!("exercises/{}/", last.module), what.into()));
    }
    ideas.push((
        "cargo xtask list".into(),
        "the whole course at a glance".into(),
    ));
    let width = ideas.iter().map(|(what, _)| what.len()).max().unwrap_or(0);
    for (what, why) in ideas {
        text += &format!("  {}  {}\n", ui::bold(&format!("{what:width$}")), why);
    }
    text.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::{Mode, cut, failure, place};
    use crate::engine::harness::Outcome;
    use crate::engine::run::{KATA_CODE, StepResult};

    #[test]
    fn a_test_file_that_does_not_compile_counts_for_its_tests() {
        let step = |label: &str, tests| StepResult {
            label: label.into(),
            outcome: Outcome::DoesNotCompile(vec![]),
            tests,
        };
        assert_eq!(
            place(&step("tests/kata_send.rs", 3), 3, 5),
            "  tests 3–5 of 5"
        );
        assert_eq!(place(&step("tests/kata_send.rs", 1), 5, 5), "  test 5 of 5");
        assert_eq!(place(&step(KATA_CODE, 5), 1, 5), "");
        let failed = StepResult {
            label: "t02".into(),
            outcome: Outcome::Failed("no".into()),
            tests: 1,
        };
        assert_eq!(place(&failed, 2, 5), "  test 2 of 5");
    }

    #[test]
    fn a_short_message_is_left_alone() {
        let text = "panicked at src/lib.rs:5:5:\nnot yet implemented";
        assert_eq!(cut(text, 40, 400, "see all"), text);
    }

    #[test]
    fn a_long_message_keeps_its_first_lines_and_says_what_was_cut() {
        let text: String = (1..=1000).map(|n| format!("line {n}\n")).collect();
        let shown = cut(&text, 40, 400, "see everything: `cargo xtask check k`");
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(lines.len(), 41, "40 lines and the note");
        assert_eq!(lines[0], "line 1");
        assert_eq!(lines[39], "line 40");
        assert_eq!(
            lines[40],
            "[… 960 more lines; see everything: `cargo xtask check k`]"
        );
    }

    #[test]
    fn a_long_compiler_error_keeps_its_fix_and_cuts_the_chain() {
        let mut text = String::from(
            "does not compile (1 error):\n\nerror: future cannot be sent between threads safely\n\
             \x20  --> tests/kata_send.rs:12:18\n    |\n12  |     tokio::spawn(x);\n    |\n",
        );
        for n in 0..40 {
            text += &format!("note: required by a bound in `link{n}`\n   --> lib.rs:{n}:1\n");
        }
        text += "help: consider further restricting the associated type\n   |\n\
                 12 | where <T as Fut>::Output: Send\n   |       ++++++++++++++++++++++\n";
        let shown = cut(&text, 40, 400, "see all");
        let lines: Vec<&str> = shown.lines().collect();
        assert!(lines.len() <= 42, "{shown}");
        assert!(shown.starts_with("does not compile (1 error):"), "{shown}");
        assert!(
            shown.contains(
                "help: consider further restricting the associated type\n   |\n\
                            12 | where <T as Fut>::Output: Send"
            ),
            "the help line and its suggestion survive the cut:\n{shown}"
        );
        assert!(shown.contains("[… "), "the gap is marked:\n{shown}");
        assert!(
            lines.last().unwrap().ends_with("left out in all; see all]"),
            "{shown}"
        );
    }

    #[test]
    fn a_timeline_is_kept_whole_however_long_the_failure() {
        let mut text = String::from("panicked at tests/kata.rs:9:5:\nthe fetches took 2 s\n");
        for n in 0..100 {
            text += &format!("noise {n}\n");
        }
        text += "\nvirtual time   0 ms    1000 ms\n";
        let bar = "█".repeat(150); // 450 bytes: longer than a line may be
        for n in 0..40 {
            text += &format!("fetch_user({n:02})  {bar}\n");
        }
        text += "→ 2000 ms in all: sequential\nexpected: concurrent would take 1000 ms\n\nafter\n";
        let shown = cut(&text, 40, 400, "see all");
        let timeline: String = text
            .lines()
            .skip_while(|line| !line.starts_with("virtual time"))
            .take_while(|line| !line.is_empty())
            .map(|line| format!("{line}\n"))
            .collect();
        assert_eq!(timeline.lines().count(), 43);
        assert!(shown.contains(&timeline), "the timeline, uncut:\n{shown}");
        assert!(
            shown.starts_with("panicked at tests/kata.rs:9:5:\nthe fetches took 2 s\nnoise 0"),
            "the head survives too:\n{shown}"
        );
        assert!(!shown.contains("more bytes on this line"), "{shown}");
        assert!(shown.ends_with("left out in all; see all]"), "{shown}");
        // A short failure with a timeline is left alone.
        let short = "panicked\n\nvirtual time  0 ms\na  █\n→ 0 ms in all";
        assert_eq!(cut(short, 40, 400, "see all"), short);
    }

    #[test]
    fn the_timeline_marker_is_the_recorders() {
        let recorder =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../timeline/src/lib.rs");
        let source = std::fs::read_to_string(&recorder).expect("the timeline crate beside xtask");
        let declared = format!("pub const MARKER: &str = \"{}\";", super::TIMELINE_MARKER);
        assert!(
            source.contains(&declared),
            "{} should declare `{declared}`: the runner keeps a timeline whole by its first line",
            recorder.display()
        );
    }

    #[test]
    fn a_huge_line_is_cut_on_a_character_boundary() {
        let line = "é".repeat(1000); // 2 bytes each
        let shown = cut(&format!("{line}\nend"), 40, 401, "see all");
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(lines.len(), 3, "{shown}");
        assert!(lines[0].starts_with(&"é".repeat(200)), "{}", lines[0]);
        assert!(
            lines[0].ends_with("… (1600 more bytes on this line)"),
            "{}",
            lines[0]
        );
        assert_eq!(lines[1], "end");
        assert_eq!(lines[2], "[long lines were cut; see all]");
        let coloured = format!("\x1b[31m{}\x1b[0m", "x".repeat(500));
        assert!(cut(&coloured, 40, 100, "see all").contains("\x1b[0m…"));
    }

    /// The failure view, rendered to a buffer: no cargo, no test process.
    #[test]
    fn a_failure_says_what_failed_what_is_left_and_where_to_edit() {
        use crate::course::{Course, Kata};
        use crate::engine::run::KataResult;

        let root = std::env::temp_dir().join(format!("awaitlings-view-{}", std::process::id()));
        let dir = root.join("exercises/10_m/01_k1");
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::write(
            dir.join("src/lib.rs"),
            "pub async fn fetch_all() {\n    // one at a time\n    todo!()\n}\n",
        )
        .unwrap();
        let kata = Kata {
            module: "10_m".into(),
            folder: "01_k1".into(),
            name: "k1".into(),
            number: 1,
            exercise_dir: dir.clone(),
            solution_dir: root.join("solutions/10_m/01_k1"),
            timeout: None,
            points: 10,
            reference_tests: vec![],
            hang: None,
            allow: vec![],
        };
        let course = Course {
            root: root.clone(),
            katas: vec![kata],
            target_dir: None,
        };
        let step = |label: &str, outcome| StepResult {
            label: label.into(),
            outcome,
            tests: 1,
        };
        let result = KataResult {
            results: vec![
                step("t01_starts", Outcome::Passed),
                step(
                    "t02_fetches_together",
                    Outcome::Failed("the fetches ran one after another: 2000 ms".into()),
                ),
            ],
            steps: 3,
            total: 3,
            references: vec![],
            warnings: vec![],
            cancelled: false,
            broken: vec![],
        };
        let mut out = Vec::new();
        failure(&mut out, &course, &course.katas[0], &result, Mode::Next).unwrap();
        let shown = crate::util::ui::plain(&String::from_utf8(out).unwrap());
        std::fs::remove_dir_all(&root).unwrap();
        assert!(
            shown.contains("\n    the fetches ran one after another: 2000 ms\n"),
            "the failure, indented:\n{shown}"
        );
        assert!(shown.contains("1 more test after this one."), "{shown}");
        assert!(
            shown.contains("lib.rs:3:5, then run `cargo xtask next` again."),
            "where to edit (the kata's `todo!()`), and what next:\n{shown}"
        );
        assert!(
            !shown.contains("Stuck?"),
            "no hints, none offered:\n{shown}"
        );
    }
}
