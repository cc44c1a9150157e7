//! A data directory: `gongkai.toml` (which database), `secret.key` (the keys that seal
//! personal data; docs/personal-data.md) plus, on SQLite, the database file `gongkai.db`. Extra
//! holiday notices can be dropped in `holidays/cn/<year>.json`. The directory is its owner's
//! only (0700) and so are the files gongkai writes in it (0600), the database's `-wal` and
//! `-shm` files included.

use crate::error::{AppError, Result};
use crate::secrets::{KeyOrigin, Keyring};
use gongkai_core::application::Periods;
use gongkai_core::calendar::Calendar;
use gongkai_store::Db;
use gongkai_store::migrate::{self, Schema};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const SETTINGS_FILE: &str = "gongkai.toml";
/// The local operator `gongkai init` creates unless told another name.
pub const DEFAULT_OPERATOR: &str = "operator";

pub const SQLITE_FILE: &str = "gongkai.db";

/// The settings file of a data directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    pub database: DatabaseSettings,
    /// The periods an agency may configure (the fee payment period); the defaults when absent.
    #[serde(default, skip_serializing_if = "is_default_periods")]
    pub periods: Periods,
    /// The command line's defaults.
    #[serde(default)]
    pub cli: CliSettings,
    /// Staff sign-in: sessions, lockout, password policy, cookie (docs/security.md).
    #[serde(default, skip_serializing_if = "is_default_auth")]
    pub auth: crate::auth::AuthSettings,
    /// Where the PDF export finds its Chinese fonts (docs/export.md).
    #[serde(default, skip_serializing_if = "is_default_fonts")]
    pub fonts: crate::report::export::FontSettings,
    /// The annual report's reminders on the dashboard (docs/back-office.md#the-dashboard).
    #[serde(default, skip_serializing_if = "is_default_report")]
    pub report: crate::report::ReportSettings,
    /// How long the audit log keeps entries (docs/audit-log.md#retention).
    #[serde(default, skip_serializing_if = "is_default_audit")]
    pub audit: crate::audit_log::AuditSettings,
}

fn is_default_audit(a: &crate::audit_log::AuditSettings) -> bool {
    *a == crate::audit_log::AuditSettings::default()
}

fn is_default_fonts(f: &crate::report::export::FontSettings) -> bool {
    f.dirs.is_empty()
}

fn is_default_report(r: &crate::report::ReportSettings) -> bool {
    *r == crate::report::ReportSettings::default()
}

fn is_default_auth(a: &crate::auth::AuthSettings) -> bool {
    *a == crate::auth::AuthSettings::default()
}

/// `[cli]` in `gongkai.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CliSettings {
    /// The user the command line acts as when no `--as NAME` is given (created by `init`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
    /// The 安全管理员 the command line acts as for users and roles (created by `init`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security: Option<String>,
    /// The 审计管理员 the command line acts as for the audit log (created by `init`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit: Option<String>,
}

