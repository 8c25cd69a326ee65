//! `cargo xtask watch`: `next`, again on every save. A thread waits for the system's file
//! events (`engine::file_events`) and walks the exercises' file metadata to see what a
//! save changed; where there are no events it polls, cheaply (the kata on screen often,
//! the rest once a second). A save cancels a run in progress and starts it over. On a
//! Unix terminal, single keys: `h` a hint for the kata on screen, `l` list, `q` quit;
//! any other key answers with these.
//!
//! The terminal is put in non-canonical, no-echo, no-signal mode with `stty`, and put
//! back on `q`, Ctrl-C (read as a key), a signal (SIGINT, SIGTERM, SIGHUP), an error or a
//! panic. Only SIGKILL (or a crash of the runner itself) leaves it as it was set: then
//! `stty sane` mends it.

use std::collections::BTreeMap;
use std::fs;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use crate::cmd::session::{self, Round};
use crate::course::progress::{Progress, first_unfinished};
use crate::course::{Course, Kata};
use crate::engine::cancel::Cancel;
use crate::engine::file_events;
use crate::util::error::Result;
use crate::util::{files, terminal, ui};
use crate::view::{Stdout, learner::Mode};
use crate::{engine::signals, view::hint, view::listing};

/// Polling, without file events: how often the kata on screen is looked at (its few
/// files), and how often the whole of the exercises is walked (~200 files: a walk every
/// 20 ms cost 6–11 % of a core idle). A save in the kata on screen is seen within a
/// tick, elsewhere within a second. For `AWAKE` after the last save the tick is short;
/// then, the learner reading or away, longer: idle, polling costs about half a percent
/// of a core (scripts in README).
const TICK: Duration = Duration::from_millis(20);
const IDLE_TICK: Duration = Duration::from_millis(100);
const AWAKE: Duration = Duration::from_secs(30);
const POLL_RESCAN: Duration = Duration::from_secs(1);
/// A change is a save once the files have stood still this long: an editor's write,
/// rename and chmod land within a millisecond or two of each other, so one save is one
/// run. Short, because every millisecond here is a millisecond of the learner's wait;
/// a slower burst costs at worst one run cancelled by the rest of it.
const QUIET: Duration = Duration::from_millis(15);
/// How often the files are looked at while a change settles.
const SETTLE_TICK: Duration = Duration::from_millis(5);
/// With file events: how often the files are walked anyway, for what events miss, and
/// how often a signal is looked for meanwhile.
const IDLE_RESCAN: Duration = Duration::from_secs(1);
const SIGNAL_TICK: Duration = Duration::from_millis(50);

/// The line under each verdict; scripts (`scripts/bench-watch`) and tests wait for it.
const VERDICT_MARK: &str = "── watching for saves (run";

#[derive(Debug, Clone, Copy, PartialEq)]
enum Key {
    Hint,
    List,
    Quit,
    /// Ctrl-C, read as a byte: the terminal sends no signal while we watch.
    Interrupt,
    /// A key that does nothing here (a letter, Enter): answered with the keys that do.
    Other,
}

const KEYS: &str = "h hint · l list · q quit";

enum Event {
    Saved,
    /// A key, and the kata whose header was on screen when it was pressed.
    Key(Key, Option<String>),
    /// SIGINT, SIGTERM or SIGHUP.
    Signal,
}

/// The kata whose header the screen shows (its id and folder), as the rounds print them:
/// `h` is for that kata, and polling looks at its files most often.
#[derive(Clone, Default)]
struct OnScreen(Arc<std::sync::Mutex<Option<(String, PathBuf)>>>);

impl OnScreen {
    fn set(&self, kata: &Kata) {
        if let Ok(mut shown) = self.0.lock() {
            *shown = Some((kata.id(), kata.exercise_dir.clone()));
        }
    }

    fn id(&self) -> Option<String> {
        self.0.lock().ok()?.as_ref().map(|(id, _)| id.clone())
    }

    fn dir(&self) -> Option<PathBuf> {
        self.0.lock().ok()?.as_ref().map(|(_, dir)| dir.clone())
    }
}

