//! The last verdict `next` and `watch` gave, kept so that asking again with nothing
//! changed needs no build at all: a no-op `cargo build` costs more than the whole answer.
//! Keyed by everything that decides a verdict (the kata's files, the lock file and the
//! toolchain pin, the course's manifest, cargo's configuration, the tests' recorder, the
//! runner itself, the time limit, colour, the environment the tests inherit). Never the truth: a missing, stale
//! or unreadable file means the kata is built and run again. A verdict that depends on
//! the machine's load (a time-out, a crash) is not kept: asked again, it is run again.

use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::course::progress::source_hash;
use crate::engine::cancel::Cancel;
use crate::engine::compile;
use crate::engine::harness::Outcome;
use crate::engine::run::{self, KataResult, StepResult, Target};
use crate::util::error::Result;
use crate::util::json::{Json, object};
use crate::util::{files, ui};

/// `run::run_kata` as the learner's loop runs it (`next`, `watch`): the verdict it gave
/// last time when nothing it depends on changed since (the steps handed to `on_step` as
/// if they had just run); and when a kata passes, the incremental caches its build
/// wrote are dropped (`compile::forget_incremental`: a kata the learner moves on from).
pub fn run_kata(
    root: &Path,
    target: Target,
    limit: Duration,
    on_step: &mut dyn FnMut(usize, usize, &StepResult),
    cancel: Cancel,
) -> Result<KataResult> {
    let asked = key(root, &target, limit);
    if let Some(result) = recall(root, asked) {
        let mut position = 1;
        for step in &result.results {
            on_step(position, result.total, step);
            position += step.tests;
        }
        return Ok(result);
    }
    let started = std::time::SystemTime::now();
    let result = run::run_kata(root, target, limit, true, on_step, cancel)?;
    if !result.cancelled && result.passed() {
        compile::forget_incremental(root, started);
    }
    // A file saved while it ran may or may not be in what was built: keep the verdict
    // only when the key still holds afterwards.
    if key(root, &target, limit) == asked {
        remember(root, asked, &result);
    } else {
        let _ = fs::remove_file(path(root));
    }
    Ok(result)
}

fn path(root: &Path) -> PathBuf {
    root.join(".awaitlings").join("last-verdict")
}

fn key(root: &Path, target: &Target, limit: Duration) -> u64 {
    let mut hasher = DefaultHasher::new();
    source_hash(root, target.kata).hash(&mut hasher);
    (target.solution, target.with_references).hash(&mut hasher);
    limit.hash(&mut hasher);
    ui::colour().hash(&mut hasher);
    // The tests inherit the environment, and read some of it (the recorder draws plain
    // characters under NO_COLOR, as wide as COLUMNS): all of it but the shell's
    // bookkeeping, which changes from one command to the next, and CARGO, the program
    // that would build (the toolchain pin says which Rust it is).
    let mut environment: Vec<_> = std::env::vars_os()
        .filter(|(name, _)| {
            !["_", "OLDPWD", "PWD", "SHLVL", "CARGO"]
                .iter()
                .any(|v| name == v)
        })
        .collect();
    environment.sort();
    environment.hash(&mut hasher);
    // Cargo's configuration (rustflags, [env]) decides what is built: the course's and
    // the user's.
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")));
    let configs = [".cargo/config.toml", ".cargo/config"]
        .map(|file| root.join(file))
        .into_iter()
        .chain(
            cargo_home
                .into_iter()
                .flat_map(|home| ["config.toml", "config"].map(|file| home.join(file))),
        );
    for file in std::iter::once(root.join("Cargo.toml")).chain(configs) {
        fs::read(&file).unwrap_or_default().hash(&mut hasher);
    }
    for file in files::under(&root.join("timeline"), false) {
        file.hash(&mut hasher);
        fs::read(&file).unwrap_or_default().hash(&mut hasher);
    }
    // A rebuilt runner may judge or show differently (`DefaultHasher` too may change
    // with it): its size and time stand for its version.
    let runner = std::env::current_exe().and_then(fs::metadata);
    if let Ok(meta) = runner {
        (meta.len(), meta.modified().ok()).hash(&mut hasher);
    }
    hasher.finish()
}

