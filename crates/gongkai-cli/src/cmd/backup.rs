//! `gongkai backup` and `gongkai restore` (docs/backup.md).

use super::init::block_on;
use clap::Args;
use gongkai_app::App;
use gongkai_app::backup;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct BackupArgs {
    #[arg(long)]
    pub data: PathBuf,
    /// The backup file to write (must not exist).
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
}

#[derive(Args)]
pub struct RestoreArgs {
    /// The new data directory.
    #[arg(long)]
    pub data: PathBuf,
    /// The backup file.
    pub file: PathBuf,
    /// The original data directory's secret.key, kept apart from the backups.
    #[arg(long)]
    pub key_file: Option<PathBuf>,
    /// For a PostgreSQL backup: the empty database to restore into.
    #[arg(long)]
    pub database: Option<String>,
    /// The user the restored directory's command line acts as (a user in the backup).
    #[arg(long, default_value = gongkai_app::data_dir::DEFAULT_OPERATOR)]
    pub operator: String,
}

pub fn backup(a: BackupArgs) -> anyhow::Result<ExitCode> {
    block_on(async move {
        let app = App::open(&a.data).await?;
        let done = backup::backup(&app, &a.output).await;
        app.db.close().await;
        let b = done?;
        say!(
            "backup {} written ({:?}, {} bytes, checked); it holds no key: keep {} apart from it",
            b.path.display(),
            b.kind,
            b.bytes,
            a.data.join(gongkai_app::secrets::KEY_FILE).display()
        );
        Ok(ExitCode::SUCCESS)
    })?
}

pub fn restore(a: RestoreArgs) -> anyhow::Result<ExitCode> {
    block_on(async move {
        let r = backup::restore(
            &a.data,
            &a.file,
            a.key_file.as_deref(),
            a.database.as_deref(),
            &a.operator,
        )
        .await?;
        say!("restored {} into {}", a.file.display(), a.data.display());
        for (table, n) in &r.counts {
            say!("  {table:<20} {n}");
        }
        match &r.audit.first_bad {
            None => say!("  audit log: {} entries, chain intact", r.audit.entries),
            Some(b) => say!("  audit log: BROKEN at entry {}: {}", b.seq, b.reason),
        }
        Ok(if r.audit.ok() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        })
    })?
}
