//! `gongkai audit PATH…`: imports and checks every report of a folder (or a list of files)
//! and prints one line per file: agency, year, layout, cells read, rules failed, cells
//! unreadable. A file that cannot be read is named with its reason and the batch goes on.
//! Exit code: 0 every file read and passed, 1 a report failed a rule, 2 a file could not be
//! read.

use super::import::{Limits, import_file, unreadable_json};
use crate::output::write_output;
use clap::Args;
use gongkai_core::report::{AnnualReport, Finding, Severity, Status, check};
use serde_json::{Value as Json, json};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

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

const EXTENSIONS: [&str; 8] = [
    "txt", "md", "markdown", "html", "htm", "shtml", "docx", "pdf",
];

/// One line of the audit.
struct Line {
    file: String,
    outcome: Result<Audited, String>,
}

struct Audited {
    kind: &'static str,
    agency: String,
    year: i32,
    layout: &'static str,
    cells_read: usize,
    cells_total: usize,
    failed_rules: Vec<String>,
    /// Warning-severity rules that failed (the cross-year rules among them).
    warnings: Vec<String>,
    failed_checks: Vec<Json>,
    unreadable: Json,
    unreadable_count: usize,
    /// The same agency's report for the year before, when the batch has it.
    previous: Option<String>,
    report: AnnualReport,
}

impl Audited {
    /// Runs the rules, the cross-year ones too when `previous` is given.
    fn check(&mut self, previous: Option<(&str, &AnnualReport)>) {
        let findings = check(&self.report, previous.map(|p| p.1));
        let failed: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.status == Status::Fail)
            .collect();
        let ids = |severity: Severity| {
            let mut v: Vec<String> = failed
                .iter()
                .filter(|f| f.rule.severity == severity)
                .map(|f| f.rule.id.clone())
                .collect();
            v.dedup();
            v
        };
        self.failed_rules = ids(Severity::Error);
        self.warnings = ids(Severity::Warning);
        self.failed_checks = failed.iter().map(|f| f.to_json()).collect();
        self.previous = previous.map(|p| p.0.to_string());
    }
}

pub fn run(args: AuditArgs) -> anyhow::Result<ExitCode> {
    let mut files = Vec::new();
    let mut missing = Vec::new();
    for p in &args.paths {
        if p.is_dir() {
            collect(p, &mut files);
        } else if p.exists() {
            files.push(p.clone());
        } else {
            missing.push(p.clone());
        }
    }
    let options = args.limits.options();
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .clamp(1, 64);
    let progress = if std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(files.len() as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{bar:40} {pos}/{len} {elapsed_precise} {wide_msg}",
        ) {
            bar.set_style(style);
        }
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Line>>> = Mutex::new((0..files.len()).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..jobs.min(files.len().max(1)) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = files.get(i) else { break };
                    progress.set_message(path.display().to_string());
                    let line = audit_one(path, &options);
                    if let Err(e) = &line.outcome {
                        progress.suspend(|| eprintln!("gongkai: error: {e}"));
                    }
                    if let Ok(mut r) = results.lock() {
                        r[i] = Some(line);
                    }
                    progress.inc(1);
                }
            });
        }
    });
    progress.finish_and_clear();
    let mut lines: Vec<Line> = results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .flatten()
        .collect();
    cross_year(&mut lines);
    for p in missing {
        let e = format!("{}: no such file or directory", p.display());
        eprintln!("gongkai: error: {e}");
        lines.push(Line {
            file: p.display().to_string(),
            outcome: Err(e),
        });
    }
    write_output(None, table(&lines).as_bytes())?;
    if let Some(path) = &args.csv {
        write_output(Some(path), csv(&lines).as_bytes())?;
    }
    if let Some(path) = &args.json {
        let doc = serde_json::to_string_pretty(&json_doc(&lines))? + "\n";
        write_output(Some(path), doc.as_bytes())?;
    }
    let unreadable = lines.iter().any(|l| l.outcome.is_err());
    let failed = lines
        .iter()
        .any(|l| l.outcome.as_ref().is_ok_and(|a| !a.failed_rules.is_empty()));
    Ok(if unreadable {
        ExitCode::from(2)
    } else if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Checks every report, with the same agency's report for the year before when the batch
/// holds it (rules T3-X, T2-X: 上年结转 against last year's 结转下年度继续办理).
fn cross_year(lines: &mut [Line]) {
    let mut by_key: std::collections::HashMap<(String, i32), usize> = Default::default();
    for (i, l) in lines.iter().enumerate() {
        if let Ok(a) = &l.outcome
            && !a.agency.is_empty()
        {
            by_key.entry((a.agency.clone(), a.year)).or_insert(i);
        }
    }
    let previous: Vec<Option<(String, AnnualReport)>> = lines
        .iter()
        .map(|l| {
            let a = l.outcome.as_ref().ok()?;
            let &p = by_key.get(&(a.agency.clone(), a.year - 1))?;
            let prev = lines[p].outcome.as_ref().ok()?;
            Some((lines[p].file.clone(), prev.report.clone()))
        })
        .collect();
    for (l, prev) in lines.iter_mut().zip(previous) {
        if let Ok(a) = &mut l.outcome {
            a.check(prev.as_ref().map(|(f, r)| (f.as_str(), r)));
        }
    }
}

/// Report files under a folder, sorted, hidden entries and the corpus' expected files skipped.
fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.starts_with('.') {
            continue;
        }
        if p.is_dir() {
            collect(&p, out);
        } else if p
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .is_some_and(|e| EXTENSIONS.contains(&e.as_str()))
        {
            out.push(p);
        }
    }
}

