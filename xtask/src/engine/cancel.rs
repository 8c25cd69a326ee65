//! Stopping work under way: in `watch`, a newer save makes the running build or test
//! out of date. One token for everything that can be stopped, `Cancel::NEVER` where
//! nothing stops it; stopped work says so in its result (`Outcome::Cancelled`,
//! `Build::cancelled`, `KataResult::cancelled`), so there is one function for each job.

use std::sync::atomic::{AtomicBool, Ordering};

#[derive(Clone, Copy)]
pub struct Cancel<'a>(Option<&'a AtomicBool>);

impl<'a> Cancel<'a> {
    /// Nothing stops the work.
    pub const NEVER: Cancel<'static> = Cancel(None);

    /// Stops the work once `flag` is set.
    pub fn when(flag: &'a AtomicBool) -> Cancel<'a> {
        Cancel(Some(flag))
    }

    pub fn is_set(self) -> bool {
        self.0.is_some_and(|flag| flag.load(Ordering::Relaxed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_is_never_set_and_when_follows_its_flag() {
        assert!(!Cancel::NEVER.is_set());
        let flag = AtomicBool::new(false);
        let cancel = Cancel::when(&flag);
        assert!(!cancel.is_set());
        flag.store(true, Ordering::Relaxed);
        assert!(cancel.is_set());
    }
}
