//! Runs one test in its own process, with a wall-clock limit, so that nothing a learner
//! writes (a deadlock, a busy loop, a `Pending` without a wake) can hang the runner.

use std::ffi::OsString;
use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use crate::engine::cancel::Cancel;
use crate::engine::compile::{TestBinary, cargo};
use crate::engine::{platform, signals};
use crate::util::error::{Context, Error, Result};

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Passed,
    /// The test failed; the text is its panic message, trimmed to what teaches.
    Failed(String),
    /// Stopped at its time limit: whether it spun or sat parked meanwhile.
    TimedOut(Timeout),
    /// The process died without a verdict (an abort, a stack overflow).
    Crashed(String),
    /// The test target did not compile; these are the rendered compiler errors.
    DoesNotCompile(Vec<String>),
    /// Stopped by its `Cancel` before a verdict (`watch`: a newer save): no result.
    Cancelled,
}

/// A test stopped at its time limit, and what it did meanwhile.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timeout {
    pub limit: Duration,
    pub spin: Spin,
    /// The CPU time the test's process used (every thread), where the system says.
    pub cpu: Option<Duration>,
}

/// What a test that never ended did with its time: the process's CPU time tells.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Spin {
    /// It ran on the CPU all along: a loop that never awaits (or never ends), which
    /// blocks the thread it runs on.
    Busy,
    /// It sat parked, waiting: for a wake, a lock, a message that never comes.
    Parked,
    /// The system did not say.
    Unknown,
}

impl Spin {
    /// A test that used at least this share of its wall-clock time on the CPU was busy.
    /// A parked test uses well under 1 % (its start); a spinning one all a core gives
    /// it, which on a 2-core machine loaded 7 deep is still over a quarter.
    const BUSY_SHARE: u32 = 10;

    /// `cpu` used over `ran` of wall-clock time.
    pub fn of(cpu: Option<Duration>, ran: Duration) -> Spin {
        match cpu {
            None => Spin::Unknown,
            Some(cpu) if cpu.saturating_mul(Spin::BUSY_SHARE) >= ran && !ran.is_zero() => {
                Spin::Busy
            }
            Some(_) => Spin::Parked,
        }
    }
}

impl Timeout {
    /// A test stopped at `limit` that used `cpu` in its `ran` of wall-clock time.
    pub fn new(limit: Duration, cpu: Option<Duration>, ran: Duration) -> Timeout {
        Timeout {
            limit,
            spin: Spin::of(cpu, ran),
            cpu,
        }
    }
}

#[derive(Debug)]
pub struct TestRun {
    pub outcome: Outcome,
    pub elapsed: Duration,
}

/// The names of a binary's tests, sorted: test names sort in teaching order.
pub fn list_tests(binary: &TestBinary) -> Result<Vec<String>> {
    let output = test_command(binary)
        .args(["--list", "--format", "terse"])
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("could not run {}", binary.path.display()))?;
    if !output.status.success() {
        return Err(Error::new(format!(
            "{} --list failed",
            binary.path.display()
        )));
    }
    let mut names: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.strip_suffix(": test"))
        .map(str::to_string)
        .collect();
    names.sort();
    Ok(names)
}

/// Runs `test` alone. `on_slow` is called once if it is still running after a few
/// seconds, so a long compile-fail test shows it is working, not frozen. Once `cancel`
/// is set, the test's whole process group is killed and the outcome is `Cancelled`.
pub fn run_test(
    binary: &TestBinary,
    test: &str,
    limit: Duration,
    on_slow: &dyn Fn(),
    cancel: Cancel,
) -> TestRun {
    let started = Instant::now();
    let outcome = match spawn(binary, test, &[], &[], Path::new("")) {
        Ok((child, output)) => wait(child, output, test, limit, on_slow, cancel),
        Err(error) => Outcome::Crashed(error.to_string()),
    };
    TestRun {
        outcome,
        elapsed: started.elapsed(),
    }
}

/// How a graded test that ended the process early is reported.
pub const NO_VERDICT: &str = "ended without the test harness recording a pass";

