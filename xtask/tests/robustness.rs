//! Every command (next, check, list, hint, solution, reset, verify; grade, export,
//! regrade, manifest; `watch` has its own file) under what a
//! real setup throws at it: no terminal, NO_COLOR, a width of 0, an unknown kata, a
//! corrupted progress file, a kata that does not compile, a test that hangs. None may
//! crash or hang; each must say what happened. Exit codes: 0 done, 1 a verdict that is
//! not a pass (or a refusal), 2 bad input or a failure of the runner's surroundings.
//!
//! The runner is the real binary, pointed at the fixture course of `fixture/mod.rs`.

mod fixture;
mod staff;

use std::fs;
use std::path::Path;

use fixture::{Fixture, Run, TODO_AT, fixture};

const HANGS: &str = "timed out after 1.0 s";
const BROKEN: &str = "does not compile (1 error)";

fn run(fixture: &Fixture, args: &[&str]) -> Run {
    fixture.run(&fixture.course, args, &[])
}

/// Runs the learner commands once each, with `env`, on the course as shipped; checks
/// each verdict. The same expectations hold with no terminal, with NO_COLOR and with a
/// width of 0: none of them may change what the runner says.
fn every_command(fixture: &Fixture, env: &[(&str, &str)]) {
    let run = |args: &[&str]| fixture.run(&fixture.course, args, env);
    run(&["next", "--timeout", "1"]).expect(
        1,
        &[
            "✓ 00_m/01_ok passes",
            "kata 2 of 4 [██░░░░░░░░] · 00_m/02_broken",
            BROKEN,
            "mismatched types",
            "Edit exercises/00_m/02_broken/src/lib.rs:3:5, then run `cargo xtask next` again.",
        ],
    );
    run(&["check", "ok"]).expect(0, &["✓ t01_answer", "1 of 1 test pass."]);
    run(&["check", "todo"]).expect(
        1,
        &[
            "not yet implemented: double 2",
            &format!("(a `todo!()` in the kata's code: start at {TODO_AT})"),
            "0 of 1 test pass.",
        ],
    );
    run(&["list", "--timeout", "1"]).expect(
        0,
        &[
            "✓ done         01_ok",
            "▶ current      02_broken",
            "· not run yet  03_hangs",
            "✗ failing      04_todo",
            "[█████░░░░░░░░░░░░░░░] 1 of 4 katas done (25%)",
            "1 kata not run yet (or changed since): `cargo xtask check KATA` runs one",
            "Carry on with `cargo xtask next`.",
        ],
    );
    run(&["hint", "todo"]).expect(0, &["Hint 1 of 2", "Look at the tests of todo."]);
    run(&["solution", "ok"]).expect(0, &["Your code is the reference solution, to the byte."]);
    run(&["solution", "todo"]).expect(
        1,
        &[
            "00_m/04_todo does not pass yet: 1 of 1 test fails.",
            "`cargo xtask solution todo --force` shows it anyway",
        ],
    );
    run(&["reset", "ok"]).expect(0, &["00_m/01_ok is already as the course shipped it"]);
    run(&["verify", "todo"]).expect(
        0,
        &[
            "✓ 00_m/04_todo",
            "stub fails 1/1",
            "verify: 1 passed, 0 failed",
        ],
    );
}

#[test]
fn with_no_terminal_every_command_works_and_reset_asks_for_yes() {
    let (fixture, _lock) = fixture();
    every_command(fixture, &[]);

    fixture.write("exercises/00_m/04_todo/src/lib.rs", "// my attempt\n");
    run(fixture, &["reset", "todo"]).expect(
        2,
        &[
            "there is no terminal to ask you first",
            "`--yes`",
            "00_m/04_todo",
        ],
    );
    assert_eq!(
        fixture.read("exercises/00_m/04_todo/src/lib.rs"),
        "// my attempt\n",
        "refused: nothing touched"
    );
    assert!(
        !fixture.path(".awaitlings/backups").exists(),
        "and no backup made"
    );
}

#[test]
fn with_no_color_there_is_no_colour_even_on_a_terminal() {
    let (fixture, _lock) = fixture();
    every_command(fixture, &[("NO_COLOR", "1")]);

    // On a terminal, the runner colours its output, unless NO_COLOR says not to.
    let Some(coloured) = fixture.run_on_terminal(&["check", "ok"], &[], "") else {
        eprintln!("note: no util-linux `script` here: the terminal cases are skipped");
        return;
    };
    assert_eq!(coloured.code, Some(0), "{}", coloured.stdout);
    assert!(
        coloured.stdout.contains("\x1b[32m✓"),
        "{:?}",
        coloured.stdout
    );
    let todo_at = format!("start at {TODO_AT}");
    for (args, code, says) in [
        (&["next", "--timeout", "1"][..], 1, "kata 2 of 4"),
        (&["check", "todo"], 1, todo_at.as_str()),
        (&["list", "--timeout", "1"], 0, "1 of 4 katas done (25%)"),
        (&["hint", "todo"], 0, "Hint 1 of 2"),
        (
            &["solution", "todo", "--force"],
            0,
            "warning: 00_m/04_todo does not pass yet",
        ),
        (&["verify", "todo"], 0, "verify: 1 passed, 0 failed"),
    ] {
        let run = fixture
            .run_on_terminal(args, &[("NO_COLOR", "1")], "")
            .unwrap();
        assert_eq!(run.code, Some(code), "{args:?}: {}", run.stdout);
        assert!(!run.stdout.contains('\x1b'), "{args:?}: {:?}", run.stdout);
        assert!(run.stdout.contains(says), "{args:?}: {}", run.stdout);
    }
}

#[test]
fn a_width_of_zero_changes_nothing() {
    let (fixture, _lock) = fixture();
    every_command(fixture, &[("COLUMNS", "0")]);
    if let Some(run) = fixture.run_on_terminal(&["list"], &[("COLUMNS", "0")], "") {
        assert_eq!(run.code, Some(0), "{}", run.stdout);
        assert!(
            run.stdout.contains("1 of 4 katas done (25%)"),
            "{}",
            run.stdout
        );
    }
}

