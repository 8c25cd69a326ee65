//! The command line, parsed by hand with `lexopt`: no derive macros to compile on a
//! learner's first run.

use std::path::PathBuf;
use std::time::Duration;

pub const USAGE: &str = "\
awaitlings: learn async Rust by making tests pass

usage: cargo xtask <command> [options]

learners:
  next              run the first kata that does not pass yet, test by test (start here)
  watch             like `next`, again on every save; keys: h hint, l list, q quit
  check [KATA]      run every test of a kata (default: the kata you are in, or the current one)
  list              every kata with its status, and your progress
  hint [KATA]       reveal the kata's next hint
  solution [KATA]   the reference solution, as a diff against your code (once the kata passes)
  reset KATA        restore a kata's original stub (your files are backed up first)
  reset --all       restore every kata

instructors:
  grade [KATA…]     points per kata, from the kata's tests; reports changed protected files
  regrade DIR…      grade students' repositories in pristine copies of the course
  gradebook merge FILE… --output FILE
                    merge the gradebooks of regrade's shards into one
  export --student DIR
                    write a classroom template repository (no solutions) to DIR

authors and CI:
  verify [KATA…]    stubs fail, solutions pass, lessons, manifest, fmt, clippy; with
                    katas, those katas only (fmt and clippy of their packages): seconds
  new MODULE/KATA   write a new kata that keeps the contract, `TODO(author)` where the
                    author must write (`08/01_probe`, `08_cancellation/probe`; a new
                    module by a new folder name, `99_scratch/01_probe`)
  manifest          regenerate the grading manifest and the classroom workflow
  help              this text

