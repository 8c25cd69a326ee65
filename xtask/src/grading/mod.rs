//! Grading: the manifest, workflows, the scan of learner code, hidden tests, reports, templates.

pub mod generated;
pub mod grade;
pub mod hidden;
pub mod manifest;
pub mod report;
pub mod scan;
pub mod template;
pub mod workflow;
