//! Runs a kata's tests one at a time, in teaching order: test targets by file name,
//! then tests by name. A target that does not compile counts as one failing step in its
//! place, so the other targets' tests still run.

use std::path::Path;
use std::time::Duration;

use crate::course::progress::Status;
use crate::course::{Course, Kata};
use crate::engine::cancel::Cancel;
use crate::engine::compile::{Build, CompileFailure, TestBinary, build_tests};
use crate::engine::harness::{self, Outcome};
use crate::engine::health::{self, Broken};
use crate::util::error::{Error, Result};
use crate::util::ui;

pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// The label of the step that stands for the kata's own code not compiling.
pub const KATA_CODE: &str = "the kata's code";

/// One thing to run: a test, or a test target that did not compile.
pub enum Step<'a> {
    Test {
        binary: &'a TestBinary,
        name: String,
    },
    /// `target` is the test file's target name, or `None` for the kata's own code.
    DoesNotCompile {
        target: Option<String>,
        errors: Vec<String>,
        /// The tests it stands for: those of the test file, or of every test file when
        /// the kata's own code does not compile. A learner counts tests, not targets.
        tests: usize,
    },
}

impl Step<'_> {
    /// How many tests this step stands for.
    pub fn tests(&self) -> usize {
        match self {
            Step::Test { .. } => 1,
            Step::DoesNotCompile { tests, .. } => *tests,
        }
    }

    pub fn label(&self) -> String {
        match self {
            Step::Test { name, .. } => name.clone(),
            Step::DoesNotCompile { target: None, .. } => KATA_CODE.into(),
            Step::DoesNotCompile {
                target: Some(target),
                ..
            } => format!("tests/{target}.rs"),
        }
    }
}

pub struct Plan<'a> {
    pub steps: Vec<Step<'a>>,
    /// Reference tests left out (for learners: they pass by design and are slow).
    pub references: Vec<String>,
}

/// Which package of a kata to run, and whether to include its reference tests.
#[derive(Clone, Copy)]
pub struct Target<'a> {
    pub kata: &'a Kata,
    pub solution: bool,
    pub with_references: bool,
}

impl<'a> Target<'a> {
    pub fn package(&self) -> String {
        if self.solution {
            self.kata.solution_package()
        } else {
            self.kata.name.clone()
        }
    }

    pub fn dir(&self) -> &'a Path {
        if self.solution {
            &self.kata.solution_dir
        } else {
            &self.kata.exercise_dir
        }
    }
}

pub fn plan<'a>(build: &'a Build, target: Target<'a>) -> Result<Plan<'a>> {
    plan_in(build, target.kata, target.dir(), target.with_references)
}

/// The plan for the package at `dir`, which runs `kata`'s tests: the kata itself, its
/// solution, or one of its wrong answers.
pub fn plan_in<'a>(
    build: &'a Build,
    kata: &Kata,
    dir: &'a Path,
    with_references: bool,
) -> Result<Plan<'a>> {
    let mut steps = Vec::new();
    let mut references = Vec::new();
    if let Some(failure) = build.failures_of(dir).find(|f| f.in_library) {
        let tests = kata
            .test_files()
            .iter()
            .map(|file| kata.tests_in(file, with_references))
            .sum::<usize>()
            .max(1);
        steps.push(Step::DoesNotCompile {
            target: None,
            errors: failure.errors.clone(),
            tests,
        });
        return Ok(Plan { steps, references });
    }
    // Test files in file-name order, whether they built or not.
    let mut targets: Vec<(&str, Result<&TestBinary, &CompileFailure>)> = build
        .binaries_of(dir)
        .map(|binary| (binary.target.as_str(), Ok(binary)))
        .chain(
            build
                .failures_of(dir)
                .map(|failure| (failure.target.as_str(), Err(failure))),
        )
        .collect();
    targets.sort_by_key(|(name, _)| *name);
    for (_, built) in targets {
        let binary = match built {
            Ok(binary) => binary,
            Err(failure) => {
                let file = kata
                    .exercise_dir
                    .join("tests")
                    .join(format!("{}.rs", failure.target));
                steps.push(Step::DoesNotCompile {
                    target: Some(failure.target.clone()),
                    errors: failure.errors.clone(),
                    tests: kata.tests_in(&file, with_references).max(1),
                });
                continue;
            }
        };
        for name in harness::list_tests(binary)? {
            if kata.is_reference(&name) && !with_references {
                references.push(name);
            } else {
                steps.push(Step::Test { binary, name });
            }
        }
    }
    if steps.is_empty() && references.is_empty() {
        return Err(Error::new(format!("{} has no tests", dir.display())));
    }
    Ok(Plan { steps, references })
}