fn audit_one(path: &Path, options: &gongkai_import::Options) -> Line {
    let file = path.display().to_string();
    let outcome = match import_file(path, options) {
        Ok(imported) => Ok(Audited {
            kind: imported.kind.key(),
            agency: imported.report.agency.clone(),
            year: imported.report.year,
            layout: imported.report.layout.key(),
            cells_read: imported.cells_read,
            cells_total: imported.cells_total,
            failed_rules: Vec::new(),
            warnings: Vec::new(),
            failed_checks: Vec::new(),
            unreadable: unreadable_json(&imported.unreadable),
            unreadable_count: imported.unreadable.len(),
            previous: None,
            report: imported.report,
        }),
        Err(e) => Err(format!("{e:#}")),
    };
    Line { file, outcome }
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

fn cells(l: &Line) -> [String; 9] {
    match &l.outcome {
        Ok(a) => [
            l.file.clone(),
            a.agency.clone(),
            a.year.to_string(),
            a.layout.to_string(),
            format!("{}/{}", a.cells_read, a.cells_total),
            if a.failed_rules.is_empty() {
                "0".into()
            } else {
                format!("{} ({})", a.failed_rules.len(), a.failed_rules.join(","))
            },
            if a.warnings.is_empty() {
                "0".into()
            } else {
                format!("{} ({})", a.warnings.len(), a.warnings.join(","))
            },
            a.unreadable_count.to_string(),
            if a.failed_rules.is_empty() {
                "通过"
            } else {
                "未通过"
            }
            .into(),
        ],
        Err(e) => [
            l.file.clone(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            format!(
                "无法读取：{}",
                e.strip_prefix(&format!("{}: ", l.file)).unwrap_or(e)
            ),
        ],
    }
}

fn table(lines: &[Line]) -> String {
    let header = [
        "文件",
        "机关",
        "年度",
        "格式",
        "已读单元格",
        "未通过规则",
        "警告",
        "无法读取",
        "结论",
    ];
    let rows: Vec<[String; 9]> = lines.iter().map(cells).collect();
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
    let read = lines.iter().filter(|l| l.outcome.is_ok()).count();
    let passed = lines
        .iter()
        .filter(|l| l.outcome.as_ref().is_ok_and(|a| a.failed_rules.is_empty()))
        .count();
    out.push_str(&format!(
        "\n共 {} 个文件：读取 {read}，通过 {passed}，未通过 {}，无法读取 {}。\n",
        lines.len(),
        read - passed,
        lines.len() - read
    ));
    out
}

/// A CSV field: quoted when needed; a leading formula character is neutralised.
fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn csv(lines: &[Line]) -> String {
    let mut out = String::from(
        "file,kind,agency,year,layout,cells_read,cells_total,rules_failed,failed_rules,cells_unreadable,warnings,previous_year_file,error\n",
    );
    for l in lines {
        let fields: Vec<String> = match &l.outcome {
            Ok(a) => vec![
                l.file.clone(),
                a.kind.into(),
                a.agency.clone(),
                a.year.to_string(),
                a.layout.into(),
                a.cells_read.to_string(),
                a.cells_total.to_string(),
                a.failed_rules.len().to_string(),
                a.failed_rules.join(" "),
                a.unreadable_count.to_string(),
                a.warnings.join(" "),
                a.previous.clone().unwrap_or_default(),
                String::new(),
            ],
            Err(e) => {
                let mut v = vec![String::new(); 13];
                v[0] = l.file.clone();
                v[12] = e.clone();
                v
            }
        };
        let fields: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    out
}

fn json_doc(lines: &[Line]) -> Json {
    let files: Vec<Json> = lines
        .iter()
        .map(|l| match &l.outcome {
            Ok(a) => json!({
                "file": l.file,
                "kind": a.kind,
                "agency": a.agency,
                "year": a.year,
                "layout": a.layout,
                "cells_read": a.cells_read,
                "cells_total": a.cells_total,
                "rules_failed": a.failed_rules.len(),
                "failed_rules": a.failed_rules,
                "cells_unreadable": a.unreadable_count,
                "warnings": a.warnings,
                "previous_year_file": a.previous,
                "failed_checks": a.failed_checks,
                "unreadable": a.unreadable,
            }),
            Err(e) => json!({"file": l.file, "error": e}),
        })
        .collect();
    json!({ "files": files })
}
