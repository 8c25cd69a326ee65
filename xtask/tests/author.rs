//! The kata author's loop on the fixture course (`fixture/mod.rs`): `cargo xtask new`
//! writes a kata that `verify` reports with only the author's remaining work listed,
//! and that passes once that work is done; its refusals; `--renumber` (with `git mv`);
//! removing the new kata leaves the course as it was. Every command runs under the
//! fixture's watchdog.

#[allow(dead_code)] // the fixture serves robustness.rs too: not every helper is used here
mod fixture;
mod staff;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use fixture::{Fixture, Run, fixture};

const README: &str = "# The fixture course\n\n## The course\n\n| module | what it teaches |\n\
                      |---|---|\n| `00_m` | the fixture's katas |\n\nThe end.\n";

/// A copy of the course, with a README course table, in a git repository of its own.
fn course_in_git(fixture: &Fixture, name: &str) -> PathBuf {
    let copy = fixture.copy(name);
    fs::write(copy.join("README.md"), README).unwrap();
    fixture::git(&copy, &["init", "--quiet"]);
    fixture::git(&copy, &["add", "--all"]);
    fixture::git(&copy, &["commit", "--quiet", "--message", "the course"]);
    copy
}

fn git(dir: &Path, args: &[&str]) -> Run {
    let mut command = Command::new("git");
    command.arg("-C").arg(dir).args(args);
    let run = fixture::bounded(command);
    assert_eq!(run.code, Some(0), "git {args:?}: {}", run.output());
    run
}

/// The problems `verify` lists under the kata's `✗` line.
fn problems(run: &Run, id: &str) -> Vec<String> {
    run.stdout
        .lines()
        .skip_while(|line| !line.ends_with(&format!("✗ {id}")))
        .skip(1)
        .take_while(|line| line.starts_with("    "))
        .map(|line| line.trim().to_string())
        .collect()
}