options:
  --timeout SECS    per-test time limit (default 10; or set AWAITLINGS_TIMEOUT)
  --solution        with `check`: run the reference solution against the kata's tests
  --reference       with `check`: show the compiler errors the kata's reference cases
                    snapshot (the errors the lesson is about), instead of running tests
  --timeline        with `check`: draw the timelines of the tests that pass too (what
                    the tests' fakes did, in virtual time)
  --force           with `solution`: show it before the kata passes
  --yes             with `reset`: do not ask (needed when there is no terminal)
  --format F        with `grade`: table (default), json (results.json), classroom
  --output FILE     with `grade --format json`: where to write (default results.json)
  --tampered FILE   with `grade`: protected files the classroom workflow restored
  --gradebook FILE  with `regrade`: where to write the CSV (default gradebook.csv); the
                    class report is written beside it (report.html)
  --jobs N          with `regrade`: grade N students at a time (default 1)
  --shard I/N       with `regrade`: grade only shard I of N of the students (by name)
  --hidden DIR      with `regrade`: the instructor's hidden tests (DIR/MODULE/KATA/*.rs);
                    with `export`: say in the template which katas have them
  --output FILE     with `gradebook merge`: where to write the merged gradebook
  --modules LIST    with `export`: modules to include, by number or name (00,01,02)
  --renumber        with `new`: take a number that is in use, moving the module's katas
                    from there on one place up (with `git mv` in a git checkout)

KATA is a name (countdown), a folder (02_countdown), numbers (1/2) or a path.";

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Format {
    Table,
    /// An Exercism-style `results.json`.
    Json,
    /// The base64 result the GitHub Classroom grading reporter reads.
    Classroom,
}

#[derive(Debug, PartialEq)]
pub enum Command {
    Next,
    Watch,
    Check {
        kata: Option<String>,
        solution: bool,
        reference: bool,
        timeline: bool,
    },
    List,
    Hint {
        kata: Option<String>,
    },
    Solution {
        kata: Option<String>,
        force: bool,
    },
    Reset {
        /// Empty with `all`.
        katas: Vec<String>,
        all: bool,
        yes: bool,
    },
    Grade {
        katas: Vec<String>,
        format: Format,
        output: Option<PathBuf>,
        tampered: Option<PathBuf>,
    },
    Regrade {
        students: Vec<PathBuf>,
        gradebook: Option<PathBuf>,
        jobs: usize,
        /// (I, N): shard I of N, 1-based.
        shard: Option<(usize, usize)>,
        hidden: Option<PathBuf>,
    },
    GradebookMerge {
        files: Vec<PathBuf>,
        output: PathBuf,
    },
    Export {
        student: PathBuf,
        modules: Vec<String>,
        hidden: Option<PathBuf>,
    },
    Verify {
        katas: Vec<String>,
    },
    New {
        /// `MODULE/KATA`
        kata: String,
        renumber: bool,
    },
    Manifest,
    Help,
}

#[derive(Debug, PartialEq)]
pub struct Flags {
    pub command: Command,
    /// Per-test time limit given on the command line or in the environment.
    pub timeout: Option<Duration>,
}

/// Options that belong to one command each, collected before we know the command.
#[derive(Default)]
struct Options {
    solution: bool,
    reference: bool,
    timeline: bool,
    force: bool,
    yes: bool,
    all: bool,
    renumber: bool,
    format: Option<Format>,
    output: Option<PathBuf>,
    tampered: Option<PathBuf>,
    gradebook: Option<PathBuf>,
    jobs: Option<usize>,
    shard: Option<(usize, usize)>,
    hidden: Option<PathBuf>,
    student: Option<PathBuf>,
    modules: Vec<String>,
}

pub fn parse(
    args: impl IntoIterator<Item = String>,
    env_timeout: Option<String>,
) -> Result<Flags, String> {
    use lexopt::prelude::*;

    let mut parser = lexopt::Parser::from_iter(args);
    let mut command_name: Option<String> = None;
    let mut positional = Vec::new();
    let mut timeout = env_timeout
        .map(|value| parse_seconds(&value).map_err(|e| format!("AWAITLINGS_TIMEOUT: {e}")))
        .transpose()?;
    let mut options = Options::default();
    // Which command-specific options were given, to reject them on other commands.
    let mut given: Vec<String> = Vec::new();
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        if let Long(option) = arg
            && !matches!(option, "timeout" | "help")
        {
            given.push(format!("--{option}"));
        }
        match arg {
            Long("timeout") => timeout = Some(parse_seconds(&value(&mut parser)?)?),
            Long("solution") => options.solution = true,
            Long("reference") => options.reference = true,
            Long("timeline") => options.timeline = true,
            Long("force") => options.force = true,
            Long("yes") => options.yes = true,
            Long("all") => options.all = true,
            Long("renumber") => options.renumber = true,
            Long("format") => {
                options.format = Some(match value(&mut parser)?.as_str() {
                    "table" => Format::Table,
                    "json" => Format::Json,
                    "classroom" => Format::Classroom,
                    other => {
                        return Err(format!(
                            "unknown format `{other}`: use table, json or classroom"
                        ));
                    }
                });
            }
            Long("output") => {
                options.output = Some(value(&mut parser)?.into());
            }
            Long("tampered") => {
                options.tampered = Some(value(&mut parser)?.into());
            }
            Long("gradebook") => {
                options.gradebook = Some(value(&mut parser)?.into());
            }
            Long("student") => {
                options.student = Some(value(&mut parser)?.into());
            }
            Long("jobs") => {
                let text = value(&mut parser)?;
                options.jobs = Some(
                    text.parse()
                        .ok()
                        .filter(|n: &usize| *n > 0)
                        .ok_or_else(|| {
                            format!("`--jobs {text}`: a number of students, 1 or more")
                        })?,
                );
            }
            Long("shard") => {
                let text = value(&mut parser)?;
                options.shard = Some(parse_shard(&text)?);
            }
            Long("hidden") => {
                options.hidden = Some(value(&mut parser)?.into());
            }
            Long("modules") => {
                let list = value(&mut parser)?;
                options.modules.extend(
                    list.split(',')
                        .map(str::trim)
                        .filter(|m| !m.is_empty())
                        .map(String::from),
                );
            }
            Short('h') | Long("help") => command_name = Some("help".into()),
            Value(value) => {
                let value = value.string().map_err(|e| e.to_string())?;
                match command_name {
                    None => command_name = Some(value),
                    Some(_) => positional.push(value),
                }
            }
            other => return Err(other.unexpected().to_string()),
        }
    }
    let name = command_name.unwrap_or_else(|| "help".into());
    let at_most_one = |positional: Vec<String>| match positional.as_slice() {
        [] => Ok(None),
        [kata] => Ok(Some(kata.clone())),
        [_, extra, ..] => Err(format!("`{name}` takes one kata; unexpected `{extra}`")),
    };
    let (command, allowed): (Command, &[&str]) = match name.as_str() {
        "next" | "watch" | "list" | "help" | "manifest" | "export" if !positional.is_empty() => {
            return Err(format!(
                "`{name}` takes no kata; unexpected `{}`",
                positional[0]
            ));
        }
        "next" => (Command::Next, &[]),
        "watch" => (Command::Watch, &[]),
        "list" => (Command::List, &[]),
        "help" => (Command::Help, &[]),
        "manifest" => (Command::Manifest, &[]),
        "check" => (
            Command::Check {
                kata: at_most_one(positional)?,
                solution: options.solution,
                reference: options.reference,
                timeline: options.timeline,
            },
            &["--solution", "--reference", "--timeline"],
        ),
        "hint" => (
            Command::Hint {
                kata: at_most_one(positional)?,
            },
            &[],
        ),
        "solution" => (
            Command::Solution {
                kata: at_most_one(positional)?,
                force: options.force,
            },
            &["--force"],
        ),
        "reset" => {
            if options.all != positional.is_empty() {
                return Err("`reset` takes a kata, or `--all`".into());
            }
            (
                Command::Reset {
                    katas: positional,
                    all: options.all,
                    yes: options.yes,
                },
                &["--all", "--yes"],
            )
        }
        "grade" => (
            Command::Grade {
                katas: positional,
                format: options.format.unwrap_or(Format::Table),
                output: options.output,
                tampered: options.tampered,
            },
            &["--format", "--output", "--tampered"],
        ),
        "regrade" => {
            if positional.is_empty() {
                return Err("`regrade` takes the students' folders: regrade DIR…".into());
            }
            (
                Command::Regrade {
                    students: positional.into_iter().map(PathBuf::from).collect(),
                    gradebook: options.gradebook,
                    jobs: options.jobs.unwrap_or(1),
                    shard: options.shard,
                    hidden: options.hidden,
                },
                &["--gradebook", "--jobs", "--shard", "--hidden"],
            )
        }
        "export" => {
            let Some(student) = options.student else {
                return Err("`export` needs `--student DIR`: where to write the template".into());
            };
            (
                Command::Export {
                    student,
                    modules: options.modules,
                    hidden: options.hidden,
                },
                &["--student", "--modules", "--hidden"],
            )
        }
        "gradebook" => {
            let mut positional = positional.into_iter();
            if positional.next().as_deref() != Some("merge") {
                return Err(
                    "`gradebook` has one subcommand: gradebook merge FILE… --output FILE".into(),
                );
            }
            let files: Vec<PathBuf> = positional.map(PathBuf::from).collect();
            let Some(output) = options.output.clone() else {
                return Err("`gradebook merge` needs `--output FILE`".into());
            };
            if files.is_empty() {
                return Err("`gradebook merge` takes the shards' gradebooks: FILE…".into());
            }
            (Command::GradebookMerge { files, output }, &["--output"])
        }
        "verify" => (Command::Verify { katas: positional }, &[]),
        "new" => match positional.as_slice() {
            [kata] => (
                Command::New {
                    kata: kata.clone(),
                    renumber: options.renumber,
                },
                &["--renumber"],
            ),
            [] => return Err("`new` takes MODULE/KATA, such as `08/01_probe`".into()),
            [_, extra, ..] => {
                return Err(format!("`new` takes one MODULE/KATA; unexpected `{extra}`"));
            }
        },
        other => return Err(format!("unknown command `{other}`")),
    };
    if let Some(option) = given
        .iter()
        .find(|option| !allowed.contains(&option.as_str()))
    {
        return Err(format!("`{option}` does not go with `{name}`"));
    }
    Ok(Flags { command, timeout })
}