#[test]
fn an_unknown_kata_name_gets_the_closest_names() {
    let (fixture, _lock) = fixture();
    for command in ["check", "hint", "solution", "reset", "verify"] {
        run(fixture, &[command, "tood"]).expect(
            2,
            &["there is no kata named `tood`. Did you mean: todo (00_m/04_todo)?"],
        );
        run(fixture, &[command, "zzzzzzzzzz"]).expect(
            2,
            &["there is no kata named `zzzzzzzzzz`. `cargo xtask list` shows them all."],
        );
    }
    // next takes the kata to work on: an unknown one gets the closest names.
    run(fixture, &["next", "tood"]).expect(
        2,
        &["there is no kata named `tood`. Did you mean: todo (00_m/04_todo)?"],
    );
    // list takes no kata at all: a usage error, with the usage.
    run(fixture, &["list", "tood"]).expect(
        2,
        &[
            "`list` takes no kata; unexpected `tood`",
            "usage: cargo xtask",
        ],
    );
    // And nothing was reset or written on the way.
    assert!(!fixture.path(".awaitlings").exists());
}

/// Random bytes, invalid UTF-8 and all (a fixed seed: the same bytes every run).
fn garbage() -> Vec<u8> {
    let mut state: u32 = 0x2545_f491;
    let mut bytes: Vec<u8> = (0..600)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state >> 24) as u8
        })
        .collect();
    bytes.extend_from_slice(
        b"\nresult\t00_m/01_ok\t\xff\xfe\tpass\nhints\t00_m/04_todo\tmany\n\xc3\x28\n",
    );
    bytes
}

#[test]
fn a_corrupted_progress_file_costs_a_rerun_not_a_crash() {
    let (fixture, _lock) = fixture();
    let progress = ".awaitlings/progress";
    let note = "unreadable line(s); those katas will be run again.";
    let corrupt = || {
        fs::create_dir_all(fixture.path(".awaitlings")).unwrap();
        fs::write(fixture.path(progress), garbage()).unwrap();
    };
    for (args, code, says) in [
        (&["next", "--timeout", "1"][..], 1, BROKEN),
        (&["check", "ok"], 0, "1 of 1 test pass."),
        // list runs nothing: with the cache unreadable, it knows of no kata.
        (&["list", "--timeout", "1"], 0, "0 of 4 katas done (0%)"),
        (&["hint", "todo"], 0, "Hint 1 of 2"),
        (
            &["solution", "ok"],
            0,
            "the reference solution of 00_m/01_ok",
        ),
        (
            &["reset", "todo", "--yes"],
            0,
            "✓ 00_m/04_todo is as the course shipped it",
        ),
    ] {
        corrupt();
        if args[0] == "reset" {
            fixture.write("exercises/00_m/04_todo/src/lib.rs", "// mine\n");
        }
        run(fixture, args).expect(code, &[note, says]);
        // The cache was rewritten whole: the next command reads it without a note.
        let again = run(fixture, &["hint", "ok"]);
        again.expect(0, &["Hint 1 of 2"]);
        assert!(
            !again.output().contains(note),
            "{args:?} left it unreadable"
        );
    }
    // verify does not read the cache at all.
    corrupt();
    let verify = run(fixture, &["verify", "todo"]);
    verify.expect(0, &["verify: 1 passed, 0 failed"]);
    assert!(!verify.output().contains(note));
}

#[test]
fn a_kata_that_does_not_compile_says_so_everywhere() {
    let (fixture, _lock) = fixture();
    run(fixture, &["check", "broken"])
        .expect(1, &[BROKEN, "mismatched types", "0 of 1 test pass."]);
    run(fixture, &["hint", "broken"]).expect(0, &["Look at the tests of broken."]);
    run(fixture, &["solution", "broken"]).expect(
        1,
        &[
            "00_m/02_broken does not pass yet: your code does not compile yet.",
            "--force",
        ],
    );
    run(fixture, &["solution", "broken", "--force"]).expect(
        0,
        &[
            "warning: 00_m/02_broken does not pass yet (it failed when last run)",
            "--- exercises/00_m/02_broken/src/lib.rs\n+++ solutions/00_m/02_broken/src/lib.rs",
            "-    \"not a number\"\n+    42\n",
        ],
    );
    run(fixture, &["verify", "broken"]).expect(
        1,
        &[
            "the stub's code must compile",
            "mismatched types",
            "verify: 0 passed, 1 failed",
        ],
    );
    run(fixture, &["reset", "broken"]).expect(0, &["already as the course shipped it"]);
}

#[test]
fn a_test_that_hangs_is_stopped_at_the_limit() {
    let (fixture, _lock) = fixture();
    run(fixture, &["check", "hangs", "--timeout", "1"]).expect(1, &["✗ t01_wait_returns", HANGS]);
    run(fixture, &["solution", "hangs", "--timeout", "1"])
        .expect(1, &["00_m/03_hangs does not pass yet: 1 of 1 test fails."]);
    // verify: the stub's hang is a failing test, as it should be.
    run(fixture, &["verify", "hangs", "--timeout", "1"])
        .expect(0, &["stub fails 1/1", "verify: 1 passed, 0 failed"]);
    run(fixture, &["hint", "hangs"]).expect(0, &["Look at the tests of hangs."]);
    // With the broken kata solved, next and list reach the hanging one.
    fixture.solve("02_broken");
    run(fixture, &["next", "--timeout", "1"]).expect(
        1,
        &[
            "✓ 00_m/02_broken passes",
            "kata 3 of 4 [█████░░░░░] · 00_m/03_hangs",
            HANGS,
        ],
    );
    let list = run(fixture, &["list", "--timeout", "1"]);
    list.expect(0, &["▶ current      03_hangs", "2 of 4 katas done (50%)"]);
    // The time limit also comes from the environment.
    let env = [("AWAITLINGS_TIMEOUT", "1")];
    fixture
        .run(&fixture.course, &["check", "hangs"], &env)
        .expect(1, &[HANGS]);
    fixture.write(
        "exercises/00_m/03_hangs/src/lib.rs",
        "pub fn wait() { loop {} }\n",
    );
    run(fixture, &["reset", "hangs", "--yes"])
        .expect(0, &["✓ 00_m/03_hangs is as the course shipped it"]);
}

/// The stub sits parked; a loop that never yields spins, and is told apart by the
/// process's CPU time, with its own explanation.
#[test]
fn a_busy_test_and_a_parked_one_get_their_own_verdicts() {
    let (fixture, _lock) = fixture();
    let parked = run(fixture, &["check", "hangs", "--timeout", "1"]);
    parked.expect(
        1,
        &[
            "timed out after 1.0 s, parked: a future never completed",
            "why: A future that never completes is waiting for something that never comes",
        ],
    );
    fixture.write(
        "exercises/00_m/03_hangs/src/lib.rs",
        "pub fn wait() {\n    loop {}\n}\n",
    );
    let busy = run(fixture, &["next", "hangs", "--timeout", "1"]);
    busy.expect(
        1,
        &[
            "timed out after 1.0 s, busy: the test ran on the CPU all along",
            "why: A loop that never awaits blocks the thread",
            "Edit `wait` at exercises/00_m/03_hangs/src/lib.rs:1:8, then run",
        ],
    );
    assert!(!busy.stdout.contains("parked"), "{}", busy.stdout);
}