#[test]
fn a_new_kata_lists_only_the_authors_work_then_passes_then_goes_without_a_trace() {
    let (fixture, _lock) = fixture();
    let course = course_in_git(fixture, "author-new");
    let run = |args: &[&str]| fixture.run(&course, args, &[]);
    run(&["new", "99_scratch/01_probe"]).expect(
        0,
        &[
            "✓ wrote 99_scratch/01_probe: kata `probe`, 10 points",
            "README.md: a row for module 99_scratch in the course table",
            "wrote grading-manifest.txt",
            "cargo xtask verify probe",
        ],
    );
    let exercise = course.join("exercises/99_scratch/01_probe");
    let solution = course.join("solutions/99_scratch/01_probe");
    for file in [
        "Cargo.toml",
        "README.md",
        "hints.md",
        "src/lib.rs",
        "tests/kata.rs",
    ] {
        assert!(exercise.join(file).is_file(), "{file}");
    }
    for file in ["Cargo.toml", "src/lib.rs", "wrong/example.patch"] {
        assert!(solution.join(file).is_file(), "{file}");
    }
    let lesson = fs::read_to_string(exercise.join("README.md")).unwrap();
    assert!(lesson.starts_with("# 99.01 — Probe\n"), "{lesson}");
    assert!(lesson.contains("\n## Your task\n"), "{lesson}");
    let stub = fs::read_to_string(exercise.join("src/lib.rs")).unwrap();
    assert_eq!(stub.matches("todo!(").count(), 1, "{stub}");
    assert!(
        fs::read_to_string(exercise.join("Cargo.toml"))
            .unwrap()
            .contains("points = 10"),
    );
    let manifest = fs::read_to_string(course.join("grading-manifest.txt")).unwrap();
    assert!(
        manifest.contains("kata 99_scratch/01_probe 10\ntest 99_scratch/01_probe kata t01_"),
        "{manifest}"
    );
    assert!(
        !course.join(".awaitlings/new").exists(),
        "no staging folder left"
    );

    // verify: every problem is the author's remaining work, and nothing else.
    let verify = run(&["verify", "probe"]);
    verify.expect(
        1,
        &[
            "still to write: exercises/99_scratch/01_probe/README.md:3: the concept",
            "still to write: exercises/99_scratch/01_probe/hints.md:",
            "still to write: exercises/99_scratch/01_probe/tests/kata.rs:",
            "still to write: solutions/99_scratch/01_probe/src/lib.rs:",
            "still to write: solutions/99_scratch/01_probe/wrong/example.patch:1:",
            "still to write: README.md:8: what the module teaches",
            "still to write: 3 more wrong answers in solutions/99_scratch/01_probe/wrong/",
            "wrong answers rejected, each twice with the same verdict: 1",
            "verify: 0 passed, 1 failed",
        ],
    );
    let listed = problems(&verify, "99_scratch/01_probe");
    assert!(listed.len() > 5, "{}", verify.stdout);
    for problem in &listed {
        assert!(
            problem.starts_with("still to write:"),
            "{problem}\n{}",
            verify.stdout
        );
    }

    // The example wrong answer is a patch: the mistake, then the diff.
    let example = fs::read_to_string(solution.join("wrong/example.patch")).unwrap();
    assert!(
        example.starts_with("//! Wrong: TODO(author): the mistake")
            && example.contains("\n--- a/lib.rs\n+++ b/lib.rs\n@@ ")
            && example.contains("\n-    42\n+    41\n"),
        "{example}"
    );

    // The author writes what was marked, and three more wrong answers: green.
    for dir in [&exercise, &solution] {
        for path in walk(dir) {
            let text = fs::read_to_string(&path).unwrap();
            fs::write(&path, text.replace("TODO(author): ", "Written now: ")).unwrap();
        }
    }
    let readme = fs::read_to_string(course.join("README.md")).unwrap();
    fs::write(
        course.join("README.md"),
        readme.replace("TODO(author): ", "Written now: "),
    )
    .unwrap();
    let tests = fs::read_to_string(exercise.join("tests/kata.rs")).unwrap();
    let mut header = String::new();
    for (name, value) in [("zero", 0), ("one", 1), ("forty_three", 43)] {
        header += &format!("//! - `{name}` (t01): returns {value}\n");
        if name == "forty_three" {
            continue;
        }
        let wrong =
            format!("//! Wrong: returns {value}.\n\npub fn answer() -> u32 {{\n    {value}\n}}\n");
        let path = solution.join("wrong").join(name).join("lib.rs");
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, wrong).unwrap();
    }
    fs::write(
        exercise.join("tests/kata.rs"),
        tests.replacen("//!\n", &format!("{header}//!\n"), 1),
    )
    .unwrap();
    // The last one from a working copy of the solution: written, edited, stored (whole:
    // its rewrite is shorter than its patch).
    run(&["new", "--fixture", "probe", "forty_three"]).expect(
        0,
        &["wrote a working copy of new wrong answer `forty_three`: .awaitlings/fixtures/probe/forty_three/"],
    );
    let copy = course.join(".awaitlings/fixtures/probe/forty_three/lib.rs");
    let text = fs::read_to_string(&copy).unwrap();
    assert!(text.starts_with("//! Wrong: TODO(author)"), "{text}");
    let text = text
        .replace(
            "TODO(author): the mistake, in the learner's terms",
            "returns 43",
        )
        .replace("    42\n", "    43\n");
    fs::write(&copy, text).unwrap();
    run(&["new", "--fixture", "probe", "forty_three"]).expect(
        0,
        &["wrote solutions/99_scratch/01_probe/wrong/forty_three/: whole, 6 lines (a patch would be"],
    );
    assert!(
        !course.join(".awaitlings/fixtures").exists(),
        "the working copy is gone"
    );
    // A folder from elsewhere whose `#[path]` names no file from the solution's src/
    // (as a fixture's folder copied out would, one `../` deeper): refused, nothing stored.
    let elsewhere = course.join("target/far_away");
    fs::create_dir_all(&elsewhere).unwrap();
    fs::write(
        elsewhere.join("lib.rs"),
        "//! Wrong: uses a module from nowhere\n#[path = \"../nowhere.rs\"]\nmod nowhere;\n",
    )
    .unwrap();
    run(&[
        "new",
        "--fixture",
        "probe",
        "far_away",
        "--from",
        elsewhere.to_str().unwrap(),
    ])
    .expect(
        2,
        &["lib.rs:2: `#[path = \"../nowhere.rs\"]` names no file from solutions/99_scratch/01_probe/src/"],
    );
    assert!(
        !solution.join("wrong/far_away").exists()
            && !solution.join("wrong/far_away.patch").exists()
    );
    fs::remove_dir_all(&elsewhere).unwrap();
    run(&["verify", "probe"]).expect(
        0,
        &[
            "✓ 99_scratch/01_probe",
            "stub fails 1/1, solution passes 1/1",
            "4/4 wrong answers rejected, rustfmt and clippy clean",
            "verify: 1 passed, 0 failed",
        ],
    );

    // The solution changes the very line the example's patch changes: verify names the
    // fixture and the hunk, and builds the others.
    let lib = solution.join("src/lib.rs");
    let written = fs::read_to_string(&lib).unwrap();
    fs::write(&lib, written.replace("    42\n", "    40 + 2\n")).unwrap();
    run(&["verify", "probe"]).expect(
        1,
        &[
            "✗ 99_scratch/01_probe",
            "wrong answer `example` (solutions/99_scratch/01_probe/wrong/example.patch) no \
             longer applies to the solution: hunk 1 of src/lib.rs (`@@ -3,4 +3,4 @@`, line 5 \
             of the patch) does not apply",
            "`cargo xtask new --fixture probe example` writes",
            "wrong answers rejected, each twice with the same verdict: 3",
        ],
    );
    fs::write(&lib, written).unwrap();

    // Taken back as `new` says: the course is as it was.
    fs::remove_dir_all(&exercise).unwrap();
    fs::remove_dir_all(&solution).unwrap();
    let readme = fs::read_to_string(course.join("README.md")).unwrap();
    let without: String = readme
        .lines()
        .filter(|line| !line.contains("`99_scratch`"))
        .map(|line| format!("{line}\n"))
        .collect();
    fs::write(course.join("README.md"), without).unwrap();
    run(&["manifest"]).expect(0, &["wrote grading-manifest.txt"]);
    let status = git(&course, &["status", "--porcelain", "--untracked-files=all"]);
    assert_eq!(status.stdout, "", "the course is as it was");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).unwrap().filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            found.extend(walk(&path));
        } else {
            found.push(path);
        }
    }
    found
}

