//! Backups and restores of a data directory (docs/backup.md; 等保 DB-BR-1, RL-8).
//!
//! - **Backup**: SQLite by `VACUUM INTO` (a consistent copy while the server runs), checked
//!   with `integrity_check`; PostgreSQL by `pg_dump --format=custom`, checked with
//!   `pg_restore --list`. The copy is written beside the target and renamed into place once
//!   complete (mode 0600). It holds no key: the personal data in it stays sealed, and a backup
//!   alone cannot be read (DB-DC-2).
//! - **Restore**: into a new data directory, with the key file kept apart from the backups
//!   (`--key-file`, or `GONGKAI_SECRET_KEY`). The restored database is opened like any data
//!   directory — migrated, its keys checked against their check values, so a wrong key file is
//!   refused — and the drill's figures are returned: rows per table and the audit chain
//!   verified. A restore that fails leaves nothing behind.

use crate::App;
use crate::data_dir::{SETTINGS_FILE, SQLITE_FILE, write_private};
use crate::error::{AppError, Result};
use crate::secrets::{KEY_ENV, KEY_FILE, KeyOrigin, Keyring};
use gongkai_store::Db;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What kind of database a backup file holds, from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Sqlite,
    Postgres,
}

fn kind_of(path: &Path) -> Result<Kind> {
    use std::io::Read;
    let mut head = [0u8; 16];
    let mut f = std::fs::File::open(path).map_err(|e| {
        AppError::invalid(
            format!("cannot read the backup {}: {e}", path.display()),
            format!("无法读取备份文件 {}：{e}", path.display()),
        )
    })?;
    let n = f.read(&mut head).unwrap_or(0);
    if n == 16 && &head == b"SQLite format 3\0" {
        Ok(Kind::Sqlite)
    } else if n >= 5 && &head[..5] == b"PGDMP" {
        Ok(Kind::Postgres)
    } else {
        Err(AppError::invalid(
            format!(
                "{} is not a gongkai backup (neither a SQLite database nor a pg_dump archive)",
                path.display()
            ),
            format!(
                "{} 不是 gongkai 备份文件（既不是 SQLite 数据库，也不是 pg_dump 归档）",
                path.display()
            ),
        ))
    }
}

/// What a backup wrote.
#[derive(Debug, Clone, Serialize)]
pub struct BackedUp {
    pub path: PathBuf,
    pub kind: Kind,
    pub bytes: u64,
}

fn io_error(what: &str, e: std::io::Error) -> AppError {
    AppError::internal(what.to_string(), e)
}

/// `postgres://…?options=-c search_path=S` → `S`: the schema a test or shared server uses.
fn search_path(url: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    let decoded = query
        .replace("%20", " ")
        .replace("%3D", "=")
        .replace("%3d", "=");
    decoded
        .split('&')
        .find_map(|kv| kv.strip_prefix("options="))
        .and_then(|o| o.split("search_path=").nth(1))
        .map(|s| s.split([' ', '&']).next().unwrap_or("").to_string())
        .filter(|s| !s.is_empty())
}

/// The URL without its query (pg_dump takes the schema as an option).
fn base_url(url: &str) -> &str {
    url.split_once('?').map_or(url, |(b, _)| b)
}

fn run(cmd: &mut Command, what: &str) -> Result<()> {
    let out = cmd.output().map_err(|e| {
        AppError::invalid(
            format!("cannot run {what}: {e} (install PostgreSQL's client programs)"),
            format!("无法运行 {what}：{e}（请安装 PostgreSQL 客户端程序）"),
        )
    })?;
    if out.status.success() {
        Ok(())
    } else {
        let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
        Err(AppError::invalid(
            format!("{what} failed: {err}"),
            format!("{what} 执行失败：{err}"),
        ))
    }
}

