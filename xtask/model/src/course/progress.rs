//! The progress file: a cache of test results keyed by a hash of each kata's sources,
//! plus how many hints were revealed. Never the truth: a missing, stale or unreadable
//! file only means katas are run again.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::course::{Course, Kata};
use crate::util::files;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Status {
    Passed,
    Failing,
}

#[derive(Debug, Default, PartialEq)]
pub struct Progress {
    /// kata id → (source hash, status when last run)
    results: BTreeMap<String, (u64, Status)>,
    /// kata id → hints revealed so far
    hints: BTreeMap<String, usize>,
    /// The kata the learner chose to work on (`next KATA`), until it passes.
    current: Option<String>,
}

const HEADER: &str = "# awaitlings progress cache: safe to delete, rebuilt from fresh test runs.";

impl Progress {
    pub fn path(root: &Path) -> PathBuf {
        root.join(".awaitlings").join("progress")
    }

    /// Reads the cache. Lines it cannot read are skipped (and reported once), so a
    /// corrupted file costs a re-run, never a crash.
    pub fn load(root: &Path) -> Progress {
        let (progress, bad_lines) = Progress::read(root);
        if bad_lines > 0 {
            eprintln!(
                "note: {} had {bad_lines} unreadable line(s); those katas will be run again.",
                Progress::path(root).display()
            );
        }
        progress
    }

    /// The cache and how many of its lines were unreadable.
    fn read(root: &Path) -> (Progress, usize) {
        match fs::read(Progress::path(root)) {
            Ok(bytes) => Progress::parse(&String::from_utf8_lossy(&bytes)),
            Err(_) => (Progress::default(), 0),
        }
    }

    fn parse(text: &str) -> (Progress, usize) {
        let mut progress = Progress::default();
        let mut bad_lines = 0;
        for line in text
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        {
            let fields: Vec<&str> = line.split('\t').collect();
            let parsed = match fields.as_slice() {
                ["result", id, hash, status] => {
                    let status = match *status {
                        "pass" => Some(Status::Passed),
                        "fail" => Some(Status::Failing),
                        _ => None,
                    };
                    u64::from_str_radix(hash, 16)
                        .ok()
                        .zip(status)
                        .map(|entry| progress.results.insert(id.to_string(), entry))
                        .is_some()
                }
                ["current", id] => {
                    progress.current = Some(id.to_string());
                    true
                }
                ["hints", id, count] => count
                    .parse()
                    .ok()
                    .map(|count| progress.hints.insert(id.to_string(), count))
                    .is_some(),
                _ => false,
            };
            bad_lines += usize::from(!parsed);
        }
        (progress, bad_lines)
    }

    /// Writes the cache through a temporary file, so an interrupted write leaves the old
    /// file whole. A cache that cannot be written only costs speed: warn and go on.
    pub fn save(&self, root: &Path) {
        let path = Progress::path(root);
        let result = (|| -> io::Result<()> {
            fs::create_dir_all(path.parent().expect("has a parent"))?;
            let temporary = path.with_extension("tmp");
            fs::write(&temporary, self.render())?;
            fs::rename(&temporary, &path)
        })();
        if let Err(error) = result {
            eprintln!(
                "note: could not save progress to {}: {error}",
                path.display()
            );
        }
    }

    fn render(&self) -> String {
        let mut text = format!("{HEADER}\n");
        for (id, (hash, status)) in &self.results {
            let status = match status {
                Status::Passed => "pass",
                Status::Failing => "fail",
            };
            text += &format!("result\t{id}\t{hash:016x}\t{status}\n");
        }
        for (id, count) in &self.hints {
            text += &format!("hints\t{id}\t{count}\n");
        }
        if let Some(id) = &self.current {
            text += &format!("current\t{id}\n");
        }
        text
    }

    /// The cached status, if the kata's sources are still the ones that produced it.
    pub fn status(&self, kata: &Kata, hash: u64) -> Option<Status> {
        self.results
            .get(&kata.id())
            .and_then(|&(cached, status)| (cached == hash).then_some(status))
    }

