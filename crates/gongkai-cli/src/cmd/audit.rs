//! `gongkai audit PATH…`: imports and checks every report of a folder (or a list of files)
//! and prints one line per file (`gongkai_app::audit` does the work): agency, year, layout,
//! cells read, rules failed, rules that cannot be assessed because the importer did not read
//! their cells (counted apart: not the report's fault), cells unreadable. A file that cannot
//! be read is named with its reason and the batch goes on. Exit code: 0 every file read and
//! no report failed a rule, 1 a report failed a rule, 2 a file could not be read.

use super::import::Limits;
use crate::output::write_output;
use clap::Args;
use gongkai_app::audit::{Audit, AuditLine, AuditOptions, Batch, Progress};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct AuditArgs {
    /// Report files or folders (searched recursively for .txt .md .html .htm .docx .pdf).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Also write the table as CSV to this file.
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// Also write the table, with every failed rule and unreadable cell, as JSON.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Files imported at once (default: one per core).
    #[arg(short, long)]
    pub jobs: Option<usize>,
    #[command(flatten)]
    pub limits: Limits,
}

pub fn run(args: AuditArgs) -> anyhow::Result<ExitCode> {
    let batch = Batch::collect(&args.paths);
    let options = AuditOptions {
        import: args.limits.options(),
        jobs: args.jobs,
    };
    let progress = if std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(batch.files.len() as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{bar:40} {pos}/{len} {elapsed_precise} {wide_msg}",
        ) {
            bar.set_style(style);
        }
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let audit = batch.run(&options, &|event| match event {
        Progress::Reading(path) => progress.set_message(path.display().to_string()),
        Progress::Done(line) => {
            if let Some(e) = line.error() {
                progress.suspend(|| eprintln!("gongkai: error: {e}"));
            }
            progress.inc(1);
        }
        Progress::Missing(line) => {
            if let Some(e) = line.error() {
                progress.suspend(|| eprintln!("gongkai: error: {e}"));
            }
        }
    });
    progress.finish_and_clear();
    write_output(None, table(&audit).as_bytes())?;
    if let Some(path) = &args.csv {
        write_output(Some(path), audit.csv().as_bytes())?;
    }
    if let Some(path) = &args.json {
        let doc = serde_json::to_string_pretty(&audit.view())? + "\n";
        write_output(Some(path), doc.as_bytes())?;
    }
    Ok(ExitCode::from(audit.status().exit_code()))
}

/// Display width: CJK and full-width characters take two columns.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F
            | 0x2E80..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6 => 2,
            _ => 1,
        })
        .sum()
}

fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(width(s))))
}

/// `0`, or the count and the ids: `2 (T4-1,T4-3)`.
fn rule_list(ids: &[String]) -> String {
    if ids.is_empty() {
        "0".into()
    } else {
        format!("{} ({})", ids.len(), ids.join(","))
    }
}

fn cells(l: &AuditLine) -> [String; 10] {
    match (l.audited(), l.reason()) {
        (Some(a), _) => [
            l.file.clone(),
            a.report.agency_display().to_string(),
            a.year()
                .map_or_else(|| "未识别".to_string(), |y| y.to_string()),
            a.layout().to_string(),
            format!("{}/{}", a.cells_read, a.cells_total),
            rule_list(&a.checked.failed_rules),
            rule_list(&a.checked.unread_rules),
            rule_list(&a.checked.warnings),
            a.unreadable.len().to_string(),
            if !l.passed() {
                "未通过"
            } else if !a.checked.unread_rules.is_empty() {
                "未发现问题，部分规则因单元格未读取无法判断"
            } else {
                "通过"
            }
            .into(),
        ],
        (None, reason) => {
            let mut row: [String; 10] = Default::default();
            row[0] = l.file.clone();
            row[9] = format!("无法读取：{}", reason.unwrap_or_default());
            row
        }
    }
}

fn table(audit: &Audit) -> String {
    let header = [
        "文件",
        "机关",
        "年度",
        "格式",
        "已读单元格",
        "未通过规则",
        "未读取致无法判断",
        "警告",
        "无法读取",
        "结论",
    ];
    let rows: Vec<[String; 10]> = audit.lines.iter().map(cells).collect();
    let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
    for r in &rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(width(c));
        }
    }
    let mut out = String::new();
    let line = |cols: Vec<&str>, out: &mut String| {
        let last = cols.len() - 1;
        for (i, c) in cols.into_iter().enumerate() {
            if i == last {
                out.push_str(c);
            } else {
                out.push_str(&pad(c, widths[i]));
                out.push_str("  ");
            }
        }
        out.push('\n');
    };
    line(header.to_vec(), &mut out);
    for r in &rows {
        line(r.iter().map(String::as_str).collect(), &mut out);
    }
    let (total, read, passed) = (audit.lines.len(), audit.read(), audit.passed());
    out.push_str(&format!(
        "\n共 {total} 个文件：读取 {read}，通过 {passed}，未通过 {}，因单元格未读取无法完全判断 {}，无法读取 {}。\n",
        audit.failed(),
        audit.unassessed(),
        total - read
    ));
    out
}
