//! The agency's catalogue settings, and the demo data set.

use super::{DataArgs, explain, open, open_agency, read_text};
use crate::output::write_output;
use anyhow::Context;
use clap::Args;
use gongkai_app::catalog;
use serde_json::json;
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
    /// Who changes the settings (required with --set).
    #[arg(long)]
    pub by: Option<String>,
}

pub(super) async fn config(a: ConfigArgs) -> anyhow::Result<()> {
    let (app, agency) = open_agency(&a.data, &a.agency).await?;
    let cfg = match &a.set {
        Some(file) => {
            let by =
                a.by.as_deref()
                    .context("--set needs --by (who changes the settings)")?;
            let text = read_text(file)?;
            catalog::set_config(&app.db, agency.id, &text, by)
                .await
                .map_err(explain)?
        }
        None => catalog::config(&app.db, agency.id).await.map_err(explain)?,
    };
    let json = json!({
        "columns": cfg.columns,
        "interpretation_column": cfg.interpretation_column,
        "genres": cfg.genres,
        "subjects": cfg.subjects.categories.iter().map(|c| json!({
            "label": c.label, "children": c.children,
        })).collect::<Vec<_>>(),
        "index_pattern": cfg.index_pattern.text(),
        "timeliness_working_days": cfg.timeliness_working_days,
        "attachments": {
            "max_bytes": cfg.attachments.max_bytes,
            "max_count": cfg.attachments.max_count,
            "extensions": cfg.attachments.extensions,
        },
    });
    write_output(
        None,
        format!("{}\n", serde_json::to_string_pretty(&json)?).as_bytes(),
    )
}

pub(super) async fn demo(data: DataArgs) -> anyhow::Result<()> {
    let app = open(&data).await?;
    let s = catalog::demo::load_demo(&app.db).await.map_err(explain)?;
    write_output(None, format!("demo: {s}\n").as_bytes())
}