    pub fn record(&mut self, kata: &Kata, hash: u64, status: Status) {
        self.results.insert(kata.id(), (hash, status));
    }

    /// Drops the kata's cached result (a reset kata must be run again); its hints stay.
    pub fn forget(&mut self, kata: &Kata) {
        self.results.remove(&kata.id());
    }

    /// The kata the learner chose to work on, if any.
    pub fn current<'a>(&self, course: &'a Course) -> Option<&'a Kata> {
        let id = self.current.as_ref()?;
        course.katas.iter().find(|kata| &kata.id() == id)
    }

    /// A round of `next` or `watch` stopped at `kata`, failing: where the learner chose
    /// to work (`next KATA`), the choice follows them there, so the next round starts at
    /// it (README: "works on that kata now"), not at the first kata of the course that
    /// does not pass. Without a choice, course order decides. Whether it changed.
    pub fn follow(&mut self, course: &Course, kata: &Kata) -> bool {
        let follows = self
            .current(course)
            .is_some_and(|chosen| chosen.id() != kata.id());
        if follows {
            self.current = Some(kata.id());
        }
        follows
    }

    pub fn set_current(&mut self, kata: Option<&Kata>) {
        self.current = kata.map(Kata::id);
    }

    pub fn hints_revealed(&self, kata: &Kata) -> usize {
        self.hints.get(&kata.id()).copied().unwrap_or(0)
    }

    pub fn set_hints_revealed(&mut self, kata: &Kata, count: usize) {
        self.hints.insert(kata.id(), count);
    }
}

/// The first kata not known to pass, going by the cache alone (no build), from the one
/// the learner chose if any: where a learner is, for commands that should not run
/// anything to find out.
pub fn first_unfinished<'a>(course: &'a Course, progress: &Progress) -> Option<&'a Kata> {
    in_order(course, progress)
        .into_iter()
        .find(|kata| progress.status(kata, source_hash(&course.root, kata)) != Some(Status::Passed))
}

/// The katas in the order the learner meets them: from the one they chose (`next
/// KATA`) to the end of the course, then the ones they skipped; else course order.
pub fn in_order<'a>(course: &'a Course, progress: &Progress) -> Vec<&'a Kata> {
    let start = progress
        .current(course)
        .map_or(0, |kata| kata.number.saturating_sub(1));
    let mut order: Vec<&Kata> = course.katas.iter().collect();
    let start = start.min(order.len());
    order.rotate_left(start);
    order
}

/// How many katas the cache knows to pass with the sources they have now.
pub fn done_count(course: &Course, progress: &Progress) -> usize {
    // The shared files are read once, not once per kata: this runs on every save in watch.
    let shared = shared_hash(&course.root);
    course
        .katas
        .iter()
        .filter(|kata| progress.status(kata, kata_hash(shared, kata)) == Some(Status::Passed))
        .count()
}

/// A hash of everything that decides a kata's test results: its files, the lock file
/// and the toolchain pin. FNV-1a: tiny, and stable across Rust releases.
pub fn source_hash(root: &Path, kata: &Kata) -> u64 {
    kata_hash(shared_hash(root), kata)
}

/// The hash of the files every kata shares, to go on from with `kata_hash`.
fn shared_hash(root: &Path) -> u64 {
    let mut hash = Fnv(0xcbf2_9ce4_8422_2325);
    for file in ["Cargo.lock", "rust-toolchain.toml"] {
        hash.write(&fs::read(root.join(file)).unwrap_or_default());
    }
    hash.0
}

fn kata_hash(shared: u64, kata: &Kata) -> u64 {
    let mut hash = Fnv(shared);
    for path in files::under(&kata.exercise_dir, false) {
        hash.write(files::relative(&path, &kata.exercise_dir).as_bytes());
        hash.write(&fs::read(&path).unwrap_or_default());
    }
    hash.0
}

