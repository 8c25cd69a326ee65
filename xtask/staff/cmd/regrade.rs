//! `cargo xtask regrade STUDENT_DIR…`: the grade an instructor can trust. For each
//! student's repository, only the files a learner is meant to edit (each kata's `src/`)
//! are copied into a pristine copy of the course, and graded there: whatever else the
//! student changed cannot touch the tests, the manifest or the runner. Changed
//! protected files are still reported, beside honest points. Writes a gradebook CSV.
//!
//! Students are graded one after the other in one pristine workspace with its own
//! target dir, so dependencies are built once for the whole class. Never the course's
//! target dir: cargo names a workspace's crates by their path *within* the workspace,
//! so two workspaces with the same layout would take each other's builds for fresh.

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::grading::grade::{self, KataGrade};
use crate::grading::hidden::{self, Hidden};
use crate::grading::report;
use crate::grading::template::write_template;
use xtask::course::manifest::{GradedKata, Manifest, Tampered};
use xtask::course::{Course, Kata};
use xtask::util::error::{Context, Error, Result};
use xtask::util::sha1::git_blob_id;
use xtask::{util::files, util::ui};

pub struct Options {
    pub gradebook: PathBuf,
    /// Students graded at once, each in a pristine workspace of its own.
    pub jobs: usize,
    /// (I, N): grade only shard I of N of the students, sorted by name.
    pub shard: Option<(usize, usize)>,
    /// The instructor's hidden tests (see `hidden`).
    pub hidden: Option<PathBuf>,
}

/// One student's result.
struct Student {
    name: String,
    grades: Vec<KataGrade>,
    tampered: Vec<Tampered>,
    /// Why the student could not be graded at all.
    error: Option<String>,
}

/// What the students are graded on: the same for every student and every shard.
struct Assignment<'a> {
    course: &'a Course,
    katas: Vec<&'a Kata>,
    hidden: Vec<Hidden>,
    timeout: Option<Duration>,
    /// Grades by the kata's sources (and hidden tests): a kata whose `src/` is the same
    /// as one already graded (the untouched stub, most often) is not built again. The
    /// tests are deterministic, so the same code earns the same grade.
    cache: Mutex<HashMap<String, Vec<KataGrade>>>,
}