/// The value of the option just read: `--format json` or `--format=json`.
fn value(parser: &mut lexopt::Parser) -> Result<String, String> {
    use lexopt::ValueExt;
    let value = parser.value().map_err(|e| e.to_string())?;
    value.string().map_err(|e| e.to_string())
}

/// `I/N`: shard I (1-based) of N.
fn parse_shard(text: &str) -> Result<(usize, usize), String> {
    let parsed = text
        .split_once('/')
        .and_then(|(i, n)| Some((i.trim().parse().ok()?, n.trim().parse().ok()?)));
    match parsed {
        Some((i, n)) if i >= 1 && i <= n => Ok((i, n)),
        _ => Err(format!(
            "`--shard {text}`: give I/N with 1 ≤ I ≤ N, e.g. --shard 2/4"
        )),
    }
}

fn parse_seconds(text: &str) -> Result<Duration, String> {
    match text.trim().parse::<f64>() {
        Ok(seconds) if seconds > 0.0 && seconds.is_finite() => Ok(Duration::from_secs_f64(seconds)),
        _ => Err(format!("`{text}` is not a number of seconds")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_args(args: &[&str]) -> Result<Flags, String> {
        parse(
            std::iter::once("xtask")
                .chain(args.iter().copied())
                .map(String::from),
            None,
        )
    }

    #[test]
    fn reads_commands_and_their_kata() {
        assert_eq!(parse_args(&["next"]).unwrap().command, Command::Next);
        assert_eq!(parse_args(&[]).unwrap().command, Command::Help);
        assert_eq!(
            parse_args(&["check", "1/2", "--solution"]).unwrap().command,
            Command::Check {
                kata: Some("1/2".into()),
                solution: true,
                reference: false,
                timeline: false,
            }
        );
        assert_eq!(
            parse_args(&["check", "--timeline"]).unwrap().command,
            Command::Check {
                kata: None,
                solution: false,
                reference: false,
                timeline: true,
            }
        );
        assert_eq!(
            parse_args(&[
                "export",
                "--student",
                "/t",
                "--modules",
                "00,02",
                "--modules",
                "3"
            ])
            .unwrap()
            .command,
            Command::Export {
                student: "/t".into(),
                modules: vec!["00".into(), "02".into(), "3".into()],
                hidden: None,
            }
        );
        assert_eq!(
            parse_args(&["grade", "--format", "classroom", "hello"])
                .unwrap()
                .command,
            Command::Grade {
                katas: vec!["hello".into()],
                format: Format::Classroom,
                output: None,
                tampered: None
            }
        );
        assert_eq!(
            parse_args(&["regrade", "a", "b", "--jobs", "2", "--shard", "2/3"])
                .unwrap()
                .command,
            Command::Regrade {
                students: vec!["a".into(), "b".into()],
                gradebook: None,
                jobs: 2,
                shard: Some((2, 3)),
                hidden: None,
            }
        );
        assert_eq!(
            parse_args(&["gradebook", "merge", "a.csv", "b.csv", "--output", "g.csv"])
                .unwrap()
                .command,
            Command::GradebookMerge {
                files: vec!["a.csv".into(), "b.csv".into()],
                output: "g.csv".into(),
            }
        );
        assert_eq!(
            parse_args(&["new", "08/01_probe", "--renumber"])
                .unwrap()
                .command,
            Command::New {
                kata: "08/01_probe".into(),
                renumber: true
            }
        );
        assert_eq!(
            parse_args(&["verify", "a", "b"]).unwrap().command,
            Command::Verify {
                katas: vec!["a".into(), "b".into()]
            }
        );
    }

    #[test]
    fn reads_the_time_limit_from_flag_or_environment() {
        let flags = parse_args(&["--timeout", "2.5", "next"]).unwrap();
        assert_eq!(flags.timeout, Some(Duration::from_millis(2500)));
        let from_env = parse(["xtask".into(), "next".into()], Some("3".into())).unwrap();
        assert_eq!(from_env.timeout, Some(Duration::from_secs(3)));
        assert!(parse(["x".into(), "next".into()], Some("soon".into())).is_err());
    }

    #[test]
    fn rejects_what_it_does_not_know() {
        for args in [
            &["nxet"][..],
            &["next", "extra"],
            &["check", "a", "b"],
            &["list", "--solution"],
            &["next", "--timeline"],
            &["next", "--timeout", "0"],
            &["next", "--frobnicate"],
            &["reset"],
            &["reset", "hello", "--all"],
            &["grade", "--format", "xml"],
            &["grade", "--force"],
            &["export"],
            &["regrade"],
            &["regrade", "a", "--jobs", "0"],
            &["regrade", "a", "--shard", "3/2"],
            &["regrade", "a", "--shard", "0/2"],
            &["gradebook", "merge", "a.csv"],
            &["gradebook", "split", "a.csv", "--output", "b"],
            &["new"],
            &["new", "08/a", "08/b"],
            &["next", "--renumber"],
        ] {
            assert!(parse_args(args).is_err(), "{args:?}");
        }
    }
}