/// What the main loop does after an event.
enum Flow {
    Stay,
    Rerun,
    Stop(ExitCode),
}

pub fn watch(course: &Course, kata: Option<&str>, timeout: Option<Duration>) -> Result<ExitCode> {
    session::start(course, kata)?;
    let cancel = Arc::new(AtomicBool::new(false));
    let (events, inbox) = mpsc::channel();
    // Signals are only recorded from here: the poller sees them, and the run stops
    // what it started and puts the terminal back before it ends.
    signals::defer();
    // The first snapshot is taken now, so a save during the first run counts.
    let exercises = course.root.join("exercises");
    let debouncer = Debouncer::new(snapshot(&exercises), QUIET);
    let on_screen = OnScreen::default();
    spawn_poller(
        exercises,
        debouncer,
        events.clone(),
        Arc::clone(&cancel),
        on_screen.clone(),
    );
    // Dropped when this function ends, however it ends: that puts the terminal back.
    let terminal = start_keys(events, Arc::clone(&cancel), on_screen.clone());
    let keys_off = terminal.as_ref().err().map(|reason| {
        let text = format!("{reason}: keys are off; stop with Ctrl-C");
        println!("{}", ui::yellow(&text));
        text
    });
    let mode = Mode::Watch {
        keys: terminal.is_ok(),
    };
    let screen = std::io::stdout().is_terminal()
        && std::env::var_os("TERM").is_none_or(|term| term != "dumb");

    let mut runs = 0;
    let mut current: Option<&Kata> = None;
    loop {
        cancel.store(false, Ordering::SeqCst);
        runs += 1;
        if screen {
            // Home and clear: the view replaces the last one, as if `next` ran afresh.
            print!("\x1b[H\x1b[2J");
        } else if runs > 1 {
            println!("\n{}\n", "─".repeat(60));
        }
        let started = Instant::now();
        let shown = |kata: &Kata| on_screen.set(kata);
        let round = session::round(
            &mut Stdout,
            course,
            timeout,
            mode,
            Cancel::when(&cancel),
            &shown,
        );
        match round {
            Ok(Round::Failing(kata)) => {
                current = Some(kata);
                verdict_footer(runs, started.elapsed(), keys_off.as_deref());
            }
            Ok(Round::Complete) => {
                println!("Nothing left to watch: watch stops here.");
                return Ok(ExitCode::SUCCESS);
            }
            // A save (or a key) cut the run short; its event is waiting in the inbox.
            Ok(Round::Cancelled) => {}
            Err(error) => {
                eprintln!("{} {error}", ui::red("error:"));
                println!("Fix it and save: it runs again.");
                verdict_footer(runs, started.elapsed(), keys_off.as_deref());
            }
        }
        match wait_for_save(course, current, &inbox, keys_off.as_deref()) {
            Flow::Rerun | Flow::Stay => {}
            Flow::Stop(code) => {
                println!("Stopped watching.");
                return Ok(code);
            }
        }
    }
}

/// Handles keys until a save arrives (or the learner quits). Saves already queued are
/// folded into one: several saves during a run make one run after it.
fn wait_for_save(
    course: &Course,
    current: Option<&Kata>,
    inbox: &Receiver<Event>,
    keys_off: Option<&str>,
) -> Flow {
    loop {
        let Ok(event) = inbox.recv() else {
            return Flow::Stop(ExitCode::FAILURE);
        };
        match handle(course, current, event, keys_off) {
            Flow::Stay => {}
            Flow::Rerun => break,
            stop => return stop,
        }
    }
    while let Ok(event) = inbox.try_recv() {
        match event {
            // A hint or the list shown now would be wiped at once by the rerun's view
            // (and the hint counted as seen): the rerun goes first; press again after.
            Event::Saved | Event::Key(Key::Hint | Key::List | Key::Other, _) => {}
            event => {
                if let stop @ Flow::Stop(_) = handle(course, current, event, keys_off) {
                    return stop;
                }
            }
        }
    }
    Flow::Rerun
}

