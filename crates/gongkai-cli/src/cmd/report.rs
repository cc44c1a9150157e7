//! `gongkai report …`: render, check and describe annual reports.

use crate::output::{read_file, write_output};
use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use gongkai_app::report::CheckView;
use gongkai_app::report::export::{self, Format};
use gongkai_core::report::rules::{Lang, Status};
use gongkai_core::report::workflow::Action;
use gongkai_core::report::{AnnualReport, Finding, check, json};
use gongkai_report::DocFormat;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum ReportCommand {
    /// Render a report document (interchange JSON), imported ones included, as HTML, Markdown,
    /// text, JSON, DOCX, XLSX or PDF.
    Render(RenderArgs),
    /// Evaluate every consistency rule (勾稽关系) on a report.
    Check(CheckArgs),
    /// Print the JSON Schema of the interchange format.
    Schema,
    /// Read a published report (.txt .md .html .docx .pdf) into the interchange format, with
    /// the place of every cell and the rule results; with --data and --agency, store it as
    /// that unit's report for its year (supervision).
    Import(super::import::ImportArgs),
    /// A region's roll-up for a year: tables 二/三/四 summed over its units' reports, with each
    /// unit's origin, review state and rule results (--cell PATH: one cell per unit).
    Rollup(super::supervision::RollupArgs),
    /// The supervisor's review of a unit's report: accept, return with reasons, history.
    #[command(subcommand)]
    Review(super::supervision::ReviewCommand),
    /// Compute the report of an agency from a data directory (table 三 from the cases).
    Compute(super::compute::ComputeArgs),
    /// The report's sections: show them (stored or drafted from the data), or set one.
    #[command(subcommand)]
    Narrative(super::report_flow::NarrativeCommand),
    /// Where an agency's report stands: state, steps, published versions, next steps.
    Status(super::report_flow::StatusArgs),
    /// Submit the report for approval (refused while an error-severity rule fails).
    Submit(super::report_flow::StepArgs),
    /// Return a submitted or approved report with --reason.
    Return(super::report_flow::StepArgs),
    /// Approve a submitted report (not the submitter).
    Approve(super::report_flow::StepArgs),
    /// Publish an approved report as its next immutable version.
    Publish(super::report_flow::StepArgs),
    /// Reopen a published report for a correction, with --reason (the next version carries it).
    Correct(super::report_flow::StepArgs),
    /// Print a published version exactly as published (interchange JSON).
    Published(super::report_flow::PublishedArgs),
    /// Write an agency's report as a file: the current published version (or --version N),
    /// or with --draft the report computed now.
    Export(super::report_flow::ExportArgs),
}

#[derive(Clone, Copy, ValueEnum)]
pub enum RenderFormat {
    Html,
    Md,
    Txt,
    Json,
    Csv,
    Docx,
    Xlsx,
    Pdf,
}

impl RenderFormat {
    pub fn format(self) -> Format {
        let key = match self {
            RenderFormat::Html => "html",
            RenderFormat::Md => "md",
            RenderFormat::Txt => "txt",
            RenderFormat::Json => "json",
            RenderFormat::Csv => "csv",
            RenderFormat::Docx => "docx",
            RenderFormat::Xlsx => "xlsx",
            RenderFormat::Pdf => "pdf",
        };
        // Every key above is one of `Format::KEYS`.
        Format::from_key(key).unwrap_or(Format::Text(DocFormat::Json))
    }
}