#[test]
fn next_points_at_the_todo_to_open() {
    let (fixture, _lock) = fixture();
    fixture.solve("02_broken");
    fixture.solve("03_hangs");
    run(fixture, &["next"]).expect(
        1,
        &[
            "kata 4 of 4 [███████░░░] · 00_m/04_todo",
            &format!("start at {TODO_AT})"),
            &format!("Edit `double` at {TODO_AT}, then run `cargo xtask next` again."),
            "Stuck? `cargo xtask hint` reveals the next of 2 hints.",
        ],
    );
    // From the kata's own folders, the place is given from there.
    let src = fixture.path("exercises/00_m/04_todo/src");
    fixture.run_from(&src, &["next"]).expect(
        1,
        &[
            "start at lib.rs:5:5)",
            "Edit `double` at lib.rs:5:5, then run `cargo xtask next` again.",
        ],
    );
    let tests = fixture.path("exercises/00_m/04_todo/tests");
    fixture
        .run_from(&tests, &["next"])
        .expect(1, &["Edit `double` at ../src/lib.rs:5:5, then"]);
}

/// A test that fails on a wrong answer (no `todo!()` hit) is sent to the function it
/// calls, not to the first `todo!()` left elsewhere in the kata.
#[test]
fn the_edit_line_names_the_function_the_failing_test_calls() {
    let (fixture, _lock) = fixture();
    fixture.solve("02_broken");
    fixture.solve("03_hangs");
    fixture.write(
        "exercises/00_m/04_todo/src/lib.rs",
        "/// Later.\npub fn later() -> u32 {\n    todo!(\"later\")\n}\n\n\
         /// Doubles `x`.\npub fn double(x: u32) -> u32 {\n    x + 1\n}\n",
    );
    run(fixture, &["next"]).expect(
        1,
        &[
            "2 doubled is 4",
            "Edit `double` at exercises/00_m/04_todo/src/lib.rs:7:8, then run",
        ],
    );
}

/// `list` runs nothing: with no progress at all it answers from nothing, at once, and
/// says how to run what it does not know.
#[test]
fn list_with_no_progress_builds_nothing() {
    let (fixture, _lock) = fixture();
    let _ = fs::remove_dir_all(fixture.path(".awaitlings"));
    let target = fixture.scratch.join("list-target");
    let _ = fs::remove_dir_all(&target);
    let env = [("CARGO_TARGET_DIR", target.to_str().unwrap())];
    let list = fixture.run(&fixture.course, &["list"], &env);
    list.expect(
        0,
        &[
            "▶ current      01_ok",
            "· not run yet  02_broken",
            "· not run yet  04_todo",
            "0 of 4 katas done (0%)",
            "4 katas not run yet (or changed since): `cargo xtask check KATA` runs one, \
             `cargo xtask next` goes on from where you are.",
        ],
    );
    assert!(!list.output().contains("running"), "{}", list.output());
    assert!(
        !target.join("debug").exists(),
        "list built something in {}",
        target.display()
    );
}

#[test]
fn the_end_of_the_course_says_what_comes_next() {
    let (fixture, _lock) = fixture();
    for kata in ["02_broken", "03_hangs", "04_todo"] {
        fixture.solve(kata);
    }
    let finish = [
        "Every kata passes: you have finished awaitlings, all 4 katas. Well done!",
        "cargo xtask solution KATA",
        "exercises/00_m/",
        "cargo xtask list",
    ];
    let next = run(fixture, &["next"]);
    next.expect(0, &finish);
    next.expect(0, &["[████████████████████] 4 of 4 katas done (100%)"]);
    let list = run(fixture, &["list"]);
    list.expect(0, &finish);
    list.expect(0, &["[████████████████████] 4 of 4 katas done (100%)"]);
    assert!(!list.stdout.contains("Carry on"), "{}", list.stdout);
}

/// The files under `dir`, by path relative to it, with their text.
fn tree(dir: &Path) -> Vec<(String, String)> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
        for entry in fs::read_dir(dir).unwrap().filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                let relative = path
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.push((relative, fs::read_to_string(&path).unwrap()));
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, dir, &mut files);
    files.sort();
    files
}

#[test]
fn reset_backs_up_exactly_the_learners_files_then_restores_the_stub() {
    let (fixture, _lock) = fixture();
    let stub = fixture::KATAS[3].stub;
    // The learner's work, committed (reset must not care), plus an untracked file.
    fixture.write(
        "exercises/00_m/04_todo/src/lib.rs",
        "pub fn double(x: u32) -> u32 { x + x }\n",
    );
    fixture::git(
        &fixture.course,
        &["commit", "--quiet", "--all", "--message", "my work"],
    );
    fixture.write(
        "exercises/00_m/04_todo/src/notes/ideas.rs",
        "// shift left?\n",
    );
    run(fixture, &["hint", "todo"]).expect(0, &["Hint 1 of 2"]);
    run(fixture, &["check", "todo"]).expect(0, &["1 of 1 test pass."]);
    let learner = tree(&fixture.path("exercises/00_m/04_todo/src"));

    let reset = run(fixture, &["reset", "todo", "--yes"]);
    reset.expect(
        0,
        &[
            "Your files are backed up in .awaitlings/backups/",
            "-todo/",
            "✓ 00_m/04_todo is as the course shipped it: 1 file restored, 1 file of yours removed.",
        ],
    );
    let shown = reset
        .stdout
        .lines()
        .find_map(|line| line.strip_prefix("Your files are backed up in "))
        .unwrap()
        .trim_end_matches('/');
    let backup = fixture.path(shown).join("exercises/00_m/04_todo/src");
    assert_eq!(
        tree(&backup),
        learner,
        "the backup is the learner's src/, exactly"
    );
    assert_eq!(
        tree(&fixture.path("exercises/00_m/04_todo/src")),
        [("lib.rs".to_string(), stub.to_string())],
        "src/ is the stub again, the learner's extra folder gone"
    );
    // The cached pass is forgotten, the revealed hint kept.
    let progress = fixture.read(".awaitlings/progress");
    assert!(!progress.contains("result\t00_m/04_todo"), "{progress}");
    assert!(progress.contains("hints\t00_m/04_todo\t1"), "{progress}");
    run(fixture, &["check", "todo"]).expect(1, &["not yet implemented"]);
    // Reset again: already as shipped, no second backup.
    run(fixture, &["reset", "todo", "--yes"]).expect(0, &["already as the course shipped it"]);
    let backups = fs::read_dir(fixture.path(".awaitlings/backups"))
        .unwrap()
        .count();
    assert_eq!(backups, 1);

    // --all backs up every kata being reset, in a folder named for it.
    fixture.write(
        "exercises/00_m/01_ok/src/lib.rs",
        "pub fn answer() -> u32 { 41 }\n",
    );
    fixture.write("exercises/00_m/03_hangs/src/lib.rs", "pub fn wait() {}\n");
    let all = run(fixture, &["reset", "--all", "--yes"]);
    all.expect(
        0,
        &[
            "-all/",
            "00_m/02_broken is already as the course shipped it",
            "✓ 00_m/01_ok is as the course shipped it",
            "✓ 00_m/03_hangs is as the course shipped it",
        ],
    );
    assert_eq!(
        fixture.read("exercises/00_m/01_ok/src/lib.rs"),
        fixture::KATAS[0].stub
    );
    let shown = all
        .stdout
        .lines()
        .find_map(|line| line.strip_prefix("Your files are backed up in "))
        .unwrap()
        .trim_end_matches('/');
    let saved = tree(&fixture.path(shown));
    let paths: Vec<&str> = saved.iter().map(|(path, _)| path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "exercises/00_m/01_ok/src/lib.rs",
            "exercises/00_m/03_hangs/src/lib.rs"
        ]
    );
    assert_eq!(saved[0].1, "pub fn answer() -> u32 { 41 }\n");
}