fn handle(course: &Course, current: Option<&Kata>, event: Event, keys_off: Option<&str>) -> Flow {
    match event {
        Event::Saved => Flow::Rerun,
        Event::Key(Key::Quit, _) => Flow::Stop(ExitCode::SUCCESS),
        // 128 + SIGINT, as a shell reports a Ctrl-C.
        Event::Key(Key::Interrupt, _) | Event::Signal => Flow::Stop(ExitCode::from(130)),
        Event::Key(Key::Hint, shown) => {
            let mut progress = Progress::load(&course.root);
            if let Some(kata) = hint_for(course, shown.as_deref(), current, &progress) {
                println!();
                let again = "Press h again for the next one.";
                if let Err(error) = hint::reveal(course, kata, &mut progress, again) {
                    eprintln!("{} {error}", ui::red("error:"));
                }
                keys_footer(keys_off);
            }
            Flow::Stay
        }
        Event::Key(Key::List, _) => {
            println!();
            listing::print_compact(course);
            keys_footer(keys_off);
            Flow::Stay
        }
        Event::Key(Key::Other, shown) => {
            let progress = Progress::load(&course.root);
            let kata = hint_for(course, shown.as_deref(), current, &progress)
                .map_or_else(String::new, |kata| format!(" for {}", kata.id()));
            println!(
                "\nkeys: h a hint{kata} · l the list of katas · q quit (saving a file runs \
                 the tests again)"
            );
            keys_footer(keys_off);
            Flow::Stay
        }
    }
}

/// The kata `h` is for: the one on screen when it was pressed (`shown`), else where the
/// last verdict left the learner, else where the cache says they are.
fn hint_for<'a>(
    course: &'a Course,
    shown: Option<&str>,
    current: Option<&'a Kata>,
    progress: &Progress,
) -> Option<&'a Kata> {
    shown
        .and_then(|id| course.katas.iter().find(|kata| kata.id() == id))
        .or(current)
        .or_else(|| first_unfinished(course, progress))
}

fn verdict_footer(runs: usize, elapsed: Duration, keys_off: Option<&str>) {
    let keys = keys_off.unwrap_or(KEYS);
    println!(
        "\n{}",
        ui::dim(&format!(
            "{VERDICT_MARK} {runs}, {}) · {keys}",
            ui::seconds(elapsed)
        ))
    );
}

/// After a hint or the list: still watching, not a new verdict.
fn keys_footer(keys_off: Option<&str>) {
    let keys = keys_off.unwrap_or(KEYS);
    println!("\n{}", ui::dim(&format!("── watching for saves · {keys}")));
}

// ---- Watching the files ----

/// What a save changes: each file's modification time and size, and the set of files.
/// Content is not read: a save that leaves both as they were (a `touch -m` to the same
/// time) is no save.
type Snapshot = BTreeMap<PathBuf, (Option<SystemTime>, u64)>;

fn snapshot(dir: &Path) -> Snapshot {
    files::under(dir, false)
        .into_iter()
        .filter(|path| {
            path.file_name()
                .is_none_or(|name| !ignored(&name.to_string_lossy()))
        })
        .filter_map(|path| {
            let meta = fs::metadata(&path).ok()?;
            Some((path, (meta.modified().ok(), meta.len())))
        })
        .collect()
}

/// Names that are no save of the learner's code: hidden files (editor swap files; the
/// walk skips them already), editor backups (`lib.rs~`) and autosaves (`#lib.rs#`).
fn ignored(name: &str) -> bool {
    name.starts_with('.') || name.starts_with('#') || name.ends_with('~')
}

/// Turns snapshots taken every tick into saves: a change is reported once, when the
/// files have stood still for `quiet`, so a burst of writes is one save.
struct Debouncer {
    settled: Snapshot,
    /// A change not yet reported, and when it was first seen as it is.
    pending: Option<(Snapshot, Instant)>,
    quiet: Duration,
    /// A file event arrived and the next observation has not been made.
    touched: bool,
    /// The pending change came from a file event: reported even if nothing looks moved.
    forced: bool,
}