fn recall(root: &Path, key: u64) -> Option<KataResult> {
    let text = fs::read_to_string(path(root)).ok()?;
    let json = Json::parse(&text)?;
    if json.get("key").as_str()? != key.to_string() {
        return None;
    }
    let result = json.get("result");
    let results = result
        .get("steps_run")
        .as_array()
        .iter()
        .map(|step| {
            Some(StepResult {
                label: step.get("label").as_str()?.to_string(),
                outcome: outcome_from(step.get("outcome"))?,
                tests: number(step.get("tests"))?,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(KataResult {
        results,
        steps: number(result.get("steps"))?,
        total: number(result.get("total"))?,
        references: strings(result.get("references"))?,
        warnings: strings(result.get("warnings"))?,
        cancelled: false,
        // Never kept with any (`remember`): a kata folder cargo cannot load is news.
        broken: Vec::new(),
    })
}

/// Keeps `result` for `key`, when it is one that asking again would give again.
fn remember(root: &Path, key: u64, result: &KataResult) {
    let steps: Option<Vec<Json>> = result
        .results
        .iter()
        .map(|step| {
            Some(object([
                ("label", Json::String(step.label.clone())),
                ("outcome", outcome_to(&step.outcome)?),
                ("tests", Json::Number(step.tests as f64)),
            ]))
        })
        .collect();
    let kept = match steps {
        Some(steps) if !result.cancelled && result.broken.is_empty() => object([
            ("key", Json::String(key.to_string())),
            (
                "result",
                object([
                    ("steps_run", Json::Array(steps)),
                    ("steps", Json::Number(result.steps as f64)),
                    ("total", Json::Number(result.total as f64)),
                    ("references", texts(&result.references)),
                    ("warnings", texts(&result.warnings)),
                ]),
            ),
        ]),
        // Nothing to keep: forget the last one, which is stale now.
        _ => {
            let _ = fs::remove_file(path(root));
            return;
        }
    };
    // A cache: failing to write it only costs a build next time.
    let _ = files::write(&path(root), &kept.to_string());
}

fn outcome_to(outcome: &Outcome) -> Option<Json> {
    Some(match outcome {
        Outcome::Passed => object([("passed", Json::Bool(true))]),
        Outcome::Failed(message) => object([("failed", Json::String(message.clone()))]),
        Outcome::DoesNotCompile(errors) => object([("does_not_compile", texts(errors))]),
        Outcome::TimedOut(_) | Outcome::Crashed(_) | Outcome::Cancelled => return None,
    })
}

fn outcome_from(json: &Json) -> Option<Outcome> {
    let Json::Object(map) = json else {
        return None;
    };
    let (kind, value): (&String, &Json) = map.iter().next()?;
    match kind.as_str() {
        "passed" => Some(Outcome::Passed),
        "failed" => Some(Outcome::Failed(value.as_str()?.to_string())),
        "does_not_compile" => Some(Outcome::DoesNotCompile(strings(value)?)),
        _ => None,
    }
}

fn texts(items: &[String]) -> Json {
    Json::Array(items.iter().cloned().map(Json::String).collect())
}

fn strings(json: &Json) -> Option<Vec<String>> {
    let Json::Array(items) = json else {
        return None;
    };
    items
        .iter()
        .map(|i| i.as_str().map(str::to_string))
        .collect()
}

fn number(json: &Json) -> Option<usize> {
    match json {
        Json::Number(n) if *n >= 0.0 && n.fract() == 0.0 => Some(*n as usize),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> KataResult {
        KataResult {
            results: vec![
                StepResult {
                    label: "t01_first".into(),
                    outcome: Outcome::Passed,
                    tests: 1,
                },
                StepResult {
                    label: "t02_second".into(),
                    outcome: Outcome::Failed("assertion `left == right` failed\n  \"é\"".into()),
                    tests: 1,
                },
            ],
            steps: 4,
            total: 5,
            references: vec!["t05_ref".into()],
            warnings: vec!["warning: unused `Sleep`".into()],
            cancelled: false,
            broken: vec![],
        }
    }

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("awaitlings-last-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn a_verdict_comes_back_as_it_was_for_its_key_only() {
        let root = scratch("back");
        remember(&root, 7, &sample());
        let back = recall(&root, 7).expect("kept");
        let steps = |r: &KataResult| -> Vec<(String, Outcome, usize)> {
            r.results
                .iter()
                .map(|s| (s.label.clone(), s.outcome.clone(), s.tests))
                .collect()
        };
        assert_eq!(steps(&back), steps(&sample()));
        assert_eq!((back.steps, back.total), (4, 5));
        assert_eq!(back.references, sample().references);
        assert_eq!(back.warnings, sample().warnings);
        assert!(recall(&root, 8).is_none(), "another key is another run");
        let _ = fs::remove_dir_all(&root);
    }

    #[test]
    fn a_verdict_the_load_decided_is_not_kept_and_forgets_the_last() {
        let root = scratch("load");
        remember(&root, 7, &sample());
        let mut timed_out = sample();
        timed_out.results[1].outcome = Outcome::TimedOut(crate::engine::harness::Timeout::new(
            Duration::from_secs(10),
            None,
            Duration::from_secs(10),
        ));
        remember(&root, 9, &timed_out);
        assert!(recall(&root, 9).is_none());
        assert!(recall(&root, 7).is_none(), "the older verdict is stale now");
        let _ = fs::remove_dir_all(&root);
    }

    #[test]
    fn an_unreadable_file_is_a_miss() {
        let root = scratch("bad");
        files::write(&path(&root), "{\"key\":\"7\",\"result\":[").unwrap();
        assert!(recall(&root, 7).is_none());
        let _ = fs::remove_dir_all(&root);
    }
}
