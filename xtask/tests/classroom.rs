//! Classroom grading end to end, on a real template exported from this course into a
//! temp dir: a student who solves two katas gets exactly their points in all three
//! formats; each tamper attempt is reported by file and earns nothing; `regrade` over
//! three students writes the right gradebook.
//!
//! One test, in steps, on one student tree: cargo names a workspace's crates by their
//! path inside the workspace, so trees that share a target dir must not be built in
//! parallel or from copies with old timestamps. The tree builds into its own target
//! dir under the course's `target/` (warm after the first run).

mod staff;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn course_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The students' builds' own target dir, beside the course's build (which CI puts
/// outside the course): the course's tree is compared before and after an export, and
/// the other test here builds concurrently.
fn test_target() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| course_root().join("target"), PathBuf::from)
        .join("classroom-test")
}

/// Runs the runner on the course at `root`, as `cargo xtask` would: grading is the
/// staff's, which `cargo xtask` hands to `xtask-staff` (run here directly).
fn xtask(root: &Path, args: &[&str], env: &[(&str, &Path)]) -> Output {
    let mut command = Command::new(staff::binary());
    command
        .args(args)
        .env("CARGO_MANIFEST_DIR", root.join("xtask"))
        .env("CARGO_TARGET_DIR", test_target())
        .env_remove("GITHUB_OUTPUT")
        .env("NO_COLOR", "1")
        .current_dir(root)
        .stdin(Stdio::null());
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn grade_line<'a>(text: &'a str, kata: &str) -> &'a str {
    text.lines()
        .find(|line| line.starts_with(kata))
        .unwrap_or_else(|| panic!("no row for {kata} in:\n{text}"))
}

fn edit(path: &Path, change: impl FnOnce(String) -> String) {
    let text = fs::read_to_string(path).unwrap();
    let changed = change(text.clone());
    assert_ne!(
        changed,
        text,
        "the edit of {} changed nothing",
        path.display()
    );
    fs::write(path, changed).unwrap();
}

fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let mut bytes = Vec::new();
    for chunk in text.trim().as_bytes().chunks(4) {
        let digits: Vec<u8> = chunk
            .iter()
            .filter(|&&c| c != b'=')
            .map(|&c| value(c))
            .collect();
        let n = digits
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &d)| n | u32::from(d) << (18 - 6 * i));
        bytes.extend(n.to_be_bytes()[1..digits.len()].iter());
    }
    bytes
}

/// A number from a JSON text, after `"key":`, the first time it appears after `from`.
fn number_after(json: &str, key: &str) -> f64 {
    let start = json
        .find(&format!("\"{key}\":"))
        .unwrap_or_else(|| panic!("no {key} in {json}"))
        + key.len()
        + 3;
    let end = json[start..].find([',', '}']).map(|i| start + i).unwrap();
    json[start..end].parse().unwrap()
}

