//! `cargo xtask watch` as a learner meets it, on a tiny course of one kata with no
//! dependencies (it builds in a second or two), with no terminal, `NO_COLOR=1` and
//! `COLUMNS=0`. Every wait is bounded, so a broken watch fails these tests instead of
//! hanging them.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// Long enough for a cold build of the fixture on a loaded machine; only a hang waits
/// this long.
const BOUND: Duration = Duration::from_secs(60);
/// The line `watch` prints under every verdict.
const VERDICT: &str = "── watching for saves (run";

const WRONG: &str = "pub fn answer() -> u32 {\n    0\n}\n";
const RIGHT: &str = "pub fn answer() -> u32 {\n    42 // the answer\n}\n";

/// A course with one kata, `exercises/00_a/01_one`, in a temporary folder with its own
/// target dir. Removed when dropped.
struct Fixture {
    root: PathBuf,
}

impl Fixture {
    fn new(lib: &str) -> Fixture {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let root = std::env::temp_dir().join(format!(
            "awaitlings-watch-test-{}-{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&root);
        let kata = root.join("exercises/00_a/01_one");
        let files = [
            (
                root.join("Cargo.toml"),
                "[workspace]\nresolver = \"3\"\nmembers = [\"exercises/*/*\"]\n".to_string(),
            ),
            (
                root.join("Cargo.lock"),
                "version = 4\n\n[[package]]\nname = \"one\"\nversion = \"0.1.0\"\n".to_string(),
            ),
            (
                // The course's pinned toolchain, so the fixture builds with it too.
                root.join("rust-toolchain.toml"),
                std::fs::read_to_string(
                    Path::new(env!("CARGO_MANIFEST_DIR")).join("../rust-toolchain.toml"),
                )
                .unwrap(),
            ),
            (
                kata.join("Cargo.toml"),
                // The hanging fixture marks its start in a file named by the environment:
                // a kata that allows what grading otherwise refuses.
                "[package]\nname = \"one\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\
                 publish = false\n\n[lib]\ntest = false\ndoctest = false\n\n\
                 [package.metadata.awaitlings]\nallow = [\"env\", \"fs\"]\n"
                    .to_string(),
            ),
            (
                kata.join("README.md"),
                "# 00.01 — One\n\nReturn 42.\n".to_string(),
            ),
            (
                kata.join("hints.md"),
                "# Hints\n\n## Hint 1\n\nForty-two.\n".to_string(),
            ),
            (
                kata.join("tests/kata.rs"),
                "#[test]\nfn t01_answer() {\n    assert_eq!(one::answer(), 42, \"the answer is 42\");\n}\n"
                    .to_string(),
            ),
            (kata.join("src/lib.rs"), lib.to_string()),
        ];
        for (path, text) in files {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        Fixture { root }
    }

    /// Saves the kata's code, as an editor would.
    fn save(&self, lib: &str) {
        std::fs::write(self.root.join("exercises/00_a/01_one/src/lib.rs"), lib).unwrap();
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
        command
            .args(args)
            .current_dir(&self.root)
            .env("CARGO_MANIFEST_DIR", self.root.join("xtask"))
            .env("CARGO_TARGET_DIR", self.root.join("target"))
            .env("NO_COLOR", "1")
            .env("COLUMNS", "0")
            .env("WATCH_FIXTURE_MARK", self.root.join("started"))
            .stdin(Stdio::null());
        command
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// A running `watch`, its stdout and stderr collected as they come. Killed when dropped.
struct Watch {
    child: Child,
    output: Arc<Mutex<String>>,
}

impl Watch {
    fn start(fixture: &Fixture, args: &[&str]) -> Watch {
        Watch::run(fixture, &[&["watch"], args].concat())
    }

    /// Any command of the runner, watched the same way.
    fn run(fixture: &Fixture, args: &[&str]) -> Watch {
        let mut child = fixture
            .command(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the runner starts");
        let output = Arc::new(Mutex::new(String::new()));
        let stdout: Box<dyn Read + Send> = Box::new(child.stdout.take().unwrap());
        let stderr: Box<dyn Read + Send> = Box::new(child.stderr.take().unwrap());
        for mut stream in [stdout, stderr] {
            let output = Arc::clone(&output);
            thread::spawn(move || {
                let mut chunk = [0u8; 8192];
                while let Ok(n @ 1..) = stream.read(&mut chunk) {
                    output
                        .lock()
                        .unwrap()
                        .push_str(&String::from_utf8_lossy(&chunk[..n]));
                }
            });
        }
        Watch { child, output }
    }

    fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    /// Waits until the output satisfies `done`, and returns it; fails after `BOUND`.
    fn wait_for(&mut self, what: &str, done: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        loop {
            let output = self.output();
            if done(&output) {
                return output;
            }
            if started.elapsed() > BOUND {
                panic!("watch did not show {what} within {BOUND:?}; it showed:\n{output}");
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                thread::sleep(Duration::from_millis(100)); // the readers catch up
                let output = self.output();
                if done(&output) {
                    return output;
                }
                panic!("watch ended ({status}) before it showed {what}; it showed:\n{output}");
            }
            thread::sleep(Duration::from_millis(10));
        }
    }

    fn wait_for_verdict(&mut self, number: usize) -> String {
        let output = self.wait_for(&format!("verdict {number}"), |out| {
            out.matches(VERDICT).count() >= number
        });
        // The last run's view: what follows the previous verdict.
        let views: Vec<&str> = output.split(VERDICT).collect();
        views[number - 1].to_string()
    }

    /// Waits for the runner to end by itself.
    fn wait_for_exit(&mut self) -> std::process::ExitStatus {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            if started.elapsed() > BOUND {
                panic!("watch did not end; it showed:\n{}", self.output());
            }
            thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Watch {
    /// SIGTERM first: watch then stops the test it is running (a failed assertion here
    /// must not leave a hanging test behind), then SIGKILL if it did not end.
    fn drop(&mut self) {
        if self.child.try_wait().is_ok_and(|status| status.is_none()) {
            signal(self.child.id(), "TERM");
            let started = Instant::now();
            while started.elapsed() < Duration::from_secs(10) {
                if !matches!(self.child.try_wait(), Ok(None)) {
                    return;
                }
                thread::sleep(Duration::from_millis(10));
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn signal(pid: u32, name: &str) {
    if cfg!(unix) {
        let _ = Command::new("kill")
            .arg(format!("-{name}"))
            .arg(pid.to_string())
            .status();
    }
}

/// The hanging fixture's test process, once it has started (it writes its pid).
fn hanging_test(fixture: &Fixture, watch: &Watch) -> u32 {
    let mark = fixture.root.join("started");
    let started = Instant::now();
    loop {
        if let Ok(pid) = std::fs::read_to_string(&mark)
            && let Ok(pid) = pid.trim().parse::<u32>()
        {
            return pid;
        }
        assert!(
            started.elapsed() < BOUND,
            "the test never started: {}",
            watch.output()
        );
        thread::sleep(Duration::from_millis(10));
    }
}

/// Waits for a process to be gone (Linux only: elsewhere there is no /proc to look in).
fn assert_ends(pid: u32) {
    if cfg!(target_os = "linux") {
        let proc = PathBuf::from(format!("/proc/{pid}"));
        let started = Instant::now();
        while proc.exists() && started.elapsed() < BOUND {
            thread::sleep(Duration::from_millis(10));
        }
        if proc.exists() {
            signal(pid, "KILL");
            panic!("the hanging test {pid} was still running");
        }
    }
}

/// A kata whose test hangs after writing its pid where the fixture says.
const HANGS: &str = "pub fn answer() -> u32 {\n    let mark = std::env::var(\"WATCH_FIXTURE_MARK\").unwrap();\n    \
                     std::fs::write(mark, std::process::id().to_string()).unwrap();\n    \
                     loop {\n        std::thread::park();\n    }\n}\n";

#[test]
fn runs_again_on_each_save_and_says_when_the_course_is_complete() {
    let fixture = Fixture::new(WRONG);
    let mut watch = Watch::start(&fixture, &[]);
    let first = watch.wait_for_verdict(1);
    assert!(
        first.contains("no terminal: keys are off; stop with Ctrl-C"),
        "{first}"
    );
    assert!(
        first.contains("kata 1 of 1 [") && first.contains("] · 00_a/01_one"),
        "{first}"
    );
    assert!(first.contains("✗ t01_answer"), "{first}");
    assert!(first.contains("left: 0"), "{first}");
    assert!(
        first.contains(
            "Edit `answer` at exercises/00_a/01_one/src/lib.rs:1:8 and save: it runs again."
        ),
        "{first}"
    );
    assert!(
        !first.contains('\x1b'),
        "no colour, no screen clearing: {first:?}"
    );

    fixture.save("pub fn answer() -> u32 {\n    1 // closer\n}\n");
    let second = watch.wait_for_verdict(2);
    assert!(
        second.contains("─────"),
        "a separator between runs: {second}"
    );
    assert!(second.contains("left: 1"), "the new code ran: {second}");

    fixture.save(RIGHT);
    let output = watch.wait_for("the course complete", |out| {
        out.contains("Every kata passes")
    });
    let last = output.rsplit(VERDICT).next().unwrap();
    assert!(
        last.contains("✓ 00_a/01_one passes: every test is green. On to the next kata."),
        "{last}"
    );
    assert!(watch.wait_for_exit().success(), "{}", watch.output());
    let progress = std::fs::read_to_string(fixture.root.join(".awaitlings/progress")).unwrap();
    assert!(
        progress.contains("00_a/01_one") && progress.contains("\tpass"),
        "progress recorded as `next` records it: {progress}"
    );
}

#[test]
fn a_kata_that_does_not_compile_or_hangs_gets_a_verdict_and_watching_goes_on() {
    let fixture = Fixture::new("pub fn answer() -> u32 {\n    \"forty-two\"\n}\n");
    let mut watch = Watch::start(&fixture, &["--timeout", "1"]);
    let first = watch.wait_for_verdict(1);
    assert!(first.contains("does not compile (1 error)"), "{first}");
    assert!(first.contains("mismatched types"), "{first}");

    fixture.save("pub fn answer() -> u32 {\n    loop {\n        std::thread::park();\n    }\n}\n");
    let second = watch.wait_for_verdict(2);
    assert!(second.contains("timed out after 1.0 s"), "{second}");

    fixture.save(RIGHT);
    watch.wait_for("the course complete", |out| {
        out.contains("Every kata passes")
    });
    assert!(watch.wait_for_exit().success());
}

#[test]
fn a_save_stops_the_run_in_progress_and_its_test() {
    // The test hangs, with a limit far beyond any wait here: only a cancelled run can
    // make way for the next save's verdict in time.
    let fixture = Fixture::new(HANGS);
    let mut watch = Watch::start(&fixture, &["--timeout", "600"]);
    let pid = hanging_test(&fixture, &watch);
    fixture.save(RIGHT);
    let output = watch.wait_for("the course complete", |out| {
        out.contains("Every kata passes")
    });
    assert_eq!(
        output.matches(VERDICT).count(),
        0,
        "the hanging run gave no verdict: {output}"
    );
    assert_ends(pid);
}

/// A build script that hangs after writing its pid where the fixture says: a build
/// that never ends, as a slow cold build looks to the runner.
const BUILD_HANGS: &str = "fn main() {\n    let mark = std::env::var(\"WATCH_FIXTURE_MARK\").unwrap();\n    \
                           std::fs::write(mark, std::process::id().to_string()).unwrap();\n    \
                           loop {\n        std::thread::park();\n    }\n}\n";

#[test]
fn a_save_stops_the_build_in_progress_and_all_of_cargo() {
    if !cfg!(unix) {
        return;
    }
    let fixture = Fixture::new(RIGHT);
    let build_script = fixture.root.join("exercises/00_a/01_one/build.rs");
    std::fs::write(&build_script, BUILD_HANGS).unwrap();
    let mut watch = Watch::start(&fixture, &[]);
    // The build script runs under cargo, in cargo's process group.
    let pid = hanging_test(&fixture, &watch);
    // A save that removes the script: the next build ends.
    std::fs::remove_file(&build_script).unwrap();
    watch.wait_for("the course complete", |out| {
        out.contains("Every kata passes")
    });
    assert!(watch.wait_for_exit().success());
    assert_ends(pid);
}

#[test]
fn a_signal_stops_watch_and_the_test_it_runs() {
    if !cfg!(unix) {
        return;
    }
    let fixture = Fixture::new(HANGS);
    let mut watch = Watch::start(&fixture, &["--timeout", "600"]);
    let pid = hanging_test(&fixture, &watch);
    signal(watch.child.id(), "INT");
    let status = watch.wait_for_exit();
    assert_eq!(status.code(), Some(130), "{}", watch.output());
    assert!(watch.output().contains("Stopped watching."));
    assert_ends(pid);
}

#[test]
fn a_signal_stops_next_and_check_and_the_test_they_run() {
    if !cfg!(unix) {
        return;
    }
    for command in ["next", "check"] {
        let fixture = Fixture::new(HANGS);
        let mut runner = Watch::run(&fixture, &[command, "--timeout", "600"]);
        let pid = hanging_test(&fixture, &runner);
        signal(runner.child.id(), "INT");
        let status = runner.wait_for_exit();
        assert_eq!(status.code(), Some(130), "{command}: {}", runner.output());
        assert_ends(pid);
    }
}

#[test]
fn huge_output_is_cut_in_next_and_watch() {
    let noisy = "pub fn answer() -> u32 {\n    for line in 0..100_000 {\n        \
                 println!(\"noise {line}: the test prints and prints\");\n    }\n    0\n}\n";
    let fixture = Fixture::new(noisy);
    let next = fixture.command(&["next"]).output().unwrap();
    let next_text = String::from_utf8_lossy(&next.stdout);
    assert!(!next.status.success());
    assert!(
        next_text.lines().count() < 60,
        "next shows a screenful, not 100 000 lines: {} lines",
        next_text.lines().count()
    );
    assert!(
        next_text.contains("more lines; see everything: `cargo xtask check one`"),
        "{next_text}"
    );

    let mut watch = Watch::start(&fixture, &[]);
    let view = watch.wait_for_verdict(1);
    assert!(view.lines().count() < 60, "{view}");
    assert!(
        view.contains("more lines; see everything: `cargo xtask check one` or `cargo test -p one`"),
        "{view}"
    );
}
