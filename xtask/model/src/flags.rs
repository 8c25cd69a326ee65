//! The command line, parsed by hand with `lexopt`: no derive macros to compile on a
//! learner's first run.

use std::path::PathBuf;
use std::time::Duration;

use crate::util::error::{Context, Error, Result};

/// What `help` prints before the options, which come from `OPTIONS`.
const COMMANDS: &str = "\
awaitlings: learn async Rust by making tests pass

usage: cargo xtask <command> [options]

learners:
  next [KATA]       run the first kata that does not pass yet, test by test (start here);
                    with KATA, work on that one and go on from there (skipped katas come
                    back after the last)
  watch [KATA]      like `next`, again on every save; keys: h a hint for the kata on
                    screen, l list, q quit
  check [KATA]      run every test of a kata (default: the kata you are in, or the current one)
  list              every kata with its status, and your progress, from the cache (runs
                    nothing)
  hint [KATA]       reveal the kata's next hint
  solution [KATA]   the reference solution, as a diff against your code (once the kata passes)
  reset KATA        restore a kata as shipped: its stub, its Cargo.toml and tests (your
                    files are backed up first)
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
  new --fixture KATA NAME
                    a wrong answer from a working copy of the solution's src/: the first
                    run writes the copy to edit, the next stores it beside the solution
                    as a patch (or whole, where that is shorter)
  manifest          regenerate the grading manifest and the classroom workflow
  help              this text

";

/// One option: its name, its value's name if it takes one, the commands it goes with
/// (none: every command), and what it does. The parser, the checks and the help all
/// read this table: an option is spelled once.
struct Opt {
    name: &'static str,
    value: Option<&'static str>,
    commands: &'static [&'static str],
    help: &'static str,
}

const OPTIONS: &[Opt] = &[
    Opt {
        name: "timeout",
        value: Some("SECS"),
        commands: &[],
        help: "per-test time limit (default 10; or set AWAITLINGS_TIMEOUT)",
    },
    Opt {
        name: "solution",
        value: None,
        commands: &["check"],
        help: "run the reference solution against the kata's tests",
    },
    Opt {
        name: "reference",
        value: None,
        commands: &["check"],
        help: "show the compiler errors the kata's reference cases snapshot (the errors the lesson is about), instead of running tests",
    },
    Opt {
        name: "timeline",
        value: None,
        commands: &["check"],
        help: "draw the timelines of the tests that pass too (what the tests' fakes did, in virtual time)",
    },
    Opt {
        name: "force",
        value: None,
        commands: &["solution"],
        help: "show it before the kata passes",
    },
    Opt {
        name: "all",
        value: None,
        commands: &["reset"],
        help: "every kata",
    },
    Opt {
        name: "yes",
        value: None,
        commands: &["reset"],
        help: "do not ask (needed when there is no terminal)",
    },
    Opt {
        name: "format",
        value: Some("F"),
        commands: &["grade"],
        help: "table (default), json (results.json), classroom",
    },
    Opt {
        name: "output",
        value: Some("FILE"),
        commands: &["grade", "gradebook"],
        help: "where to write: results.json (grade --format json), the merged gradebook (gradebook merge)",
    },
    Opt {
        name: "tampered",
        value: Some("FILE"),
        commands: &["grade"],
        help: "protected files the classroom workflow restored",
    },
    Opt {
        name: "gradebook",
        value: Some("FILE"),
        commands: &["regrade"],
        help: "where to write the CSV (default gradebook.csv); the class report goes beside it",
    },
    Opt {
        name: "jobs",
        value: Some("N"),
        commands: &["regrade"],
        help: "grade N students at a time (default 1)",
    },
    Opt {
        name: "shard",
        value: Some("I/N"),
        commands: &["regrade"],
        help: "grade only shard I of N of the students (by name)",
    },
    Opt {
        name: "hidden",
        value: Some("DIR"),
        commands: &["regrade", "export"],
        help: "the instructor's hidden tests (DIR/MODULE/KATA/*.rs): graded at regrade; named in the template at export",
    },
    Opt {
        name: "student",
        value: Some("DIR"),
        commands: &["export"],
        help: "where to write the template",
    },
    Opt {
        name: "modules",
        value: Some("LIST"),
        commands: &["export"],
        help: "modules to include, by number or name (00,01,02)",
    },
    Opt {
        name: "renumber",
        value: None,
        commands: &["new"],
        help: "take a number in use, moving the module's katas from there on one place up (with `git mv` in a git checkout)",
    },
    Opt {
        name: "fixture",
        value: None,
        commands: &["new"],
        help: "write wrong answer NAME of KATA (new --fixture KATA NAME): a working copy in .awaitlings/fixtures/ to edit, then stored in the solution's wrong/",
    },
    Opt {
        name: "from",
        value: Some("DIR"),
        commands: &["new"],
        help: "with --fixture: the edited src/ to store, instead of the working copy",
    },
];