pub fn regrade(
    course: &Course,
    students: &[PathBuf],
    options: &Options,
    timeout: Option<Duration>,
) -> Result<ExitCode> {
    let started = Instant::now();
    let names = student_names(students)?;
    let katas = assignment_katas(course, students);
    if katas.is_empty() {
        return Err(
            "none of these folders holds a kata of this course (exercises/NN_module/NN_kata/): \
             are they the students' repositories?"
                .into(),
        );
    }
    let hidden = match &options.hidden {
        Some(dir) => hidden::load(dir, course)?
            .into_iter()
            .filter(|h| katas.iter().any(|k| k.id() == h.kata))
            .collect(),
        None => Vec::new(),
    };
    // Sorted by name, so that shards split the class the same way on every machine.
    let mut class: Vec<(String, PathBuf)> =
        names.into_iter().zip(students.iter().cloned()).collect();
    class.sort();
    if let Some((shard, of)) = options.shard {
        class = class
            .into_iter()
            .enumerate()
            .filter(|(index, _)| index % of == shard - 1)
            .map(|(_, student)| student)
            .collect();
    }
    let work = xtask::engine::compile::target_dir(&course.root).join("regrade");
    let jobs = options.jobs.min(class.len()).max(1);
    println!(
        "regrading {} on {}{} ({}; pristine copies in {})",
        ui::plural(class.len(), "student"),
        ui::plural(katas.len(), "kata"),
        match hidden.len() {
            0 => String::new(),
            n => format!(", {} with hidden tests", ui::plural(n, "kata")),
        },
        match jobs {
            1 => "one at a time".to_string(),
            n => format!("{n} at a time"),
        },
        course.relative(&work)
    );
    let assignment = Assignment {
        course,
        katas,
        hidden,
        timeout,
        cache: Mutex::new(HashMap::new()),
    };
    let queue = Mutex::new(class.iter().enumerate().collect::<VecDeque<_>>());
    let results: Mutex<Vec<Option<Student>>> = Mutex::new((0..class.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for job in 0..jobs {
            let (assignment, queue, results, work) = (&assignment, &queue, &results, &work);
            scope.spawn(move || {
                // Each job has a workspace and target dir of its own: two workspaces of one
                // layout must never share a target dir (cargo would take one's builds for
                // the other's).
                let workspace = work.join(format!("job-{job}"));
                loop {
                    let next = queue.lock().expect("queue").pop_front();
                    let Some((index, (name, dir))) = next else {
                        break;
                    };
                    let student = grade_student(assignment, name, dir, &workspace);
                    print_student(&student);
                    results.lock().expect("results")[index] = Some(student);
                }
            });
        }
    });
    let results: Vec<Student> = results
        .into_inner()
        .expect("results")
        .into_iter()
        .flatten()
        .collect();
    files::write(&options.gradebook, &csv(&results))?;
    // The class report sits beside the gradebook, whatever its name.
    let report = options
        .gradebook
        .with_file_name(match options.gradebook.file_stem() {
            Some(stem) if stem != "gradebook" => format!("{}-report.html", stem.to_string_lossy()),
            _ => "report.html".to_string(),
        });
    files::write(&report, &report::html(&class_report(&results, options)))?;
    println!(
        "\nwrote {} and {} in {:.1} s",
        options.gradebook.display(),
        report.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(if results.iter().all(|s| s.error.is_none()) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The class report's view of the results.
fn class_report(results: &[Student], options: &Options) -> report::Class {
    let title = match options.shard {
        Some((shard, of)) => format!("awaitlings regrade, shard {shard} of {of}"),
        None => "awaitlings regrade".to_string(),
    };
    report::Class {
        title,
        students: results
            .iter()
            .map(|student| report::StudentReport {
                name: student.name.clone(),
                error: student.error.clone(),
                katas: student
                    .grades
                    .iter()
                    .map(|grade| {
                        let (id, hidden) = match grade.id.strip_suffix(HIDDEN_SUFFIX) {
                            Some(id) => (id.to_string(), true),
                            None => (grade.id.clone(), false),
                        };
                        report::KataReport {
                            id,
                            points: grade.points(),
                            max_points: grade.max_points,
                            hidden,
                            tests: grade
                                .tests
                                .iter()
                                .map(|test| report::TestReport {
                                    name: test.name.clone(),
                                    passed: test.status == grade::Status::Pass,
                                    message: test.message.clone(),
                                })
                                .collect(),
                        }
                    })
                    .collect(),
                notes: student
                    .tampered
                    .iter()
                    .map(|t| format!("{} ({})", t.path, t.how))
                    .chain(
                        student
                            .grades
                            .iter()
                            .flat_map(|g| g.flagged.iter().map(ToString::to_string)),
                    )
                    .collect(),
            })
            .collect(),
    }
}

fn print_student(student: &Student) {
    let name = &student.name;
    match &student.error {
        Some(error) => println!("{} {name}: {error}", ui::red("✗")),
        None => {
            let earned = grade::total_points(&student.grades);
            let max: u32 = student.grades.iter().map(|g| g.max_points).sum();
            let note = match student.tampered.len() {
                0 => String::new(),
                n => ui::red(&format!(
                    "  ({} changed: see the gradebook)",
                    ui::plural(n, "protected file")
                )),
            };
            println!(
                "{} {name}: {} / {max}{note}",
                ui::green("✓"),
                grade::points(earned)
            );
        }
    }
}

fn grade_student(assignment: &Assignment, name: &str, dir: &Path, workspace: &Path) -> Student {
    let mut student = Student {
        name: name.to_string(),
        grades: Vec::new(),
        tampered: Vec::new(),
        error: None,
    };
    match pristine_grade(
        assignment,
        dir,
        &workspace.join("course"),
        &workspace.join("target"),
    ) {
        Ok((grades, tampered)) => (student.grades, student.tampered) = (grades, tampered),
        Err(error) => student.error = Some(error.to_string()),
    }
    student
}

/// Each student's name is their folder's; two folders with one name would share a row.
fn student_names(students: &[PathBuf]) -> Result<Vec<String>> {
    let mut seen = BTreeSet::new();
    students
        .iter()
        .map(|dir| {
            let name = dir
                .canonicalize()
                .ok()
                .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
                .ok_or_else(|| Error::Message(format!("{} is not a folder", dir.display())))?;
            if !seen.insert(name.clone()) {
                return Err(format!("two students' folders are named `{name}`: rename one").into());
            }
            Ok(name)
        })
        .collect()
}

/// The assignment: every course kata that any student's repository holds, so each
/// student is graded on the same katas (one who deleted a kata gets its stub).
fn assignment_katas<'a>(course: &'a Course, students: &[PathBuf]) -> Vec<&'a Kata> {
    course
        .katas
        .iter()
        .filter(|kata| {
            students
                .iter()
                .any(|dir| dir.join("exercises").join(kata.id()).is_dir())
        })
        .collect()
}

fn pristine_grade(
    assignment: &Assignment,
    dir: &Path,
    pristine: &Path,
    target_dir: &Path,
) -> Result<(Vec<KataGrade>, Vec<Tampered>)> {
    let course = assignment.course;
    if !dir.join("exercises").is_dir() {
        return Err(format!(
            "{} has no exercises/ folder: is it a student's repository?",
            dir.display()
        )
        .into());
    }
    if pristine.exists() {
        fs::remove_dir_all(pristine)
            .with_context(|| format!("cannot clear {}", pristine.display()))?;
    }
    // Fresh files, so cargo rebuilds every kata from this student's sources.
    write_template(course, pristine, &assignment.katas)?;
    let config = pristine.join(".cargo/config.toml");
    let mut text = fs::read_to_string(&config).unwrap_or_default();
    text += &format!(
        "\n[build]\ntarget-dir = {:?}\n",
        target_dir.display().to_string()
    );
    files::write(&config, &text)?;

    let manifest = Manifest::load(pristine)?;
    // What the student changed that they should not have: reported, never used.
    let mut tampered = manifest.tampered(dir);
    for kata in &assignment.katas {
        let src = Path::new("exercises").join(kata.id()).join("src");
        // A link anywhere on the way (`src/` pointing into a classmate's folder) is
        // never followed: that kata is graded as the stub, and the link reported.
        if let Some(link) = link_on_the_way(dir, &src) {
            tampered.push(Tampered {
                path: files::relative(&link, dir),
                how: "a symbolic link: not followed, the kata is graded as shipped",
            });
            continue;
        }
        if dir.join(&src).is_dir() {
            let _ = fs::remove_dir_all(pristine.join(&src));
            for skipped in copy_learner_files(&dir.join(&src), &pristine.join(&src))? {
                tampered.push(Tampered {
                    path: files::relative(&skipped, dir),
                    how: "not a regular file: not copied",
                });
            }
        }
    }
    // What the folder holds that the assignment does not: said, never graded.
    if !dir.join(".git").exists() {
        tampered.push(Tampered {
            path: ".git".into(),
            how: "missing: not a git repository (graded all the same)",
        });
    }
    for module in files::subfolders(&dir.join("exercises"), false) {
        for folder in files::subfolders(&dir.join("exercises").join(&module), false) {
            let id = format!("{module}/{folder}");
            if !assignment.katas.iter().any(|k| k.id() == id) {
                tampered.push(Tampered {
                    path: format!("exercises/{id}"),
                    how: "a kata this assignment does not have: not graded",
                });
            }
        }
    }
    tampered.sort_by(|a, b| a.path.cmp(&b.path));
    tampered.dedup_by(|a, b| a.path == b.path);
    let mut copy = Course::load(pristine)?;
    copy.target_dir = Some(target_dir.to_path_buf());
    for hidden in &assignment.hidden {
        if let Some(kata) = copy.katas.iter().find(|k| k.id() == hidden.kata) {
            hidden.install(&kata.exercise_dir)?;
        }
    }
    // A submission identical as a whole to one graded before (most often the untouched
    // template) keeps that grade: the tests are deterministic, and no student's code can
    // write to another's build (`engine::lints`, and the confined tests). A kata graded
    // beside other code is never reused for a different submission.
    let key = submission_key(&copy.katas, &assignment.hidden);
    if let Some(grades) = assignment.cache.lock().expect("cache").get(&key) {
        return Ok((grades.clone(), tampered));
    }
    let hidden_parts: Vec<(String, GradedKata)> = assignment
        .hidden
        .iter()
        .map(|h| (h.kata.clone(), h.graded()))
        .collect();
    let mut chosen: Vec<(&Kata, &GradedKata)> = Vec::new();
    for kata in &copy.katas {
        if let Some(graded) = manifest.kata(&kata.id()) {
            chosen.push((kata, graded));
        }
        for (_, part) in hidden_parts.iter().filter(|(id, _)| *id == kata.id()) {
            chosen.push((kata, part));
        }
    }
    let mut all = grade::grade_katas(&copy, &chosen, &[], assignment.timeout)?;
    // A kata's own tests come first; any part after them is its hidden tests.
    let mut previous: Option<String> = None;
    for grade in &mut all {
        if previous.as_deref() == Some(grade.id.as_str()) {
            grade.id = hidden_id(&grade.id);
        } else {
            previous = Some(grade.id.clone());
        }
    }
    assignment
        .cache
        .lock()
        .expect("cache")
        .insert(key, all.clone());
    Ok((all, tampered))
}

/// How a kata's hidden part is named in the gradebook.
fn hidden_id(kata: &str) -> String {
    format!("{kata}{HIDDEN_SUFFIX}")
}

const HIDDEN_SUFFIX: &str = " (hidden)";

/// What a submission's grade depends on: every file of every kata's `src/` (path and
/// contents, nothing skipped), and the hidden tests.
fn submission_key(katas: &[Kata], hidden: &[Hidden]) -> String {
    let mut text = String::new();
    for kata in katas {
        text += &format!("\nkata {}", kata.id());
        for path in files::every_entry(&kata.exercise_dir.join("src")) {
            let bytes = fs::read(&path).unwrap_or_default();
            text += &format!(
                "\n{:?} {}",
                files::relative(&path, &kata.exercise_dir),
                git_blob_id(&bytes)
            );
        }
    }
    for part in hidden {
        for (name, code) in &part.files {
            text += &format!("\nhidden {} {name} {}", part.kata, git_blob_id(code.as_bytes()));
        }
    }
    git_blob_id(text.as_bytes())
}

/// The first folder or file from `dir` down to `dir/relative` that is a symbolic link.
fn link_on_the_way(dir: &Path, relative: &Path) -> Option<PathBuf> {
    let mut path = dir.to_path_buf();
    for part in relative.components() {
        path.push(part);
        if fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Some(path);
        }
    }
    None
}