fn is_default_periods(p: &Periods) -> bool {
    *p == Periods::default()
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatabaseSettings {
    /// `sqlite:gongkai.db` (relative to the data directory) or `postgres://…`.
    pub url: String,
}

impl std::fmt::Debug for DatabaseSettings {
    /// Never prints a password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatabaseSettings")
            .field("url", &redact(&self.url))
            .finish()
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
pub fn redact(url: &str) -> String {
    if let Some((scheme, rest)) = url.split_once("://")
        && let Some((auth, host)) = rest.split_once('@')
        && let Some((user, _)) = auth.split_once(':')
    {
        return format!("{scheme}://{user}:***@{host}");
    }
    url.to_string()
}

/// An opened data directory: its database, calendar and location.
pub struct App {
    pub dir: PathBuf,
    pub settings: Settings,
    pub db: Db,
    pub calendar: Calendar,
    /// The keys that seal personal data and key the 查询码 and audit hashes.
    pub keys: Arc<Keyring>,
}

/// What is wrong with a data directory, and what to do about it. Only `gongkai init`
/// ([`App::init`]) creates a data directory or its database: opening one never does, so a
/// missing or damaged database is reported instead of being replaced by an empty one.
/// `Display` is the English message (logs, the CLI); [`DataDirError::zh`] the Chinese one.
#[derive(Debug, thiserror::Error)]
pub enum DataDirError {
    #[error(
        "{} is not a gongkai data directory (no {SETTINGS_FILE}): run `gongkai init --data {}` to create one",
        .dir.display(), .dir.display()
    )]
    NotInitialised { dir: PathBuf },
    #[error("{} is already initialised ({SETTINGS_FILE} exists)", .dir.display())]
    AlreadyInitialised { dir: PathBuf },
    #[error("cannot create {}: {reason}", .path.display())]
    CannotCreate { path: PathBuf, reason: String },
    #[error("cannot read {}: {reason}", .path.display())]
    SettingsUnreadable { path: PathBuf, reason: String },
    #[error(
        "{}{} does not parse: {message}: correct it, or restore it from the backup",
        .path.display(), position(*.line, *.column)
    )]
    SettingsInvalid {
        path: PathBuf,
        /// 1-based line and column of the error, when the parser names one.
        line: Option<usize>,
        column: Option<usize>,
        message: String,
    },
    #[error(
        "{} does not exist (nothing was created): restore the database from the backup, or run `gongkai init --data NEW_DIR` to create a new, empty data directory",
        .path.display()
    )]
    DatabaseMissing { path: PathBuf },
    #[error(
        "{} cannot be opened as a SQLite database: {reason}: check the file and its permissions, or restore it from the backup",
        .path.display()
    )]
    DatabaseUnreadable { path: PathBuf, reason: String },
    #[error(
        "{database} holds no gongkai data (no migration was ever applied: an empty or a foreign database): restore the backup, or run `gongkai init --data NEW_DIR` to create a new data directory"
    )]
    NoSchema { database: String },
    #[error(
        "{database} has schema version {applied}, newer than this gongkai ({}) knows (up to {known}): run the newer gongkai that wrote it, or restore a backup made with this version",
        env!("CARGO_PKG_VERSION")
    )]
    NewerSchema {
        database: String,
        applied: i64,
        known: i64,
    },
    #[error(
        "cannot connect to the PostgreSQL database {url} ({}): {reason}: check that the server is running and reachable and that the URL is right",
        url_source(.settings.as_deref())
    )]
    Unreachable {
        /// The URL with its password redacted.
        url: String,
        /// The settings file that names the URL; `None` for `init --database URL`.
        settings: Option<PathBuf>,
        reason: String,
    },
    #[error("cannot load the holiday notice {}: {reason}", .path.display())]
    Holidays { path: PathBuf, reason: String },
    #[error("cannot read the secret keys: {reason}")]
    KeysUnreadable { reason: String },
    #[error(
        "the database's personal data is sealed with key(s) {ids} but {} is missing: restore it from where you keep it apart from the backups (or set {})",
        .path.display(), crate::secrets::KEY_ENV
    )]
    KeysMissing { path: PathBuf, ids: String },
    #[error(
        "key k{id} of {origin} is not the key this database was sealed with: use the key file that belongs to this database"
    )]
    KeyMismatch { id: u32, origin: String },
}

/// Where a database URL came from: the settings file, or `init`'s `--database`.
fn url_source(settings: Option<&Path>) -> String {
    match settings {
        Some(path) => format!("set in {}", path.display()),
        None => "given with --database".into(),
    }
}

/// ` (line 3, column 7)` or nothing.
fn position(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(" (line {l}, column {c})"),
        (Some(l), None) => format!(" (line {l})"),
        _ => String::new(),
    }
}

