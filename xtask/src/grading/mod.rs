//! Grading: the manifest, workflows, the scan of learner code, hidden tests, reports, templates.

pub mod hidden;
pub mod manifest;
pub mod report;
pub mod scan;
pub mod workflow;