/// Copies the regular files of a learner's `src/`; returns what it left out: symbolic
/// links (one could point at a test file, or outside the repository) and other
/// non-files.
fn copy_learner_files(from: &Path, to: &Path) -> Result<Vec<PathBuf>> {
    let mut skipped = Vec::new();
    // Every entry, nothing skipped: what the compiler would read in the student's own
    // folder is what it reads here.
    for path in files::every_entry(from) {
        if !fs::symlink_metadata(&path).is_ok_and(|meta| meta.is_file()) {
            skipped.push(path);
            continue;
        }
        let target = to.join(path.strip_prefix(from).unwrap_or(&path));
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        fs::copy(&path, &target).with_context(|| format!("cannot copy {}", path.display()))?;
    }
    Ok(skipped)
}

/// `HEADER`'s columns: a row per student and kata, then the student's total.
fn csv(students: &[Student]) -> String {
    let mut text = String::from(HEADER);
    for student in students {
        if let Some(error) = &student.error {
            text += &row(&[&student.name, "error", "0", "0", "0", "0", error, ""]);
            continue;
        }
        let kata_files = |grade: &KataGrade| -> String {
            student
                .tampered
                .iter()
                .filter(|t| {
                    xtask::course::manifest::kata_of(&t.path).is_none_or(|owner| owner == grade.id)
                })
                .map(|t| format!("{} ({})", t.path, t.how))
                .collect::<Vec<_>>()
                .join("; ")
        };
        for grade in &student.grades {
            text += &row(&[
                &student.name,
                &grade.id,
                &grade::points(grade.points()),
                &grade.max_points.to_string(),
                &grade.passed().to_string(),
                &grade.tests.len().to_string(),
                &kata_files(grade),
                &flagged(&grade.flagged),
            ]);
        }
        let earned = grade::total_points(&student.grades);
        let all_files: Vec<String> = student
            .tampered
            .iter()
            .map(|t| format!("{} ({})", t.path, t.how))
            .collect();
        text += &row(&[
            &student.name,
            "total",
            &grade::points(earned),
            &student
                .grades
                .iter()
                .map(|g| g.max_points)
                .sum::<u32>()
                .to_string(),
            &student
                .grades
                .iter()
                .map(KataGrade::passed)
                .sum::<usize>()
                .to_string(),
            &student
                .grades
                .iter()
                .map(|g| g.tests.len())
                .sum::<usize>()
                .to_string(),
            &all_files.join("; "),
            &flagged(
                &student
                    .grades
                    .iter()
                    .flat_map(|g| g.flagged.clone())
                    .collect::<Vec<_>>(),
            ),
        ]);
    }
    text
}

