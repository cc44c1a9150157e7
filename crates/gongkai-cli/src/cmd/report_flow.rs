//! `gongkai report narrative|status|submit|return|approve|publish|correct|versions`: the
//! annual report's text, its way to publication and its published versions
//! (docs/rules/annual-report.md#workflow).

use super::actor::ActorArg;
use super::init::block_on;
use crate::output::{read_file, write_output};
use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};
use gongkai_app::App;
use gongkai_app::report::{narrative, workflow};
use gongkai_core::report::workflow::Action;
use std::path::PathBuf;
use std::process::ExitCode;

/// The report an agency writes for a year.
#[derive(Args, Clone)]
pub struct ReportOf {
    #[arg(long)]
    pub data: PathBuf,
    /// The agency's name or organisation code.
    #[arg(long)]
    pub agency: String,
    #[arg(long)]
    pub year: i32,
    #[command(flatten)]
    pub actor: ActorArg,
}

#[derive(Subcommand)]
pub enum NarrativeCommand {
    /// Print each section's text (written by staff, or the draft generated from the data).
    Show(NarrativeShowArgs),
    /// Store a section's text from a file (`-` reads standard input), or clear it.
    Set(NarrativeSetArgs),
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ViewFormat {
    Text,
    Json,
}

#[derive(Args)]
pub struct NarrativeShowArgs {
    #[command(flatten)]
    pub of: ReportOf,
    /// Only this section: intro, overview (一), problems (五), other (六).
    #[arg(long)]
    pub section: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: ViewFormat,
}

#[derive(Args)]
pub struct NarrativeSetArgs {
    #[command(flatten)]
    pub of: ReportOf,
    /// intro, overview (一), problems (五) or other (六).
    #[arg(long)]
    pub section: String,
    /// The text (UTF-8; paragraphs one per line).
    #[arg(long, required_unless_present = "clear", conflicts_with = "clear")]
    pub file: Option<PathBuf>,
    /// Drop the stored text: the generated draft shows again.
    #[arg(long)]
    pub clear: bool,
}

#[derive(Args)]
pub struct StepArgs {
    #[command(flatten)]
    pub of: ReportOf,
    /// Why (required to return and to correct).
    #[arg(long)]
    pub reason: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: ViewFormat,
}

#[derive(Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub of: ReportOf,
    #[arg(long, value_enum, default_value = "text")]
    pub format: ViewFormat,
}