struct Fnv(u64);

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        // The length first, so ("ab", "c") and ("a", "bc") differ.
        for &byte in (bytes.len() as u64).to_le_bytes().iter().chain(bytes) {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_its_file_format() {
        let mut progress = Progress::default();
        progress
            .results
            .insert("00_welcome/01_hello".into(), (0xabc, Status::Passed));
        progress
            .results
            .insert("01_x/02_y".into(), (u64::MAX, Status::Failing));
        progress.hints.insert("01_x/02_y".into(), 2);
        let (read_back, bad_lines) = Progress::parse(&progress.render());
        assert_eq!(read_back, progress);
        assert_eq!(bad_lines, 0);
    }

    #[test]
    fn skips_what_it_cannot_read() {
        let text = "result\t00_a/01_b\tnot-hex\tpass\n\u{0}\u{1}garbage\nresult\t00_a/01_c\t1f\tfail\n\
                    hints\t00_a/01_c\tmany\nresult\t00_a/01_d\t1f\tmaybe\n";
        let (progress, bad_lines) = Progress::parse(text);
        assert_eq!(bad_lines, 4);
        assert_eq!(progress.results.len(), 1);
        assert_eq!(progress.results["00_a/01_c"], (0x1f, Status::Failing));
    }

    fn course(count: usize) -> Course {
        let katas = (1..=count)
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
            root: PathBuf::from("/c"),
            katas,
            target_dir: None,
        }
    }

    #[test]
    fn a_chosen_kata_keeps_the_learner_where_the_round_stops() {
        let course = course(5);
        let names = |progress: &Progress| -> Vec<String> {
            in_order(&course, progress)
                .iter()
                .map(|k| k.name.clone())
                .collect()
        };
        let mut progress = Progress::default();
        // No choice: course order, and a round that stops anywhere changes nothing.
        assert!(!progress.follow(&course, &course.katas[3]));
        assert_eq!(progress.current, None);
        assert_eq!(names(&progress), ["k1", "k2", "k3", "k4", "k5"]);
        // `next k3`: from there, the skipped ones after the last.
        progress.set_current(Some(&course.katas[2]));
        assert_eq!(names(&progress), ["k3", "k4", "k5", "k1", "k2"]);
        // k3 passed and the round stopped at k4: the learner is on k4 now, and a later
        // plain `next` or `watch` starts there, not at k1.
        assert!(progress.follow(&course, &course.katas[3]));
        assert_eq!(names(&progress), ["k4", "k5", "k1", "k2", "k3"]);
        let (read_back, _) = Progress::parse(&progress.render());
        assert_eq!(read_back.current.as_deref(), Some("10_m/04_k4"));
        // Stopping again at the kata already chosen changes nothing.
        assert!(!progress.follow(&course, &course.katas[3]));
    }

    #[test]
    fn the_hash_follows_the_sources() {
        let dir = std::env::temp_dir().join(format!("awaitlings-hash-{}", std::process::id()));
        let kata_dir = dir.join("exercises/00_a/01_b");
        fs::create_dir_all(kata_dir.join("src")).unwrap();
        fs::write(kata_dir.join("src/lib.rs"), "todo!()").unwrap();
        let kata = Kata {
            module: "00_a".into(),
            folder: "01_b".into(),
            name: "b".into(),
            number: 1,
            exercise_dir: kata_dir.clone(),
            solution_dir: dir.join("solutions/00_a/01_b"),
            timeout: None,
            points: 10,
            reference_tests: vec![],
            hang: None,
            allow: vec![],
        };
        let before = source_hash(&dir, &kata);
        assert_eq!(before, source_hash(&dir, &kata), "same sources, same hash");
        fs::write(kata_dir.join("src/lib.rs"), "42").unwrap();
        assert_ne!(before, source_hash(&dir, &kata), "an edit changes the hash");
        fs::remove_dir_all(&dir).unwrap();
    }
}