/// The gradebook's columns. `flagged_code` names what grading refused in a kata's code.
pub const HEADER: &str =
    "student,kata,points,max_points,tests_passed,tests_total,tampered_files,flagged_code\n";

fn flagged(findings: &[crate::grading::scan::Finding]) -> String {
    findings
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// `gradebook merge`: the shards' gradebooks as one, students in name order. A
/// gradebook with other columns (an older runner's) is refused: merged, its columns would
/// be misread.
pub fn merge(files: &[PathBuf], output: &Path) -> Result<ExitCode> {
    let mut rows: Vec<(String, String)> = Vec::new();
    let mut seen: HashMap<String, PathBuf> = HashMap::new();
    for file in files {
        let text =
            fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
        let mut lines = text.lines();
        let header = lines.next().unwrap_or("");
        if format!("{header}\n") != HEADER {
            return Err(format!(
                "{} is not a gradebook of this runner: its columns are `{header}`, this \
                 runner writes `{}`; regrade that shard again",
                file.display(),
                HEADER.trim_end()
            )
            .into());
        }
        let mut students_here = BTreeSet::new();
        for line in lines.filter(|l| !l.is_empty()) {
            let student = line
                .split(',')
                .next()
                .unwrap_or("")
                .trim_matches('"')
                .to_string();
            if let Some(other) = seen.get(&student)
                && other != file
            {
                return Err(format!(
                    "student `{student}` is in both {} and {}: were the shards overlapping?",
                    other.display(),
                    file.display()
                )
                .into());
            }
            students_here.insert(student.clone());
            rows.push((student, line.to_string()));
        }
        for student in students_here {
            seen.insert(student, file.clone());
        }
    }
    // A stable sort keeps each student's rows in order, total last.
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    let mut text = String::from(HEADER);
    for (_, line) in &rows {
        text += line;
        text.push('\n');
    }
    files::write(output, &text)?;
    println!(
        "{} merged {} into {} ({})",
        ui::green("✓"),
        ui::plural(files.len(), "gradebook"),
        output.display(),
        ui::plural(seen.len(), "student")
    );
    Ok(ExitCode::SUCCESS)
}

fn row(fields: &[&str]) -> String {
    let quoted: Vec<String> = fields
        .iter()
        .map(|field| {
            if field.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", field.replace('"', "\"\""))
            } else {
                field.to_string()
            }
        })
        .collect();
    quoted.join(",") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_csv_fields_that_need_it() {
        assert_eq!(
            row(&["a", "b,c", "say \"hi\""]),
            "a,\"b,c\",\"say \"\"hi\"\"\"\n"
        );
    }
}