/// Runs `test` alone for a grade: it passes only if the test harness itself logged it
/// as passed (`--logfile`, written by libtest after the test returns), so code that
/// ends the process early (`std::process::exit(0)`) or prints a fake summary earns
/// nothing.
pub fn run_graded_test(
    binary: &TestBinary,
    test: &str,
    limit: Duration,
    launcher: &[OsString],
) -> TestRun {
    static COUNT: AtomicUsize = AtomicUsize::new(0);
    // Beside the test binary (under target/, never littering the temp folder), and
    // named unpredictably. This check stops an early exit; what keeps the test's code
    // from writing a pass into the log is grading's rules: the compiler refuses a kata
    // `std::env::args` (the path is on the command line) and `std::fs`
    // (course/refused.rs), and a confined test (Linux) writes no file but this log,
    // `/dev/null` and its scratch folder (the staff's grading/confine.rs). Code that got
    // past both (a soundness bug) could still forge it, and `regrade` leaves that code
    // in plain sight in the student's src/.
    let nonce = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let log = binary.path.with_file_name(format!(
        "awaitlings-grade-{}-{}-{nonce:09}.log",
        std::process::id(),
        COUNT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_file(&log);
    let started = Instant::now();
    let args = [OsString::from("--logfile"), log.clone().into_os_string()];
    let mut outcome = match spawn(binary, test, &args, launcher, &log) {
        Ok((child, output)) => wait(child, output, test, limit, &|| {}, Cancel::NEVER),
        Err(error) => Outcome::Crashed(error.to_string()),
    };
    let logged = std::fs::read_to_string(&log).unwrap_or_default();
    let _ = std::fs::remove_file(&log);
    if outcome == Outcome::Passed && !logged.lines().any(|line| line == format!("ok {test}")) {
        outcome = Outcome::Crashed(format!(
            "`{test}` {NO_VERDICT}: the process exited before the test finished \
             (`std::process::exit`?)"
        ));
    }
    TestRun {
        outcome,
        elapsed: started.elapsed(),
    }
}

/// A running test's output, and what finds the processes it may leave behind.
struct Output {
    /// The output as read so far, and whether the read has ended (every copy of the
    /// pipe's write end closed).
    captured: std::sync::Arc<std::sync::Mutex<Captured>>,
    pipe: platform::Pipe,
    /// `AWAITLINGS_TEST_RUN=…`, the entry that marks the test's environment.
    marker: String,
    /// The test's pid, the id of its process group.
    group: u32,
}

/// The variable that marks a test's environment, and so that of every process it starts
/// (each inherits it unless it clears its environment): what left the group and holds
/// no pipe is found by it after the test (`platform::kill_marked`). The value is unique
/// to one test run (the runner's pid, a count, the clock), and set on the test's command
/// alone, never in the runner's own environment, so that nothing else can match. A
/// daemon a test's build tools start on first use (a compiler cache's server, under a
/// reference case's inner cargo) carries it too and is stopped like any other leak.
const RUN_MARKER: &str = "AWAITLINGS_TEST_RUN";

#[derive(Default)]
struct Captured {
    head: Vec<u8>,
    tail: std::collections::VecDeque<u8>,
    dropped: usize,
    ended: bool,
}

/// A test's output once it ended.
enum Ended {
    Whole(String),
    /// Something the test started outlived it (held the output open, or ran on outside
    /// its group): the output so far.
    Leaked(String),
}

/// How long the output may stay open after the test ended: something it started (a
/// process that left its group, a thread of a process that outlived it) holds it.
/// cargo-nextest calls this the leak timeout.
const LEAK_TIMEOUT: Duration = Duration::from_millis(200);

/// How long an output pipe nobody is seen holding may stay open before it counts as held.
const HELD_LIMIT: Duration = Duration::from_secs(5);

/// `launcher`, when not empty, is a program and its arguments that start the test in its
/// place: it is given the harness's log and the test's own command line after them
/// (grading confines a test this way).
fn spawn(
    binary: &TestBinary,
    test: &str,
    extra: &[OsString],
    launcher: &[OsString],
    log: &Path,
) -> Result<(Child, Output)> {
    // One pipe for stdout and stderr keeps the test's output in the order it was written.
    let (mut reader, writer) = std::io::pipe()?;
    let writer_clone = writer.try_clone()?;
    let mut command = test_command(binary);
    if let [program, args @ ..] = launcher {
        let mut launched = Command::new(program);
        launched
            .args(args)
            .arg(log)
            .arg(&binary.path)
            .current_dir(&binary.package_dir)
            .stdin(Stdio::null());
        for (key, value) in command.get_envs() {
            match value {
                Some(value) => launched.env(key, value),
                None => launched.env_remove(key),
            };
        }
        command = launched;
    }
    command
        .args([test, "--exact", "--test-threads=1"])
        .args(extra)
        .stdout(writer)
        .stderr(writer_clone);
    let pipe = platform::pipe_of(&reader);
    // A backtrace through the runtime's internals buries the message a learner needs.
    command.env("RUST_BACKTRACE", "0");
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let nonce = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let marker = format!(
        "{}-{}-{nonce:09}",
        std::process::id(),
        RUNS.fetch_add(1, Ordering::Relaxed)
    );
    command.env(RUN_MARKER, &marker);
    signals::own_group(&mut command);
    let child = signals::start(|| {
        let child = command
            .spawn()
            .with_context(|| format!("could not run {}", binary.path.display()))?;
        let group = child.id();
        Ok((child, group))
    })?;
    drop(command); // closes our copies of the pipe's write end, so reading ends with the test
    let captured = std::sync::Arc::new(std::sync::Mutex::new(Captured::default()));
    let sink = captured.clone();
    thread::spawn(move || read_bounded(&mut reader, &sink, HEAD_BYTES, TAIL_BYTES));
    let output = Output {
        captured,
        pipe,
        marker: format!("{RUN_MARKER}={marker}"),
        group: child.id(),
    };
    Ok((child, output))
}

/// The output once the test has ended (its group killed): at once, unless something the
/// test started still holds the pipe; then that is killed (where the platform shows who
/// holds it) and the output taken as it is. Then what the test started that left its
/// group without the pipe is killed too (where the platform finds it by its marker).
/// Either way it is `Leaked`, with what leaked said after it.
fn finish_output(output: &Output) -> Ended {
    let captured = &output.captured;
    let ended = |within: Duration| {
        let started = Instant::now();
        loop {
            if captured.lock().map(|c| c.ended).unwrap_or(true) {
                return true;
            }
            if started.elapsed() >= within {
                return false;
            }
            thread::sleep(Duration::from_millis(2));
        }
    };
    let mut held = !ended(LEAK_TIMEOUT);
    let mut killed = Vec::new();
    if held {
        killed = platform::kill_pipe_holders(&output.pipe);
        // Nobody found holding the pipe: most likely the reading thread has not run yet
        // on a loaded machine. Only a pipe still open after a long wait is a leak (where
        // holders cannot be seen, off Linux), so a verdict never depends on the load.
        held = !ended(if killed.is_empty() {
            HELD_LIMIT
        } else {
            LEAK_TIMEOUT
        }) || !killed.is_empty();
    }
    // Always, not only after a held pipe: this one holds none. It costs a read of /proc
    // and of the processes started since the test (`kill_marked`).
    for pid in platform::kill_marked(&output.marker, output.group) {
        if !killed.contains(&pid) {
            killed.push(pid);
        }
    }
    if !held && killed.is_empty() {
        return Ended::Whole(captured_text(captured));
    }
    Ended::Leaked(format!(
        "{}{}",
        captured_text(captured),
        match killed.len() {
            0 => String::new(),
            n => format!(
                "\n[{} that the test left running stopped]",
                crate::util::ui::plural(n, "process")
            ),
        }
    ))
}

fn captured_text(captured: &std::sync::Mutex<Captured>) -> String {
    let Ok(mut captured) = captured.lock() else {
        return String::new();
    };
    let mut text = String::from_utf8_lossy(&captured.head).into_owned();
    if captured.dropped > 0 {
        text += &format!("\n[… {} bytes of output left out …]\n", captured.dropped);
    }
    text += &String::from_utf8_lossy(captured.tail.make_contiguous());
    text
}

/// What is kept of a test's output: a test that prints megabytes costs memory and a
/// frozen screen, and the verdict is at the ends (the failure header near the start,
/// the panic message and the summary at the end).
const HEAD_BYTES: usize = 64 * 1024;
const TAIL_BYTES: usize = 16 * 1024;

/// Reads to the end into `into`, keeping the first `head` and the last `tail` bytes and
/// counting what was left out between them.
fn read_bounded(
    reader: &mut impl Read,
    into: &std::sync::Mutex<Captured>,
    head: usize,
    tail: usize,
) {
    let mut chunk = [0u8; 8192];
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        };
        let Ok(mut captured) = into.lock() else {
            return;
        };
        let mut bytes = &chunk[..n];
        let room = head - captured.head.len();
        if room > 0 {
            let (into_head, rest) = bytes.split_at(room.min(bytes.len()));
            captured.head.extend_from_slice(into_head);
            bytes = rest;
        }
        captured.tail.extend(bytes);
        let over = captured.tail.len().saturating_sub(tail);
        captured.tail.drain(..over);
        captured.dropped += over;
    }
    if let Ok(mut captured) = into.lock() {
        captured.ended = true;
    }
}