impl Debouncer {
    fn new(initial: Snapshot, quiet: Duration) -> Debouncer {
        Debouncer {
            settled: initial,
            pending: None,
            quiet,
            touched: false,
            forced: false,
        }
    }

    /// Whether a change was seen that is not reported yet.
    fn settling(&self) -> bool {
        self.pending.is_some() || self.touched
    }

    /// A file event said something was written: the next observation is a change even
    /// if times and sizes read as before.
    fn touch(&mut self) {
        self.touched = true;
    }

    /// Whether `seen`, observed at `now`, completes a save.
    fn observe(&mut self, seen: Snapshot, now: Instant) -> bool {
        if std::mem::take(&mut self.touched) {
            self.forced = true;
        }
        if seen == self.settled && !self.forced {
            // Nothing moved, or the burst put everything back as it was.
            self.pending = None;
            return false;
        }
        match &self.pending {
            Some((pending, since)) if *pending == seen => {
                if now.duration_since(*since) < self.quiet {
                    return false;
                }
                self.settled = seen;
                self.pending = None;
                self.forced = false;
                true
            }
            // New, or still moving: the quiet period starts over.
            _ => {
                self.pending = Some((seen, now));
                false
            }
        }
    }
}

fn spawn_poller(
    dir: PathBuf,
    mut debouncer: Debouncer,
    events: Sender<Event>,
    cancel: Arc<AtomicBool>,
    on_screen: OnScreen,
) {
    thread::spawn(move || {
        // The platform's file events where there are any: idle, the thread sleeps until
        // a file changes, instead of walking the tree every tick. A walk still decides
        // what changed, and once a second catches what events miss (a network mount).
        // `AWAITLINGS_WATCH_POLL=1` polls only, as where there are no events.
        let events_source = (std::env::var_os("AWAITLINGS_WATCH_POLL").is_none())
            .then(|| file_events::Watcher::new(&dir))
            .flatten();
        let mut walked = Instant::now();
        let mut saved = Instant::now();
        let mut hot = HotKata::default();
        loop {
            let walk = match &events_source {
                Some(watcher) if !debouncer.settling() => {
                    // Short waits, so a signal is seen at once; a walk only on an event,
                    // or once a second.
                    let event = watcher.wait(SIGNAL_TICK);
                    if event {
                        // An event even when times and sizes look the same: a same-size
                        // save within the file system's timestamp granularity.
                        debouncer.touch();
                    }
                    event || walked.elapsed() >= IDLE_RESCAN
                }
                _ if debouncer.settling() => {
                    thread::sleep(SETTLE_TICK);
                    true
                }
                // Polling, idle: the kata on screen every tick, the rest once a second.
                _ => {
                    thread::sleep(if saved.elapsed() < AWAKE {
                        TICK
                    } else {
                        IDLE_TICK
                    });
                    hot.moved(on_screen.dir()) || walked.elapsed() >= POLL_RESCAN
                }
            };
            if signals::received() {
                cancel.store(true, Ordering::SeqCst);
                let _ = events.send(Event::Signal);
                return;
            }
            if !walk {
                continue;
            }
            walked = Instant::now();
            if debouncer.observe(snapshot(&dir), Instant::now()) {
                saved = Instant::now();
                // Cancel first: the run in progress is out of date.
                cancel.store(true, Ordering::SeqCst);
                if events.send(Event::Saved).is_err() {
                    return;
                }
            }
        }
    });
}

/// Polling's cheap look: the files of the kata on screen, compared with the last look.
#[derive(Default)]
struct HotKata {
    dir: Option<PathBuf>,
    seen: Snapshot,
}

impl HotKata {
    /// Whether the kata at `dir` changed since the last look (a new kata on screen is
    /// only looked at: the whole walk decides about it).
    fn moved(&mut self, dir: Option<PathBuf>) -> bool {
        let Some(dir) = dir else {
            return false;
        };
        let seen = snapshot(&dir);
        if self.dir.as_ref() != Some(&dir) {
            self.dir = Some(dir);
            self.seen = seen;
            return false;
        }
        if seen == self.seen {
            return false;
        }
        self.seen = seen;
        true
    }
}

