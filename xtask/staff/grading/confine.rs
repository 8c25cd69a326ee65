//! A graded test runs confined, where the OS allows it: it may read what it likes, but
//! write only its own scratch folder (its `TMPDIR`) and its harness's log, open no TCP
//! socket, and signal no process outside its own. So no student's code can touch another
//! kata's build, the course, or a classmate's grade, whatever it manages to call. On
//! Linux 5.13+ this is Landlock, which needs no privileges: the staff's binary starts
//! the test (`launcher`), confines itself, and becomes the test (`exec`); the
//! confinement outlives the `exec`. Elsewhere (macOS, Windows, an older Linux) a test
//! runs unconfined, and `sealed` and the compiler's rules are what stand.

use std::ffi::OsString;
use std::path::Path;
use std::process::ExitCode;

/// The first argument that makes the staff's binary a launcher.
const FLAG: &str = "--awaitlings-confined-test";

/// The program and arguments that start a test confined to `scratch` (the harness adds
/// the log and the test's own command line), or nothing where tests cannot be confined.
pub fn launcher(scratch: &Path) -> Vec<OsString> {
    if !cfg!(target_os = "linux") {
        return Vec::new();
    }
    match std::env::current_exe() {
        Ok(me) => vec![me.into_os_string(), FLAG.into(), scratch.into()],
        Err(_) => Vec::new(),
    }
}

/// When this process was started as a launcher: confines itself and becomes the test.
/// It returns only when that fails. `None`: an ordinary start of the staff's binary.
pub fn serve() -> Option<ExitCode> {
    let mut args = std::env::args_os().skip(1);
    if args.next()? != FLAG {
        return None;
    }
    let (Some(scratch), Some(log), Some(test)) = (args.next(), args.next(), args.next()) else {
        eprintln!("{FLAG} SCRATCH LOG TEST [ARGS…]");
        return Some(ExitCode::from(2));
    };
    // The log must exist for a rule to name it; the harness reads what the test writes.
    if let Err(error) = std::fs::create_dir_all(&scratch)
        .and_then(|()| std::fs::File::create(&log).map(drop))
    {
        eprintln!("the grader could not prepare the test's folder: {error}");
        return Some(ExitCode::from(101));
    }
    if let Err(error) = os::confine(Path::new(&scratch), Path::new(&log)) {
        eprintln!("the grader could not confine the test: {error}");
        return Some(ExitCode::from(101));
    }
    let mut command = std::process::Command::new(&test);
    command.args(args).env("TMPDIR", &scratch);
    Some(os::replace_with(&mut command))
}

#[cfg(target_os = "linux")]
mod os {
    use std::path::Path;
    use std::process::{Command, ExitCode};

    use landlock::{
        ABI, Access, AccessFs, AccessNet, Ruleset, RulesetAttr, RulesetCreatedAttr, Scope,
        path_beneath_rules,
    };

    /// The newest rules this crate knows; an older kernel enforces what it has.
    const ABI: ABI = ABI::V6;

    pub fn confine(scratch: &Path, log: &Path) -> Result<(), landlock::RulesetError> {
        Ruleset::default()
            .handle_access(AccessFs::from_all(ABI))?
            .handle_access(AccessNet::from_all(ABI))?
            .scope(Scope::from_all(ABI))?
            .create()?
            .add_rules(path_beneath_rules(["/"], AccessFs::from_read(ABI)))?
            .add_rules(path_beneath_rules([scratch], AccessFs::from_all(ABI)))?
            .add_rules(path_beneath_rules(
                [log, Path::new("/dev/null")],
                AccessFs::from_file(ABI),
            ))?
            .restrict_self()?;
        Ok(())
    }

    /// Replaces this process with `command`; returns only when that fails.
    pub fn replace_with(command: &mut Command) -> ExitCode {
        use std::os::unix::process::CommandExt;
        let error = command.exec();
        eprintln!("the grader could not start the test: {error}");
        ExitCode::from(101)
    }
}

#[cfg(not(target_os = "linux"))]
mod os {
    use std::path::Path;
    use std::process::{Command, ExitCode};

    pub fn confine(_: &Path, _: &Path) -> Result<(), std::convert::Infallible> {
        Ok(())
    }

    pub fn replace_with(command: &mut Command) -> ExitCode {
        match command.status() {
            Ok(status) => ExitCode::from(u8::try_from(status.code().unwrap_or(101)).unwrap_or(101)),
            Err(_) => ExitCode::from(101),
        }
    }
}
