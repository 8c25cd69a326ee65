//! The command line, parsed by hand with `lexopt`: no derive macros to compile on a
//! learner's first run.

use std::time::Duration;

pub const USAGE: &str = "\
awaitlings: learn async Rust by making tests pass

usage: cargo xtask <command> [options]

commands:
  next            run the first kata that does not pass yet, test by test (start here)
  check [KATA]    run every test of a kata (default: the kata you are in, or the current one)
  list            every kata with its status, and your progress
  hint [KATA]     reveal the kata's next hint
  verify [KATA…]  for authors and CI: stubs fail, solutions pass, lessons, fmt, clippy
  help            this text

options:
  --timeout SECS  per-test time limit (default 10; or set AWAITLINGS_TIMEOUT)
  --solution      with `check`: run the reference solution against the kata's tests

KATA is a name (countdown), a folder (02_countdown), numbers (1/2) or a path.";

#[derive(Debug, PartialEq)]
pub enum Command {
    Next,
    Check {
        kata: Option<String>,
        solution: bool,
    },
    List,
    Hint {
        kata: Option<String>,
    },
    Verify {
        katas: Vec<String>,
    },
    Help,
}

#[derive(Debug, PartialEq)]
pub struct Flags {
    pub command: Command,
    /// Per-test time limit given on the command line or in the environment.
    pub timeout: Option<Duration>,
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
    let mut solution = false;
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Long("timeout") => {
                let value = parser.value().map_err(|e| e.to_string())?;
                timeout = Some(parse_seconds(&value.string().map_err(|e| e.to_string())?)?);
            }
            Long("solution") => solution = true,
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
    let command = match name.as_str() {
        "next" | "list" | "help" if !positional.is_empty() => {
            return Err(format!(
                "`{name}` takes no kata; unexpected `{}`",
                positional[0]
            ));
        }
        "next" => Command::Next,
        "list" => Command::List,
        "help" => Command::Help,
        "check" => Command::Check {
            kata: at_most_one(positional)?,
            solution,
        },
        "hint" => Command::Hint {
            kata: at_most_one(positional)?,
        },
        "verify" => Command::Verify { katas: positional },
        other => return Err(format!("unknown command `{other}`")),
    };
    if solution && !matches!(command, Command::Check { .. }) {
        return Err("`--solution` goes with `check`".into());
    }
    Ok(Flags { command, timeout })
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
                solution: true
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
            &["next", "--timeout", "0"],
            &["next", "--frobnicate"],
        ] {
            assert!(parse_args(args).is_err(), "{args:?}");
        }
    }
}
