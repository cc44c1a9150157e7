//! The agency's 政府信息公开指南 and 制度 texts: store a new version, list the current ones.

use super::{ActAs, DataArgs, OutFormat, open_agency, print, read_text};
use crate::output::write_output;
use anyhow::Context;
use clap::Subcommand;
use gongkai_app::catalog::{self, DocumentInput, DocumentKind};
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum DocCommand {
    /// Store a new version of the 指南 (guide) or a 制度 (rules) text from an HTML file.
    Put {
        #[command(flatten)]
        data: DataArgs,
        #[arg(long)]
        agency: String,
        /// guide (指南) or rules (制度).
        #[arg(long)]
        kind: String,
        #[arg(long)]
        title: String,
        #[arg(long)]
        file: PathBuf,
        /// Who stores it (录入).
        #[command(flatten)]
        actor: ActAs,
    },
    /// List the current versions of the agency's documents.
    List {
        #[command(flatten)]
        data: DataArgs,
        #[arg(long)]
        agency: String,
        #[arg(long)]
        kind: Option<String>,
        #[arg(long, value_enum, default_value = "text")]
        format: OutFormat,
    },
}

/// Parses `--kind`: guide (指南) or rules (制度).
fn kind(s: &str) -> anyhow::Result<DocumentKind> {
    DocumentKind::from_key(s).with_context(|| format!("--kind {s:?}: use guide or rules"))
}

pub(super) async fn run(cmd: DocCommand) -> anyhow::Result<()> {
    match cmd {
        DocCommand::Put {
            data,
            agency,
            kind: k,
            title,
            file,
            actor,
        } => {
            let kind = kind(&k)?;
            let body = read_text(&file)?;
            let (app, agency) = open_agency(&data, &agency).await?;
            let actor = actor.resolve(&app).await?;
            let input = DocumentInput {
                kind,
                title,
                body_html: body,
            };
            let doc = catalog::put_document(&app, &actor, agency.id, &input).await?;
            write_output(
                None,
                format!("{}（第{}版）\n", doc.title, doc.version).as_bytes(),
            )
        }
        DocCommand::List {
            data,
            agency,
            kind: k,
            format,
        } => {
            let kind = k.as_deref().map(kind).transpose()?;
            let (app, agency) = open_agency(&data, &agency).await?;
            let docs = catalog::documents(&app, agency.id, kind).await?;
            print(format, &serde_json::to_value(&docs)?, || {
                docs.iter()
                    .map(|d| format!("{}\t{}\t第{}版\n", d.kind, d.title, d.version))
                    .collect()
            })
        }
    }
}
