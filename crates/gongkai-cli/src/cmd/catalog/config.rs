//! The agency's catalogue settings, and the demo data set.

use super::{ActAs, DataArgs, open, open_agency, read_text};
use crate::output::write_output;
use clap::Args;
use gongkai_app::catalog;
use std::path::PathBuf;

#[derive(Args)]
pub struct ConfigArgs {
    #[command(flatten)]
    pub data: DataArgs,
    #[arg(long)]
    pub agency: String,
    /// A JSON file, e.g. {"columns": […], "index_pattern": "{org_code}/{year}-{seq:05}"}.
    #[arg(long)]
    pub set: Option<PathBuf>,
    /// Who changes the settings with --set (管理员).
    #[command(flatten)]
    pub actor: ActAs,
}

#[derive(Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Who loads it (管理员: the demo agency and its staff users are added when missing).
    #[command(flatten)]
    pub actor: ActAs,
}

pub(super) async fn config(a: ConfigArgs) -> anyhow::Result<()> {
    let (app, agency) = open_agency(&a.data, &a.agency).await?;
    let cfg = match &a.set {
        Some(file) => {
            let text = read_text(file)?;
            let actor = a.actor.resolve(&app).await?;
            catalog::set_config(&app, &actor, agency.id, &text).await?
        }
        None => catalog::config(&app, agency.id).await?,
    };
    write_output(
        None,
        format!("{}\n", serde_json::to_string_pretty(&cfg)?).as_bytes(),
    )
}

pub(super) async fn demo(a: DemoArgs) -> anyhow::Result<()> {
    let app = open(&a.data).await?;
    let actor = a.actor.resolve(&app).await?;
    let s = catalog::demo::load_demo(&app, &actor).await?;
    app.db.close().await;
    write_output(None, format!("demo: {s}\n").as_bytes())
}
