//! Unix: the terminal's mode, read and set with `stty` (it reads the terminal from its
//! standard input): no terminal crate for learners to compile.

use std::io::IsTerminal;
use std::process::{Command, Stdio};

use crate::util::error::{Context, Error, Result};

/// The terminal's mode before `raw`, to put back.
#[derive(Clone)]
pub struct Saved(String);

impl Saved {
    pub fn restore(&self) {
        let _ = stty(&[self.0.as_str()]);
    }
}

/// Keys one at a time, unechoed; Ctrl-C arrives as a byte, not a signal. Returns the
/// mode it replaced, or why keys are off.
pub fn raw() -> Result<Saved> {
    if !std::io::stdin().is_terminal() {
        return Err("no terminal".into());
    }
    let saved =
        stty(&["-g"]).map_err(|e| Error::new(format!("cannot read the terminal's mode ({e})")))?;
    let saved = Saved(saved.trim().to_string());
    if let Err(error) = stty(&["-icanon", "-echo", "-isig", "min", "1", "time", "0"]) {
        saved.restore();
        return Err(Error::new(format!(
            "cannot set the terminal's mode ({error})"
        )));
    }
    Ok(saved)
}

fn stty(args: &[&str]) -> Result<String> {
    let output = Command::new("stty")
        .args(args)
        .stdin(Stdio::inherit())
        .stderr(Stdio::piped())
        .output()
        .context("stty")?;
    if !output.status.success() {
        return Err(Error::new(String::from_utf8_lossy(&output.stderr).trim()));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}