/// `check --timeline`: the file the tests append the timelines they drew to, handed to
/// them as `AWAITLINGS_TIMELINE` (the kata tests' recorder, `timeline/`, reads it).
pub static TIMELINE_FILE: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();

/// The environment `cargo test` gives a test: trybuild, for one, reads it at run time.
fn test_command(binary: &TestBinary) -> Command {
    let mut command = Command::new(&binary.path);
    command
        .current_dir(&binary.package_dir)
        .env("CARGO", cargo())
        .env("CARGO_MANIFEST_DIR", &binary.package_dir)
        .env("CARGO_PKG_NAME", &binary.package)
        .env("CARGO_CRATE_NAME", binary.package.replace('-', "_"))
        .stdin(Stdio::null());
    if let Some(file) = TIMELINE_FILE.get() {
        command.env("AWAITLINGS_TIMELINE", file);
    }
    // A timeline a test draws is shown indented by the runner (at most 6): it gets the
    // terminal's width (`COLUMNS`, else 100) less that.
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse().ok());
    let columns: usize = columns.unwrap_or(100);
    command.env("COLUMNS", columns.saturating_sub(6).max(40).to_string());
    command
}

/// `None` when cancelled.
fn wait(
    mut child: Child,
    output: Output,
    test: &str,
    limit: Duration,
    on_slow: &dyn Fn(),
    cancel: Cancel,
) -> Outcome {
    let started = Instant::now();
    // Time the runner spends stopped (Ctrl-Z, the test stopped with it) is not the test's.
    let paused_before = signals::paused();
    let mut nap = Duration::from_micros(500);
    let mut warned = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => {}
            Err(error) => return Outcome::Crashed(error.to_string()),
        }
        let elapsed = started
            .elapsed()
            .saturating_sub(signals::paused().saturating_sub(paused_before));
        let cancelled = cancel.is_set();
        if elapsed >= limit || cancelled {
            signals::kill_child(&mut child);
            // Reaped with its CPU time: a test that spun is told from one that slept.
            let cpu = platform::reap(&mut child);
            let _ = finish_output(&output);
            return if cancelled {
                Outcome::Cancelled
            } else {
                Outcome::TimedOut(Timeout::new(limit, cpu, elapsed))
            };
        }
        if !warned && elapsed >= Duration::from_secs(3) {
            warned = true;
            on_slow();
        }
        // Most tests end within milliseconds: poll fast first, then back off.
        thread::sleep(nap);
        nap = (nap * 2).min(Duration::from_millis(20));
    };
    // Anything the test started and left running would hold the output pipe open, and
    // the read below would never end: the test's process group goes with the test.
    signals::kill_child(&mut child);
    let text = match finish_output(&output) {
        Ended::Whole(text) => text,
        Ended::Leaked(text) => {
            return Outcome::Failed(format!(
                "the test ended, but left something running (a process it started that \
                 left its process group, e.g. with `setsid`, or a daemon): it was stopped. \
                 Code under test must not outlive its test.\n{}",
                tail(&text, 30)
            ));
        }
    };
    if status.success() && text.contains("test result: ok. 1 passed") {
        Outcome::Passed
    } else if status.success() {
        Outcome::Crashed(format!(
            "`{test}` {NO_VERDICT} (did the code call `std::process::exit`, or is the \
                 test ignored?):\n{}",
            tail(&text, 30)
        ))
    } else {
        match failure_message(&text, test) {
            Some(message) => Outcome::Failed(message),
            None => Outcome::Crashed(format!("{status}\n{}", tail(&text, 30))),
        }
    }
}

