//! A verdict's signature, as the mistakes manifest records each wrong-answer fixture's
//! (`course::mistakes`): which tests fail, and how.

use crate::course::mistakes::{Signature, normalise};
use crate::engine::harness::Outcome;

/// How a test that did not pass failed, as a signature says it; `None` for a pass (or a
/// run cancelled, which has no verdict).
pub fn trait_of(outcome: &Outcome) -> Option<String> {
    match outcome {
        Outcome::Passed | Outcome::Cancelled => None,
        Outcome::Failed(message) => Some(format!("failed: {}", normalise(message))),
        Outcome::TimedOut(_) => Some("timed out".to_string()),
        Outcome::Crashed(_) => Some("crashed".to_string()),
        Outcome::DoesNotCompile(_) => Some("does not compile".to_string()),
    }
}

/// Whether a verdict is that of code not yet written: a test stopped at a `todo!()`
/// (or `unimplemented!()`), or code that does not compile. Such a verdict is never
/// recognised as a mistake, whatever its signature.
pub fn incomplete(outcome: &Outcome) -> bool {
    match outcome {
        Outcome::Failed(message) | Outcome::Crashed(message) => {
            message.contains("not yet implemented") || message.contains("not implemented")
        }
        Outcome::DoesNotCompile(_) => true,
        _ => false,
    }
}

/// The signature of a verdict (test label, outcome), or `None` when it must not be
/// recognised: incomplete code (see [`incomplete`]), or a cancelled run.
pub fn signature<'a>(
    verdict: impl IntoIterator<Item = (&'a str, &'a Outcome)>,
) -> Option<Signature> {
    let mut signature = Signature::new();
    for (test, outcome) in verdict {
        if incomplete(outcome) || *outcome == Outcome::Cancelled {
            return None;
        }
        if let Some(how) = trait_of(outcome) {
            signature.insert(test.to_string(), how);
        }
    }
    Some(signature)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incomplete_code_has_no_signature() {
        let failed = Outcome::Failed("panicked at src/lib.rs:3:5:\nthe answer is 42".into());
        let todo = Outcome::Failed("panicked at src/lib.rs:5:5:\nnot yet implemented".into());
        let signature = signature([("t01", &failed), ("t02", &Outcome::Passed)]).unwrap();
        assert_eq!(signature.len(), 1);
        assert_eq!(signature["t01"], "failed: the answer is 42");
        assert_eq!(signature_of(&[("t01", &failed), ("t02", &todo)]), None);
        let broken = Outcome::DoesNotCompile(vec!["error".into()]);
        assert_eq!(signature_of(&[("t01", &broken)]), None);
    }

    fn signature_of(verdict: &[(&str, &Outcome)]) -> Option<Signature> {
        signature(verdict.iter().copied())
    }
}