fn sum_of(json: &str, key: &str) -> f64 {
    json.match_indices(&format!("\"{key}\":"))
        .map(|(at, _)| number_after(&json[at..], key))
        .sum()
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap().map(Result::unwrap) {
        if entry.file_name() == "target" {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &to.join(entry.file_name()));
        } else {
            fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

const HELLO: &str = "exercises/00_welcome/01_hello";
const COUNTDOWN: &str = "exercises/01_how_async_works/02_countdown";

/// How many tests a kata's test files hold, from their source: the counts below follow
/// the course as it grows.
fn tests_of(kata: &str) -> usize {
    fs::read_dir(course_root().join(kata).join("tests"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .map(|p| {
            fs::read_to_string(p)
                .unwrap()
                .lines()
                .filter(|l| {
                    let l = l.trim_start();
                    l.starts_with("#[test]") || l.starts_with("#[tokio::test")
                })
                .count()
        })
        .sum()
}

/// The tests of modules 00 and 01, the template's katas.
fn template_tests() -> usize {
    ["00_welcome", "01_how_async_works"]
        .iter()
        .flat_map(|module| fs::read_dir(course_root().join("exercises").join(module)).unwrap())
        .map(|e| {
            let path = e.unwrap().path();
            tests_of(path.strip_prefix(course_root()).unwrap().to_str().unwrap())
        })
        .sum()
}

fn solve(tree: &Path, kata: &str) {
    let solution = course_root().join(kata.replacen("exercises", "solutions", 1));
    fs::copy(
        solution.join("src/lib.rs"),
        tree.join(kata).join("src/lib.rs"),
    )
    .unwrap();
}

#[test]
fn a_template_is_graded_honestly_and_tampering_earns_nothing() {
    let course = course_root();
    let work = std::env::temp_dir().join(format!("awaitlings-classroom-{}", std::process::id()));
    let _ = fs::remove_dir_all(&work);
    let tree = work.join("student");
    // The course's build output is not the course.
    let top_level = || -> Vec<_> {
        fs::read_dir(&course)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .filter(|name| name != "target")
            .collect()
    };
    let top_level_before = top_level();

    // Export modules 00 and 01.
    let export = xtask(
        &course,
        &[
            "export",
            "--student",
            tree.to_str().unwrap(),
            "--modules",
            "00,1",
        ],
        &[],
    );
    assert!(
        export.status.success(),
        "export: {}",
        String::from_utf8_lossy(&export.stderr)
    );
    for present in [
        ".github/workflows/classroom.yml",
        "grading-manifest.txt",
        "README.md",
        "Cargo.lock",
        ".cargo/config.toml",
        "xtask/src/main.rs",
        "xtask/staff/main.rs",
        "xtask/staff/Cargo.toml",
        "xtask/model/src/lib.rs",
        HELLO,
        "exercises/01_how_async_works/05_join_by_hand",
    ] {
        assert!(tree.join(present).exists(), "the template has {present}");
    }
    for absent in [
        "solutions",
        ".awaitlings",
        "exercises/02_basic_patterns",
        "classroom",
    ] {
        assert!(!tree.join(absent).exists(), "the template has no {absent}");
    }
    assert_eq!(
        top_level_before,
        top_level(),
        "export leaves the course alone"
    );
    let again = xtask(
        &course,
        &["export", "--student", tree.to_str().unwrap()],
        &[],
    );
    assert!(!again.status.success(), "export never overwrites a folder");

    // The template's lock file was pruned by hand (cargo would need every locked
    // package downloaded to do it): cargo's first build must agree with it byte for byte.
    let exported_lock = fs::read(tree.join("Cargo.lock")).unwrap();
    // A student's repository, as GitHub Classroom makes it (regrade says when it is not).
    git(&tree, &["init", "-q"], None);

    let (hello, countdown) = (tests_of(HELLO), tests_of(COUNTDOWN));
    // The student solves two katas: 5 + 10 of 60 points.
    solve(&tree, HELLO);
    solve(&tree, COUNTDOWN);
    let graded = xtask(&tree, &["grade"], &[]);
    let table = stdout(&graded);
    assert_eq!(
        fs::read(tree.join("Cargo.lock")).unwrap(),
        exported_lock,
        "the first build of the template changed its pruned Cargo.lock"
    );
    assert!(
        grade_line(&table, "00_welcome/01_hello").contains(&format!("{hello}/{hello}")),
        "{table}"
    );
    assert!(
        grade_line(&table, "00_welcome/01_hello").contains("5.00 / 5"),
        "{table}"
    );
    assert!(grade_line(&table, "01_how_async_works/02_countdown").contains("10.00 / 10"));
    assert!(grade_line(&table, "00_welcome/02_runtime").contains("0.00 / 5"));
    assert!(
        grade_line(&table, "total").contains("15.00 / 60"),
        "{table}"
    );
    assert!(!table.contains("protected files differ"), "{table}");

    let results = work.join("results.json");
    let json = xtask(
        &tree,
        &[
            "grade",
            "--format",
            "json",
            "--output",
            results.to_str().unwrap(),
        ],
        &[],
    );
    assert!(stdout(&json).contains("15.00 / 60"));
    let results = fs::read_to_string(&results).unwrap();
    assert_eq!(number_after(&results, "points"), 15.0, "{results}");
    assert_eq!(number_after(&results, "max_points"), 60.0);
    assert_eq!(
        results.matches("\"status\":\"pass\"").count(),
        hello + countdown
    );
    assert_eq!(
        results.matches("\"status\":\"fail\"").count(),
        template_tests() - (hello + countdown) + 1 // + overall
    );

    let output_file = work.join("github-output");
    let mut classroom_total = 0.0;
    let mut classroom_max = 0.0;
    for kata in [
        "hello",
        "runtime",
        "lazy_futures",
        "countdown",
        "wakers",
        "block_on",
        "join_by_hand",
    ] {
        let _ = fs::remove_file(&output_file);
        xtask(
            &tree,
            &["grade", kata, "--format", "classroom"],
            &[("GITHUB_OUTPUT", &output_file)],
        );
        let line = fs::read_to_string(&output_file).unwrap();
        let encoded = line.trim().strip_prefix("result=").expect("result=BASE64");
        let result = String::from_utf8(base64_decode(encoded)).unwrap();
        classroom_total += sum_of(&result, "score");
        classroom_max += number_after(&result, "max_score");
    }
    assert_eq!((classroom_total * 100.0).round() / 100.0, 15.0);
    assert_eq!(classroom_max, 60.0);

    // Each tamper attempt is named and earns nothing; the file is put back after.
    let hello_tests = tree.join(HELLO).join("tests/kata.rs");
    let hello_manifest = tree.join(HELLO).join("Cargo.toml");
    type Attempt = (&'static str, Box<dyn Fn(String) -> String>);
    let test_file_attempts: Vec<Attempt> = vec![
        (
            "an edited assertion",
            Box::new(|t| t.replacen("assert_eq!(", "assert_ne!(", 1)),
        ),
        (
            "a deleted assertion",
            Box::new(|t| {
                let at = t.find("assert").unwrap();
                let end = at + t[at..].find(");").unwrap() + 2;
                format!("{}{}", &t[..at], &t[end..])
            }),
        ),
        (
            "#[ignore]",
            Box::new(|t| t.replacen("#[tokio::test]", "#[tokio::test]\n#[ignore]", 1)),
        ),
        (
            "a renamed test",
            Box::new(|t| t.replacen("fn t01_", "fn t01_renamed_", 1)),
        ),
        (
            "a removed test",
            Box::new(|t| t.replacen("#[tokio::test]", "", 1)),
        ),
    ];
    let manifest_attempts: Vec<Attempt> = vec![
        (
            "harness = false",
            Box::new(|t| {
                t + "\n[[test]]\nname = \"kata\"\npath = \"tests/kata.rs\"\nharness = false\n"
            }),
        ),
        (
            "autotests = false",
            Box::new(|t| t.replacen("[package]\n", "[package]\nautotests = false\n", 1)),
        ),
        (
            "test = false",
            Box::new(|t| {
                t + "\n[[test]]\nname = \"kata\"\npath = \"tests/kata.rs\"\ntest = false\n"
            }),
        ),
    ];
    for (file, attempts) in [
        (&hello_tests, test_file_attempts),
        (&hello_manifest, manifest_attempts),
    ] {
        let original = fs::read_to_string(file).unwrap();
        for (what, change) in attempts {
            edit(file, change);
            let table = stdout(&xtask(&tree, &["grade", "hello"], &[]));
            let row = grade_line(&table, "00_welcome/01_hello");
            assert!(
                row.contains("0.00 / 5") && row.contains("tampered"),
                "{what}: {table}"
            );
            let relative = file.strip_prefix(&tree).unwrap().to_str().unwrap();
            assert!(
                table.contains(&format!("{relative}  changed")),
                "{what} names the file: {table}"
            );
            fs::write(file, &original).unwrap();
        }
    }

    // `std::process::exit(0)` in the learner's code, in place of solving it: grading
    // refuses the code before it runs, and names what it found.
    let hello_lib = tree.join(HELLO).join("src/lib.rs");
    let solved = fs::read_to_string(&hello_lib).unwrap();
    fs::copy(course.join(HELLO).join("src/lib.rs"), &hello_lib).unwrap();
    edit(&hello_lib, |t| {
        t.replace("    todo!(", "    std::process::exit(0);\n    todo!(")
    });
    let exit_results = work.join("exit.json");
    let table = stdout(&xtask(
        &tree,
        &[
            "grade",
            "hello",
            "--format",
            "json",
            "--output",
            exit_results.to_str().unwrap(),
        ],
        &[],
    ));
    assert!(
        grade_line(&table, "00_welcome/01_hello").contains(&format!("0/{hello}")),
        "{table}"
    );
    assert!(
        grade_line(&table, "00_welcome/01_hello").contains("0.00 / 5"),
        "{table}"
    );
    assert!(
        grade_line(&table, "00_welcome/01_hello").contains("flagged: not graded"),
        "{table}"
    );
    assert!(
        table.contains(
            "exercises/00_welcome/01_hello/src/lib.rs:5: `std::process::exit` (ends the test \
             process, or starts others)"
        ),
        "exit(0) is named: {table}"
    );
    assert!(
        fs::read_to_string(&exit_results)
            .unwrap()
            .contains("uses what grading refuses")
    );
    fs::write(&hello_lib, &solved).unwrap();

    // An edited `xtask` alias voids every kata.
    let config = tree.join(".cargo/config.toml");
    let original = fs::read_to_string(&config).unwrap();
    edit(&config, |t| {
        t.replace(
            "run --quiet --manifest-path",
            "run --release --quiet --manifest-path",
        )
    });
    let table = stdout(&xtask(&tree, &["grade", "hello", "countdown"], &[]));
    assert!(table.contains(".cargo/config.toml  changed"), "{table}");
    assert!(grade_line(&table, "01_how_async_works/02_countdown").contains("0.00 / 10"));
    assert!(grade_line(&table, "total").contains("0.00 / 15"), "{table}");
    fs::write(&config, &original).unwrap();

    // Regrade three students: solved (hello, countdown), partly (hello), tampered (the
    // hello tests gutted so the stub passes, and the manifest edited to match).
    let class = work.join("class");
    copy_tree(&tree, &class.join("solved"));
    copy_tree(&tree, &class.join("partly"));
    fs::remove_dir_all(class.join("partly/.git")).unwrap();
    fs::copy(
        course.join(COUNTDOWN).join("src/lib.rs"),
        class.join("partly").join(COUNTDOWN).join("src/lib.rs"),
    )
    .unwrap();
    // A classic mistake: hello as its wrong answer `hard_coded_name` has it, which
    // `mistakes-manifest.txt` knows by its failures.
    copy_tree(&tree, &class.join("mistaken"));
    fs::copy(
        course.join("solutions/00_welcome/01_hello/wrong/hard_coded_name/lib.rs"),
        class.join("mistaken").join(HELLO).join("src/lib.rs"),
    )
    .unwrap();
    copy_tree(&tree, &class.join("tampered"));
    let cheat = class.join("tampered");
    fs::copy(
        course.join(HELLO).join("src/lib.rs"),
        cheat.join(HELLO).join("src/lib.rs"),
    )
    .unwrap();
    fs::write(
        cheat.join(HELLO).join("tests/kata.rs"),
        "#[test]\nfn t01_greet_says_hello_by_name() {}\n",
    )
    .unwrap();
    edit(&cheat.join("grading-manifest.txt"), |t| {
        t.lines()
            .filter(|l| !l.ends_with("01_hello/tests/kata.rs"))
            .collect::<Vec<_>>()
            .join("\n")
    });
    // Forgers, changing only src/: a static constructor that would write the harness's
    // log and exit before main; a panic hook that would turn failures into passes; a
    // src/bin/kata.rs whose tests would stand in for the kata's; a src/ that is a link
    // to a classmate's.
    copy_tree(&tree, &class.join("constructor"));
    fs::write(
        class.join("constructor").join(HELLO).join("src/lib.rs"),
        FORGED_CONSTRUCTOR,
    )
    .unwrap();
    copy_tree(&tree, &class.join("hook"));
    fs::write(
        class.join("hook").join(HELLO).join("src/lib.rs"),
        FORGED_HOOK,
    )
    .unwrap();
    copy_tree(&tree, &class.join("shadow"));
    fs::copy(
        course.join(HELLO).join("src/lib.rs"),
        class.join("shadow").join(HELLO).join("src/lib.rs"),
    )
    .unwrap();
    let shadow_bin = class.join("shadow").join(HELLO).join("src/bin");
    fs::create_dir_all(&shadow_bin).unwrap();
    fs::write(
        shadow_bin.join("kata.rs"),
        "fn main() {}
#[test]
fn t01_greet_says_hello_by_name() {}
",
    )
    .unwrap();
    copy_tree(&tree, &class.join("copier"));
    let copier_src = class.join("copier").join(HELLO).join("src");
    fs::remove_dir_all(&copier_src).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(class.join("solved").join(HELLO).join("src"), &copier_src).unwrap();

    // Forgers of the kinds a word list missed, one per kata, each a correct solution
    // with the forgery added (so only the refusal keeps its points from it): the
    // compiler reads the code as it is compiled, whatever a lexer would make of it.
    copy_tree(&tree, &class.join("many"));
    for (kata, before, after, files, _) in FORGERIES {
        solve(&class.join("many"), kata);
        let lib = class.join("many").join(kata).join("src/lib.rs");
        edit(&lib, |solution| format!("{before}{solution}{after}"));
        for (name, text) in *files {
            let path = class.join("many").join(kata).join("src").join(name);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
    }
    // Honest code that names things as a learner might (a closure `process`, a variable
    // `env`): full points. A saboteur whose hello would overwrite a classmate's or another
    // kata's test binary, and a classmate who hands in the untouched template after it.
    copy_tree(&tree, &class.join("namer"));
    edit(&class.join("namer").join(HELLO).join("src/lib.rs"), |t| {
        t + HONEST_NAMES
    });
    copy_tree(&tree, &class.join("saboteur"));
    edit(
        &class.join("saboteur").join(HELLO).join("src/lib.rs"),
        |t| t + SABOTAGE,
    );
    // A red team's forgery: a file whose name holds a newline breaks rustc's list of the
    // files it read, to hide the next one, a reference solution from the instructor's
    // course (hello); and the same solution by the path from regrade's pristine copy
    // to the course (countdown).
    copy_tree(&tree, &class.join("hider"));
    for (kata, path) in [
        (
            HELLO,
            course.join("solutions/00_welcome/01_hello/src/lib.rs"),
        ),
        (
            COUNTDOWN,
            PathBuf::from(
                "../../../../../../../../solutions/01_how_async_works/02_countdown/src/lib.rs",
            ),
        ),
    ] {
        let src = class.join("hider").join(kata).join("src");
        fs::write(src.join("a\nb.rs"), "// notes\n").unwrap();
        fs::write(
            src.join("lib.rs"),
            format!(
                "//! My own work.\n#[path = \"a\\nb.rs\"]\nmod a;\n#[path = {:?}]\nmod sol;\npub use sol::*;\n",
                path.display().to_string()
            ),
        )
        .unwrap();
    }
    copy_tree(&tree, &class.join("untouched"));
    for kata in [HELLO, COUNTDOWN] {
        fs::copy(
            course.join(kata).join("src/lib.rs"),
            class.join("untouched").join(kata).join("src/lib.rs"),
        )
        .unwrap();
    }

    let gradebook = work.join("gradebook.csv");
    let students: Vec<String> = [
        "solved",
        "partly",
        "mistaken",
        "tampered",
        "constructor",
        "hook",
        "shadow",
        "copier",
        "many",
        "namer",
        "hider",
        "saboteur",
        "untouched",
    ]
    .iter()
    .map(|s| class.join(s).display().to_string())
    .collect();
    let mut args = vec!["regrade", "--gradebook", gradebook.to_str().unwrap()];
    args.extend(students.iter().map(String::as_str));
    let regrade = xtask(&course, &args, &[]);
    assert!(
        regrade.status.success(),
        "regrade: {}{}",
        stdout(&regrade),
        String::from_utf8_lossy(&regrade.stderr)
    );
    let book = fs::read_to_string(&gradebook).unwrap();
    let row = |student: &str, kata: &str| -> Vec<String> {
        book.lines()
            .find(|l| l.starts_with(&format!("{student},{kata},")))
            .unwrap_or_else(|| panic!("no {student} {kata} row in:\n{book}"))
            .split(',')
            .map(String::from)
            .collect()
    };
    assert_eq!(
        book.lines().next().unwrap(),
        "student,kata,points,max_points,tests_passed,tests_total,tampered_files,flagged_code,\
         refused_binaries,timed_out_tests,recognised_mistake,error"
    );
    let (both, all) = (
        (hello + countdown).to_string(),
        template_tests().to_string(),
    );
    assert_eq!(row("solved", "total")[2..6], ["15.00", "60", &both, &all]);
    assert_eq!(row("solved", "total")[6], "");
    assert_eq!(
        row("partly", "total")[2..6],
        ["5.00", "60", &hello.to_string(), &all]
    );
    assert_eq!(row("partly", "01_how_async_works/02_countdown")[2], "0.00");
    let cheat_hello = row("tampered", "00_welcome/01_hello");
    assert_eq!(
        cheat_hello[2..6],
        ["0.00", "5", "0", &hello.to_string()],
        "graded on the real tests"
    );
    assert!(cheat_hello[6].contains("exercises/00_welcome/01_hello/tests/kata.rs (changed)"));
    assert!(row("tampered", "total")[6].contains("grading-manifest.txt (changed)"));
    assert_eq!(row("tampered", "total")[2], "10.00");
    // Each forger earns nothing for hello, and the gradebook says why; their countdown,
    // solved honestly, still counts.
    let hello_row = |student: &str| row(student, "00_welcome/01_hello").join(",");
    for (student, named) in [
        ("constructor", "`link_section`"),
        ("constructor", "`std::env::args`"),
        ("hook", "`std::panic::set_hook`"),
        ("shadow", "src/bin"),
        ("saboteur", "`std::fs::copy`"),
    ] {
        let line = hello_row(student);
        assert!(
            line.contains(&format!(",0.00,5,0,{hello},")),
            "{student} earns nothing: {line}"
        );
        assert!(line.contains(named), "{student}: {named} is named: {line}");
        assert_eq!(row(student, "total")[2], "10.00", "{student}");
    }
    // Each of the new forgeries earns nothing, and is named where it is.
    for (kata, _, _, _, named) in FORGERIES {
        let id = kata.strip_prefix("exercises/").unwrap();
        let line = row("many", id).join(",");
        assert!(line.contains(",0.00,"), "{kata} earns nothing: {line}");
        assert!(line.contains(named), "{kata}: {named} is named: {line}");
    }
    assert_eq!(row("many", "total")[2], "0.00", "{book}");
    assert_eq!(row("namer", "total")[2], "15.00", "honest names: {book}");
    for kata in ["00_welcome/01_hello", "01_how_async_works/02_countdown"] {
        let line = row("hider", kata).join(",");
        assert!(line.contains(",0.00,"), "the hider earns nothing: {line}");
        assert!(
            line.contains("the name") && line.contains("a\\nb.rs"),
            "named: {line}"
        );
    }
    assert_eq!(row("namer", "total")[7], "", "nothing flagged: {book}");
    let untouched = row("untouched", "total");
    assert_eq!(
        untouched[2..5],
        ["0.00", "60", "0"],
        "the template earns nothing"
    );
    assert_eq!(untouched[7..], ["", "", "", "", ""], "{book}");
    let copier = hello_row("copier");
    assert!(
        copier.contains(&format!(",0.00,5,0,{hello},")),
        "the copier earns nothing: {copier}"
    );
    assert!(
        copier.contains("exercises/00_welcome/01_hello/src (a symbolic link"),
        "{copier}"
    );
    // A folder that is not a repository is said so on its row, and graded all the same.
    assert!(
        row("partly", "total")[6].contains(".git (missing: not a git repository"),
        "{book}"
    );
    assert!(
        work.join("report.html").is_file(),
        "the class report is beside the gradebook"
    );
    // The known mistake is recognised and counted; the stub's `todo!()` is none.
    assert_eq!(
        row("mistaken", "00_welcome/01_hello")[10],
        "hard_coded_name"
    );
    assert_eq!(
        row("mistaken", "total")[10],
        "00_welcome/01_hello hard_coded_name"
    );
    assert_eq!(row("partly", "01_how_async_works/02_countdown")[10], "");
    assert_eq!(row("solved", "00_welcome/01_hello")[10], "");
    let report = fs::read_to_string(work.join("report.html")).unwrap();
    assert!(
        report.contains("data-mistake=\"hard_coded_name\" data-students=\"1\""),
        "the report counts the known mistake"
    );

    // The same class with hidden tests, two at a time, in two shards, merged: the visible
    // grades are the same, and the hidden part is graded apart, on the students' code.
    let hidden = work.join("hidden");
    fs::create_dir_all(hidden.join("00_welcome/01_hello")).unwrap();
    fs::write(
        hidden.join("00_welcome/01_hello/names.rs"),
        "//! points: 3\nuse hello::greet;\n\n#[tokio::test]\nasync fn h01_unicode_names() {\n    \
         assert_eq!(greet(\"Zoë\").await, \"Hello, Zoë!\");\n}\n",
    )
    .unwrap();
    // An instructor's test (not a learner's code, so not held to the compiler's rules)
    // that checks the confinement every graded test runs in on Linux.
    fs::create_dir_all(hidden.join("01_how_async_works/02_countdown")).unwrap();
    fs::write(
        hidden.join("01_how_async_works/02_countdown/confined.rs"),
        CONFINED,
    )
    .unwrap();
    let mut shards = Vec::new();
    for (shard, file) in [("1/2", "shard-1.csv"), ("2/2", "shard-2.csv")] {
        let path = work.join(file);
        let mut args = vec![
            "regrade",
            "--jobs",
            "2",
            "--shard",
            shard,
            "--hidden",
            hidden.to_str().unwrap(),
            "--gradebook",
            path.to_str().unwrap(),
        ];
        args.extend(students.iter().map(String::as_str));
        let run = xtask(&course, &args, &[]);
        assert!(
            run.status.success(),
            "regrade --shard {shard}: {}{}",
            stdout(&run),
            String::from_utf8_lossy(&run.stderr)
        );
        shards.push(path);
    }
    let merged = work.join("merged.csv");
    let mut args = vec!["gradebook", "merge"];
    args.extend(shards.iter().map(|p| p.to_str().unwrap()));
    args.extend(["--output", merged.to_str().unwrap()]);
    let run = xtask(&course, &args, &[]);
    assert!(
        run.status.success(),
        "merge: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let merged = fs::read_to_string(&merged).unwrap();
    for line in book.lines().filter(|l| !l.contains(",total,")) {
        assert!(
            merged.contains(line),
            "{line} is in the merged gradebook:\n{merged}"
        );
    }
    let hidden_row = |student: &str| {
        merged
            .lines()
            .find(|l| l.starts_with(&format!("{student},00_welcome/01_hello (hidden),")))
            .unwrap_or_else(|| panic!("no hidden row for {student}:\n{merged}"))
            .to_string()
    };
    assert!(
        hidden_row("solved").starts_with("solved,00_welcome/01_hello (hidden),3.00,3,1,1,"),
        "{merged}"
    );
    let confined = merged
        .lines()
        .find(|l| l.starts_with("solved,01_how_async_works/02_countdown (hidden),"))
        .unwrap_or_else(|| panic!("no hidden countdown row:\n{merged}"));
    assert!(
        confined.starts_with("solved,01_how_async_works/02_countdown (hidden),1.00,1,1,1,"),
        "a graded test writes only its scratch folder: {confined}\n{}",
        fs::read_to_string(work.join("shard-1-report.html")).unwrap_or_default()
            + &fs::read_to_string(work.join("shard-2-report.html")).unwrap_or_default()
    );
    assert!(
        hidden_row("tampered").contains(",0.00,3,0,1,"),
        "graded on the stub: {merged}"
    );
    assert!(
        hidden_row("hook").contains(",0.00,3,0,1,"),
        "flagged code earns nothing here too: {merged}"
    );
    let report = fs::read_to_string(work.join("shard-1-report.html")).unwrap();
    assert!(
        report.contains("data-hidden=\"true\""),
        "the report marks the hidden part"
    );

    // A gradebook of other columns (an older runner's) is refused, with the reason.
    let old = work.join("old.csv");
    fs::write(&old, "student,kata,points\nx,total,1\n").unwrap();
    let run = xtask(
        &course,
        &[
            "gradebook",
            "merge",
            old.to_str().unwrap(),
            "--output",
            "/dev/null",
        ],
        &[],
    );
    assert!(!run.status.success());
    assert!(
        String::from_utf8_lossy(&run.stderr).contains("is not a gradebook of this runner"),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );

    #[cfg(unix)]
    bad_input(&course, &work, &class.join("solved"));
    fs::remove_dir_all(&work).unwrap();
}

/// Runs the staff's binary like `xtask`, its output piped (as on GitHub Actions, where a
/// hang once waited on a pipe), and fails instead of hanging past `limit`. `during` is
/// called with each line of its standard output as it comes.
#[cfg(unix)]
fn bounded(
    root: &Path,
    args: &[&str],
    env: &[(&str, &str)],
    limit: std::time::Duration,
    mut during: impl FnMut(&str),
) -> (Option<i32>, String, String) {
    use std::io::{BufRead, BufReader, Read};
    let mut command = Command::new(staff::binary());
    command
        .args(args)
        .env("CARGO_MANIFEST_DIR", root.join("xtask"))
        .env("CARGO_TARGET_DIR", test_target())
        .env_remove("GITHUB_OUTPUT")
        .env("NO_COLOR", "1")
        .current_dir(root)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command.spawn().unwrap();
    let (lines, received) = std::sync::mpsc::channel::<String>();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
    });
    let mut stderr = child.stderr.take().unwrap();
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let started = std::time::Instant::now();
    let mut out = String::new();
    loop {
        match received.recv_timeout(std::time::Duration::from_millis(100)) {
            Ok(line) => {
                during(&line);
                out += &line;
                out.push('\n');
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("{args:?} hung: still running after {limit:?}:\n{out}");
        }
    }
    let status = child.wait().unwrap();
    (status.code(), out, errors.join().unwrap())
}

/// The gradebook's records (the csv crate reads what regrade wrote, quoted newlines and
/// all), each as its fields.
#[cfg(unix)]
fn records(path: &Path) -> Vec<Vec<String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

#[cfg(unix)]
fn record<'a>(book: &'a [Vec<String>], student: &str, kata: &str) -> &'a [String] {
    book.iter()
        .find(|r| r[0] == student && r[1] == kata)
        .unwrap_or_else(|| panic!("no {student:?} {kata} row in {book:#?}"))
}

/// Bad input from students: each is named on that student's row, the others are graded,
/// nothing hangs. Then a class with a student whose build never ends: the build limit
/// stops it, the others keep their grades, written before it even started.
#[cfg(unix)]
fn bad_input(course: &Path, work: &Path, solved: &Path) {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    use std::time::Duration;
    let class = work.join("bad");
    let total = |book: &[Vec<String>], student: &str| record(book, student, "total").to_vec();
    // A name with a comma and quotes, and files whose names hold a newline, quotes and
    // commas: in src/ (copied, and refused: a newline in a name would hide the next file
    // from the compiler's list of what it read) and where only the course puts files
    // (named).
    let odd = "a, \"odd\" name";
    copy_tree(solved, &class.join(odd));
    let weird = "data, \"q\"\nline.txt";
    fs::write(class.join(odd).join(HELLO).join("src").join(weird), "").unwrap();
    fs::write(class.join(odd).join(COUNTDOWN).join(weird), "").unwrap();
    // Links where protected files were (to /dev/zero, which never ends when read) and a
    // FIFO (whose open never returns without a writer).
    let linked = class.join("b-linked");
    copy_tree(solved, &linked);
    for file in ["grading-manifest.txt", &format!("{HELLO}/tests/kata.rs")] {
        fs::remove_file(linked.join(file)).unwrap();
        std::os::unix::fs::symlink("/dev/zero", linked.join(file)).unwrap();
    }
    fs::remove_file(linked.join("Cargo.toml")).unwrap();
    let fifo = Command::new("mkfifo")
        .arg(linked.join("Cargo.toml"))
        .status()
        .is_ok_and(|s| s.success());
    // Names that are not UTF-8.
    let bytes = class.join("c-bytes");
    copy_tree(solved, &bytes);
    let raw = OsStr::from_bytes(b"caf\xe9.rs");
    fs::write(bytes.join(HELLO).join("src").join(raw), "").unwrap();
    fs::write(bytes.join(COUNTDOWN).join("tests").join(raw), "").unwrap();
    // A repository that is a file.
    fs::write(class.join("d-file"), "not a repository").unwrap();

    let gradebook = work.join("bad.csv");
    let mut args = vec!["regrade", "--gradebook", gradebook.to_str().unwrap()];
    let students: Vec<String> = [odd, "b-linked", "c-bytes", "d-file"]
        .iter()
        .map(|s| class.join(s).display().to_string())
        .collect();
    args.extend(students.iter().map(String::as_str));
    let (code, out, err) = bounded(course, &args, &[], Duration::from_secs(900), |_| {});
    assert_eq!(
        code,
        Some(1),
        "one student could not be graded:\n{out}{err}"
    );
    let book = records(&gradebook);
    let (hello, countdown) = (tests_of(HELLO), tests_of(COUNTDOWN));
    let both = (hello + countdown).to_string();
    // The odd name is one student, its odd file names on its row, quoted as written: the
    // one in hello's src/ voids hello, the one beside countdown's is a protected file.
    assert_eq!(total(&book, odd)[4], countdown.to_string(), "{book:#?}");
    let hello_row = record(&book, odd, "00_welcome/01_hello");
    assert!(
        hello_row[2] == "0.00" && hello_row[7].contains("the name"),
        "{hello_row:?}"
    );
    let countdown_row = record(&book, odd, "01_how_async_works/02_countdown");
    assert!(
        countdown_row[6].contains(&format!("{COUNTDOWN}/{weird} (added)")),
        "{countdown_row:?}"
    );
    // Links and the FIFO are named, never read; the student is graded all the same.
    let linked_total = total(&book, "b-linked");
    assert_eq!(linked_total[4], both, "{linked_total:?}");
    assert!(linked_total[6].contains("grading-manifest.txt (a symbolic link)"));
    assert!(linked_total[6].contains(&format!("{HELLO}/tests/kata.rs (a symbolic link)")));
    if fifo {
        assert!(
            linked_total[6].contains("Cargo.toml (not a regular file)"),
            "{linked_total:?}"
        );
    }
    // Names that are not UTF-8: named, and the student graded.
    let bytes_total = total(&book, "c-bytes");
    assert_eq!(bytes_total[4], both, "{bytes_total:?}");
    assert!(
        bytes_total[6].contains("02_countdown/tests/caf\u{fffd}.rs (a name that is not UTF-8)"),
        "{bytes_total:?}"
    );
    assert!(
        bytes_total[6]
            .contains("01_hello/src/caf\u{fffd}.rs (a name that is not UTF-8: not copied)"),
        "{bytes_total:?}"
    );
    // The file is named as no repository, on its own row; the others were graded.
    let file = total(&book, "d-file");
    assert!(file[11].contains("has no exercises/ folder"), "{file:?}");

    // A build that never ends (a macro that expands forever, slowly, saying nothing),
    // with a build limit that an honest student's build (dependencies built above) keeps.
    let endless = class.join("z-endless");
    copy_tree(solved, &endless);
    fs::write(
        endless.join(HELLO).join("src/lib.rs"),
        "#![recursion_limit = \"1000000000\"]\nmacro_rules! grow {\n    ($($t:tt)*) => { grow!($($t)* x); };\n}\ngrow!();\n",
    )
    .unwrap();
    let gradebook = work.join("endless.csv");
    let honest = class.join("a-honest").display().to_string();
    copy_tree(solved, Path::new(&honest));
    let args = [
        "regrade",
        "--gradebook",
        gradebook.to_str().unwrap(),
        &honest,
        endless.to_str().unwrap(),
    ];
    let mut before_the_end = None;
    let (code, out, err) = bounded(
        course,
        &args,
        &[("AWAITLINGS_BUILD_LIMIT", "60")],
        Duration::from_secs(600),
        |line| {
            // The honest student's grade is in the gradebook before the next starts.
            if line.contains("a-honest:") {
                before_the_end = Some(records(&gradebook));
            }
        },
    );
    assert_eq!(code, Some(1), "{out}{err}");
    let early = before_the_end.expect("a line for the honest student");
    assert_eq!(total(&early, "a-honest")[2], "15.00", "{early:#?}");
    let book = records(&gradebook);
    assert_eq!(total(&book, "a-honest")[2], "15.00", "{book:#?}");
    let stopped = total(&book, "z-endless");
    assert!(stopped[11].contains("build limit"), "{stopped:?}");
    assert!(
        out.contains("z-endless") && out.contains("build limit"),
        "the console names it too:\n{out}"
    );
}

/// Writes `ok <test>` into libtest's log from a static constructor, prints a passing
/// summary and exits before the tests run: the forgery that beat the log check alone.
const FORGED_CONSTRUCTOR: &str = r#"//! Forged.
use std::io::Write;

#[used]
#[unsafe(link_section = ".init_array")]
static FORGE: extern "C" fn() = forge;

extern "C" fn forge() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--logfile") {
        let test = args.last().cloned().unwrap_or_default();
        let _ = std::fs::write(&args[at + 1], format!("ok {test}
"));
        let _ = writeln!(std::io::stdout(), "test result: ok. 1 passed; 0 failed");
        std::process::exit(0);
    }
}

pub async fn greet(name: &str) -> String {
    let _ = name;
    String::new()
}

pub async fn greet_all(names: &[&str]) -> Vec<String> {
    let _ = names;
    Vec::new()
}
"#;

/// Forgeries by kata, each added to the kata's solution: (kata, before, after, files
/// beside lib.rs in src/, what the gradebook names).
type Forgery = (
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static str,
);
const FORGERIES: &[Forgery] = &[
    // A first line rustc ignores, a char and a C string a lexer misreads as opening a
    // string: what follows them is code all the same.
    (
        HELLO,
        "#!/usr/bin/env -S awaitlings \"\n",
        "\nconst _Q: char = '\\u{22}';\nconst _C: &core::ffi::CStr = c\"\\\"\";\n\
         pub fn forge() { std::process::exit(0) }\n",
        &[],
        "`std::process::exit`",
    ),
    // A constructor's attribute inside `cfg_attr`.
    (
        "exercises/00_welcome/02_runtime",
        "",
        "\n#[cfg_attr(all(), unsafe(link_section = \".init_array\"))]\n#[used]\n\
         static FORGE: extern \"C\" fn() = forge;\nextern \"C\" fn forge() {}\n",
        &[],
        "`link_section`",
    ),
    // A symbol-replacing attribute that a macro builds.
    (
        "exercises/01_how_async_works/01_lazy_futures",
        "",
        "\nmacro_rules! exported { ($a:meta) => { #[$a] pub extern \"C\" fn forged() {} } }\n\
         exported!(unsafe(export_name = \"awaitlings_forged\"));\n",
        &[],
        "`export_name`",
    ),
    // A module read from a file that is not `.rs`.
    (
        COUNTDOWN,
        "",
        "\n#[path = \"forge.txt\"]\nmod forge;\n",
        &[("forge.txt", "pub fn forge() { std::process::exit(0) }\n")],
        "src/forge.txt:1: `std::process::exit`",
    ),
    // A module in a folder named like one a file walker skips.
    (
        "exercises/01_how_async_works/03_wakers",
        "",
        "\n#[path = \"target/forge.rs\"]\nmod forge;\n",
        &[(
            "target/forge.rs",
            "pub fn forge() { let _ = std::fs::write(\"log\", \"ok t01\"); }\n",
        )],
        "src/target/forge.rs:1: `std::fs::write`",
    ),
    // Another file's bytes, through a macro of the learner's own.
    (
        "exercises/01_how_async_works/04_block_on",
        "",
        "\nmacro_rules! grab { ($p:literal) => { include_bytes!($p) } }\n\
         pub static STOLEN: &[u8] = grab!(\"../README.md\");\n",
        &[],
        "`std::include_bytes`",
    ),
    // The refusing lint allowed in the code.
    (
        "exercises/01_how_async_works/05_join_by_hand",
        "#![allow(clippy::disallowed_methods)]\n",
        "\npub fn forge() { std::process::exit(0) }\n",
        &[],
        "incompatible with previous forbid",
    ),
];

/// A hidden test of the confinement: on Linux, a graded test may write its scratch
/// folder (`TMPDIR`) and nothing else: not its kata, not the course, not the build.
const CONFINED: &str = r#"//! points: 1
#[test]
fn h01_a_graded_test_writes_only_its_scratch_folder() {
    let kata = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let scratch = std::env::temp_dir();
    assert!(!scratch.starts_with(kata), "TMPDIR is {}", scratch.display());
    std::fs::write(scratch.join("mine.txt"), "x").expect("the scratch folder is writable");
    if cfg!(target_os = "linux") {
        for outside in [kata.join("forged.txt"), kata.join("../../../forged.txt")] {
            assert!(std::fs::write(&outside, "x").is_err(), "wrote {}", outside.display());
        }
        let me = std::env::current_exe().unwrap();
        assert!(std::fs::OpenOptions::new().append(true).open(&me).is_err(), "opened {}", me.display());
    }
}
"#;

/// Added to hello's solution: honest code whose names are the words a scan once refused.
const HONEST_NAMES: &str = r#"
/// Counts with names a learner might pick.
pub fn names(env: usize) -> usize {
    let process = |exit: usize| exit + 1;
    let (fs, os, net, include) = (1, 2, 3, 4);
    process(env + fs + os + net + include)
}
"#;

/// Added to hello's solution: replaces every other test binary beside this one with a
/// copy of itself, so that a later kata (or the next student, in the same target dir)
/// would run code that passes.
const SABOTAGE: &str = r#"
pub fn sabotage(me: &str) {
    let dir = std::path::Path::new(me).parent().unwrap();
    for entry in dir.read_dir().into_iter().flatten().flatten() {
        let _ = std::fs::copy(me, entry.path());
    }
}
"#;

/// Installs a panic hook on first use that exits 0, so a failing assertion ends the
/// test process as if it passed.
const FORGED_HOOK: &str = r#"//! Forged.
pub async fn greet(name: &str) -> String {
    std::panic::set_hook(Box::new(|_| std::process::exit(0)));
    let _ = name;
    String::new()
}

pub async fn greet_all(names: &[&str]) -> Vec<String> {
    let _ = names;
    Vec::new()
}
"#;

/// The restore step of a template's generated workflow, as the bash it runs.
fn restore_script(template: &Path) -> String {
    let workflow = fs::read_to_string(template.join(".github/workflows/classroom.yml")).unwrap();
    let mut lines = workflow.lines();
    lines
        .by_ref()
        .find(|l| l.contains("name: Restore protected files from the template"))
        .expect("a restore step");
    assert_eq!(lines.next().map(str::trim), Some("run: |"));
    lines
        .take_while(|l| l.is_empty() || l.starts_with("          "))
        .map(|l| l.get(10..).unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

fn git(dir: &Path, args: &[&str], date: Option<&str>) {
    let mut command = Command::new("git");
    command
        .current_dir(dir)
        .args(["-c", "user.name=s", "-c", "user.email=s@example.com"])
        .args(["-c", "commit.gpgsign=false"])
        .args(args);
    if let Some(date) = date {
        command
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date);
    }
    let output = command.output().unwrap();
    assert!(output.status.success(), "git {args:?}: {output:?}");
}

/// The in-repository grade's restore step, run as GitHub would run it: a second root
/// commit, back-dated and merged with `-s ours`, cannot pose as the template, and a
/// student's notes under exercises/ are set aside, not counted against every kata.
#[test]
fn the_workflow_restores_from_the_real_template() {
    let course = course_root();
    let work = std::env::temp_dir().join(format!("awaitlings-workflow-{}", std::process::id()));
    let _ = fs::remove_dir_all(&work);
    let repo = work.join("student");
    let export = xtask(
        &course,
        &[
            "export",
            "--student",
            repo.to_str().unwrap(),
            "--modules",
            "00",
        ],
        &[],
    );
    assert!(
        export.status.success(),
        "{}",
        String::from_utf8_lossy(&export.stderr)
    );
    let tests = repo.join(HELLO).join("tests/kata.rs");
    let original = fs::read_to_string(&tests).unwrap();
    git(&repo, &["init", "-q", "-b", "main"], None);
    git(&repo, &["add", "-A"], None);
    git(
        &repo,
        &["commit", "-qm", "template"],
        Some("2026-09-01T10:00:00Z"),
    );

    // A fake template: an orphan root, dated before the real one, with gutted tests.
    git(&repo, &["checkout", "-q", "--orphan", "fake"], None);
    fs::write(&tests, "#[test]\nfn t01_greet_says_hello_by_name() {}\n").unwrap();
    git(&repo, &["add", "-A"], None);
    git(
        &repo,
        &["commit", "-qm", "template"],
        Some("2026-08-01T10:00:00Z"),
    );
    git(&repo, &["checkout", "-q", "main"], None);
    git(
        &repo,
        &[
            "merge",
            "-q",
            "-s",
            "ours",
            "--allow-unrelated-histories",
            "-m",
            "merge",
            "fake",
        ],
        None,
    );
    git(&repo, &["checkout", "fake", "--", "."], None);
    fs::write(repo.join("exercises/notes.md"), "my notes\n").unwrap();
    git(&repo, &["add", "-A"], None);
    git(&repo, &["commit", "-qm", "work"], None);

    let runner_temp = work.join("runner");
    fs::create_dir_all(&runner_temp).unwrap();
    let output = Command::new("bash")
        .arg("-c")
        .arg(restore_script(&repo))
        .current_dir(&repo)
        .env("RUNNER_TEMP", &runner_temp)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let tampered = fs::read_to_string(runner_temp.join("tampered")).unwrap();
    assert!(
        tampered.contains("grading-manifest.txt roots"),
        "two roots are reported: {tampered}"
    );
    assert!(
        tampered.contains("exercises/00_welcome/01_hello/tests/kata.rs changed"),
        "{tampered}"
    );
    assert_eq!(
        fs::read_to_string(&tests).unwrap(),
        original,
        "the tests come back from the real template, not the back-dated root"
    );
    assert!(tampered.contains("exercises/notes.md added"), "{tampered}");

    // grade sets the notes aside (no build needed: the second root voids every kata).
    let list = runner_temp.join("tampered");
    let graded = xtask(
        &repo,
        &["grade", "hello", "--tampered", list.to_str().unwrap()],
        &[],
    );
    let table = stdout(&graded);
    assert!(
        table.contains("a second root commit in the history"),
        "{table}"
    );
    assert!(
        table.contains("files under exercises/ outside any kata (set aside, counted against none):\n  exercises/notes.md  added"),
        "{table}"
    );
    fs::remove_dir_all(&work).unwrap();
}
