//! `gongkai search reindex --data DIR`: rebuild the full-text index from the catalogue (it is
//! derived state; the server also rebuilds a missing or unreadable one when it starts).

use super::init::block_on;
use clap::Subcommand;
use gongkai_app::App;
use gongkai_search::SearchIndex;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum SearchCommand {
    /// Rebuild the index of published items (not while `gongkai serve` has it open).
    Reindex {
        #[arg(long)]
        data: PathBuf,
    },
}

pub fn run(cmd: SearchCommand) -> anyhow::Result<ExitCode> {
    let SearchCommand::Reindex { data } = cmd;
    block_on(async move {
        let app = App::open(&data).await?;
        let dir = data.join(gongkai_app::search::SEARCH_DIR);
        let (index, _) = SearchIndex::open_or_create(&dir).map_err(gongkai_app::AppError::from)?;
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} {pos} items indexed")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        let n = gongkai_app::search::reindex(&app, &index, |k| bar.set_position(k as u64)).await?;
        bar.finish_and_clear();
        say!("indexed {n} published items into {}", dir.display());
        app.db.close().await;
        Ok::<_, anyhow::Error>(ExitCode::SUCCESS)
    })?
}
