//! Windows: no `stty`, and no console-mode code yet, so no single keys (`watch` says
//! why, and quits on Ctrl-C).

use crate::util::error::Result;

#[derive(Clone)]
pub struct Saved;

impl Saved {
    pub fn restore(&self) {}
}

pub fn raw() -> Result<Saved> {
    Err("keys need a Unix terminal".into())
}