pub fn execute(step: &Step, limit: Duration, cancel: Cancel) -> harness::TestRun {
    match step {
        Step::Test { binary, name } => harness::run_test(
            binary,
            name,
            limit,
            &|| crate::engine::observe::still_running(name, limit),
            cancel,
        ),
        Step::DoesNotCompile { errors, .. } => harness::TestRun {
            outcome: Outcome::DoesNotCompile(errors.clone()),
            elapsed: Duration::ZERO,
        },
    }
}

/// The per-test limit: the command line or environment first, then the kata's own.
pub fn time_limit(kata: &Kata, requested: Option<Duration>) -> Duration {
    requested
        .or(kata.timeout.map(Duration::from_secs))
        .unwrap_or(DEFAULT_TIMEOUT)
}

pub struct StepResult {
    pub label: String,
    pub outcome: Outcome,
    /// The tests it stands for (see `Step::tests`).
    pub tests: usize,
}

pub struct KataResult {
    /// The steps that ran, in order; fewer than `steps` when stopped at a failure.
    pub results: Vec<StepResult>,
    pub steps: usize,
    /// Tests in all: a test file that does not compile counts for its tests.
    pub total: usize,
    pub references: Vec<String>,
    /// The compiler's warnings about the kata's own code, rendered.
    pub warnings: Vec<String>,
    /// Stopped by its `Cancel` (`watch`: a newer save): the steps so far are dropped.
    pub cancelled: bool,
    /// Kata folders cargo cannot load, left out of the build (which ran apart).
    pub broken: Vec<Broken>,
}

impl KataResult {
    fn cancelled() -> KataResult {
        KataResult {
            results: Vec::new(),
            steps: 0,
            total: 0,
            references: Vec::new(),
            warnings: Vec::new(),
            cancelled: true,
            broken: Vec::new(),
        }
    }

    pub fn passed(&self) -> bool {
        self.results.len() == self.steps
            && self.results.iter().all(|r| r.outcome == Outcome::Passed)
    }

    /// Tests that ran (or stood for a test file that did not compile).
    pub fn tests_run(&self) -> usize {
        self.results.iter().map(|r| r.tests).sum()
    }

    pub fn status(&self) -> Status {
        if self.passed() {
            Status::Passed
        } else {
            Status::Failing
        }
    }

    pub fn passed_count(&self) -> usize {
        self.results
            .iter()
            .filter(|r| r.outcome == Outcome::Passed)
            .map(|r| r.tests)
            .sum()
    }
}

/// Builds a kata's package and runs its steps in order, telling `on_step` about each as
/// it ends (with the 1-based position of its first test, and the tests in all). With
/// `stop_at_failure`, the first failure ends the run: that is what `next` shows a
/// learner. Once `cancel` is set (`watch`: a newer save arrived), the build or the
/// running test is killed and the result is `cancelled`, the steps so far dropped.
pub fn run_kata(
    root: &Path,
    target: Target,
    limit: Duration,
    stop_at_failure: bool,
    on_step: &mut dyn FnMut(usize, usize, &StepResult),
    cancel: Cancel,
) -> Result<KataResult> {
    let (build, broken) = build_or_apart(root, &target, cancel)?;
    if build.cancelled {
        return Ok(KataResult::cancelled());
    }
    let plan = plan(&build, target)?;
    let total = plan.steps.iter().map(Step::tests).sum();
    let mut results = Vec::new();
    let mut position = 1;
    for step in &plan.steps {
        let run = execute(step, limit, cancel);
        if run.outcome == Outcome::Cancelled {
            return Ok(KataResult::cancelled());
        }
        let result = StepResult {
            label: step.label(),
            outcome: run.outcome,
            tests: step.tests(),
        };
        on_step(position, total, &result);
        position += result.tests;
        let failed = result.outcome != Outcome::Passed;
        results.push(result);
        if failed && stop_at_failure {
            break;
        }
    }
    let dir = target.dir();
    Ok(KataResult {
        results,
        steps: plan.steps.len(),
        total,
        references: plan.references,
        warnings: build
            .warnings
            .iter()
            .filter(|(package, _)| package == dir)
            .map(|(_, text)| text.clone())
            .collect(),
        cancelled: false,
        broken,
    })
}