/// The help: every command, or one command and its options.
pub fn usage(command: Option<&str>) -> String {
    let mut text = String::new();
    let options: Vec<&Opt> = match command {
        None => {
            text += COMMANDS;
            OPTIONS.iter().collect()
        }
        Some(name) => {
            // The command's own lines, and the ones that continue them.
            let mut showing = false;
            for line in COMMANDS.lines() {
                let starts = line.strip_prefix("  ").is_some_and(|l| !l.starts_with(' '));
                if starts {
                    showing = line.split_whitespace().next() == Some(name);
                }
                if showing {
                    text += line;
                    text.push('\n');
                }
            }
            if text.is_empty() {
                return format!("there is no command `{name}`.\n\n{}", usage(None));
            }
            OPTIONS
                .iter()
                .filter(|o| o.commands.is_empty() || o.commands.contains(&name))
                .collect()
        }
    };
    text += "\noptions:\n";
    for option in options {
        let left = match option.value {
            Some(value) => format!("--{} {value}", option.name),
            None => format!("--{}", option.name),
        };
        let with = match option.commands {
            [] => String::new(),
            commands => format!(
                "with {}: ",
                commands
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        text += &format!("  {left:<17} {with}{}\n", option.help);
    }
    text += "\nKATA is a name (countdown), a folder (02_countdown), numbers (1/2), its place in the\n\
             course (4) or a path. `cargo xtask help COMMAND` shows one command.";
    text
}

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
    /// `kata`: the one the learner chooses to work on (skipping those before it).
    Next {
        kata: Option<String>,
    },
    Watch {
        kata: Option<String>,
    },
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
    /// `new --fixture KATA NAME`: a wrong answer, from a working copy (or `from`).
    NewFixture {
        kata: String,
        name: String,
        from: Option<PathBuf>,
    },
    Manifest,
    /// The help, for every command or one.
    Help {
        command: Option<String>,
    },
}

impl Command {
    /// The commands of the course's staff (instructors, authors, CI), built apart from
    /// the learner's runner as `xtask-staff`: a learner's first build skips them.
    pub fn is_staff(&self) -> bool {
        matches!(
            self,
            Command::Grade { .. }
                | Command::Regrade { .. }
                | Command::GradebookMerge { .. }
                | Command::Export { .. }
                | Command::Verify { .. }
                | Command::New { .. }
                | Command::NewFixture { .. }
                | Command::Manifest
        )
    }
}

#[derive(Debug, PartialEq)]
pub struct Flags {
    pub command: Command,
    /// Per-test time limit given on the command line or in the environment.
    pub timeout: Option<Duration>,
}

/// The options given, by name, with their values (none for a flag).
#[derive(Default)]
struct Given(Vec<(&'static str, String)>);

impl Given {
    fn flag(&self, name: &str) -> bool {
        self.0.iter().any(|(n, _)| *n == name)
    }

    /// The last value given.
    fn value(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    fn path(&self, name: &str) -> Option<PathBuf> {
        self.value(name).map(PathBuf::from)
    }

    /// Every value given, each split at commas.
    fn list(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(n, _)| *n == name)
            .flat_map(|(_, v)| v.split(','))
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(String::from)
            .collect()
    }
}

pub fn parse(args: impl IntoIterator<Item = String>, env_timeout: Option<String>) -> Result<Flags> {
    use lexopt::prelude::*;

    let mut parser = lexopt::Parser::from_iter(args);
    let mut command_name: Option<String> = None;
    let mut positional = Vec::new();
    let mut help = false;
    let mut given = Given::default();
    while let Some(arg) = parser.next().map_err(|e| Error::new(e.to_string()))? {
        match arg {
            Short('h') | Long("help") => help = true,
            Long(name) => {
                let option = OPTIONS.iter().find(|o| o.name == name).ok_or_else(|| {
                    Error::new(format!(
                        "unknown option `--{name}` (`cargo xtask help` lists them)"
                    ))
                })?;
                let value = match option.value {
                    Some(_) => value(&mut parser)?,
                    None => String::new(),
                };
                given.0.push((option.name, value));
            }
            Value(value) => {
                let value = value.string().map_err(|e| Error::new(e.to_string()))?;
                match command_name {
                    None => command_name = Some(value),
                    Some(_) => positional.push(value),
                }
            }
            other => return Err(Error::new(other.unexpected().to_string())),
        }
    }
    // `-h next`, `next --help`, `help next`: the help of `next`.
    if help || matches!(command_name.as_deref(), None | Some("help")) {
        let command = match command_name.as_deref() {
            Some("help") | None => positional.first().cloned(),
            Some(name) => Some(name.to_string()),
        };
        return Ok(Flags {
            command: Command::Help { command },
            timeout: None,
        });
    }
    let mut timeout = env_timeout
        .map(|value| parse_seconds(&value).context("AWAITLINGS_TIMEOUT"))
        .transpose()?;
    if let Some(value) = given.value("timeout") {
        timeout = Some(parse_seconds(value)?);
    }
    let format = match given.value("format") {
        None | Some("table") => Format::Table,
        Some("json") => Format::Json,
        Some("classroom") => Format::Classroom,
        Some(other) => {
            return Err(Error::new(format!(
                "unknown format `{other}`: use table, json or classroom"
            )));
        }
    };
    let jobs = match given.value("jobs") {
        None => 1,
        Some(text) => text
            .parse()
            .ok()
            .filter(|n: &usize| *n > 0)
            .ok_or_else(|| {
                Error::new(format!("`--jobs {text}`: a number of students, 1 or more"))
            })?,
    };
    let shard = given.value("shard").map(parse_shard).transpose()?;
    let name = command_name.unwrap_or_else(|| "help".into());
    let at_most_one = |positional: Vec<String>| match positional.as_slice() {
        [] => Ok(None),
        [kata] => Ok(Some(kata.clone())),
        [_, extra, ..] => Err(Error::new(format!(
            "`{name}` takes one kata; unexpected `{extra}`"
        ))),
    };
    let command = match name.as_str() {
        "list" | "manifest" | "export" if !positional.is_empty() => {
            return Err(Error::new(format!(
                "`{name}` takes no kata; unexpected `{}`",
                positional[0]
            )));
        }
        "next" => Command::Next {
            kata: at_most_one(positional)?,
        },
        "watch" => Command::Watch {
            kata: at_most_one(positional)?,
        },
        "list" => Command::List,
        "manifest" => Command::Manifest,
        "check" => Command::Check {
            kata: at_most_one(positional)?,
            solution: given.flag("solution"),
            reference: given.flag("reference"),
            timeline: given.flag("timeline"),
        },
        "hint" => Command::Hint {
            kata: at_most_one(positional)?,
        },
        "solution" => Command::Solution {
            kata: at_most_one(positional)?,
            force: given.flag("force"),
        },
        "reset" => {
            if given.flag("all") != positional.is_empty() {
                return Err(Error::new("`reset` takes a kata, or `--all`"));
            }
            Command::Reset {
                katas: positional,
                all: given.flag("all"),
                yes: given.flag("yes"),
            }
        }
        "grade" => Command::Grade {
            katas: positional,
            format,
            output: given.path("output"),
            tampered: given.path("tampered"),
        },
        "regrade" => {
            if positional.is_empty() {
                return Err(Error::new(
                    "`regrade` takes the students' folders: regrade DIR…",
                ));
            }
            Command::Regrade {
                students: positional.into_iter().map(PathBuf::from).collect(),
                gradebook: given.path("gradebook"),
                jobs,
                shard,
                hidden: given.path("hidden"),
            }
        }
        "export" => {
            let Some(student) = given.path("student") else {
                return Err(Error::new(
                    "`export` needs `--student DIR`: where to write the template",
                ));
            };
            Command::Export {
                student,
                modules: given.list("modules"),
                hidden: given.path("hidden"),
            }
        }
        "gradebook" => {
            let mut positional = positional.into_iter();
            if positional.next().as_deref() != Some("merge") {
                return Err(Error::new(
                    "`gradebook` has one subcommand: gradebook merge FILE… --output FILE",
                ));
            }
            let files: Vec<PathBuf> = positional.map(PathBuf::from).collect();
            let Some(output) = given.path("output") else {
                return Err(Error::new("`gradebook merge` needs `--output FILE`"));
            };
            if files.is_empty() {
                return Err(Error::new(
                    "`gradebook merge` takes the shards' gradebooks: FILE…",
                ));
            }
            Command::GradebookMerge { files, output }
        }
        "verify" => Command::Verify { katas: positional },
        "new" if given.flag("fixture") => match positional.as_slice() {
            [kata, name] => Command::NewFixture {
                kata: kata.clone(),
                name: name.clone(),
                from: given.path("from"),
            },
            _ => {
                return Err(Error::new(
                    "`new --fixture` takes a kata and the wrong answer's name: \
                     new --fixture countdown never_wakes",
                ));
            }
        },
        "new" if given.flag("from") => {
            return Err(Error::new("`--from` goes with `new --fixture`"));
        }
        "new" => match positional.as_slice() {
            [kata] => Command::New {
                kata: kata.clone(),
                renumber: given.flag("renumber"),
            },
            [] => {
                return Err(Error::new("`new` takes MODULE/KATA, such as `08/01_probe`"));
            }
            [_, extra, ..] => {
                return Err(Error::new(format!(
                    "`new` takes one MODULE/KATA; unexpected `{extra}`"
                )));
            }
        },
        other => return Err(Error::new(format!("unknown command `{other}`"))),
    };
    // Each option goes with the commands the table names for it.
    if let Some((option, _)) = given.0.iter().find(|(option, _)| {
        let commands = OPTIONS
            .iter()
            .find(|o| o.name == *option)
            .map_or(&[][..], |o| o.commands);
        !commands.is_empty() && !commands.contains(&name.as_str())
    }) {
        return Err(Error::new(format!(
            "`--{option}` does not go with `{name}`"
        )));
    }
    Ok(Flags { command, timeout })
}

/// The value of the option just read: `--format json` or `--format=json`.
fn value(parser: &mut lexopt::Parser) -> Result<String> {
    use lexopt::ValueExt;
    let value = parser.value().map_err(|e| Error::new(e.to_string()))?;
    value.string().map_err(|e| Error::new(e.to_string()))
}

/// `I/N`: shard I (1-based) of N.
fn parse_shard(text: &str) -> Result<(usize, usize)> {
    let parsed = text
        .split_once('/')
        .and_then(|(i, n)| Some((i.trim().parse().ok()?, n.trim().parse().ok()?)));
    match parsed {
        Some((i, n)) if i >= 1 && i <= n => Ok((i, n)),
        _ => Err(Error::new(format!(
            "`--shard {text}`: give I/N with 1 ≤ I ≤ N, e.g. --shard 2/4"
        ))),
    }
}

fn parse_seconds(text: &str) -> Result<Duration> {
    match text.trim().parse::<f64>() {
        Ok(seconds) if seconds > 0.0 && seconds.is_finite() => Ok(Duration::from_secs_f64(seconds)),
        _ => Err(Error::new(format!("`{text}` is not a number of seconds"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_args(args: &[&str]) -> Result<Flags> {
        parse(
            std::iter::once("xtask")
                .chain(args.iter().copied())
                .map(String::from),
            None,
        )
    }

    #[test]
    fn help_for_one_command_three_ways() {
        for args in [&["-h", "next"][..], &["next", "--help"], &["help", "next"]] {
            assert_eq!(
                parse_args(args).unwrap().command,
                Command::Help {
                    command: Some("next".into())
                },
                "{args:?}"
            );
        }
        let next = usage(Some("next"));
        assert!(next.contains("  next "), "{next}");
        assert!(!next.contains("--solution"), "only next's options: {next}");
        let check = usage(Some("check"));
        assert!(
            check.contains("--solution") && check.contains("--timeout"),
            "{check}"
        );
        assert!(usage(Some("nope")).starts_with("there is no command `nope`"));
        // Every option in the table is shown in the full help.
        let all = usage(None);
        for option in OPTIONS {
            assert!(
                all.contains(&format!("--{}", option.name)),
                "{}",
                option.name
            );
        }
    }

    #[test]
    fn reads_commands_and_their_kata() {
        assert_eq!(
            parse_args(&["next"]).unwrap().command,
            Command::Next { kata: None }
        );
        assert_eq!(
            parse_args(&["watch", "countdown"]).unwrap().command,
            Command::Watch {
                kata: Some("countdown".into())
            }
        );
        assert_eq!(
            parse_args(&[]).unwrap().command,
            Command::Help { command: None }
        );
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
            parse_args(&["new", "--fixture", "countdown", "no_wake", "--from", "d"])
                .unwrap()
                .command,
            Command::NewFixture {
                kata: "countdown".into(),
                name: "no_wake".into(),
                from: Some("d".into()),
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
            &["next", "a", "b"],
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
            &["new", "--fixture", "countdown"],
            &["new", "08/a", "--from", "d"],
            &["check", "--fixture"],
            &["next", "--renumber"],
        ] {
            assert!(parse_args(args).is_err(), "{args:?}");
        }
    }
}
