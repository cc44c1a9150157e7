//! The one error of the use cases, and the message policy every front end follows.
//!
//! - Every error has an [`ErrorKind`]: what the caller did wrong (invalid input, not found, a
//!   conflict with what exists, refused by law or by the state machine, forbidden) or that
//!   the server failed (unavailable, internal). Each kind maps to one HTTP status.
//! - Every message a person may read exists in Chinese (the default) and English, through
//!   [`Localized`]. Server faults are never reported as the caller's mistake: users read a
//!   general message, the cause stays the error's source, for the log.
//! - A use case that returns an error has written nothing (each runs in one transaction).

use crate::data_dir::DataDirError;
use gongkai_core::application::{ApplicantError, Refusal};
use gongkai_core::catalog::CatalogError;
use gongkai_store::StoreError;

/// What kind of failure, from the caller's side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The input is wrong: a field, a format, a bound.
    Invalid,
    /// What was asked for does not exist.
    NotFound,
    /// It conflicts with what exists (already there, changed meanwhile).
    Conflict,
    /// The law or the state of the record does not allow it now.
    Refused,
    /// The user may not do it.
    Forbidden,
    /// A service the server needs (the database) cannot be reached or opened.
    Unavailable,
    /// The server failed.
    Internal,
}

impl ErrorKind {
    pub const ALL: [ErrorKind; 7] = [
        ErrorKind::Invalid,
        ErrorKind::NotFound,
        ErrorKind::Conflict,
        ErrorKind::Refused,
        ErrorKind::Forbidden,
        ErrorKind::Unavailable,
        ErrorKind::Internal,
    ];

    /// The HTTP status the web layer answers with.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorKind::Invalid => 422,
            ErrorKind::NotFound => 404,
            ErrorKind::Conflict => 409,
            ErrorKind::Refused => 409,
            ErrorKind::Forbidden => 403,
            ErrorKind::Unavailable => 503,
            ErrorKind::Internal => 500,
        }
    }

    /// Whether the server, not the caller, failed.
    pub fn is_server_fault(self) -> bool {
        matches!(self, ErrorKind::Unavailable | ErrorKind::Internal)
    }

    pub fn key(self) -> &'static str {
        match self {
            ErrorKind::Invalid => "invalid",
            ErrorKind::NotFound => "not_found",
            ErrorKind::Conflict => "conflict",
            ErrorKind::Refused => "refused",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::Unavailable => "unavailable",
            ErrorKind::Internal => "internal",
        }
    }

    /// What a user reads when no more is said (server faults).
    pub fn zh(self) -> &'static str {
        match self {
            ErrorKind::Invalid => "输入有误",
            ErrorKind::NotFound => "未找到",
            ErrorKind::Conflict => "与已有记录冲突",
            ErrorKind::Refused => "依法或按办理状态不能进行此操作",
            ErrorKind::Forbidden => "无权进行此操作",
            ErrorKind::Unavailable => "服务暂时不可用，请稍后再试或联系管理员",
            ErrorKind::Internal => "系统内部错误，请联系管理员",
        }
    }
}

/// The language of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

/// A message in Chinese (the default) and English.
pub trait Localized {
    fn zh(&self) -> String;
    fn en(&self) -> String;

    fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => self.zh(),
            Lang::En => self.en(),
        }
    }
}