#[test]
fn reset_on_a_terminal_asks_first_and_no_means_no() {
    let (fixture, _lock) = fixture();
    fixture.write("exercises/00_m/04_todo/src/lib.rs", "// mine\n");
    let Some(no) = fixture.run_on_terminal(&["reset", "todo"], &[], "n\n") else {
        eprintln!("note: no util-linux `script` here: the terminal cases are skipped");
        return;
    };
    assert_eq!(no.code, Some(1), "{}", no.stdout);
    assert!(
        no.stdout.contains("00_m/04_todo: restores src/lib.rs"),
        "{}",
        no.stdout
    );
    assert!(no.stdout.contains("Reset? [y/N]"), "{}", no.stdout);
    assert!(no.stdout.contains("Nothing changed."), "{}", no.stdout);
    assert_eq!(
        fixture.read("exercises/00_m/04_todo/src/lib.rs"),
        "// mine\n"
    );
    // Enter alone is the default: no.
    let enter = fixture
        .run_on_terminal(&["reset", "todo"], &[], "\n")
        .unwrap();
    assert_eq!(enter.code, Some(1), "{}", enter.stdout);
    assert_eq!(
        fixture.read("exercises/00_m/04_todo/src/lib.rs"),
        "// mine\n"
    );

    let yes = fixture
        .run_on_terminal(&["reset", "todo"], &[], "y\n")
        .unwrap();
    assert_eq!(yes.code, Some(0), "{}", yes.stdout);
    assert!(
        yes.stdout.contains("is as the course shipped it"),
        "{}",
        yes.stdout
    );
    assert_eq!(
        fixture.read("exercises/00_m/04_todo/src/lib.rs"),
        fixture::KATAS[3].stub
    );
}

#[test]
fn reset_outside_a_git_checkout_changes_nothing() {
    let (fixture, _lock) = fixture();
    let copy = fixture.copy("no-git");
    let mine = "// my work, which must survive\n";
    fs::write(copy.join("exercises/00_m/04_todo/src/lib.rs"), mine).unwrap();
    // Git must not find the repository the tests themselves may sit in.
    let ceiling = copy.parent().unwrap().to_string_lossy().into_owned();
    let env = [("GIT_CEILING_DIRECTORIES", ceiling.as_str())];
    fixture
        .run(&copy, &["reset", "todo", "--yes"], &env)
        .expect(2, &["is not a git checkout", "Nothing was changed."]);
    assert_eq!(
        fs::read_to_string(copy.join("exercises/00_m/04_todo/src/lib.rs")).unwrap(),
        mine
    );
    assert!(!copy.join(".awaitlings/backups").exists());

    // Without the manifest there is nothing to restore from: say so.
    fs::remove_file(copy.join("grading-manifest.txt")).unwrap();
    fixture
        .run(&copy, &["reset", "todo", "--yes"], &env)
        .expect(
            2,
            &["cannot read the grading manifest", "cargo xtask manifest"],
        );
    assert_eq!(
        fs::read_to_string(copy.join("exercises/00_m/04_todo/src/lib.rs")).unwrap(),
        mine
    );
}

#[test]
fn a_course_without_solutions_says_so() {
    let (fixture, _lock) = fixture();
    let copy = fixture.copy("template");
    fs::remove_dir_all(copy.join("solutions")).unwrap();
    fixture.run(&copy, &["solution", "ok"], &[]).expect(
        2,
        &[
            "this copy of the course has no reference solutions",
            "classroom template",
        ],
    );
}