// ---- Keys ----

/// The keys in what the terminal sent. Escape sequences (arrows, function keys) are
/// skipped whole, so the letters in them do nothing.
fn keys(bytes: &[u8]) -> Vec<Key> {
    let mut keys = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let key = match bytes[i] {
            0x1b => {
                i += match bytes.get(i + 1) {
                    // CSI: parameters, then one final byte in @..~
                    Some(b'[') => {
                        let rest = &bytes[i + 2..];
                        2 + rest
                            .iter()
                            .position(|b| (0x40..=0x7e).contains(b))
                            .map_or(rest.len(), |end| end + 1)
                    }
                    // SS3 (F1–F4, some arrows): one more byte
                    Some(b'O') => 3,
                    // Alt+key
                    Some(_) => 2,
                    None => 1,
                };
                continue;
            }
            b'h' | b'H' => Some(Key::Hint),
            b'l' | b'L' => Some(Key::List),
            b'q' | b'Q' | 0x04 => Some(Key::Quit),
            0x03 => Some(Key::Interrupt),
            b'\r' | b'\n' | b' '..=b'~' => Some(Key::Other),
            _ => None,
        };
        keys.extend(key);
        i += 1;
    }
    keys
}

/// The terminal as it was before `watch` changed it; put back when dropped.
struct RawTerminal {
    saved: terminal::Saved,
}

impl Drop for RawTerminal {
    fn drop(&mut self) {
        self.saved.restore();
    }
}

