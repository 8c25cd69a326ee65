//! Grading: which tests earn the points, the classroom workflows, the scan of learner
//! code, hidden tests, reports, templates.

pub mod confine;
pub mod generated;
pub mod grade;
pub mod graded;
pub mod hidden;
pub mod report;
pub mod scan;
pub mod sealed;
pub mod template;
pub mod workflow;