impl DataDirError {
    /// The message in Chinese.
    pub fn zh(&self) -> String {
        match self {
            DataDirError::NotInitialised { dir } => format!(
                "{} 不是 gongkai 数据目录（没有 {SETTINGS_FILE}）：请运行 `gongkai init --data {}` 创建",
                dir.display(),
                dir.display()
            ),
            DataDirError::AlreadyInitialised { dir } => {
                format!("{} 已初始化（{SETTINGS_FILE} 已存在）", dir.display())
            }
            DataDirError::CannotCreate { path, reason } => {
                format!("无法创建 {}：{reason}", path.display())
            }
            DataDirError::SettingsUnreadable { path, reason } => {
                format!("无法读取 {}：{reason}", path.display())
            }
            DataDirError::SettingsInvalid {
                path,
                line,
                column,
                message,
            } => {
                let at = match (line, column) {
                    (Some(l), Some(c)) => format!("（第 {l} 行第 {c} 列）"),
                    (Some(l), None) => format!("（第 {l} 行）"),
                    _ => String::new(),
                };
                format!(
                    "{}{at} 无法解析：{message}；请改正该文件，或从备份恢复",
                    path.display()
                )
            }
            DataDirError::DatabaseMissing { path } => format!(
                "{} 不存在（未创建任何文件）：请从备份恢复数据库，或运行 `gongkai init --data 新目录` 创建新的空数据目录",
                path.display()
            ),
            DataDirError::DatabaseUnreadable { path, reason } => format!(
                "{} 无法作为 SQLite 数据库打开：{reason}；请检查该文件及其权限，或从备份恢复",
                path.display()
            ),
            DataDirError::NoSchema { database } => format!(
                "{database} 中没有 gongkai 数据（从未执行过迁移：空的或其他程序的数据库）：请从备份恢复，或运行 `gongkai init --data 新目录` 创建新的数据目录"
            ),
            DataDirError::NewerSchema {
                database,
                applied,
                known,
            } => format!(
                "{database} 的结构版本为 {applied}，高于本版 gongkai（{}）所知的版本（至 {known}）：请使用写入该数据库的新版 gongkai，或恢复用本版制作的备份",
                env!("CARGO_PKG_VERSION")
            ),
            DataDirError::Unreachable {
                url,
                settings,
                reason,
            } => format!(
                "无法连接 PostgreSQL 数据库 {url}（{}）：{reason}；请检查服务器是否运行、能否访问，以及地址是否正确",
                match settings {
                    Some(path) => format!("见 {}", path.display()),
                    None => "由 --database 指定".into(),
                }
            ),
            DataDirError::Holidays { path, reason } => {
                format!("无法加载节假日通知 {}：{reason}", path.display())
            }
            DataDirError::KeysUnreadable { reason } => format!("无法读取密钥：{reason}"),
            DataDirError::KeysMissing { path, ids } => format!(
                "数据库中的个人信息由密钥 {ids} 加密，但 {} 不存在：请从与数据库备份分开保存之处恢复该文件（或设置 {}）",
                path.display(),
                crate::secrets::KEY_ENV
            ),
            DataDirError::KeyMismatch { id, origin } => format!(
                "{origin} 中的密钥 k{id} 与本数据库所用密钥不符：请使用属于本数据库的密钥文件"
            ),
        }
    }
}

/// Whether connecting may create the database (only `init`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Create,
    Open,
}

impl App {
    /// Creates a data directory: SQLite in `dir` unless `database` is a PostgreSQL URL, with
    /// the local operator [`DEFAULT_OPERATOR`]. Refuses a directory that already has settings.
    pub async fn init(dir: &Path, database: Option<&str>) -> Result<App> {
        App::init_with_operator(dir, database, DEFAULT_OPERATOR, None).await
    }

