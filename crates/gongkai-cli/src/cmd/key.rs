//! `gongkai key rotate|reseal|status`: the secret keys that seal personal data
//! (docs/personal-data.md).

use super::init::block_on;
use clap::{Args, Subcommand};
use gongkai_app::App;
use gongkai_app::personal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum KeyCommand {
    /// Add a new current key to DIR/secret.key and re-seal the personal data under it (older
    /// keys stay: they still verify earlier query codes and the audit chain).
    Rotate(DirArgs),
    /// Re-seal the personal data under the current key (after adding a key to
    /// GONGKAI_SECRET_KEY by hand).
    Reseal(DirArgs),
    /// Where the keys come from and which is current (never the keys themselves).
    Status(DirArgs),
}

#[derive(Args)]
pub struct DirArgs {
    #[arg(long)]
    pub data: PathBuf,
}

pub fn run(cmd: KeyCommand) -> anyhow::Result<ExitCode> {
    block_on(async move {
        match cmd {
            KeyCommand::Rotate(a) => {
                let app = App::open(&a.data).await?;
                let done = personal::rotate_keys(&app).await;
                app.db.close().await;
                let r = done?;
                say!(
                    "key k{} is now current; {} applicant record(s) re-sealed; kept for verification: {}",
                    r.key,
                    r.resealed,
                    r.kept
                        .iter()
                        .map(|k| format!("k{k}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                Ok(ExitCode::SUCCESS)
            }
            KeyCommand::Reseal(a) => {
                let app = App::open(&a.data).await?;
                let done = personal::reseal_all(&app.db, &app.keys).await;
                app.db.close().await;
                say!(
                    "{} applicant record(s) re-sealed under k{}",
                    done?,
                    app.keys.current_id()
                );
                Ok(ExitCode::SUCCESS)
            }
            KeyCommand::Status(a) => {
                let app = App::open(&a.data).await?;
                say!("keys     {}", app.keys.origin);
                say!("current  k{}", app.keys.current_id());
                say!(
                    "all      {}",
                    app.keys
                        .ids()
                        .iter()
                        .map(|k| format!("k{k}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                app.db.close().await;
                Ok(ExitCode::SUCCESS)
            }
        }
    })?
}