/// The instructors' commands under the same conditions: grade (every format), export,
/// regrade and manifest, with no terminal, NO_COLOR and a width of 0, on a course with
/// a broken kata and a hanging one, an unknown name and a corrupted progress file.
#[test]
fn the_instructors_commands_keep_their_heads_too() {
    let (fixture, _lock) = fixture();
    fs::create_dir_all(fixture.path(".awaitlings")).unwrap();
    fs::write(fixture.path(".awaitlings/progress"), garbage()).unwrap();
    let results = fixture.scratch.join("results.json");
    let template = fixture.scratch.join("template");
    let _ = fs::remove_dir_all(&fixture.scratch);
    for env in [&[][..], &[("NO_COLOR", "1")], &[("COLUMNS", "0")]] {
        let run = |args: &[&str]| fixture.run(&fixture.course, args, env);
        let table = run(&["grade", "--timeout", "1"]);
        table.expect(
            1,
            &[
                "00_m/01_ok            1/1         1.00 / 1",
                "00_m/02_broken        0/1         0.00 / 1",
                "00_m/03_hangs         0/1         0.00 / 1",
                "total                 1/4         1.00 / 4",
            ],
        );
        let path = results.to_str().unwrap();
        run(&[
            "grade",
            "broken",
            "hangs",
            "--timeout",
            "1",
            "--format",
            "json",
            "--output",
            path,
        ])
        .expect(1, &["wrote"]);
        let json = fs::read_to_string(&results).unwrap();
        for needle in ["does not compile", "timed out after 1.0 s", "\"points\":0"] {
            assert!(json.contains(needle), "{needle} in {json}");
        }
        assert!(!json.contains('\u{1b}'), "no colour in results: {json}");
        run(&["grade", "ok", "--format", "classroom"])
            .expect(0, &["$GITHUB_OUTPUT is unset", "result="]);
        run(&["grade", "--format", "classroom"]).expect(2, &["grades one kata"]);
        run(&["grade", "nope"]).expect(2, &["there is no kata named `nope`"]);
        run(&["grade", "brokn"]).expect(2, &["Did you mean: broken"]);

        let _ = fs::remove_dir_all(&template);
        run(&["export", "--student", template.to_str().unwrap()])
            .expect(0, &["wrote a classroom template", "4 katas in 1 module"]);
        assert!(!template.join("solutions").exists());
        run(&["export", "--student", template.to_str().unwrap()])
            .expect(2, &["is not empty", "overwrites nothing"]);
        run(&["export", "--student", "elsewhere", "--modules", "9"])
            .expect(2, &["there is no module `9`", "00_m"]);

        let book = fixture.scratch.join("gradebook.csv");
        run(&[
            "regrade",
            template.to_str().unwrap(),
            "--gradebook",
            book.to_str().unwrap(),
            "--timeout",
            "1",
        ])
        .expect(0, &["template: 1.00 / 4", "wrote"]);
        let gradebook = fs::read_to_string(&book).unwrap();
        // A template that is no repository yet is said so, and graded all the same; the
        // test that hangs is named as timed out, on its kata's row and on the total.
        assert!(
            gradebook.contains(
                "template,total,1.00,4,1,4,.git (missing: not a git repository (graded all the same)),\
                 ,,00_m/03_hangs t01_wait_returns,,\n"
            ),
            "{gradebook}"
        );
        assert!(
            gradebook.contains(
                "template,00_m/03_hangs,0.00,1,0,1,.git (missing: not a git repository \
                 (graded all the same)),,,t01_wait_returns,,\n"
            ),
            "{gradebook}"
        );
        run(&["regrade", fixture.scratch.join("missing").to_str().unwrap()])
            .expect(2, &["is not a folder"]);
        run(&["manifest"]).expect(0, &["wrote grading-manifest.txt"]);
    }
}

/// A symbolic link in `src/` is one file of the learner's: reset never reaches through
/// it out of the course (a link to a folder is refused before anything changes; a link
/// to a file is backed up by content and removed as a link).
#[cfg(unix)]
#[test]
fn reset_never_reaches_through_a_link_out_of_the_course() {
    let (fixture, _lock) = fixture();
    let outside = fixture.scratch.join("outside");
    let _ = fs::remove_dir_all(&outside);
    fs::create_dir_all(outside.join("empty")).unwrap();
    fs::write(outside.join("keep.rs"), "// not the course's\n").unwrap();
    let src = fixture.path("exercises/00_m/04_todo/src");
    std::os::unix::fs::symlink(&outside, src.join("linked_dir")).unwrap();
    run(fixture, &["reset", "todo", "--yes"]).expect(2, &["Nothing was changed."]);
    assert!(outside.join("keep.rs").exists() && outside.join("empty").is_dir());
    assert!(
        src.join("linked_dir").exists(),
        "refused: the link is still there"
    );

    fs::remove_file(src.join("linked_dir")).unwrap();
    std::os::unix::fs::symlink(outside.join("keep.rs"), src.join("linked.rs")).unwrap();
    run(fixture, &["reset", "todo", "--yes"]).expect(0, &["1 file of yours removed"]);
    assert!(!src.join("linked.rs").exists(), "the link is gone");
    assert_eq!(
        fs::read_to_string(outside.join("keep.rs")).unwrap(),
        "// not the course's\n",
        "what it pointed at is untouched"
    );
}

/// The processes whose command line holds `needle`, with their state letter (`S`
/// sleeping, `T` stopped), from /proc.
#[cfg(target_os = "linux")]
fn processes(needle: &str) -> Vec<(u32, char)> {
    let mut found = Vec::new();
    for entry in fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let cmdline = fs::read(entry.path().join("cmdline")).unwrap_or_default();
        let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
        if !cmdline.contains(needle) {
            continue;
        }
        let stat = fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
        // `pid (comm) S …`: the state follows the last ')'.
        let state = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.trim_start().chars().next())
            .unwrap_or('?');
        if state != 'Z' {
            found.push((pid, state));
        }
    }
    found
}

