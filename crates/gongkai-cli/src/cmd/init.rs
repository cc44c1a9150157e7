//! `gongkai init --data DIR [--database postgres://…] [--demo]`: create a data directory.

use anyhow::Context;
use clap::Args;
use gongkai_app::App;
use gongkai_app::data_dir::redact;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct InitArgs {
    /// The data directory to create (settings, and the SQLite database unless --database).
    #[arg(long)]
    pub data: PathBuf,
    /// Use this PostgreSQL database instead of SQLite in the data directory.
    #[arg(long, value_name = "postgres://…")]
    pub database: Option<String>,
    /// Load the demo agency and its data.
    #[arg(long)]
    pub demo: bool,
    /// The user name of the local operator, the data directory's first user (管理员 and every
    /// staff role), whom commands act as without --as.
    #[arg(long, default_value = gongkai_app::data_dir::DEFAULT_OPERATOR)]
    pub operator: String,
    /// The operator's display name (default: the user name).
    #[arg(long)]
    pub operator_display_name: Option<String>,
}

/// Runs an async use case on a runtime that lives only for this command.
pub fn block_on<F: std::future::Future>(f: F) -> anyhow::Result<F::Output> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    Ok(rt.block_on(f))
}

pub fn run(args: InitArgs) -> anyhow::Result<ExitCode> {
    block_on(async {
        let app = App::init_with_operator(
            &args.data,
            args.database.as_deref(),
            &args.operator,
            args.operator_display_name.as_deref(),
        )
        .await?;
        say!(
            "initialised {} ({})",
            args.data.display(),
            if app.settings.database.url.starts_with("sqlite:") {
                format!(
                    "SQLite: {}",
                    args.data.join(gongkai_app::data_dir::SQLITE_FILE).display()
                )
            } else {
                format!("PostgreSQL: {}", redact(&app.settings.database.url))
            }
        );
        if args.demo {
            let operator = gongkai_app::user::actor(&app, None).await?;
            let summary = gongkai_app::catalog::demo::load_demo(&app, &operator)
                .await
                .context("cannot load the demo data")?;
            say!("demo data loaded: {summary}");
        }
        app.db.close().await;
        Ok::<_, anyhow::Error>(ExitCode::SUCCESS)
    })?
}
