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

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
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
use xtask::course::mistakes::Mistakes;
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
    /// The known mistake each kata's code behaves like (`course::mistakes`), by kata id:
    /// (the wrong answer's name, its sentence).
    mistakes: BTreeMap<String, (String, String)>,
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
    // The class report sits beside the gradebook, whatever its name.
    let report = options
        .gradebook
        .with_file_name(match options.gradebook.file_stem() {
            Some(stem) if stem != "gradebook" => format!("{}-report.html", stem.to_string_lossy()),
            _ => "report.html".to_string(),
        });
    let queue = Mutex::new(class.iter().enumerate().collect::<VecDeque<_>>());
    let results: Mutex<Vec<Option<Student>>> = Mutex::new((0..class.len()).map(|_| None).collect());
    // The first failure to write the gradebook or the report; grading goes on.
    let unwritten: Mutex<Option<Error>> = Mutex::new(None);
    std::thread::scope(|scope| {
        for job in 0..jobs {
            let (assignment, queue, results, work) = (&assignment, &queue, &results, &work);
            let (report, unwritten) = (&report, &unwritten);
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
                    // Written as each student finishes (under the lock: one writer at a
                    // time), so a run killed half-way keeps every grade so far; said
                    // once written.
                    let mut results = results.lock().expect("results");
                    results[index] = Some(student);
                    let done: Vec<&Student> = results.iter().flatten().collect();
                    if let Err(error) = write_results(&done, options, report) {
                        unwritten.lock().expect("unwritten").get_or_insert(error);
                    }
                    if let Some(student) = &results[index] {
                        print_student(student);
                    }
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
    if let Some(error) = unwritten.into_inner().expect("unwritten") {
        return Err(error);
    }
    // Once more: a class of no student still gets its (empty) gradebook and report.
    write_results(&results.iter().collect::<Vec<_>>(), options, &report)?;
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

/// The gradebook and the class report of the students graded so far, each written whole
/// to a temporary file and renamed into place: a reader (or a run killed mid-write)
/// never sees half of one.
fn write_results(done: &[&Student], options: &Options, report: &Path) -> Result<()> {
    write_atomically(&options.gradebook, &csv(done)?)?;
    write_atomically(report, &report::html(&class_report(done, options)))
}

fn write_atomically(path: &Path, text: &str) -> Result<()> {
    // Only a file is replaced: `--output /dev/null` (or a FIFO) is written to, as asked.
    if fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        return fs::write(path, text).with_context(|| format!("cannot write {}", path.display()));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    files::write(&temporary, text)?;
    fs::rename(&temporary, path).with_context(|| {
        let _ = fs::remove_file(&temporary);
        format!("cannot write {}", path.display())
    })
}

/// The class report's view of the results.
fn class_report(results: &[&Student], options: &Options) -> report::Class {
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
                            mistake: student.mistakes.get(&grade.id).cloned(),
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
                notes: notes(student),
            })
            .collect(),
    }
}