/// Backs up the data directory's database to `to`, which must not exist.
pub async fn backup(app: &App, to: &Path) -> Result<BackedUp> {
    if to.exists() {
        return Err(AppError::invalid(
            format!("{} exists: give a new file name", to.display()),
            format!("{} 已存在：请指定新的文件名", to.display()),
        ));
    }
    let partial = PathBuf::from(format!("{}.partial", to.display()));
    let _ = std::fs::remove_file(&partial);
    let kind = match &app.db {
        Db::Sqlite(_) => {
            gongkai_store::backup::sqlite_into(&app.db, &partial).await?;
            Kind::Sqlite
        }
        Db::Postgres(_) => {
            let url = &app.settings.database.url;
            let mut cmd = Command::new("pg_dump");
            cmd.arg("--format=custom")
                .arg("--no-owner")
                .arg(format!("--file={}", partial.display()));
            if let Some(schema) = search_path(url) {
                cmd.arg(format!("--schema={schema}"));
            }
            cmd.arg(format!("--dbname={}", base_url(url)));
            run(&mut cmd, "pg_dump")?;
            run(
                Command::new("pg_restore").arg("--list").arg(&partial),
                "pg_restore --list",
            )?;
            Kind::Postgres
        }
    };
    // Owner only, synced, then renamed into place: a backup is complete or absent.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&partial, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| io_error("cannot protect the backup", e))?;
    }
    std::fs::File::open(&partial)
        .and_then(|f| f.sync_all())
        .map_err(|e| io_error("cannot sync the backup", e))?;
    std::fs::rename(&partial, to).map_err(|e| io_error("cannot move the backup into place", e))?;
    let bytes = std::fs::metadata(to).map(|m| m.len()).unwrap_or(0);
    Ok(BackedUp {
        path: to.to_path_buf(),
        kind,
        bytes,
    })
}

/// What a restore found: the drill's figures.
#[derive(Debug, Clone, Serialize)]
pub struct Restored {
    pub kind: Kind,
    /// Rows per table of the restored database.
    pub counts: Vec<(String, i64)>,
    /// Audit entries verified, and the first bad one if the chain is broken.
    pub audit: crate::audit_log::Verified,
}

/// Restores `from` into the new data directory `dir`. `key_file` is the data directory's
/// `secret.key` kept apart from the backups (without it, `GONGKAI_SECRET_KEY` must hold the
/// keys); `database` is the empty PostgreSQL database to restore a pg_dump archive into;
/// `operator` the user the restored directory's command line acts as.
pub async fn restore(
    dir: &Path,
    from: &Path,
    key_file: Option<&Path>,
    database: Option<&str>,
    operator: &str,
) -> Result<Restored> {
    if dir.join(SETTINGS_FILE).exists() {
        return Err(AppError::invalid(
            format!(
                "{} is already a data directory: restore into a new one",
                dir.display()
            ),
            format!("{} 已是数据目录：请恢复到新的目录", dir.display()),
        ));
    }
    let kind = kind_of(from)?;
    let keys = match key_file {
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|e| {
                AppError::invalid(
                    format!("cannot read the key file {}: {e}", p.display()),
                    format!("无法读取密钥文件 {}：{e}", p.display()),
                )
            })?;
            Some(
                Keyring::parse(&text, KeyOrigin::File(p.to_path_buf()))
                    .map_err(|e| AppError::invalid(e.to_string(), format!("密钥文件有误：{e}")))?,
            )
        }
        None if std::env::var(KEY_ENV).is_ok_and(|v| !v.trim().is_empty()) => None,
        None => {
            return Err(AppError::invalid(
                format!(
                    "a backup holds no keys: give the data directory's key file with --key-file (or set {KEY_ENV})"
                ),
                format!(
                    "备份中不含密钥：请用 --key-file 指定原数据目录的密钥文件（或设置 {KEY_ENV}）"
                ),
            ));
        }
    };
    let existed = dir.exists();
    let done = restore_into(dir, from, kind, keys.as_ref(), database, operator).await;
    if done.is_err() {
        // Leave nothing behind: the files this restore made, and the directory if it made it.
        for f in [
            SETTINGS_FILE,
            KEY_FILE,
            SQLITE_FILE,
            "gongkai.db-wal",
            "gongkai.db-shm",
        ] {
            let _ = std::fs::remove_file(dir.join(f));
        }
        if !existed {
            let _ = std::fs::remove_dir(dir);
        }
    }
    done
}

