//! The annual report (年度报告) in the national format: its typed model, the interchange JSON,
//! and the consistency rules (勾稽关系) evaluated by one engine.

pub mod cell;
pub mod format;
pub mod gap;
pub mod json;
pub mod keys;
pub mod model;
pub mod narrative;
pub mod rules;
pub mod schema;
pub mod table3_count;
pub mod workflow;

pub use cell::{Cell, Source, Value};
pub use gap::{AgencyEvidence, Gap, GapOf, UNKNOWN_AGENCY, UNKNOWN_YEAR, YEAR_UNKNOWN};
pub use keys::{CellRef, Layout, OtherShape, T2Key, T3Col, T3Row, T4Col};
pub use model::{AnnualReport, Figures, Proactive, Sections, Table2, Table3, Table4};
pub use rules::{Finding, Severity, Status, check};