/// Polls `ready` every 20 ms for up to 20 s.
#[cfg(target_os = "linux")]
fn eventually(what: &str, mut ready: impl FnMut() -> bool) {
    let started = std::time::Instant::now();
    while !ready() {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "{what}: not after 20 s"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// A test that starts a process which leaves its group (`setsid`, or a group of its
/// own) and keeps the output open: the verdict comes within the leak timeout, says what happened, and the
/// escaped process is stopped.
#[cfg(target_os = "linux")]
#[test]
fn a_process_that_escapes_the_group_cannot_hold_the_verdict() {
    let (fixture, _lock) = fixture();
    fixture.write(
        "exercises/00_m/03_hangs/src/lib.rs",
        // A group of its own, set before `spawn` returns (as `setsid` does, but with no
        // window in which the process is still in the test's group).
        "/// Returns at once.\npub fn wait() {\n    use std::os::unix::process::CommandExt;\n    \
         std::process::Command::new(\"sleep\")\n        .arg(\"613\")\n        .process_group(0)\n        \
         .spawn()\n        .unwrap();\n}\n",
    );
    let run = run(fixture, &["check", "hangs", "--timeout", "30"]);
    run.expect(
        1,
        &[
            "the test ended, but left something running",
            "it was stopped",
            // Found by the pipe it holds and by its marker: counted once.
            "[1 process that the test left running stopped]",
        ],
    );
    assert!(
        run.elapsed < std::time::Duration::from_secs(15),
        "the leak does not hold the verdict: {:?}",
        run.elapsed
    );
    eventually("the escaped sleep is stopped", || {
        processes("sleep 613").is_empty()
    });
}

/// A test that starts processes which leave its group and hold no pipe (`setsid` with
/// its output sent elsewhere, and a double fork): they are found by the marker in the
/// environment they inherited, stopped, and the verdict says so.
#[cfg(target_os = "linux")]
#[test]
fn a_process_that_escapes_the_group_and_holds_no_pipe_is_stopped() {
    /// Kills what a failed run leaves behind, so that a failure costs no stray sleeps.
    struct Sweep;
    impl Drop for Sweep {
        fn drop(&mut self) {
            for (pid, _) in processes("sleep 623")
                .into_iter()
                .chain(processes("sleep 624"))
            {
                let _ = std::process::Command::new("kill")
                    .args(["-KILL", &pid.to_string()])
                    .status();
            }
        }
    }
    let _sweep = Sweep;
    let (fixture, _lock) = fixture();
    fixture.write(
        "exercises/00_m/03_hangs/src/lib.rs",
        r#"/// Returns at once.
pub fn wait() {
    use std::process::{Command, Stdio};
    let child = Command::new("setsid")
        .args(["sleep", "623"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    running(child.id(), "sleep\0623\0");
    // A double fork: `sh` starts `sleep` in the background, says its pid and exits.
    let output = Command::new("setsid")
        .args(["sh", "-c", "sleep 624 </dev/null >/dev/null 2>&1 & echo $!"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .unwrap();
    let pid = String::from_utf8(output.stdout).unwrap().trim().parse().unwrap();
    running(pid, "sleep\0624\0");
}

/// Waits until `pid` runs `cmdline`: past `setsid`'s exec, so out of the test's group
/// (the group kill does not race the escape).
fn running(pid: u32, cmdline: &str) {
    while std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default() != cmdline.as_bytes() {
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}
"#,
    );
    let run = run(fixture, &["check", "hangs", "--timeout", "30"]);
    run.expect(
        1,
        &[
            "the test ended, but left something running",
            "[2 processes that the test left running stopped]",
            "0 of 1 test pass.",
        ],
    );
    eventually("the escaped sleeps are stopped", || {
        processes("sleep 623").is_empty() && processes("sleep 624").is_empty()
    });
}

/// `kill -9` of the runner takes its running test with it (a parent-death signal).
#[cfg(target_os = "linux")]
#[test]
fn a_killed_runner_leaves_no_test_running() {
    let (fixture, _lock) = fixture();
    fixture.write(
        "exercises/00_m/03_hangs/src/lib.rs",
        "/// Returns at once.\npub fn wait() {\n    std::thread::sleep(std::time::Duration::from_secs(617));\n}\n",
    );
    let mut runner = fixture
        .command(&["check", "hangs", "--timeout", "60"])
        .spawn()
        .unwrap();
    eventually("the test starts", || {
        !processes("t01_wait_returns").is_empty()
    });
    runner.kill().unwrap();
    runner.wait().unwrap();
    eventually("the test dies with the runner", || {
        processes("t01_wait_returns").is_empty()
    });
}

/// Ctrl-Z (SIGTSTP to the runner) stops the running test too, and `fg` (SIGCONT)
/// continues both.
#[cfg(target_os = "linux")]
#[test]
fn ctrl_z_stops_the_test_with_the_runner() {
    let (fixture, _lock) = fixture();
    fixture.write(
        "exercises/00_m/03_hangs/src/lib.rs",
        "/// Returns at once.\npub fn wait() {\n    std::thread::sleep(std::time::Duration::from_secs(619));\n}\n",
    );
    let mut runner = fixture
        .command(&["check", "hangs", "--timeout", "60"])
        .spawn()
        .unwrap();
    let pid = runner.id().to_string();
    eventually("the test starts", || {
        !processes("t01_wait_returns").is_empty()
    });
    let signal = |name: &str| {
        let status = std::process::Command::new("kill")
            .args([&format!("-{name}"), &pid])
            .status()
            .unwrap();
        assert!(status.success());
    };
    signal("TSTP");
    eventually("the test is stopped", || {
        processes("t01_wait_returns")
            .iter()
            .all(|(_, state)| *state == 'T')
    });
    signal("CONT");
    eventually("the test runs again", || {
        processes("t01_wait_returns")
            .iter()
            .all(|(_, state)| *state != 'T')
    });
    runner.kill().unwrap();
    runner.wait().unwrap();
    eventually("nothing is left", || {
        processes("t01_wait_returns").is_empty()
    });
}

/// A build script that hangs does not hang the runner: a build that makes no progress
/// for the stall limit is stopped, with a verdict that says so.
#[test]
fn a_build_script_that_hangs_is_stopped() {
    let (fixture, _lock) = fixture();
    fixture.write(
        "exercises/00_m/01_ok/build.rs",
        "fn main() {\n    std::thread::sleep(std::time::Duration::from_secs(611));\n}\n",
    );
    let run = fixture.run(
        &fixture.course,
        &["check", "ok"],
        &[("AWAITLINGS_BUILD_STALL", "3")],
    );
    run.expect(2, &["the build made no progress for 3.0 s", "build.rs"]);
    assert!(
        run.elapsed < std::time::Duration::from_secs(60),
        "stopped at the limit: {:?}",
        run.elapsed
    );
    #[cfg(target_os = "linux")]
    eventually("the build script is stopped", || {
        processes("build-script-build").is_empty()
    });
}

/// `next KATA` works on that kata, skipping those before it; list marks it current;
/// once it passes, the skipped ones come back.
#[test]
fn a_learner_chooses_what_to_work_on() {
    let (fixture, _lock) = fixture();
    run(fixture, &["next", "todo"]).expect(1, &["kata 4 of 4", "00_m/04_todo"]);
    run(fixture, &["list"]).expect(0, &["▶ current      04_todo"]);
    run(fixture, &["next"]).expect(1, &["kata 4 of 4"]);
    fixture.solve("04_todo");
    // The chosen kata passes; then the course goes on from the top: 02_broken is back.
    run(fixture, &["next", "--timeout", "1"]).expect(
        1,
        &["✓ 00_m/04_todo passes", "kata 2 of 4", "00_m/02_broken"],
    );
}

/// After the chosen kata passes, the learner stays where the round took them: a later
/// plain `next` goes on there, not back at the first kata that does not pass.
#[test]
fn a_chosen_kata_that_passes_moves_the_learner_on_not_back() {
    let (fixture, _lock) = fixture();
    run(fixture, &["next", "hangs", "--timeout", "1"])
        .expect(1, &["kata 3 of 4", "00_m/03_hangs", HANGS]);
    fixture.solve("03_hangs");
    run(fixture, &["next"]).expect(
        1,
        &["✓ 00_m/03_hangs passes", "kata 4 of 4", "00_m/04_todo"],
    );
    // 02_broken still does not compile; the learner is on 04_todo, and stays there.
    let again = run(fixture, &["next"]);
    again.expect(1, &["kata 4 of 4", "00_m/04_todo"]);
    assert!(!again.stdout.contains("02_broken"), "{}", again.stdout);
    run(fixture, &["list"]).expect(0, &["▶ current      04_todo", "· not run yet  02_broken"]);
    // Once it passes, the skipped kata comes back.
    fixture.solve("04_todo");
    run(fixture, &["next"]).expect(1, &["✓ 00_m/04_todo passes", "kata 2 of 4"]);
}

#[test]
fn next_with_nothing_changed_needs_no_build() {
    let (fixture, _lock) = fixture();
    let first = run(fixture, &["next", "--timeout", "1"]);
    first.expect(1, &["kata 2 of 4", BROKEN, "mismatched types"]);
    // No cargo to start: asked again with nothing changed, the verdict comes anyway,
    // the same to the byte (01_ok passed and is not shown again).
    let no_cargo = [("CARGO", "/nonexistent/cargo")];
    let again = fixture.run(&fixture.course, &["next", "--timeout", "1"], &no_cargo);
    again.expect(1, &["kata 2 of 4", BROKEN]);
    assert!(
        first.stdout.ends_with(&again.stdout),
        "first:\n{}\nagain:\n{}",
        first.stdout,
        again.stdout
    );
    // Another time limit is another question: it is run again (and needs cargo).
    fixture
        .run(&fixture.course, &["next", "--timeout", "2"], &no_cargo)
        .expect(2, &["could not start cargo"]);
    // And another width: the tests draw their timelines as wide as COLUMNS.
    fixture
        .run(
            &fixture.course,
            &["next", "--timeout", "1"],
            &[("CARGO", "/nonexistent/cargo"), ("COLUMNS", "57")],
        )
        .expect(2, &["could not start cargo"]);
    // So is an edit, even one that changes nothing the compiler sees.
    fixture.write(
        "exercises/00_m/02_broken/src/lib.rs",
        "/// The answer.\npub fn answer() -> u32 {\n    \"not a number\"\n}\n// edited\n",
    );
    fixture
        .run(&fixture.course, &["next", "--timeout", "1"], &no_cargo)
        .expect(2, &["could not start cargo"]);
}

/// The incremental caches of crates named `crate_name` in the fixture's target dir (the
/// exercise's, the solution's and the wrong answers' share the name), newest first.
fn incremental(fixture: &Fixture, crate_name: &str) -> Vec<String> {
    let mut found: Vec<(std::time::SystemTime, String)> =
        fs::read_dir(fixture.target.join("debug/incremental"))
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|entry| {
                let name = entry.file_name().into_string().ok()?;
                let ours = name
                    .strip_prefix(crate_name)
                    .is_some_and(|rest| rest.starts_with('-'));
                ours.then_some((entry.metadata().ok()?.modified().ok()?, name))
            })
            .collect();
    found.sort();
    found.into_iter().rev().map(|(_, name)| name).collect()
}

#[test]
fn a_kata_that_passes_leaves_no_incremental_cache_behind() {
    let (fixture, _lock) = fixture();
    run(fixture, &["next", "todo"]).expect(1, &["00_m/04_todo"]);
    let before = incremental(fixture, "todo");
    let exercise = before.first().expect("the build just made one").clone();
    fixture.solve("04_todo");
    run(fixture, &["next", "--timeout", "1"]).expect(1, &["✓ 00_m/04_todo passes"]);
    let after = incremental(fixture, "todo");
    assert!(
        !after.contains(&exercise),
        "the kata that passed keeps no cache: {exercise} in {after:?}"
    );
    assert_eq!(after.len(), before.len() - 1, "the others' caches stay");
}

/// `cargo xtask grade …` runs `xtask-staff` through cargo with the same command line (so
/// cargo builds it the first time), in the runner's place: its output and exit code are
/// the command's. A bad option is refused before cargo starts.
#[cfg(unix)]
#[test]
fn hands_the_staffs_commands_to_their_binary() {
    let (fixture, _guard) = fixture();
    let fake = fixture.scratch.join("fake-cargo");
    fs::create_dir_all(&fixture.scratch).unwrap();
    fs::write(&fake, "#!/bin/sh\necho \"cargo: $*\"\nexit 7\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&fake, fs::Permissions::from_mode(0o755)).unwrap();
    let cargo = fake.to_str().unwrap();
    // The staff's own package: cargo builds only what it needs, never on a learner's
    // first command.
    let manifest = fixture.course.join("xtask/staff/Cargo.toml");
    let runner = env!("CARGO_BIN_EXE_xtask");
    let run = fixture.run_binary(
        runner,
        &fixture.course,
        &["grade", "--format", "json", "hello"],
        &[("CARGO", cargo)],
    );
    let expected = format!(
        "cargo: run --quiet --manifest-path {} -- grade --format json hello",
        manifest.display()
    );
    assert_eq!(run.code, Some(7), "{}", run.output());
    assert_eq!(run.stdout.trim(), expected);
    let refused = fixture.run(
        &fixture.course,
        &["grade", "--frmat", "json"],
        &[("CARGO", cargo)],
    );
    refused.expect(2, &["error:", "--frmat"]);
    assert!(
        !refused.output().contains("cargo: "),
        "{}",
        refused.output()
    );
}

/// A kata folder cargo cannot load (a broken `Cargo.toml`, a copy of a kata, an empty
/// folder) stops no command: each is named with its repair, every other kata builds and
/// runs without it, and `reset` repairs a kata whose manifest the learner broke.
#[test]
fn a_broken_kata_folder_is_named_and_the_others_still_run() {
    let (fixture, _guard) = fixture();
    let manifest = "exercises/00_m/03_hangs/Cargo.toml";
    fixture.write(manifest, &(fixture.read(manifest) + "garbage[\n"));
    fs::create_dir_all(fixture.path("exercises/99_x/01_empty")).unwrap();
    // A copy that sorts before the kata it copies: still the copy that is left out.
    fixture::copy_tree(
        &fixture.path("exercises/00_m/01_ok"),
        &fixture.path("exercises/00_m/00_copy"),
    );
    // An author's folder: the learner's exercise still runs without it.
    let solution = "solutions/00_m/04_todo/Cargo.toml";
    fixture.write(solution, &(fixture.read(solution) + "garbage[\n"));
    run(fixture, &["check", "ok"]).expect(
        0,
        &[
            "1 of 1 test pass.",
            "warning: 00_m/03_hangs was left out: cargo cannot load it.",
            "Cargo.toml:",
            "`cargo xtask reset 00_m/03_hangs` restores the kata's files",
            "exercises/00_m/00_copy/Cargo.toml names its package `ok`",
            "A course author's folder: `git checkout -- solutions/00_m/04_todo` restores it.",
            "exercises/99_x/01_empty has no Cargo.toml",
            "The course has no kata there: move the folder out of the course.",
        ],
    );
    // The broken kata itself: what is wrong, and the repair.
    run(fixture, &["check", "hangs"]).expect(
        2,
        &[
            "garbage",
            "`cargo xtask reset 00_m/03_hangs` restores the kata's files",
        ],
    );
    run(fixture, &["check", "todo"]).expect(1, &["not yet implemented", "0 of 1 test pass."]);
    run(fixture, &["list"]).expect(0, &["01_ok", "04_todo"]);
    fs::remove_dir_all(fixture.path("exercises/99_x")).unwrap();
    fs::remove_dir_all(fixture.path("exercises/00_m/00_copy")).unwrap();
    fixture.write(solution, &fixture.read(solution).replace("garbage[\n", ""));
    run(fixture, &["reset", "hangs", "--yes"]).expect(0, &["1 file restored"]);
    assert!(!fixture.read(manifest).contains("garbage"));
    let backups = fixture.path(".awaitlings/backups");
    let backup = fs::read_dir(&backups)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let kept = fs::read_to_string(backup.join(manifest)).unwrap();
    assert!(
        kept.contains("garbage"),
        "the broken manifest is backed up: {kept}"
    );
    let again = run(fixture, &["check", "ok"]);
    again.expect(0, &["1 of 1 test pass."]);
    assert!(!again.output().contains("left out"), "{}", again.output());
}

/// `cargo xtask` itself, through cargo: the runner's own workspace starts from the
/// course's root whatever state a kata's manifest is in (cargo reads no kata's manifest
/// to build it), and from a kata's folder the relay starts it there. Real cargo builds
/// the real runner here, in a copy of the fixture course (a cold build the first time).
#[test]
fn cargo_xtask_starts_whatever_state_a_kata_is_in() {
    let (fixture, _guard) = fixture();
    let course = fixture.copy("alias");
    let real = Path::new(env!("CARGO_MANIFEST_DIR"));
    for part in [
        "Cargo.toml",
        "Cargo.lock",
        "src",
        "model",
        "staff",
        "relay",
        ".cargo",
    ] {
        let from = real.join(part);
        let to = course.join("xtask").join(part);
        if from.is_dir() {
            fixture::copy_tree(&from, &to);
        } else {
            fs::copy(&from, &to).unwrap();
        }
    }
    for config in [".cargo/config.toml", "exercises/.cargo/config.toml"] {
        fs::create_dir_all(course.join(config).parent().unwrap()).unwrap();
        fs::copy(real.join("..").join(config), course.join(config)).unwrap();
    }
    let root = fs::read_to_string(course.join("Cargo.toml")).unwrap();
    let root = root.replace(
        "members = [\"exercises/*/*\", \"solutions/*/*\"]",
        "members = [\"exercises/*/*\", \"solutions/*/*\", \"xtask/relay\"]\nexclude = [\"xtask\"]",
    );
    fs::write(course.join("Cargo.toml"), root).unwrap();
    let cargo = |dir: &Path, args: &[&str]| {
        let mut command = std::process::Command::new(env!("CARGO"));
        command
            .arg("xtask")
            .args(args)
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", &fixture.target)
            .env("NO_COLOR", "1")
            .env_remove("CARGO_MANIFEST_DIR")
            .stdin(std::process::Stdio::null());
        fixture::bounded(command)
    };
    let manifest = course.join("exercises/00_m/03_hangs/Cargo.toml");
    let shipped = fs::read_to_string(&manifest).unwrap();
    fs::write(&manifest, shipped.clone() + "garbage[\n").unwrap();
    cargo(&course, &["check", "ok"]).expect(
        0,
        &["1 of 1 test pass.", "warning: 00_m/03_hangs was left out"],
    );
    fs::write(&manifest, shipped).unwrap();
    cargo(&course.join("exercises/00_m/01_ok/src"), &["check"]).expect(0, &["1 of 1 test pass."]);
}

/// The runner recognises a classic mistake: `cargo xtask manifest` records each wrong
/// answer's signature (`mistakes-manifest.txt`), and `hint` names the one a learner's
/// code behaves like, only when exactly one matches and the code is complete.
const CLASSIC: &str = "your code behaves like a classic mistake";

#[test]
fn hint_names_the_mistake_a_fixture_makes_and_none_for_the_stub_or_the_solution() {
    let (fixture, _guard) = fixture();
    let manifest = fixture.read("mistakes-manifest.txt");
    assert!(
        manifest.contains(
            "mistake 00_m/04_todo wrong_3 refuses small numbers instead of doubling them.\n\
             fails 00_m/04_todo wrong_3 t01_double failed: too small to double\n"
        ),
        "{manifest}"
    );
    let hint = || fixture.run(&fixture.course, &["hint", "todo"], &[]);
    let todo = fixture::KATAS
        .iter()
        .find(|k| k.folder == "04_todo")
        .unwrap();
    let code = "exercises/00_m/04_todo/src/lib.rs";

    // The stub stops at a `todo!()`: incomplete, never a mistake.
    let run = hint();
    run.expect(0, &["Hint 1 of 2"]);
    assert!(!run.output().contains(CLASSIC), "{}", run.output());

    // A fixture's code, whose failure no other fixture shares: named, then the hints.
    fixture.write(code, todo.wrong[3]);
    let run = hint();
    run.expect(
        0,
        &[
            "your code behaves like a classic mistake: refuses small numbers instead of \
             doubling them.",
            "Hint 2 of 2",
        ],
    );
    let output = run.output();
    assert!(
        output.find(CLASSIC) < output.find("hints for"),
        "the mistake comes first:\n{output}"
    );

    // Fixtures that fail alike (the same test, the same message): none is named.
    fixture.write(code, todo.wrong[0]);
    let run = hint();
    run.expect(0, &["Hint 2 of 2"]);
    assert!(!run.output().contains(CLASSIC), "{}", run.output());

    // The solution passes: nothing to recognise.
    fixture.solve("04_todo");
    let run = hint();
    run.expect(0, &["Hint 2 of 2"]);
    assert!(!run.output().contains(CLASSIC), "{}", run.output());

    // A kata that does not compile is never recognised either.
    let run = fixture.run(&fixture.course, &["hint", "broken"], &[]);
    run.expect(0, &["Hint 1 of 2"]);
    assert!(!run.output().contains(CLASSIC), "{}", run.output());
}