    /// Creates a data directory whose command line acts, unless told otherwise, as the user
    /// `operator` (created here with every office role and 系统管理员, and recorded in
    /// `gongkai.toml`).
    pub async fn init_with_operator(
        dir: &Path,
        database: Option<&str>,
        operator: &str,
        operator_display: Option<&str>,
    ) -> Result<App> {
        let settings_path = dir.join(SETTINGS_FILE);
        if settings_path.exists() {
            return Err(DataDirError::AlreadyInitialised {
                dir: dir.to_path_buf(),
            }
            .into());
        }
        let existed = dir.exists();
        std::fs::create_dir_all(dir)
            .and_then(|()| make_private(dir, 0o700))
            .map_err(|e| DataDirError::CannotCreate {
                path: dir.to_path_buf(),
                reason: e.to_string(),
            })?;
        let url = match database {
            None => format!("sqlite:{SQLITE_FILE}"),
            Some(u) if u.starts_with("postgres://") || u.starts_with("postgresql://") => {
                u.to_string()
            }
            Some(u) => {
                return Err(AppError::invalid(
                    format!(
                        "--database must be a postgres:// URL (SQLite is the default), not {}",
                        redact(u)
                    ),
                    format!(
                        "--database 须为 postgres:// 地址（默认使用 SQLite），不能为 {}",
                        redact(u)
                    ),
                ));
            }
        };
        let settings = Settings {
            database: DatabaseSettings { url },
            periods: Periods::default(),
            cli: CliSettings {
                operator: Some(operator.trim().to_string()),
                security: Some(crate::user::SECURITY_NAME.to_string()),
                audit: Some(crate::user::AUDIT_NAME.to_string()),
            },
            auth: Default::default(),
            fonts: Default::default(),
            report: Default::default(),
            audit: Default::default(),
        };
        let created = match App::connect(dir, settings, Mode::Create).await {
            Ok(app) => match crate::user::first_admin(&app, operator, operator_display).await {
                Ok(_) => Ok(app),
                Err(e) => {
                    app.db.close().await;
                    Err(e)
                }
            },
            Err(e) => Err(e),
        };
        let app = match created {
            Ok(app) => app,
            Err(e) => {
                if !existed {
                    // Leave no half-made directory behind (only removed while still empty).
                    let _ = std::fs::remove_dir(dir);
                }
                return Err(e);
            }
        };
        let cannot_write = |reason: String| DataDirError::CannotCreate {
            path: settings_path.clone(),
            reason,
        };
        let text = format!(
            "# gongkai data directory. The database: sqlite:FILE (relative to this directory) or postgres://…\n{}",
            toml::to_string(&app.settings).map_err(|e| cannot_write(e.to_string()))?
        );
        write_private(&settings_path, text.as_bytes()).map_err(|e| cannot_write(e.to_string()))?;
        Ok(app)
    }

    /// Opens an initialised data directory and brings its schema up to date. Creates nothing:
    /// a missing, unreadable or newer database, an unreachable server or settings that do not
    /// parse are a [`DataDirError`].
    pub async fn open(dir: &Path) -> Result<App> {
        let path = dir.join(SETTINGS_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                DataDirError::NotInitialised {
                    dir: dir.to_path_buf(),
                }
            } else {
                DataDirError::SettingsUnreadable {
                    path: path.clone(),
                    reason: e.to_string(),
                }
            }
        })?;
        let settings = parse_settings(&path, &text)?;
        App::connect(dir, settings, Mode::Open).await
    }

    async fn connect(dir: &Path, settings: Settings, mode: Mode) -> Result<App> {
        let url = &settings.database.url;
        let (db, database) = if let Some(file) = url.strip_prefix("sqlite:") {
            let file = Path::new(file);
            let path = if file.is_absolute() {
                file.to_path_buf()
            } else {
                dir.join(file)
            };
            let db = match mode {
                Mode::Create => {
                    let db =
                        Db::create_sqlite(&path)
                            .await
                            .map_err(|e| DataDirError::CannotCreate {
                                path: path.clone(),
                                reason: e.to_string(),
                            })?;
                    private_sqlite_files(&path);
                    db
                }
                Mode::Open => {
                    check_sqlite_file(&path)?;
                    // Tighten what older versions created world-readable.
                    private_sqlite_files(&path);
                    Db::connect_sqlite(&path).await.map_err(|e| {
                        DataDirError::DatabaseUnreadable {
                            path: path.clone(),
                            reason: e.to_string(),
                        }
                    })?
                }
            };
            (db, path.display().to_string())
        } else {
            let db = Db::connect(url)
                .await
                .map_err(|e| DataDirError::Unreachable {
                    url: redact(url),
                    settings: (mode == Mode::Open).then(|| dir.join(SETTINGS_FILE)),
                    reason: e.to_string(),
                })?;
            (db, redact(url))
        };
        let prepared = match prepare(dir, &db, &database, mode).await {
            Ok(calendar) => match keys_for(dir, &db).await {
                // A directory made before personal data was sealed: seal it now, once.
                Ok((keys, true)) if mode == Mode::Open => crate::personal::reseal_all(&db, &keys)
                    .await
                    .map(|_| (calendar, keys)),
                Ok((keys, _)) => Ok((calendar, keys)),
                Err(e) => Err(e),
            },
            Err(e) => Err(e),
        };
        match prepared {
            Ok((calendar, keys)) => Ok(App {
                dir: dir.to_path_buf(),
                settings,
                db,
                calendar,
                keys: Arc::new(keys),
            }),
            Err(e) => {
                db.close().await;
                Err(e)
            }
        }
    }

    /// A handle over an existing database (tests): no settings file. The keys are the
    /// directory's key file, created there when missing (or kept in memory when the directory
    /// cannot be written).
    pub fn with_db(dir: &Path, db: Db) -> Result<App> {
        let keys = match Keyring::load(dir) {
            Ok(Some(k)) => k,
            Ok(None) => {
                let k = Keyring::generate(KeyOrigin::File(dir.join(crate::secrets::KEY_FILE)))
                    .map_err(|e| DataDirError::KeysUnreadable {
                        reason: e.to_string(),
                    })?;
                if k.save(dir).is_err() {
                    Keyring::parse(&k.to_text(), KeyOrigin::Memory).map_err(|e| {
                        DataDirError::KeysUnreadable {
                            reason: e.to_string(),
                        }
                    })?
                } else {
                    k
                }
            }
            Err(e) => {
                return Err(DataDirError::KeysUnreadable {
                    reason: e.to_string(),
                }
                .into());
            }
        };
        Ok(App {
            keys: Arc::new(keys),
            dir: dir.to_path_buf(),
            settings: Settings {
                database: DatabaseSettings { url: String::new() },
                periods: Periods::default(),
                cli: CliSettings::default(),
                auth: Default::default(),
                fonts: Default::default(),
                report: Default::default(),
                audit: Default::default(),
            },
            db,
            calendar: load_calendar(dir)?,
        })
    }
}