/// The kata's tests, built in the course's workspace; when cargo refuses the workspace
/// for a kata folder it cannot load (a broken `Cargo.toml`, an empty or a copied
/// folder), built apart without it, and the folders named. The kata's own folder
/// broken is an error that says how to repair it.
fn build_or_apart(root: &Path, target: &Target, cancel: Cancel) -> Result<(Build, Vec<Broken>)> {
    let error = match build_tests(root, &[&target.package()], ui::colour(), cancel) {
        Ok(build) => return Ok((build, Vec::new())),
        Err(error) => error,
    };
    let said = crate::engine::compile::refused(&error).map_or("", |refused| &refused.said);
    let mut broken = health::found(root, said);
    if broken.is_empty() {
        return Err(error);
    }
    let own_folder = crate::util::files::relative(target.dir(), root);
    let own = |broken: &[Broken]| {
        broken
            .iter()
            .find(|b| b.folder == own_folder)
            .map(|b| Error::new(health::repair(root, b)))
    };
    if let Some(error) = own(&broken) {
        return Err(error);
    }
    let course = Course::load(root)?;
    let build = health::build_apart(&course, &[target.kata], &mut broken, ui::colour())?;
    match own(&broken) {
        Some(error) => Err(error),
        None => Ok((build, broken)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::compile::CompileFailure;

    #[test]
    fn a_test_file_that_does_not_compile_stands_for_its_tests() {
        let dir = std::env::temp_dir().join(format!("awaitlings-plan-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("tests")).unwrap();
        std::fs::write(
            dir.join("tests/kata_send.rs"),
            "#[tokio::test]\nasync fn t04_a() {}\n#[tokio::test]\nasync fn t05_b() {}\n\
             #[test]\nfn t06_reference() {}\n",
        )
        .unwrap();
        std::fs::write(dir.join("tests/kata.rs"), "#[test]\nfn t01() {}\n").unwrap();
        let kata = Kata {
            module: "06".into(),
            folder: "01".into(),
            name: "k".into(),
            number: 1,
            exercise_dir: dir.clone(),
            solution_dir: dir.join("none"),
            timeout: None,
            points: 10,
            reference_tests: vec!["t06_reference".into()],
            hang: None,
            allow: vec![],
        };
        let failure = |target: &str, in_library| CompileFailure {
            package_dir: dir.clone(),
            target: target.into(),
            in_library,
            errors: vec!["error: future cannot be sent".into()],
            diagnostics: vec![],
        };
        let build = Build {
            binaries: vec![],
            failures: vec![failure("kata_send", false)],
            warnings: vec![],
            cancelled: false,
        };
        let plan = plan_in(&build, &kata, &dir, false).unwrap();
        let counts: Vec<(String, usize)> =
            plan.steps.iter().map(|s| (s.label(), s.tests())).collect();
        assert_eq!(counts, [("tests/kata_send.rs".to_string(), 2)]);
        let plan = plan_in(&build, &kata, &dir, true).unwrap();
        assert_eq!(plan.steps[0].tests(), 3, "with the reference case");

        let broken = Build {
            binaries: vec![],
            failures: vec![failure("kata", true)],
            warnings: vec![],
            cancelled: false,
        };
        let plan = plan_in(&broken, &kata, &dir, false).unwrap();
        assert_eq!(plan.steps[0].label(), KATA_CODE);
        assert_eq!(
            plan.steps[0].tests(),
            3,
            "every test of every file waits on it"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