async fn restore_into(
    dir: &Path,
    from: &Path,
    kind: Kind,
    keys: Option<&Keyring>,
    database: Option<&str>,
    operator: &str,
) -> Result<Restored> {
    std::fs::create_dir_all(dir).map_err(|e| io_error("cannot create the data directory", e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| io_error("cannot protect the data directory", e))?;
    }
    let url = match kind {
        Kind::Sqlite => {
            if database.is_some() {
                return Err(AppError::invalid(
                    "a SQLite backup is restored into the data directory: leave out --database",
                    "SQLite 备份恢复到数据目录中：请去掉 --database",
                ));
            }
            let target = dir.join(SQLITE_FILE);
            std::fs::copy(from, &target).map_err(|e| io_error("cannot copy the backup", e))?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600))
                    .map_err(|e| io_error("cannot protect the database", e))?;
            }
            gongkai_store::backup::check_sqlite(&target).await?;
            format!("sqlite:{SQLITE_FILE}")
        }
        Kind::Postgres => {
            let Some(url) = database else {
                return Err(AppError::invalid(
                    "a PostgreSQL backup needs --database postgres://… naming an empty database to restore into",
                    "PostgreSQL 备份须用 --database postgres://… 指定一个空数据库作为恢复目标",
                ));
            };
            let target = Db::connect(url).await?;
            let schema = gongkai_store::migrate::schema(&target).await?;
            target.close().await;
            if schema != gongkai_store::migrate::Schema::Absent {
                return Err(AppError::invalid(
                    format!(
                        "{} already holds gongkai data: restore into an empty database",
                        crate::data_dir::redact(url)
                    ),
                    format!(
                        "{} 中已有 gongkai 数据：请恢复到空数据库",
                        crate::data_dir::redact(url)
                    ),
                ));
            }
            let mut cmd = Command::new("pg_restore");
            cmd.arg("--no-owner").arg("--exit-on-error");
            cmd.arg(format!("--dbname={}", base_url(url)));
            if let Some(schema) = search_path(url) {
                // Restore the dump's objects into the target's schema.
                cmd.env("PGOPTIONS", format!("-c search_path={schema}"));
            }
            cmd.arg(from);
            run(&mut cmd, "pg_restore")?;
            url.to_string()
        }
    };
    if let Some(k) = keys {
        k.save(dir)
            .map_err(|e| io_error("cannot write the key file", e))?;
    }
    // The settings a backup does not hold: the database, and the local operator of `init`
    // when that user is in the restored data (other sections are the defaults: copy them
    // from the original gongkai.toml if they were changed).
    let settings = crate::Settings {
        database: crate::data_dir::DatabaseSettings { url },
        periods: Default::default(),
        cli: crate::data_dir::CliSettings {
            operator: Some(operator.to_string()),
            security: Some(crate::user::SECURITY_NAME.to_string()),
            audit: Some(crate::user::AUDIT_NAME.to_string()),
        },
        auth: Default::default(),
        fonts: Default::default(),
        report: Default::default(),
        audit: Default::default(),
    };
    let text = format!(
        "# gongkai data directory restored from a backup. The database: sqlite:FILE (relative to this directory) or postgres://…\n{}",
        toml::to_string(&settings)
            .map_err(|e| AppError::internal("cannot write the settings", e))?
    );
    write_private(&dir.join(SETTINGS_FILE), text.as_bytes())
        .map_err(|e| io_error("cannot write the settings", e))?;
    let app = App::open(dir).await?;
    let done = async {
        let counts = gongkai_store::backup::counts(&app.db)
            .await?
            .into_iter()
            .map(|(t, n)| (t.to_string(), n))
            .collect();
        let audit = crate::audit_log::verify(&app).await?;
        Ok::<_, AppError>(Restored {
            kind,
            counts,
            audit,
        })
    }
    .await;
    app.db.close().await;
    done
}

/// The drill's figures of an open data directory (the original, to compare a restore with).
pub async fn counts(app: &App) -> Result<Vec<(String, i64)>> {
    Ok(gongkai_store::backup::counts(&app.db)
        .await?
        .into_iter()
        .map(|(t, n)| (t.to_string(), n))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_of_a_shared_server_url() {
        let u = "postgres://gk@127.0.0.1:5432/db?options=-c%20search_path%3Dt_1_2";
        assert_eq!(search_path(u).as_deref(), Some("t_1_2"));
        assert_eq!(base_url(u), "postgres://gk@127.0.0.1:5432/db");
        assert_eq!(search_path("postgres://gk@h/db"), None);
    }
}