/// Starts reading single keys from the terminal, or says why keys are off.
fn start_keys(
    events: Sender<Event>,
    cancel: Arc<AtomicBool>,
    on_screen: OnScreen,
) -> Result<RawTerminal> {
    use std::io::Read;

    let saved = terminal::raw()?;
    let terminal = RawTerminal {
        saved: saved.clone(),
    };
    thread::spawn(move || {
        let mut stdin = std::io::stdin();
        let mut buffer = [0u8; 64];
        let mut interrupted: Option<Instant> = None;
        loop {
            let n = match stdin.read(&mut buffer) {
                Ok(0) => return,
                Ok(n) => n,
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => return,
            };
            for key in keys(&buffer[..n]) {
                if matches!(key, Key::Quit | Key::Interrupt) {
                    cancel.store(true, Ordering::SeqCst);
                }
                // A second Ctrl-C a while after the first: the runner is stuck somehow.
                // Put the terminal back and leave at once.
                if key == Key::Interrupt {
                    match interrupted {
                        Some(first) if first.elapsed() > Duration::from_secs(1) => {
                            signals::stop_running();
                            saved.restore();
                            std::process::exit(130);
                        }
                        Some(_) => {}
                        None => interrupted = Some(Instant::now()),
                    }
                }
                if events.send(Event::Key(key, on_screen.id())).is_err() {
                    return;
                }
            }
        }
    });
    Ok(terminal)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(entries: &[(&str, u64, u64)]) -> Snapshot {
        entries
            .iter()
            .map(|&(path, secs, len)| {
                let time = SystemTime::UNIX_EPOCH + Duration::from_secs(secs);
                (PathBuf::from(path), (Some(time), len))
            })
            .collect()
    }

    #[test]
    fn a_save_is_reported_once_when_the_files_stand_still() {
        let start = Instant::now();
        let ms = |n| start + Duration::from_millis(n);
        let quiet = Duration::from_millis(20);
        let mut debouncer = Debouncer::new(at(&[("a/lib.rs", 1, 10)]), quiet);
        assert!(
            !debouncer.observe(at(&[("a/lib.rs", 1, 10)]), ms(20)),
            "no change"
        );
        let saved = at(&[("a/lib.rs", 2, 11)]);
        assert!(!debouncer.observe(saved.clone(), ms(40)), "not still yet");
        assert!(
            debouncer.observe(saved.clone(), ms(60)),
            "still for 20 ms: a save"
        );
        assert!(!debouncer.observe(saved.clone(), ms(80)), "reported once");
        assert!(!debouncer.observe(saved, ms(100)), "and only once");
    }

    #[test]
    fn an_editors_burst_is_one_save() {
        let start = Instant::now();
        let ms = |n| start + Duration::from_millis(n);
        let mut debouncer = Debouncer::new(at(&[("lib.rs", 1, 10)]), Duration::from_millis(20));
        // Write a backup, rename, write, chmod: each tick sees something new.
        let steps = [
            at(&[("lib.rs", 1, 10), ("lib.rs~", 2, 10)]),
            at(&[("lib.rs~", 2, 10)]),
            at(&[("lib.rs", 3, 0), ("lib.rs~", 2, 10)]),
            at(&[("lib.rs", 3, 12)]),
        ];
        let mut reported = 0;
        for (tick, seen) in steps.iter().enumerate() {
            reported += usize::from(debouncer.observe(seen.clone(), ms(tick as u64 * 20)));
        }
        assert_eq!(reported, 0, "nothing while the files keep moving");
        for tick in 4..10 {
            reported += usize::from(debouncer.observe(steps[3].clone(), ms(tick * 20)));
        }
        assert_eq!(reported, 1, "one save once they stand still");
    }

    #[test]
    fn an_unchanged_save_and_a_burst_that_restores_are_no_save() {
        let start = Instant::now();
        let ms = |n| start + Duration::from_millis(n);
        let files = at(&[("lib.rs", 5, 10), ("README.md", 5, 99)]);
        let mut debouncer = Debouncer::new(files.clone(), Duration::from_millis(20));
        assert!(!debouncer.observe(at(&[("lib.rs", 5, 10)]), ms(10)));
        assert!(!debouncer.observe(files.clone(), ms(20)), "back as it was");
        for tick in 3..10 {
            assert!(!debouncer.observe(files.clone(), ms(tick * 10)));
        }
        // A new file is a change, as is a removed one.
        let added = at(&[("lib.rs", 5, 10), ("README.md", 5, 99), ("src/x.rs", 6, 1)]);
        assert!(!debouncer.observe(added.clone(), ms(200)));
        assert!(debouncer.observe(added, ms(220)));
        let removed = at(&[("lib.rs", 5, 10)]);
        assert!(!debouncer.observe(removed.clone(), ms(300)));
        assert!(debouncer.observe(removed, ms(330)));
    }

    #[test]
    fn snapshots_see_edits_and_skip_target_and_hidden_files() {
        let dir = std::env::temp_dir().join(format!("awaitlings-watch-{}", std::process::id()));
        let src = dir.join("00_a/01_b/src");
        fs::create_dir_all(&src).unwrap();
        fs::create_dir_all(dir.join("00_a/01_b/target")).unwrap();
        fs::write(src.join("lib.rs"), "fn a() {}").unwrap();
        fs::write(src.join(".lib.rs.swp"), "swap").unwrap();
        fs::write(src.join("lib.rs~"), "backup").unwrap();
        fs::write(dir.join("00_a/01_b/target/out"), "built").unwrap();
        let before = snapshot(&dir);
        assert_eq!(before.keys().collect::<Vec<_>>(), [&src.join("lib.rs")]);
        fs::write(src.join("lib.rs"), "fn a() { /* longer */ }").unwrap();
        let edited = snapshot(&dir);
        assert_ne!(edited, before, "an edit that changes the size");
        fs::write(dir.join("00_a/01_b/target/out"), "built again").unwrap();
        fs::write(src.join(".lib.rs.swp"), "swap again").unwrap();
        fs::write(src.join("lib.rs~"), "backup again").unwrap();
        assert_eq!(
            snapshot(&dir),
            edited,
            "target, hidden and backup files are not watched"
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    fn course() -> Course {
        let katas = (1..=3)
            .map(|n| Kata {
                module: "10_m".into(),
                folder: format!("{n:02}_k{n}"),
                name: format!("k{n}"),
                number: n,
                exercise_dir: PathBuf::from(format!("/c/exercises/10_m/{n:02}_k{n}")),
                solution_dir: PathBuf::from(format!("/c/solutions/10_m/{n:02}_k{n}")),
                timeout: None,
                points: 10,
                reference_tests: vec![],
                hang: None,
                allow: vec![],
            })
            .collect();
        Course {
            root: PathBuf::from("/nonexistent-awaitlings-course"),
            katas,
            target_dir: None,
        }
    }

    #[test]
    fn h_is_for_the_kata_on_screen_when_it_was_pressed() {
        let course = course();
        let progress = Progress::default();
        let id = |kata: Option<&Kata>| kata.map(Kata::id);
        // The learner worked on k1; it passed and the round moved on to k2, whose header
        // was on screen when h was pressed: k2's hint, not k1's.
        let on_screen = OnScreen::default();
        on_screen.set(&course.katas[1]);
        let hinted = hint_for(
            &course,
            on_screen.id().as_deref(),
            Some(&course.katas[0]),
            &progress,
        );
        assert_eq!(id(hinted), Some("10_m/02_k2".into()));
        assert_eq!(
            on_screen.dir(),
            Some(PathBuf::from("/c/exercises/10_m/02_k2"))
        );
        // Nothing on screen yet: the last verdict's kata, else where the cache says.
        let hinted = hint_for(&course, None, Some(&course.katas[2]), &progress);
        assert_eq!(id(hinted), Some("10_m/03_k3".into()));
        assert_eq!(
            id(hint_for(&course, None, None, &progress)),
            Some("10_m/01_k1".into())
        );
        // A kata that left the course (a folder renamed) is no kata: the fallbacks.
        let hinted = hint_for(&course, Some("10_m/09_gone"), None, &progress);
        assert_eq!(id(hinted), Some("10_m/01_k1".into()));
    }

    #[test]
    fn polling_looks_at_the_kata_on_screen_and_sees_its_saves() {
        let dir = std::env::temp_dir().join(format!("awaitlings-hot-{}", std::process::id()));
        let src = dir.join("src");
        fs::create_dir_all(&src).unwrap();
        fs::write(src.join("lib.rs"), "fn a() {}").unwrap();
        let mut hot = HotKata::default();
        assert!(!hot.moved(None), "nothing on screen: nothing to look at");
        assert!(!hot.moved(Some(dir.clone())), "a first look is no change");
        assert!(!hot.moved(Some(dir.clone())), "nothing moved");
        fs::write(src.join("lib.rs"), "fn a() { /* longer */ }").unwrap();
        assert!(hot.moved(Some(dir.clone())), "a save");
        assert!(!hot.moved(Some(dir.clone())), "seen once");
        fs::write(src.join("x.rs"), "").unwrap();
        assert!(hot.moved(Some(dir.clone())), "a new file");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn keys_map_to_actions_and_escape_sequences_do_nothing() {
        assert_eq!(keys(b"h"), [Key::Hint]);
        assert_eq!(keys(b"lq"), [Key::List, Key::Quit]);
        assert_eq!(keys(b"Q"), [Key::Quit]);
        assert_eq!(keys(&[0x03]), [Key::Interrupt]);
        assert_eq!(keys(&[0x04]), [Key::Quit]);
        assert_eq!(keys(b"x\n 1"), [Key::Other; 4], "answered with the keys");
        // Up arrow, Home (ESC [ H), F1 (ESC O P), ctrl-right (ESC [ 1 ; 5 C), Alt-h.
        assert_eq!(keys(b"\x1b[A\x1b[H\x1bOP\x1b[1;5C\x1bh"), []);
        assert_eq!(keys(&[0x7f, 0x01]), [], "backspace and other controls");
        assert_eq!(
            keys(b"\x1b[Ah"),
            [Key::Hint],
            "a key after a sequence counts"
        );
        assert_eq!(keys(b"\x1b"), [], "a lone escape");
    }
}