/// Reads `gongkai.toml`, naming the file and the line of a parse error.
fn parse_settings(path: &Path, text: &str) -> Result<Settings, DataDirError> {
    let invalid = |line: Option<usize>, column: Option<usize>, message: String| {
        DataDirError::SettingsInvalid {
            path: path.to_path_buf(),
            line,
            column,
            message,
        }
    };
    let settings: Settings = toml::from_str(text).map_err(|e| {
        let (line, column) = match e.span() {
            Some(span) => {
                let before = text.get(..span.start).unwrap_or(text);
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                (Some(line), Some(column))
            }
            None => (None, None),
        };
        let message = e.message().trim().replace('\n', "; ");
        invalid(line, column, message)
    })?;
    let url = &settings.database.url;
    if !(url.starts_with("sqlite:")
        || url.starts_with("postgres://")
        || url.starts_with("postgresql://"))
    {
        return Err(invalid(
            None,
            None,
            format!(
                "database.url must be sqlite:FILE or postgres://…, not `{}`",
                redact(url)
            ),
        ));
    }
    settings
        .periods
        .check()
        .map_err(|m| invalid(None, None, m))?;
    settings.auth.check().map_err(|m| invalid(None, None, m))?;
    settings.audit.check().map_err(|m| invalid(None, None, m))?;
    Ok(settings)
}

/// Refuses, before SQLite touches it, a database file that is missing (SQLite would create
/// it), unreadable, or not a SQLite database (an empty file would be taken for a new one).
fn check_sqlite_file(path: &Path) -> Result<(), DataDirError> {
    use std::io::Read;
    let unreadable = |reason: String| DataDirError::DatabaseUnreadable {
        path: path.to_path_buf(),
        reason,
    };
    let mut file = std::fs::File::open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            DataDirError::DatabaseMissing {
                path: path.to_path_buf(),
            }
        } else {
            unreadable(e.to_string())
        }
    })?;
    let mut header = [0u8; 16];
    match file.read_exact(&mut header) {
        Ok(()) if &header == b"SQLite format 3\0" => Ok(()),
        Ok(()) => Err(unreadable("it is not a SQLite database".into())),
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Err(unreadable(
            "it is empty or truncated (no SQLite header)".into(),
        )),
        Err(e) => Err(unreadable(e.to_string())),
    }
}

/// After connecting: on open, refuses a database without gongkai's schema or with a newer
/// one; then migrates, checks the durability profile and loads the calendar.
async fn prepare(dir: &Path, db: &Db, database: &str, mode: Mode) -> Result<Calendar> {
    if mode == Mode::Open {
        match migrate::schema(db).await? {
            Schema::Known { .. } => {}
            Schema::Absent => {
                return Err(DataDirError::NoSchema {
                    database: database.to_string(),
                }
                .into());
            }
            Schema::Newer { applied, known } => {
                return Err(DataDirError::NewerSchema {
                    database: database.to_string(),
                    applied,
                    known,
                }
                .into());
            }
        }
    }
    migrate::run(db).await?;
    db.check_profile().await?;
    load_calendar(dir)
}