#[derive(Args)]
pub struct PublishedArgs {
    #[command(flatten)]
    pub of: ReportOf,
    /// A version number (default: the current version).
    #[arg(long)]
    pub version: Option<i32>,
    /// Write to this file instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

pub fn narrative_cmd(cmd: NarrativeCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        NarrativeCommand::Show(args) => with_app(&args.of, |app, of| async move {
            let actor = of.actor.resolve(&app).await?;
            let sections = narrative::show(&app, &actor, &of.agency, of.year).await?;
            let wanted = match &args.section {
                Some(s) => Some(
                    gongkai_core::report::narrative::Section::parse(s)
                        .with_context(|| format!("unknown section {s:?}"))?
                        .key(),
                ),
                None => None,
            };
            let sections: Vec<_> = sections
                .into_iter()
                .filter(|s| wanted.is_none_or(|w| w == s.key))
                .collect();
            let out = match args.format {
                ViewFormat::Json => format!("{}\n", serde_json::to_string_pretty(&sections)?),
                ViewFormat::Text => sections
                    .iter()
                    .map(|s| {
                        let whose = if s.stored {
                            ""
                        } else {
                            "（自动生成的草稿）"
                        };
                        format!("## {}{whose}\n{}\n\n", s.label, s.text)
                    })
                    .collect(),
            };
            write_output(None, out.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }),
        NarrativeCommand::Set(args) => with_app(&args.of, |app, of| async move {
            let actor = of.actor.resolve(&app).await?;
            let body = match &args.file {
                Some(path) => {
                    let bytes = read_file(path)?;
                    Some(
                        String::from_utf8(bytes)
                            .with_context(|| format!("{}: not UTF-8 text", path.display()))?,
                    )
                }
                None => None,
            };
            narrative::set(
                &app,
                &actor,
                &of.agency,
                of.year,
                &args.section,
                body.as_deref(),
                time::OffsetDateTime::now_utc(),
            )
            .await?;
            eprintln!(
                "{} {}: {}",
                of.agency,
                of.year,
                if body.is_some() { "stored" } else { "cleared" }
            );
            Ok(ExitCode::SUCCESS)
        }),
    }
}

pub fn step_cmd(action: Action, args: StepArgs) -> anyhow::Result<ExitCode> {
    with_app(&args.of, |app, of| async move {
        let actor = of.actor.resolve(&app).await?;
        let view = workflow::act(
            &app,
            &actor,
            &of.agency,
            of.year,
            action,
            workflow::StepInput {
                reason: args.reason.as_deref(),
            },
            time::OffsetDateTime::now_utc(),
        )
        .await?;
        print_status(&view, args.format)?;
        Ok(ExitCode::SUCCESS)
    })
}

pub fn status_cmd(args: StatusArgs) -> anyhow::Result<ExitCode> {
    with_app(&args.of, |app, of| async move {
        let actor = of.actor.resolve(&app).await?;
        let view = workflow::status(&app, &actor, &of.agency, of.year).await?;
        print_status(&view, args.format)?;
        Ok(ExitCode::SUCCESS)
    })
}

/// Prints a published version exactly as published.
pub fn published_cmd(args: PublishedArgs) -> anyhow::Result<ExitCode> {
    with_app(&args.of, |app, of| async move {
        let actor = of.actor.resolve(&app).await?;
        let a = workflow::visible_agency(&app, &actor, &of.agency).await?;
        let (_, doc) = workflow::version_document(&app, a.id, of.year, args.version).await?;
        write_output(args.output.as_deref(), doc.as_bytes())?;
        Ok(ExitCode::SUCCESS)
    })
}

fn print_status(v: &workflow::WorkflowView, format: ViewFormat) -> anyhow::Result<()> {
    let out = match format {
        ViewFormat::Json => format!("{}\n", serde_json::to_string_pretty(v)?),
        ViewFormat::Text => {
            let mut s = format!(
                "{} {}年度报告：{} ({})\n",
                v.agency, v.year, v.state_label, v.state
            );
            for st in &v.steps {
                s.push_str(&format!("  {}. {} {} {}", st.seq, st.at, st.by, st.label));
                if let Some(r) = &st.reason {
                    s.push_str(&format!("：{r}"));
                }
                s.push('\n');
            }
            for r in &v.supervision {
                s.push_str(&format!(
                    "  上级审核：{}（{}，{}）{}\n",
                    r.label,
                    r.actor,
                    r.at.date(),
                    if r.current {
                        ""
                    } else {
                        "〔针对此前发布的版本〕"
                    }
                ));
                for x in &r.reasons {
                    let about = x.cell.as_deref().or(x.rule.as_deref());
                    s.push_str(&format!(
                        "    {}{}\n",
                        about.map(|a| format!("{a}：")).unwrap_or_default(),
                        x.text
                    ));
                }
            }
            for ver in &v.versions {
                s.push_str(&format!(
                    "  第{}版 {} {} sha256 {}",
                    ver.version, ver.published_at, ver.published_by, ver.sha256
                ));
                if let Some(r) = &ver.reason {
                    s.push_str(&format!(" 更正理由：{r}"));
                }
                s.push('\n');
            }
            if !v.actions.is_empty() {
                s.push_str(&format!("  next: {}\n", v.actions.join(", ")));
            }
            s
        }
    };
    write_output(None, out.as_bytes())
}

/// Opens the data directory, runs `f`, and closes the database whatever `f` returned.
fn with_app<F, Fut>(of: &ReportOf, f: F) -> anyhow::Result<ExitCode>
where
    F: FnOnce(App, ReportOf) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<ExitCode>>,
{
    let of = of.clone();
    block_on(async move {
        let app = App::open(&of.data).await?;
        let db = app.db.clone();
        let out = f(app, of).await;
        db.close().await;
        out
    })?
}

#[derive(Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub of: ReportOf,
    #[arg(long, value_enum)]
    pub format: super::report::RenderFormat,
    /// A published version (default: the current one).
    #[arg(long, conflicts_with = "draft")]
    pub version: Option<i32>,
    /// The report as computed now from the data, not a published version.
    #[arg(long)]
    pub draft: bool,
    #[arg(short, long)]
    pub output: PathBuf,
}

/// `report export`: a published version, or the draft computed now, as a file.
pub fn export_cmd(args: ExportArgs) -> anyhow::Result<ExitCode> {
    with_app(&args.of, |app, of| async move {
        let actor = of.actor.resolve(&app).await?;
        let a = workflow::visible_agency(&app, &actor, &of.agency).await?;
        let report = if args.draft {
            gongkai_app::report::compute(&app, a.key(), of.year).await?
        } else {
            let (_, doc) = workflow::version_document(&app, a.id, of.year, args.version)
                .await
                .map_err(|e| match e {
                    gongkai_app::AppError::NotFound { .. } => {
                        let which = args.version.map_or(String::new(), |v| format!(" v{v}"));
                        let which_zh = args.version.map_or(String::new(), |v| format!("第{v}版"));
                        gongkai_app::AppError::refused(
                            format!(
                                "the {} report{which} is not published: export the report computed now with --draft",
                                of.year
                            ),
                            format!(
                                "{}年度报告{which_zh}尚未发布；如需导出按当前数据生成的草稿，请加 --draft",
                                of.year
                            ),
                        )
                    }
                    e => e,
                })?;
            gongkai_core::report::json::from_str(&doc)
                .context("the published version does not read back")?
        };
        let bytes = gongkai_app::report::export::render_with(&app, &report, args.format.format())?;
        write_output(Some(&args.output), &bytes)?;
        Ok(ExitCode::SUCCESS)
    })
}