/// The first line of a timeline drawn by the kata tests' recorder (`MARKER` in
/// `timeline/src/lib.rs`): a failure that shows the run's shape holds a line starting so.
pub const TIMELINE_MARKER: &str = "virtual time";

/// The captured output of a failed test, as libtest prints it under `---- NAME stdout
/// ----`, without the backtrace advice that is noise to a learner.
pub fn failure_message(output: &str, test: &str) -> Option<String> {
    let header = format!("---- {test} stdout ----\n");
    let start = output.find(&header)? + header.len();
    let rest = &output[start..];
    let end = rest.find("\nfailures:\n").unwrap_or(rest.len());
    let message: Vec<String> = rest[..end]
        .lines()
        .filter(|line| !line.starts_with("note: run with `RUST_BACKTRACE=1`"))
        .map(|line| without_thread_name(line, test))
        .collect();
    Some(message.join("\n").trim().to_string())
}

/// `thread 't01' (4242) panicked at …` → `panicked at …`: the thread is the test itself.
/// Other threads keep their name but lose the id, which means nothing to a learner.
fn without_thread_name(line: &str, test: &str) -> String {
    let Some(rest) = line.strip_prefix("thread '") else {
        return line.to_string();
    };
    let Some((name, rest)) = rest.split_once("' ") else {
        return line.to_string();
    };
    let Some(at) = rest.find("panicked at ") else {
        return line.to_string();
    };
    if name == test {
        rest[at..].to_string()
    } else {
        format!("thread '{name}' {}", &rest[at..])
    }
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_panic_message_and_drops_the_backtrace_note() {
        let output = "\nrunning 1 test\ntest t01 ... FAILED\n\nfailures:\n\n---- t01 stdout ----\n\
            \nthread 't01' (4242) panicked at tests/kata.rs:5:5:\nassertion failed: it ran twice\n\
            note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n\n\
            \nfailures:\n    t01\n\ntest result: FAILED. 0 passed; 1 failed\n";
        assert_eq!(
            failure_message(output, "t01").as_deref(),
            Some("panicked at tests/kata.rs:5:5:\nassertion failed: it ran twice")
        );
        assert_eq!(failure_message(output, "t02"), None);
        assert_eq!(
            without_thread_name("thread '<unnamed>' (77) panicked at src/lib.rs:1:1:", "t01"),
            "thread '<unnamed>' panicked at src/lib.rs:1:1:"
        );
    }

    #[test]
    fn a_test_that_never_ends_is_killed_at_the_limit() {
        // The runner's own test binary stands in for a kata: `sleeper` below never ends
        // when it runs as this check's child.
        let binary = TestBinary {
            package_dir: std::env::current_dir().unwrap(),
            package: "xtask-sleeper".into(),
            target: "xtask".into(),
            src_path: std::path::PathBuf::new(),
            path: std::env::current_exe().unwrap(),
        };
        let limit = Duration::from_millis(300);
        let run = run_test(
            &binary,
            "engine::harness::tests::sleeper",
            limit,
            &|| {},
            Cancel::NEVER,
        );
        match run.outcome {
            Outcome::TimedOut(timeout) => {
                assert_eq!(timeout.limit, limit);
                assert_eq!(timeout.spin, Spin::Parked, "{timeout:?}");
            }
            other => panic!("expected a time-out, got {other:?}"),
        }
        assert!(
            run.elapsed < Duration::from_secs(5),
            "killed promptly: {:?}",
            run.elapsed
        );
    }

    /// Hangs only as the child of the test above (it sets the package name); alone it
    /// passes at once.
    #[test]
    fn a_cancelled_test_is_killed_at_once() {
        let binary = TestBinary {
            package_dir: std::env::current_dir().unwrap(),
            package: "xtask-sleeper".into(),
            target: "xtask".into(),
            src_path: std::path::PathBuf::new(),
            path: std::env::current_exe().unwrap(),
        };
        let cancel = std::sync::atomic::AtomicBool::new(false);
        let started = Instant::now();
        let run = thread::scope(|scope| {
            scope.spawn(|| {
                thread::sleep(Duration::from_millis(300));
                cancel.store(true, Ordering::SeqCst);
            });
            let limit = Duration::from_secs(120);
            run_test(
                &binary,
                "engine::harness::tests::sleeper",
                limit,
                &|| {},
                Cancel::when(&cancel),
            )
        });
        assert_eq!(
            run.outcome,
            Outcome::Cancelled,
            "a cancelled run has no verdict"
        );
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "stopped when cancelled, not at the limit: {:?}",
            started.elapsed()
        );
    }

    #[test]
    fn keeps_the_head_and_the_tail_of_a_huge_output() {
        let mut output = b"---- t01 stdout ----\n".to_vec();
        output.extend(std::iter::repeat_n(b'x', 1_000_000));
        output.extend(b"\npanicked at the end\n");
        let read = |bytes: &[u8]| {
            let captured = std::sync::Mutex::new(Captured::default());
            read_bounded(&mut &bytes[..], &captured, 1000, 100);
            assert!(captured.lock().unwrap().ended);
            captured_text(&captured)
        };
        let text = read(&output);
        assert!(
            text.starts_with("---- t01 stdout ----\nxxx"),
            "{}",
            &text[..40]
        );
        assert!(
            text.ends_with("xxx\npanicked at the end\n"),
            "{}",
            tail(&text, 2)
        );
        assert!(text.contains(&format!(
            "[… {} bytes of output left out …]",
            output.len() - 1100
        )));
        assert!(text.len() < 1300, "{} bytes kept", text.len());
        let small = read(b"all of it");
        assert_eq!(small, "all of it");
    }

    #[test]
    fn a_spinning_test_is_told_from_a_parked_one() {
        // The figures alone, as the system gives them.
        let second = Duration::from_secs(1);
        let ms = Duration::from_millis;
        assert_eq!(Spin::of(Some(ms(980)), second), Spin::Busy);
        assert_eq!(
            Spin::of(Some(ms(300)), second),
            Spin::Busy,
            "a loaded machine"
        );
        assert_eq!(Spin::of(Some(ms(8)), second), Spin::Parked);
        assert_eq!(Spin::of(Some(ms(2500)), second), Spin::Busy, "two threads");
        assert_eq!(Spin::of(None, second), Spin::Unknown);
        assert_eq!(Spin::of(Some(Duration::ZERO), Duration::ZERO), Spin::Parked);
        // A real process that spins: the runner's test binary stands in for a kata.
        let binary = TestBinary {
            package_dir: std::env::current_dir().unwrap(),
            package: "xtask-spinner".into(),
            target: "xtask".into(),
            src_path: std::path::PathBuf::new(),
            path: std::env::current_exe().unwrap(),
        };
        let limit = Duration::from_millis(1000);
        let run = run_test(
            &binary,
            "engine::harness::tests::spinner",
            limit,
            &|| {},
            Cancel::NEVER,
        );
        match run.outcome {
            Outcome::TimedOut(timeout) => {
                let expected = if cfg!(any(unix, windows)) {
                    Spin::Busy
                } else {
                    Spin::Unknown
                };
                assert_eq!(timeout.spin, expected, "{timeout:?}");
            }
            other => panic!("expected a time-out, got {other:?}"),
        }
    }

    /// Spins only as the child of the test above (it sets the package name); alone it
    /// passes at once.
    #[test]
    fn spinner() {
        if std::env::var_os("CARGO_PKG_NAME").is_some_and(|n| n == "xtask-spinner") {
            let mut n = 0u64;
            loop {
                n = std::hint::black_box(n.wrapping_add(1));
            }
        }
    }

    #[test]
    fn sleeper() {
        if std::env::var_os("CARGO_PKG_NAME").is_some_and(|n| n == "xtask-sleeper") {
            loop {
                thread::park();
            }
        }
    }

    #[test]
    fn a_passing_and_a_failing_test_are_told_apart() {
        let binary = TestBinary {
            package_dir: std::env::current_dir().unwrap(),
            package: "xtask-probe".into(),
            target: "xtask".into(),
            src_path: std::path::PathBuf::new(),
            path: std::env::current_exe().unwrap(),
        };
        let pass = run_test(
            &binary,
            "engine::harness::tests::probe_passes",
            Duration::from_secs(30),
            &|| {},
            Cancel::NEVER,
        );
        assert_eq!(pass.outcome, Outcome::Passed);
        let fail = run_test(
            &binary,
            "engine::harness::tests::probe_fails",
            Duration::from_secs(30),
            &|| {},
            Cancel::NEVER,
        );
        match fail.outcome {
            Outcome::Failed(message) => assert!(message.contains("the probe failed"), "{message}"),
            other => panic!("expected a failure, got {other:?}"),
        }
    }

    #[test]
    fn probe_passes() {}

    /// Fails only when run by the test above (it sets the package name to the probe's).
    #[test]
    fn probe_fails() {
        let probed = std::env::var_os("CARGO_PKG_NAME").is_some_and(|n| n == "xtask-probe");
        assert!(!probed, "the probe failed, as it should");
    }
}
