//! A data directory: `gongkai.toml` (which database) plus, on SQLite, the database file
//! `gongkai.db`. Extra holiday notices can be dropped in `holidays/cn/<year>.json`.

use crate::error::{AppError, Result};
use gongkai_core::calendar::Calendar;
use gongkai_store::{Db, migrate};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

pub const SETTINGS_FILE: &str = "gongkai.toml";
pub const SQLITE_FILE: &str = "gongkai.db";

/// The settings file of a data directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    pub database: DatabaseSettings,
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
}

fn dir_err(dir: &Path, message: impl Into<String>) -> AppError {
    AppError::DataDir {
        dir: dir.display().to_string(),
        message: message.into(),
    }
}

impl App {
    /// Creates a data directory: SQLite in `dir` unless `database` is a PostgreSQL URL.
    /// Refuses a directory that already has settings.
    pub async fn init(dir: &Path, database: Option<&str>) -> Result<App> {
        let settings_path = dir.join(SETTINGS_FILE);
        if settings_path.exists() {
            return Err(dir_err(dir, "already initialised (gongkai.toml exists)"));
        }
        std::fs::create_dir_all(dir).map_err(|e| dir_err(dir, format!("cannot create: {e}")))?;
        let url = match database {
            None => format!("sqlite:{SQLITE_FILE}"),
            Some(u) if u.starts_with("postgres://") || u.starts_with("postgresql://") => {
                u.to_string()
            }
            Some(u) => {
                return Err(AppError::invalid(format!(
                    "--database must be a postgres:// URL (SQLite is the default), not {}",
                    redact(u)
                )));
            }
        };
        let settings = Settings {
            database: DatabaseSettings { url },
        };
        let app = App::connect(dir, settings).await?;
        let text = format!(
            "# gongkai data directory. The database: sqlite:FILE (relative to this directory) or postgres://…\n{}",
            toml::to_string(&app.settings).map_err(|e| dir_err(dir, e.to_string()))?
        );
        write_private(&settings_path, text.as_bytes())
            .map_err(|e| dir_err(dir, format!("cannot write {SETTINGS_FILE}: {e}")))?;
        Ok(app)
    }

    /// Opens an initialised data directory and brings its schema up to date.
    pub async fn open(dir: &Path) -> Result<App> {
        let path = dir.join(SETTINGS_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                dir_err(dir, "not a gongkai data directory (no gongkai.toml): run `gongkai init --data DIR` first")
            } else {
                dir_err(dir, format!("cannot read {SETTINGS_FILE}: {e}"))
            }
        })?;
        let settings: Settings = toml::from_str(&text)
            .map_err(|e| dir_err(dir, format!("{SETTINGS_FILE} is not valid: {e}")))?;
        App::connect(dir, settings).await
    }

    async fn connect(dir: &Path, settings: Settings) -> Result<App> {
        let url = &settings.database.url;
        let db = if let Some(file) = url.strip_prefix("sqlite:") {
            let file = Path::new(file);
            let path = if file.is_absolute() {
                file.to_path_buf()
            } else {
                dir.join(file)
            };
            Db::connect_sqlite(&path).await?
        } else {
            Db::connect(url)
                .await
                .map_err(|e| dir_err(dir, format!("cannot connect to {}: {e}", redact(url))))?
        };
        migrate::run(&db).await?;
        db.check_profile().await?;
        let calendar = load_calendar(dir)?;
        Ok(App {
            dir: dir.to_path_buf(),
            settings,
            db,
            calendar,
        })
    }

    /// A handle over an existing database (tests, the web server): no settings file.
    pub fn with_db(dir: &Path, db: Db) -> Result<App> {
        Ok(App {
            dir: dir.to_path_buf(),
            settings: Settings {
                database: DatabaseSettings { url: String::new() },
            },
            db,
            calendar: load_calendar(dir)?,
        })
    }
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
            let text = std::fs::read_to_string(&f)
                .map_err(|e| dir_err(dir, format!("cannot read {}: {e}", f.display())))?;
            cal.load_year(&text)
                .map_err(|e| dir_err(dir, format!("{}: {e}", f.display())))?;
        }
    }
    Ok(cal)
}

/// Writes a file readable by its owner only (it may hold a database password).
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
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