#[test]
fn new_refuses_what_would_break_the_course_and_changes_nothing() {
    let (fixture, _lock) = fixture();
    let run = |args: &[&str]| fixture.run(&fixture.course, args, &[]);
    run(&["new", "00_m/ok"]).expect(
        2,
        &["the course has a kata named `ok` already (00_m/01_ok)"],
    );
    run(&["new", "00/07_todo"]).expect(2, &["a kata named `todo` already"]);
    run(&["new", "00_m/ok_solution"]).expect(2, &["`_solution`"]);
    run(&["new", "00_m/Bad-Name"]).expect(
        2,
        &[
            "`Bad-Name` is not a kata name",
            "lowercase snake_case, such as `bad_name`",
        ],
    );
    run(&["new", "00_m/async"]).expect(2, &["is a Rust keyword"]);
    run(&["new", "00_m/2fast"]).expect(2, &["must start with a letter"]);
    run(&["new", "00_m/02_fresh"]).expect(
        2,
        &[
            "00_m/02 is taken by 02_broken",
            "the next free number is 05 (`cargo xtask new 00_m/05_fresh`)",
            "--renumber",
        ],
    );
    for malformed in ["probe", "00_m/", "/probe", "00_m/01", "a/b/c"] {
        run(&["new", malformed]).expect(2, &["MODULE/KATA"]);
    }
    run(&["new"]).expect(2, &["`new` takes MODULE/KATA", "usage: cargo xtask"]);
    run(&["new", "00/a", "00/b"]).expect(2, &["unexpected `00/b`"]);
    run(&["new", "07/probe"]).expect(2, &["there is no module 07", "`07_topic/KATA`"]);
    run(&["new", "00_other/probe"]).expect(2, &["module number 00 is taken by 00_m"]);
    fs::create_dir_all(fixture.path("exercises/05_a")).unwrap();
    fs::create_dir_all(fixture.path("exercises/05_b")).unwrap();
    run(&["new", "05/probe"]).expect(2, &["module 05 is ambiguous: 05_a, 05_b"]);
    let status = git(
        &fixture.course,
        &["status", "--porcelain", "--untracked-files=all"],
    );
    assert_eq!(status.stdout, "", "nothing was written");
}

