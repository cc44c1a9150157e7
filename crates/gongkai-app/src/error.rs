//! The use-case error: storage failures, refusals by the domain rules, and bad input.

use gongkai_core::application::{ApplicantError, Refusal};
use gongkai_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The state machine refused the event; nothing was written.
    #[error("refused: {}", .0.en)]
    Refused(Refusal),
    #[error(transparent)]
    Catalog(#[from] crate::catalog::CatalogAppError),
    #[error(transparent)]
    Letter(#[from] gongkai_letters::LetterError),
    #[error("invalid applicant: {0}")]
    Applicant(#[from] ApplicantError),
    #[error("{0}")]
    Invalid(String),
    /// A data directory that cannot be created or opened (missing or newer database, settings
    /// that do not parse, an unreachable server); nothing was created.
    #[error(transparent)]
    DataDir(#[from] crate::data_dir::DataDirError),
    /// A stored event that no longer reads as a domain event (a newer or damaged database).
    #[error("stored event {seq} of application {number} cannot be read: {message}")]
    Corrupt {
        number: String,
        seq: i64,
        message: String,
    },
}

impl AppError {
    pub fn invalid(message: impl Into<String>) -> AppError {
        AppError::Invalid(message.into())
    }
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;