/// Why points were withheld, each note under its own reason (the gradebook's columns).
fn notes(student: &Student) -> Vec<report::Note> {
    use report::{Note, Reason};
    let mut notes: Vec<Note> = student
        .tampered
        .iter()
        .map(|t| Note::new(Reason::Tampered, format!("{} ({})", t.path, t.how)))
        .collect();
    for grade in &student.grades {
        notes.extend(
            grade
                .flagged
                .iter()
                .map(|f| Note::new(Reason::Flagged, f.to_string())),
        );
        notes.extend(
            grade
                .refused
                .iter()
                .map(|r| Note::new(Reason::RefusedBinary, format!("{}: {r}", grade.id))),
        );
        notes.extend(
            grade
                .tests
                .iter()
                .filter(|t| t.timed_out)
                .map(|t| Note::new(Reason::TimedOut, format!("{} {}", grade.id, t.name))),
        );
    }
    notes
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
        mistakes: BTreeMap::new(),
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
    let known = Mistakes::load(&assignment.course.root);
    for grade in &student.grades {
        let mistake = grade
            .signature()
            .and_then(|signature| known.recognise(&grade.id, &signature));
        if let Some(mistake) = mistake {
            student.mistakes.insert(
                grade.id.clone(),
                (mistake.name.clone(), mistake.sentence.clone()),
            );
        }
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
                .ok_or_else(|| Error::new(format!("{} is not a folder", dir.display())))?;
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
            for (skipped, why) in copy_learner_files(&dir.join(&src), &pristine.join(&src))? {
                tampered.push(Tampered {
                    path: files::relative(&skipped, dir),
                    how: match why {
                        "a symbolic link" => "a symbolic link: not copied",
                        "too large" => "too large: not copied",
                        "a name that is not UTF-8" => "a name that is not UTF-8: not copied",
                        _ => "not a regular file: not copied",
                    },
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
            text += &format!(
                "\nhidden {} {name} {}",
                part.kata,
                git_blob_id(code.as_bytes())
            );
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

/// Copies the regular files of a learner's `src/`; returns what it left out, and why:
/// symbolic links (one could point at a test file, or outside the repository), other
/// non-files (a FIFO would block the copy) and files over `files::READ_LIMIT`.
fn copy_learner_files(from: &Path, to: &Path) -> Result<Vec<(PathBuf, &'static str)>> {
    let mut skipped = Vec::new();
    // Every entry, nothing skipped: what the compiler would read in the student's own
    // folder is what it reads here.
    for path in files::every_entry(from) {
        // Rust names its modules' files in UTF-8: any other name is no code of the kata.
        if path.to_str().is_none() {
            skipped.push((path, "a name that is not UTF-8"));
            continue;
        }
        let bytes = match files::read_plain(&path) {
            Ok(bytes) => bytes,
            Err(why) => {
                skipped.push((path, why));
                continue;
            }
        };
        let target = to.join(path.strip_prefix(from).unwrap_or(&path));
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        fs::write(&target, bytes).with_context(|| format!("cannot copy {}", path.display()))?;
    }
    Ok(skipped)
}

/// The gradebook's columns: a row per student and kata, then the student's total.
/// Each reason a kata earns nothing has its own column: `tampered_files` (protected files
/// changed), `flagged_code` (what the scan refused), `refused_binaries` (test binaries
/// grading would not run), `timed_out_tests` (tests stopped at their time limit),
/// `recognised_mistake` (the known wrong answer the kata's code fails like, by name, from
/// `mistakes-manifest.txt`; not a reason: a diagnosis) and `error` (why the student, or the kata, could not be graded at all).
pub const COLUMNS: [&str; 12] = [
    "student",
    "kata",
    "points",
    "max_points",
    "tests_passed",
    "tests_total",
    "tampered_files",
    "flagged_code",
    "refused_binaries",
    "timed_out_tests",
    "recognised_mistake",
    "error",
];

/// The gradebook of `students`, in their order.
fn csv(students: &[&Student]) -> Result<String> {
    let mut rows = vec![COLUMNS.map(String::from).to_vec()];
    for student in students {
        rows.extend(student_rows(student));
    }
    write_csv(&rows)
}

/// A student's rows: one per kata, then the total (only the total, with the reason, for
/// a student who could not be graded).
fn student_rows(student: &Student) -> Vec<Vec<String>> {
    let listed = |items: Vec<String>| items.join("; ");
    let tampered = |grade: Option<&KataGrade>| -> String {
        listed(
            student
                .tampered
                .iter()
                .filter(|t| {
                    grade.is_none_or(|grade| {
                        xtask::course::manifest::kata_of(&t.path)
                            .is_none_or(|owner| owner == grade.id)
                    })
                })
                .map(|t| format!("{} ({})", t.path, t.how))
                .collect(),
        )
    };
    let flagged = |grades: &[&KataGrade]| -> String {
        listed(
            grades
                .iter()
                .flat_map(|g| g.flagged.iter().map(ToString::to_string))
                .collect(),
        )
    };
    let refused = |grades: &[&KataGrade]| -> String {
        listed(grades.iter().flat_map(|g| g.refused.clone()).collect())
    };
    let timed_out = |grades: &[&KataGrade], named: bool| -> String {
        listed(
            grades
                .iter()
                .flat_map(|g| {
                    g.tests
                        .iter()
                        .filter(|t| t.timed_out)
                        .map(move |t| match named {
                            true => format!("{} {}", g.id, t.name),
                            false => t.name.clone(),
                        })
                })
                .collect(),
        )
    };
    let mut rows = Vec::new();
    for grade in &student.grades {
        rows.push(vec![
            student.name.clone(),
            grade.id.clone(),
            grade::points(grade.points()),
            grade.max_points.to_string(),
            grade.passed().to_string(),
            grade.tests.len().to_string(),
            tampered(Some(grade)),
            flagged(&[grade]),
            refused(&[grade]),
            timed_out(&[grade], false),
            student
                .mistakes
                .get(&grade.id)
                .map(|(name, _)| name.clone())
                .unwrap_or_default(),
            String::new(),
        ]);
    }
    let all: Vec<&KataGrade> = student.grades.iter().collect();
    rows.push(vec![
        student.name.clone(),
        "total".to_string(),
        grade::points(grade::total_points(&student.grades)),
        all.iter().map(|g| g.max_points).sum::<u32>().to_string(),
        all.iter().map(|g| g.passed()).sum::<usize>().to_string(),
        all.iter().map(|g| g.tests.len()).sum::<usize>().to_string(),
        tampered(None),
        flagged(&all),
        refused(&all),
        timed_out(&all, true),
        listed(
            student
                .mistakes
                .iter()
                .map(|(kata, (name, _))| format!("{kata} {name}"))
                .collect(),
        ),
        student.error.clone().unwrap_or_default(),
    ]);
    rows
}

/// Records as CSV (RFC 4180 quoting: a field with a comma, a quote, a newline or a
/// carriage return is quoted, so it reads back as written).
fn write_csv(rows: &[Vec<String>]) -> Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        writer
            .write_record(row)
            .map_err(|e| Error::new(format!("cannot write the gradebook: {e}")))?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| Error::new(format!("cannot write the gradebook: {e}")))?;
    String::from_utf8(bytes).map_err(|e| Error::new(format!("not UTF-8: {e}")))
}

/// A gradebook's records, its header checked: a gradebook of other columns (an older
/// runner's) is refused, since merged its columns would be misread.
fn read_gradebook(text: &str, file: &Path) -> Result<Vec<csv::StringRecord>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| Error::new(format!("{} is not a gradebook: {e}", file.display())))?
        .clone();
    if header.iter().ne(COLUMNS) {
        return Err(format!(
            "{} is not a gradebook of this runner: its columns are `{}`, this runner \
             writes `{}`; regrade that shard again",
            file.display(),
            header.iter().collect::<Vec<_>>().join(","),
            COLUMNS.join(",")
        )
        .into());
    }
    reader
        .records()
        .map(|record| record.map_err(|e| Error::new(format!("{} is damaged: {e}", file.display()))))
        .collect()
}

/// `gradebook merge`: the shards' gradebooks as one, students in name order, each
/// record as it was read (quoted fields, newlines and all).
pub fn merge(files: &[PathBuf], output: &Path) -> Result<ExitCode> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut seen: HashMap<String, PathBuf> = HashMap::new();
    for file in files {
        let text =
            fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
        let mut students_here = BTreeSet::new();
        for record in read_gradebook(&text, file)? {
            let student = record.get(0).unwrap_or("").to_string();
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
            students_here.insert(student);
            rows.push(record.iter().map(String::from).collect());
        }
        for student in students_here {
            seen.insert(student, file.clone());
        }
    }
    // A stable sort keeps each student's rows in order, total last.
    rows.sort_by(|a, b| a[0].cmp(&b[0]));
    rows.insert(0, COLUMNS.map(String::from).to_vec());
    write_atomically(output, &write_csv(&rows)?)?;
    println!(
        "{} merged {} into {} ({})",
        ui::green("✓"),
        ui::plural(files.len(), "gradebook"),
        output.display(),
        ui::plural(seen.len(), "student")
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

    #[test]
    fn quotes_csv_fields_that_need_it() {
        let rows = [vec!["a".to_string(), "b,c".into(), "say \"hi\"".into()]];
        assert_eq!(write_csv(&rows).unwrap(), "a,\"b,c\",\"say \"\"hi\"\"\"\n");
    }

    /// A field as a student could make it: commas, quotes, newlines, CR, non-ASCII.
    fn field() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just(",".to_string()),
                Just("\"".to_string()),
                Just("\n".to_string()),
                Just("\r".to_string()),
                Just("\r\n".to_string()),
                Just(" ".to_string()),
                Just("Zoë".to_string()),
                Just("日本".to_string()),
                "[a-z0-9_./()-]{1,4}",
            ],
            0..6,
        )
        .prop_map(|parts| parts.concat())
    }

    /// Random gradebooks (students with rows of random fields), written, split into
    /// shards as `--shard` splits a class, merged: every row comes back exactly.
    #[test]
    fn merge_gets_every_row_back() {
        let class = proptest::collection::btree_map(
            // A name is never empty: a field alone on a line must be a row.
            field().prop_filter("a name", |n| !n.is_empty()),
            proptest::collection::vec(proptest::collection::vec(field(), COLUMNS.len() - 1), 1..4),
            1..8,
        );
        let config = Config {
            cases: 64,
            failure_persistence: None,
            ..Config::default()
        };
        // A fixed seed: the same gradebooks on every run.
        let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]);
        let scratch = std::env::temp_dir().join(format!("awaitlings-merge-{}", std::process::id()));
        fs::create_dir_all(&scratch).unwrap();
        let mut runner = TestRunner::new_with_rng(config, rng);
        let result = runner.run(&(class, 1usize..4), |(class, shards)| {
            let rows: Vec<Vec<String>> = class
                .iter()
                .flat_map(|(name, rows)| {
                    rows.iter().map(move |fields| {
                        std::iter::once(name.clone())
                            .chain(fields.clone())
                            .collect()
                    })
                })
                .collect();
            let mut files = Vec::new();
            for shard in 0..shards {
                let mut book = vec![COLUMNS.map(String::from).to_vec()];
                book.extend(
                    class
                        .keys()
                        .enumerate()
                        .filter(|(index, _)| index % shards == shard)
                        .flat_map(|(_, name)| rows.iter().filter(move |row| &row[0] == name))
                        .cloned(),
                );
                let path = scratch.join(format!("shard-{shard}.csv"));
                fs::write(&path, write_csv(&book).unwrap()).unwrap();
                files.push(path);
            }
            let output = scratch.join("merged.csv");
            merge(&files, &output).unwrap();
            let text = fs::read_to_string(&output).unwrap();
            let merged: Vec<Vec<String>> = read_gradebook(&text, &output)
                .unwrap()
                .iter()
                .map(|record| record.iter().map(String::from).collect())
                .collect();
            // The class is sorted by name, as merge sorts it: the same rows, in order.
            prop_assert_eq!(merged, rows);
            Ok(())
        });
        fs::remove_dir_all(&scratch).unwrap();
        result.unwrap();
    }

    #[test]
    fn a_name_with_a_comma_is_one_student() {
        let scratch = std::env::temp_dir().join(format!("awaitlings-comma-{}", std::process::id()));
        fs::create_dir_all(&scratch).unwrap();
        let row = |name: &str, kata: &str| -> Vec<String> {
            let mut row = vec![name.to_string(), kata.to_string()];
            row.resize(COLUMNS.len(), "0".to_string());
            row
        };
        let header = COLUMNS.map(String::from).to_vec();
        let (a, b) = (scratch.join("a.csv"), scratch.join("b.csv"));
        // `Doe, Jane` and `Doe` share what a split on commas would read as the name.
        let shard_a = [
            header.clone(),
            row("Doe, Jane", "k"),
            row("Doe, Jane", "total"),
        ];
        let shard_b = [header, row("Doe", "k"), row("Doe", "total")];
        fs::write(&a, write_csv(&shard_a).unwrap()).unwrap();
        fs::write(&b, write_csv(&shard_b).unwrap()).unwrap();
        let output = scratch.join("merged.csv");
        let merged = merge(&[a.clone(), b.clone()], &output);
        assert!(merged.is_ok(), "{:?}", merged.err().map(|e| e.to_string()));
        let text = fs::read_to_string(&output).unwrap();
        assert_eq!(read_gradebook(&text, &output).unwrap().len(), 4);
        // The same student in two shards is still refused.
        let again = scratch.join("again.csv");
        fs::copy(&a, &again).unwrap();
        let refused = merge(&[a, again], &output).unwrap_err().to_string();
        assert!(refused.contains("is in both"), "{refused}");
        fs::remove_dir_all(&scratch).unwrap();
    }
}