#[test]
fn renumber_moves_the_later_katas_with_git_and_they_still_verify() {
    let (fixture, _lock) = fixture();
    let course = course_in_git(fixture, "author-renumber");
    let run = |args: &[&str]| fixture.run(&course, args, &[]);
    run(&["new", "00/02_fresh", "--renumber"]).expect(
        0,
        &[
            "✓ wrote 00_m/02_fresh",
            "moved 00_m/04_todo to 00_m/05_todo (git mv)",
            "moved 00_m/02_broken to 00_m/03_broken (git mv)",
        ],
    );
    let folders = |side: &str| -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(course.join(side).join("00_m"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    };
    let expected = ["01_ok", "02_fresh", "03_broken", "04_hangs", "05_todo"];
    assert_eq!(folders("exercises"), expected);
    assert_eq!(folders("solutions"), expected);
    let solution = fs::read_to_string(course.join("solutions/00_m/05_todo/Cargo.toml")).unwrap();
    assert!(
        solution.contains("path = \"../../../exercises/00_m/05_todo/tests/kata.rs\""),
        "{solution}"
    );
    let lesson = fs::read_to_string(course.join("exercises/00_m/05_todo/README.md")).unwrap();
    assert!(lesson.starts_with("# 00.05 — todo\n"), "{lesson}");
    // git saw moves, not a deletion and a stranger.
    git(&course, &["add", "--all"]);
    let status = git(&course, &["status", "--porcelain"]);
    assert!(
        status
            .stdout
            .contains("R  exercises/00_m/04_todo/src/lib.rs -> exercises/00_m/05_todo/src/lib.rs"),
        "{}",
        status.stdout
    );
    // The moved kata keeps the contract where it now is.
    run(&["verify", "todo"]).expect(0, &["✓ 00_m/05_todo", "verify: 1 passed, 0 failed"]);
    // Without a number, the next free one.
    run(&["new", "00_m/later"]).expect(0, &["✓ wrote 00_m/06_later"]);
}

#[test]
fn a_broken_kata_manifest_is_named_and_the_other_katas_are_still_checked() {
    let (fixture, _lock) = fixture();
    fixture.write(
        "exercises/00_m/02_broken/Cargo.toml",
        "[package]\nname = \"broken\nversion = \"0.1.0\"\n",
    );
    fs::create_dir_all(fixture.path("exercises/00_m/05_half/src")).unwrap();
    let verify = fixture.run(&fixture.course, &["verify", "todo"], &[]);
    verify.expect(
        0,
        &[
            "00_m/02_broken is broken, so the katas named were built apart",
            "cargo cannot load exercises/00_m/02_broken",
            "exercises/00_m/05_half has no Cargo.toml",
            "`exercises/*/*`",
            "✓ 00_m/04_todo",
            "rustfmt and clippy not run (cargo cannot load the workspace)",
            "verify: 1 passed, 0 failed",
        ],
    );
    // The broken kata itself, named: a failure that says what is wrong.
    fixture
        .run(&fixture.course, &["verify", "broken", "todo"], &[])
        .expect(
            1,
            &[
                "✗ 00_m/02_broken",
                "cargo cannot load exercises/00_m/02_broken:\n    error: invalid basic string",
                "exercises/00_m/02_broken/Cargo.toml:2:",
                "✓ 00_m/04_todo",
                "verify: 1 passed, 1 failed",
            ],
        );
}