/// A cause kept for the log.
pub type Source = Box<dyn std::error::Error + Send + Sync>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The input is wrong.
    #[error("{en}")]
    Invalid { en: String, zh: String },
    #[error("{what} not found: {key}")]
    NotFound { what: &'static str, key: String },
    #[error("{en}")]
    Conflict { en: String, zh: String },
    /// The state machine or the law refused the event; nothing was written.
    #[error("refused: {}", .0.en)]
    Refused(Refusal),
    /// A rule refused something that is not an event of a case.
    #[error("refused: {en}")]
    NotAllowed { en: String, zh: String },
    /// The catalogue's rules refused (out of turn, own draft, a bad field …).
    #[error("{0}")]
    Catalog(#[from] CatalogError),
    #[error("invalid applicant: {0}")]
    Applicant(#[from] ApplicantError),
    #[error("{en}")]
    Forbidden { en: String, zh: String },
    /// A data directory that cannot be created or opened; nothing was created.
    #[error(transparent)]
    DataDir(#[from] DataDirError),
    /// The database failed.
    #[error(transparent)]
    Store(StoreError),
    /// A stored record that no longer reads as a domain value (a newer or damaged database).
    #[error("stored event {seq} of application {number} cannot be read: {message}")]
    Corrupt {
        number: String,
        seq: i64,
        message: String,
    },
    /// Anything else the server failed at; `source` is for the log.
    #[error("{message}")]
    Internal {
        message: String,
        #[source]
        source: Option<Source>,
    },
}

impl AppError {
    /// Wrong input, said in both languages.
    pub fn invalid(en: impl Into<String>, zh: impl Into<String>) -> AppError {
        AppError::Invalid {
            en: en.into(),
            zh: zh.into(),
        }
    }

    pub fn conflict(en: impl Into<String>, zh: impl Into<String>) -> AppError {
        AppError::Conflict {
            en: en.into(),
            zh: zh.into(),
        }
    }

    /// Not allowed by a rule (the law, the workflow, the state of the record).
    pub fn refused(en: impl Into<String>, zh: impl Into<String>) -> AppError {
        AppError::NotAllowed {
            en: en.into(),
            zh: zh.into(),
        }
    }

    pub fn forbidden(en: impl Into<String>, zh: impl Into<String>) -> AppError {
        AppError::Forbidden {
            en: en.into(),
            zh: zh.into(),
        }
    }

    pub fn not_found(what: &'static str, key: impl std::fmt::Display) -> AppError {
        AppError::NotFound {
            what,
            key: key.to_string(),
        }
    }

    /// A server fault with its cause.
    pub fn internal(
        message: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> AppError {
        AppError::Internal {
            message: message.into(),
            source: Some(Box::new(source)),
        }
    }

    pub fn kind(&self) -> ErrorKind {
        match self {
            AppError::Invalid { .. } | AppError::Applicant(_) => ErrorKind::Invalid,
            AppError::NotFound { .. } => ErrorKind::NotFound,
            AppError::Conflict { .. } => ErrorKind::Conflict,
            AppError::Refused(_) | AppError::NotAllowed { .. } => ErrorKind::Refused,
            AppError::Catalog(e) => catalog_kind(e),
            AppError::Forbidden { .. } => ErrorKind::Forbidden,
            AppError::DataDir(e) => match e {
                DataDirError::NotInitialised { .. }
                | DataDirError::AlreadyInitialised { .. }
                | DataDirError::SettingsInvalid { .. } => ErrorKind::Invalid,
                _ => ErrorKind::Unavailable,
            },
            // The database down, full, unwritable or locked: a 503, not the caller's mistake
            // nor a bug (docs/reliability.md RL-9).
            AppError::Store(e) if e.is_unavailable() => ErrorKind::Unavailable,
            AppError::Store(_) | AppError::Corrupt { .. } | AppError::Internal { .. } => {
                ErrorKind::Internal
            }
        }
    }
}

fn catalog_kind(e: &CatalogError) -> ErrorKind {
    match e {
        CatalogError::OutOfTurn { .. }
        | CatalogError::OwnDraft { .. }
        | CatalogError::NotEditable
        | CatalogError::RepealBeforeEffective { .. } => ErrorKind::Refused,
        _ => ErrorKind::Invalid,
    }
}

/// The Chinese names of what was not found.
fn what_zh(what: &str) -> &'static str {
    match what {
        "agency" => "机关",
        "region" | "parent region" => "地区",
        "application" | "application with this query code" => "申请",
        "catalogue item" => "目录信息",
        "attachment" => "附件",
        "event to correct" => "要更正的事件",
        "user" => "用户",
        _ => "记录",
    }
}

impl Localized for AppError {
    fn zh(&self) -> String {
        match self {
            AppError::Invalid { zh, .. }
            | AppError::Conflict { zh, .. }
            | AppError::NotAllowed { zh, .. }
            | AppError::Forbidden { zh, .. } => zh.clone(),
            AppError::NotFound { what, key } => format!("未找到{}：{key}", what_zh(what)),
            AppError::Refused(r) => r.zh.clone(),
            AppError::Catalog(e) => e.zh(),
            AppError::Applicant(e) => e.message_zh(),
            AppError::DataDir(e) => e.zh(),
            AppError::Store(_) | AppError::Corrupt { .. } | AppError::Internal { .. } => {
                self.kind().zh().to_string()
            }
        }
    }

    fn en(&self) -> String {
        self.to_string()
    }
}

impl From<StoreError> for AppError {
    /// A missing record or a uniqueness conflict is the caller's; bad input the store caught
    /// is too; everything else is the server's.
    fn from(e: StoreError) -> AppError {
        match e {
            StoreError::NotFound { what, key } => AppError::NotFound { what, key },
            StoreError::Conflict(m) => AppError::Conflict {
                zh: format!("与已有记录冲突：{m}"),
                en: format!("already exists: {m}"),
            },
            StoreError::Invalid { en, zh } => AppError::Invalid { en, zh },
            other => AppError::Store(other),
        }
    }
}

impl From<Refusal> for AppError {
    fn from(r: Refusal) -> AppError {
        AppError::Refused(r)
    }
}

impl From<gongkai_letters::LetterError> for AppError {
    fn from(e: gongkai_letters::LetterError) -> AppError {
        match e {
            gongkai_letters::LetterError::Missing { kind, ref field } => AppError::NotAllowed {
                zh: format!("案件尚无{field}，暂不能生成此文书（{kind}）"),
                en: e.to_string(),
            },
            other => AppError::internal("cannot produce the letter", other),
        }
    }
}

impl From<gongkai_catalog::FormError> for AppError {
    fn from(e: gongkai_catalog::FormError) -> AppError {
        AppError::internal("cannot produce the document", e)
    }
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind has an HTTP status and a Chinese message; every variant a kind and a
    /// Chinese message.
    #[test]
    fn every_error_kind_has_a_chinese_message_and_an_http_status() {
        let statuses: Vec<(ErrorKind, u16)> = ErrorKind::ALL
            .iter()
            .map(|k| (*k, k.http_status()))
            .collect();
        assert_eq!(
            statuses,
            [
                (ErrorKind::Invalid, 422),
                (ErrorKind::NotFound, 404),
                (ErrorKind::Conflict, 409),
                (ErrorKind::Refused, 409),
                (ErrorKind::Forbidden, 403),
                (ErrorKind::Unavailable, 503),
                (ErrorKind::Internal, 500),
            ]
        );
        for k in ErrorKind::ALL {
            assert!(!k.zh().is_empty() && k.zh().chars().any(|c| c > '\u{2e80}'));
        }
        let io = || std::io::Error::other("disk on fire");
        let errors = [
            (AppError::invalid("bad", "有误"), ErrorKind::Invalid, "有误"),
            (
                AppError::not_found("agency", "某局"),
                ErrorKind::NotFound,
                "未找到机关：某局",
            ),
            (
                AppError::conflict("dup", "重复"),
                ErrorKind::Conflict,
                "重复",
            ),
            (
                AppError::Refused(Refusal {
                    seq: 2,
                    en: "no".into(),
                    zh: "不能".into(),
                }),
                ErrorKind::Refused,
                "不能",
            ),
            (
                AppError::Catalog(CatalogError::NotEditable),
                ErrorKind::Refused,
                "",
            ),
            (
                AppError::Applicant(ApplicantError::Required("name")),
                ErrorKind::Invalid,
                "请填写",
            ),
            (
                AppError::forbidden("no", "无权"),
                ErrorKind::Forbidden,
                "无权",
            ),
            (
                AppError::refused("no", "不允许"),
                ErrorKind::Refused,
                "不允许",
            ),
            (
                AppError::Store(StoreError::Unreachable("refused".into())),
                ErrorKind::Unavailable,
                "服务暂时不可用",
            ),
            (
                AppError::Store(StoreError::Db(sqlx::Error::PoolTimedOut)),
                ErrorKind::Unavailable,
                "服务暂时不可用",
            ),
            (
                AppError::Store(StoreError::Db(sqlx::Error::RowNotFound)),
                ErrorKind::Internal,
                "系统内部错误",
            ),
            (
                AppError::internal("no random numbers", io()),
                ErrorKind::Internal,
                "系统内部错误",
            ),
            (
                AppError::Corrupt {
                    number: "2021-000001".into(),
                    seq: 1,
                    message: "x".into(),
                },
                ErrorKind::Internal,
                "系统内部错误",
            ),
        ];
        for (e, kind, zh) in errors {
            assert_eq!(e.kind(), kind, "{e}");
            assert!(e.zh().contains(zh), "{e}: {}", e.zh());
            assert!(e.zh().chars().any(|c| c > '\u{2e80}'), "{e}: {}", e.zh());
            assert!(!e.en().is_empty());
        }
        // A server fault keeps its cause for the log and does not show it to users.
        let e = AppError::internal("no random numbers", io());
        assert!(std::error::Error::source(&e).is_some());
        assert!(!e.zh().contains("disk on fire"));
    }
}
