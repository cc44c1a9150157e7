//! Storage errors. Unique-constraint violations become [`StoreError::Conflict`] so callers can
//! tell "already exists" from a broken database.

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(#[source] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("{what} not found: {key}")]
    NotFound { what: &'static str, key: String },
    #[error("already exists: {0}")]
    Conflict(String),
    /// Input the store cannot accept, said in English and Chinese.
    #[error("{en}")]
    Invalid { en: String, zh: String },
    /// Stored data that does not read back (a damaged or newer database).
    #[error("stored data is inconsistent: {0}")]
    Inconsistent(String),
    #[error("unsupported database URL `{0}`: use sqlite:PATH or postgres://…")]
    BadUrl(String),
    /// The database server refused the connection, or did not answer in time.
    #[error("the database server cannot be reached: {0}")]
    Unreachable(String),
    #[error("the database does not have the required durability settings: {0}")]
    Profile(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> StoreError {
        if let sqlx::Error::Database(d) = &e
            && d.is_unique_violation()
        {
            return StoreError::Conflict(
                d.constraint()
                    .map(str::to_string)
                    .unwrap_or_else(|| d.message().to_string()),
            );
        }
        StoreError::Db(e)
    }
}

impl StoreError {
    pub fn invalid(en: impl Into<String>, zh: impl Into<String>) -> StoreError {
        StoreError::Invalid {
            en: en.into(),
            zh: zh.into(),
        }
    }

    pub fn not_found(what: &'static str, key: impl std::fmt::Display) -> StoreError {
        StoreError::NotFound {
            what,
            key: key.to_string(),
        }
    }

    /// Maps a unique violation to a conflict with a readable message.
    pub fn on_conflict(self, message: impl FnOnce() -> String) -> StoreError {
        match self {
            StoreError::Conflict(_) => StoreError::Conflict(message()),
            other => other,
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