/// The built-in holiday notices plus any `holidays/cn/<year>.json` in the data directory
/// (a new year's notice, loaded without a new release).
fn load_calendar(dir: &Path) -> Result<Calendar> {
    let mut cal = Calendar::builtin();
    let extra = dir.join("holidays").join("cn");
    if let Ok(entries) = std::fs::read_dir(&extra) {
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        for f in files {
            let holidays = |reason: String| DataDirError::Holidays {
                path: f.clone(),
                reason,
            };
            let text = std::fs::read_to_string(&f).map_err(|e| holidays(e.to_string()))?;
            cal.load_year(&text).map_err(|e| holidays(e.to_string()))?;
        }
    }
    Ok(cal)
}

/// The data directory's keyring, checked against the database: a key the database has seen
/// must be the same key (its check value); keys new to the database are recorded. A data
/// directory without keys gets a fresh key file when its database has never been sealed
/// (a new directory, or one made by a version before encryption); when it has, the missing
/// file is an error, never a new key.
async fn keys_for(dir: &Path, db: &Db) -> Result<(Keyring, bool)> {
    let unreadable = |reason: String| DataDirError::KeysUnreadable { reason };
    let stored = gongkai_store::repo::secret::checks(db).await?;
    let mut created = false;
    let keys = match Keyring::load(dir).map_err(|e| unreadable(e.to_string()))? {
        Some(k) => k,
        None if stored.is_empty() => {
            let path = dir.join(crate::secrets::KEY_FILE);
            let k = Keyring::generate(KeyOrigin::File(path.clone()))
                .map_err(|e| unreadable(e.to_string()))?;
            k.save(dir).map_err(|e| DataDirError::CannotCreate {
                path,
                reason: e.to_string(),
            })?;
            created = true;
            k
        }
        None => {
            return Err(DataDirError::KeysMissing {
                path: dir.join(crate::secrets::KEY_FILE),
                ids: stored
                    .iter()
                    .map(|(id, _)| format!("k{id}"))
                    .collect::<Vec<_>>()
                    .join(", "),
            }
            .into());
        }
    };
    let origin = keys.origin.to_string();
    for (id, check) in &stored {
        let id = u32::try_from(*id).unwrap_or(0);
        match keys.check_value(id) {
            Ok(mine) if &mine == check => {}
            Ok(_) => {
                return Err(DataDirError::KeyMismatch {
                    id,
                    origin: origin.clone(),
                }
                .into());
            }
            Err(_) => {
                return Err(DataDirError::KeysMissing {
                    path: PathBuf::from(&origin),
                    ids: format!("k{id}"),
                }
                .into());
            }
        }
    }
    for id in keys.ids() {
        if !stored.iter().any(|(s, _)| *s == i64::from(id)) {
            let check = keys
                .check_value(id)
                .map_err(|e| unreadable(e.to_string()))?;
            gongkai_store::repo::secret::record_check(
                db,
                i64::from(id),
                &check,
                time::OffsetDateTime::now_utc(),
            )
            .await?;
        }
    }
    Ok((keys, created))
}

/// Sets a path's mode (Unix); elsewhere nothing.
fn make_private(path: &Path, mode: u32) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
    }
    #[cfg(not(unix))]
    {
        let _ = (path, mode);
        Ok(())
    }
}

/// The SQLite file and its `-wal`/`-shm` companions, owner only. SQLite creates the
/// companions with the database file's mode, so later ones follow.
fn private_sqlite_files(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let p = PathBuf::from(p);
        if p.exists() {
            let _ = make_private(&p, 0o600);
        }
    }
}

/// Writes a file readable by its owner only (it may hold a database password or keys).
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)?;
        f.write_all(bytes)?;
        f.sync_all()
    }
    #[cfg(not(unix))]
    {
        std::fs::write(path, bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_redacted() {
        assert_eq!(
            redact("postgres://gk:s3cret@db.local:5432/gongkai"),
            "postgres://gk:***@db.local:5432/gongkai"
        );
        assert_eq!(redact("sqlite:gongkai.db"), "sqlite:gongkai.db");
    }
}