#[derive(Args)]
pub struct RenderArgs {
    /// The report in the interchange format (gongkai.annual-report/1).
    pub file: PathBuf,
    #[arg(long, value_enum, default_value = "html")]
    pub format: RenderFormat,
    /// Write to this file instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// A directory of Chinese fonts for the PDF (default: Debian's Noto CJK, then /usr/share/fonts).
    #[arg(long)]
    pub fonts: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum CheckFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum LangArg {
    Zh,
    En,
}

#[derive(Args)]
pub struct CheckArgs {
    pub file: PathBuf,
    /// The previous year's report: adds the cross-year rules (T3-X, T2-X).
    #[arg(long)]
    pub previous: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: CheckFormat,
    #[arg(long, value_enum, default_value = "zh")]
    pub lang: LangArg,
    /// Also list every passing instance, not only a count per rule.
    #[arg(long)]
    pub verbose: bool,
}

pub fn run(cmd: ReportCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        ReportCommand::Render(args) => render(args),
        ReportCommand::Check(args) => check_cmd(args),
        ReportCommand::Import(args) => super::import::run(args),
        ReportCommand::Rollup(args) => super::supervision::rollup_cmd(args),
        ReportCommand::Review(cmd) => super::supervision::review_cmd(cmd),
        ReportCommand::Compute(args) => super::compute::run(args),
        ReportCommand::Narrative(cmd) => super::report_flow::narrative_cmd(cmd),
        ReportCommand::Status(args) => super::report_flow::status_cmd(args),
        ReportCommand::Submit(args) => super::report_flow::step_cmd(Action::Submit, args),
        ReportCommand::Return(args) => super::report_flow::step_cmd(Action::Return, args),
        ReportCommand::Approve(args) => super::report_flow::step_cmd(Action::Approve, args),
        ReportCommand::Publish(args) => super::report_flow::step_cmd(Action::Publish, args),
        ReportCommand::Correct(args) => super::report_flow::step_cmd(Action::Correct, args),
        ReportCommand::Published(args) => super::report_flow::published_cmd(args),
        ReportCommand::Export(args) => super::report_flow::export_cmd(args),
        ReportCommand::Schema => {
            let schema = gongkai_core::report::schema::schema();
            write_output(
                None,
                format!("{}\n", serde_json::to_string_pretty(&schema)?).as_bytes(),
            )?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Reads an interchange document, naming the file in every error.
pub fn load_report(path: &Path) -> anyhow::Result<AnnualReport> {
    let bytes = read_file(path)?;
    let text = std::str::from_utf8(&bytes)
        .with_context(|| format!("{}: not UTF-8 text", path.display()))?;
    json::from_str(text)
        .with_context(|| format!("{}: not a valid annual report document", path.display()))
}

fn render(args: RenderArgs) -> anyhow::Result<ExitCode> {
    let report = load_report(&args.file)?;
    let fonts = match &args.fonts {
        Some(dir) => export::Fonts::in_dir(dir),
        None => export::Fonts::default(),
    };
    let doc = export::render(&report, args.format.format(), &fonts)?;
    write_output(args.output.as_deref(), &doc)?;
    Ok(ExitCode::SUCCESS)
}

fn check_cmd(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let report = load_report(&args.file)?;
    let previous = match &args.previous {
        Some(p) => {
            let prev = load_report(p)?;
            let Some(year) = report.known_year() else {
                bail!(
                    "{}: the report's year is not known (source.unreadable lists it), so no previous year can be compared",
                    args.file.display()
                );
            };
            if prev.known_year() != Some(year - 1) {
                bail!(
                    "{}: --previous must be the report for {}, but it is for {}",
                    p.display(),
                    year - 1,
                    prev.known_year()
                        .map_or_else(|| "an unknown year".to_string(), |y| y.to_string())
                );
            }
            Some(prev)
        }
        None => None,
    };
    let findings = check(&report, previous.as_ref());
    let failed = findings.iter().any(Finding::is_error_failure);
    let out = match args.format {
        CheckFormat::Json => {
            let v = CheckView::new(args.file.display().to_string(), &report, &findings);
            format!("{}\n", serde_json::to_string_pretty(&v)?)
        }
        CheckFormat::Text => text_report(&args.file, &report, &findings, args.lang, args.verbose),
    };
    write_output(None, out.as_bytes())?;
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The human listing: one line per failing or unassessable instance, a count per rule.
fn text_report(
    path: &Path,
    report: &AnnualReport,
    findings: &[Finding],
    lang: LangArg,
    verbose: bool,
) -> String {
    let zh = lang == LangArg::Zh;
    let lang = if zh { Lang::Zh } else { Lang::En };
    let mut out = String::new();
    out.push_str(&format!(
        "{}: {} {}\n",
        path.display(),
        report.agency_display(),
        report.year_display()
    ));
    let mut per_rule: BTreeMap<&str, (usize, usize, usize, usize, usize)> = BTreeMap::new();
    let mut order: Vec<&str> = Vec::new();
    for f in findings {
        let id = f.rule.id.as_str();
        if !per_rule.contains_key(id) {
            order.push(id);
        }
        let e = per_rule.entry(id).or_default();
        match f.status {
            Status::Pass => e.0 += 1,
            Status::Fail => e.1 += 1,
            Status::Unassessable => e.2 += 1,
            Status::NotApplicable => e.3 += 1,
        }
        if f.is_unread() {
            e.4 += 1;
        }
        // `…` marks an instance the reader of the source file left unassessable (not the
        // report's fault); `?` one the report's own blanks or marks leave unassessable.
        let mark = match f.status {
            Status::Pass if verbose => "✓",
            Status::Fail => "✗",
            Status::Unassessable if f.is_unread() => "…",
            Status::Unassessable => "?",
            _ => continue,
        };
        let severity = match (f.rule.severity, zh) {
            (gongkai_core::report::Severity::Error, true) => "错误",
            (gongkai_core::report::Severity::Warning, true) => "警告",
            (gongkai_core::report::Severity::Error, false) => "error",
            (gongkai_core::report::Severity::Warning, false) => "warning",
        };
        out.push_str(&format!("  {mark} {id} [{severity}] {}\n", f.message(lang)));
        if f.status != Status::Pass {
            let cells: Vec<String> = f
                .cells
                .iter()
                .map(|c| format!("{}={}", c.path(), report.cell(*c).value))
                .collect();
            if !cells.is_empty() && cells.len() <= 12 {
                out.push_str(&format!(
                    "      {} {}\n",
                    if zh { "单元格：" } else { "cells:" },
                    cells.join(", ")
                ));
            }
        }
    }
    out.push('\n');
    for id in order {
        let (pass, fail, unknown, na, unread) = per_rule[id];
        let line = match (zh, unread) {
            (true, 0) => {
                format!("  {id}: 通过 {pass}，不通过 {fail}，无法判断 {unknown}，不适用 {na}\n")
            }
            (true, _) => format!(
                "  {id}: 通过 {pass}，不通过 {fail}，无法判断 {unknown}（其中单元格未读取 {unread}），不适用 {na}\n"
            ),
            (false, 0) => format!(
                "  {id}: passed {pass}, failed {fail}, unassessable {unknown}, not applicable {na}\n"
            ),
            (false, _) => format!(
                "  {id}: passed {pass}, failed {fail}, unassessable {unknown} ({unread} with cells not read), not applicable {na}\n"
            ),
        };
        out.push_str(&line);
    }
    let failed = findings.iter().filter(|f| f.is_error_failure()).count();
    out.push_str(&match (failed, zh) {
        (0, true) => "结论：未发现错误级问题。\n".to_string(),
        (n, true) => format!("结论：{n} 项错误级规则不通过。\n"),
        (0, false) => "result: no error-severity rule failed.\n".to_string(),
        (n, false) => format!("result: {n} error-severity rule instances failed.\n"),
    });
    let unread = findings.iter().filter(|f| f.is_unread()).count();
    let cells = report
        .gaps
        .iter()
        .filter(|g| matches!(g.of, gongkai_core::report::GapOf::Cell(_)))
        .count();
    if unread > 0 || cells > 0 {
        out.push_str(&if zh {
            format!(
                "另有 {unread} 项规则因单元格未读取（导入时 {cells} 个单元格未能读出）无法判断，不计为报告的问题。\n"
            )
        } else {
            format!(
                "{unread} rule instances cannot be assessed because {cells} cells were not read by the importer; they are not counted against the report.\n"
            )
        });
    }
    if report.agency.trim().is_empty() {
        out.push_str(if zh {
            "导入时未能识别机关名称。\n"
        } else {
            "The importer could not identify the agency's name.\n"
        });
    }
    out
}
