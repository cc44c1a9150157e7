//! The catalogue (政府信息公开目录) and proactive disclosure (主动公开): items and their fields,
//! the publishing workflow with its confidentiality review, 索引号, validity of normative
//! documents, Art. 26 timeliness, and the counts the annual report takes from the catalogue.

pub mod attachment;
pub mod config;
pub mod doc_number;
pub mod document;
pub mod error;
pub mod index_number;
pub mod item;
pub mod pii;
pub mod signer;
pub mod stats;
pub mod timeliness;
pub mod validity;
pub mod workflow;

pub use attachment::{Attachment, AttachmentPolicy};
pub use config::{CatalogConfig, Subject, SubjectList};
pub use doc_number::DocNumber;
pub use document::DocumentKind;
pub use error::CatalogError;
pub use index_number::IndexPattern;
pub use item::{CatalogItem, ItemContent, ItemInput, NormativeInput, RichText, Sanitizer};
pub use signer::Signer;
pub use stats::{ProactiveCounts, art20_1, proactive_counts};
pub use timeliness::{Timeliness, WorkingDays, timeliness};
pub use validity::{Normative, NormativeKind, Validity, ValidityChange, ValidityStatus};
pub use workflow::{Action, Stage, Step, Workflow};
