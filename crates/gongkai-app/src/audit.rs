//! Batch audit of published reports: every report file of some folders (or a list of files)
//! imported and checked, one line each — agency, year, layout, cells read, rules failed,
//! rules that cannot be assessed because the importer did not read their cells (not the
//! report's fault, counted apart), warnings, cells unreadable — with the cross-year rules (T3-X, T2-X) when the batch holds
//! the same agency's report for the year before. A file that cannot be read is a line with
//! its reason; the batch goes on.
//!
//! ```no_run
//! use gongkai_app::audit::{AuditOptions, Batch};
//! let batch = Batch::collect(&["testdata/corpus".into()]);
//! let audit = batch.run(&AuditOptions::default(), &|_| {});
//! println!("{}", serde_json::to_string_pretty(&audit.view()).unwrap());
//! std::process::exit(audit.status().exit_code().into());
//! ```

use crate::csv::field as csv_field;
use crate::import::{Imported, Options, UnreadableView, import_file};
use gongkai_core::report::{AnnualReport, Finding, Severity, Status, check};
use serde::Serialize;
use serde_json::Value as Json;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The file extensions a folder is searched for.
pub const EXTENSIONS: [&str; 8] = [
    "txt", "md", "markdown", "html", "htm", "shtml", "docx", "pdf",
];

/// How a batch is read.
#[derive(Debug, Clone, Default)]
pub struct AuditOptions {
    /// Limits and tools of each import.
    pub import: Options,
    /// Files imported at once (`None`: one per core); at most 64.
    pub jobs: Option<usize>,
}

/// The files of a batch: those found (folders searched recursively, sorted), the paths that
/// do not exist, and the symbolic links that lead back into a folder being searched.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Batch {
    pub files: Vec<PathBuf>,
    pub missing: Vec<PathBuf>,
    /// Each link found and the folder it leads back to: not followed (BI-IM-10).
    pub loops: Vec<(PathBuf, PathBuf)>,
}

/// What a batch reports while it runs (from its worker threads).
#[derive(Debug, Clone, Copy)]
pub enum Progress<'a> {
    /// A file is being read.
    Reading(&'a Path),
    /// A file was read (or could not be).
    Done(&'a AuditLine),
    /// A path that does not exist (reported after the files).
    Missing(&'a AuditLine),
}

impl Batch {
    /// Files under folders (hidden entries skipped, only [`EXTENSIONS`]) and files named.
    /// Each folder is searched once, however many links lead to it; a link back into a folder
    /// being searched (a loop) is named in [`Batch::loops`] and not followed.
    pub fn collect(paths: &[PathBuf]) -> Batch {
        let mut batch = Batch::default();
        let mut walk = Walk::default();
        for p in paths {
            if p.is_dir() {
                walk.dir(p, &mut batch);
            } else if p.exists() {
                batch.files.push(p.clone());
            } else {
                batch.missing.push(p.clone());
            }
        }
        batch
    }

    /// Imports every file (in parallel), checks each report — with the same agency's
    /// previous year when the batch holds it — and lists the paths that do not exist last.
    pub fn run(&self, options: &AuditOptions, progress: &(dyn Fn(Progress<'_>) + Sync)) -> Audit {
        let jobs = options
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
            .clamp(1, 64);
        let next = AtomicUsize::new(0);
        let results: Mutex<Vec<Option<AuditLine>>> =
            Mutex::new((0..self.files.len()).map(|_| None).collect());
        std::thread::scope(|s| {
            for _ in 0..jobs.min(self.files.len().max(1)) {
                s.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(path) = self.files.get(i) else { break };
                        progress(Progress::Reading(path));
                        let line = AuditLine::import(path, &options.import);
                        progress(Progress::Done(&line));
                        if let Ok(mut r) = results.lock() {
                            r[i] = Some(line);
                        }
                    }
                });
            }
        });
        let mut lines: Vec<AuditLine> = results
            .into_inner()
            .unwrap_or_default()
            .into_iter()
            .flatten()
            .collect();
        cross_year(&mut lines);
        let loops = self.loops.iter().map(|(link, target)| {
            (
                link,
                format!(
                    "a symbolic link loop (back to {}), not followed",
                    target.display()
                ),
            )
        });
        let missing = self
            .missing
            .iter()
            .map(|p| (p, "no such file or directory".to_string()));
        for (p, reason) in loops.chain(missing) {
            let line = AuditLine {
                file: p.display().to_string(),
                outcome: AuditOutcome::Unreadable { reason },
            };
            progress(Progress::Missing(&line));
            lines.push(line);
        }
        Audit { lines }
    }
}

/// The folders of a search: each searched once by its canonical path; the ones open above
/// the current one tell a loop.
#[derive(Default)]
struct Walk {
    seen: HashSet<PathBuf>,
    open: Vec<PathBuf>,
}

impl Walk {
    /// Report files under a folder, sorted, hidden entries skipped.
    fn dir(&mut self, dir: &Path, batch: &mut Batch) {
        let Ok(canonical) = std::fs::canonicalize(dir) else {
            return;
        };
        if self.open.contains(&canonical) {
            batch.loops.push((dir.to_path_buf(), canonical));
            return;
        }
        if !self.seen.insert(canonical.clone()) {
            // Reached again through another link: its files are in the batch already.
            return;
        }
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        self.open.push(canonical);
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
                self.dir(&p, batch);
            } else if p
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase())
                .is_some_and(|e| EXTENSIONS.contains(&e.as_str()))
            {
                batch.files.push(p);
            }
        }
        self.open.pop();
    }
}

/// Pairs each report with the same agency's report for the year before, when the batch holds
/// it, and runs the rules again with it (T3-X, T2-X: 上年结转 against last year's
/// 结转下年度继续办理); the others keep the results of their import.
fn cross_year(lines: &mut [AuditLine]) {
    // A report whose agency or year the reader could not find pairs with nothing.
    let mut by_key: HashMap<(&str, i32), usize> = HashMap::new();
    for (i, l) in lines.iter().enumerate() {
        if let Some(a) = l.audited()
            && !a.agency().is_empty()
            && let Some(year) = a.year()
        {
            by_key.entry((a.agency(), year)).or_insert(i);
        }
    }
    let previous: Vec<Option<usize>> = lines
        .iter()
        .map(|l| {
            let a = l.audited()?;
            by_key.get(&(a.agency(), a.year()? - 1)).copied()
        })
        .collect();
    let checked: Vec<Option<Checked>> = lines
        .iter()
        .zip(&previous)
        .map(|(l, prev)| {
            let a = l.audited()?;
            let p = (*prev)?;
            let prev = (lines[p].file.as_str(), &lines[p].audited()?.report);
            Some(Checked::new(&a.report, Some(prev)))
        })
        .collect();
    for (l, c) in lines.iter_mut().zip(checked) {
        if let (AuditOutcome::Read(a), Some(c)) = (&mut l.outcome, c) {
            a.checked = c;
        }
    }
}

/// The audit of a batch: one line per file, in the order of the batch.
#[derive(Debug, Clone)]
pub struct Audit {
    pub lines: Vec<AuditLine>,
}

/// How a batch ended, and the exit status a command gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditStatus {
    /// Every file read and no report failed an error-severity rule (some rules may be
    /// unassessable because cells were not read: that is the reader's gap, not a failure).
    Passed,
    /// Every file read; a report failed an error-severity rule.
    RuleFailed,
    /// A file could not be read (or does not exist).
    Unreadable,
}

impl AuditStatus {
    /// 0 passed, 1 a rule failed, 2 a file could not be read.
    pub fn exit_code(self) -> u8 {
        match self {
            AuditStatus::Passed => 0,
            AuditStatus::RuleFailed => 1,
            AuditStatus::Unreadable => 2,
        }
    }
}

impl Audit {
    pub fn status(&self) -> AuditStatus {
        if self.lines.iter().any(|l| l.audited().is_none()) {
            AuditStatus::Unreadable
        } else if self.lines.iter().any(|l| !l.passed()) {
            AuditStatus::RuleFailed
        } else {
            AuditStatus::Passed
        }
    }

    /// Files read.
    pub fn read(&self) -> usize {
        self.lines.iter().filter(|l| l.audited().is_some()).count()
    }

    /// Files read whose report passed every rule it could be checked on, with no rule left
    /// unassessable by unread cells.
    pub fn passed(&self) -> usize {
        self.lines
            .iter()
            .filter(|l| {
                l.audited()
                    .is_some_and(|a| a.checked.unread_rules.is_empty())
                    && l.passed()
            })
            .count()
    }

    /// Files read whose report failed an error-severity rule.
    pub fn failed(&self) -> usize {
        self.lines
            .iter()
            .filter(|l| l.audited().is_some() && !l.passed())
            .count()
    }

    /// Files read whose report failed no rule but has rules that cannot be assessed because
    /// the importer did not read their cells.
    pub fn unassessed(&self) -> usize {
        self.lines
            .iter()
            .filter(|l| {
                l.audited()
                    .is_some_and(|a| !a.checked.unread_rules.is_empty())
                    && l.passed()
            })
            .count()
    }

    /// The JSON view: `{"files": [...]}`.
    pub fn view(&self) -> AuditView {
        AuditView {
            files: self.lines.iter().map(AuditRowView::new).collect(),
        }
    }

    /// The table as CSV, one row per file, the columns of [`AuditRowView`] without the
    /// lists of failed checks and unreadable cells (a leading `=`, `+`, `-` or `@` is
    /// neutralised so that a spreadsheet does not read a formula).
    pub fn csv(&self) -> String {
        let mut out = CSV_HEADER.join(",");
        out.push('\n');
        for l in &self.lines {
            let fields: Vec<String> = match &l.outcome {
                AuditOutcome::Read(a) => vec![
                    l.file.clone(),
                    a.kind().into(),
                    a.agency().into(),
                    a.year().map(|y| y.to_string()).unwrap_or_default(),
                    a.layout().into(),
                    a.cells_read.to_string(),
                    a.cells_total.to_string(),
                    a.checked.failed_rules.len().to_string(),
                    a.checked.failed_rules.join(" "),
                    a.checked.unread_rules.len().to_string(),
                    a.checked.unread_rules.join(" "),
                    a.unreadable.len().to_string(),
                    a.checked.warnings.join(" "),
                    a.checked.previous.clone().unwrap_or_default(),
                    String::new(),
                ],
                AuditOutcome::Unreadable { .. } => {
                    let mut v = vec![String::new(); CSV_HEADER.len()];
                    v[0] = l.file.clone();
                    v[CSV_HEADER.len() - 1] = l.error().unwrap_or_default();
                    v
                }
            };
            let fields: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
            out.push_str(&fields.join(","));
            out.push('\n');
        }
        out
    }
}

const CSV_HEADER: [&str; 15] = [
    "file",
    "kind",
    "agency",
    "year",
    "layout",
    "cells_read",
    "cells_total",
    "rules_failed",
    "failed_rules",
    "rules_unread",
    "unread_rules",
    "cells_unreadable",
    "warnings",
    "previous_year_file",
    "error",
];

/// One file of a batch.
#[derive(Debug, Clone)]
pub struct AuditLine {
    /// The path as given or found.
    pub file: String,
    pub outcome: AuditOutcome,
}

#[derive(Debug, Clone)]
pub enum AuditOutcome {
    Read(Box<Audited>),
    /// The file could not be read, or does not exist.
    Unreadable {
        reason: String,
    },
}

impl AuditLine {
    fn import(path: &Path, options: &Options) -> AuditLine {
        let outcome = match import_file(path, options) {
            Ok(imported) => AuditOutcome::Read(Box::new(Audited::new(imported))),
            Err(e) => AuditOutcome::Unreadable {
                reason: e.error.to_string(),
            },
        };
        AuditLine {
            file: path.display().to_string(),
            outcome,
        }
    }

    pub fn audited(&self) -> Option<&Audited> {
        match &self.outcome {
            AuditOutcome::Read(a) => Some(a),
            AuditOutcome::Unreadable { .. } => None,
        }
    }

    /// Read, and no error-severity rule failed.
    pub fn passed(&self) -> bool {
        self.audited()
            .is_some_and(|a| a.checked.failed_rules.is_empty())
    }

    /// Why the file could not be read, without the file name.
    pub fn reason(&self) -> Option<&str> {
        match &self.outcome {
            AuditOutcome::Unreadable { reason } => Some(reason),
            AuditOutcome::Read(_) => None,
        }
    }

    /// `FILE: reason` when the file could not be read.
    pub fn error(&self) -> Option<String> {
        self.reason().map(|r| format!("{}: {r}", self.file))
    }
}

/// A report read from a file and checked (against the year before once the batch is paired).
#[derive(Debug, Clone)]
pub struct Audited {
    pub report: AnnualReport,
    pub kind: gongkai_import::Kind,
    pub cells_read: usize,
    pub cells_total: usize,
    pub unreadable: Vec<gongkai_import::Unreadable>,
    pub checked: Checked,
}

impl Audited {
    fn new(imported: Imported) -> Audited {
        let checked = Checked::new(&imported.report, None);
        Audited {
            report: imported.report,
            kind: imported.kind,
            cells_read: imported.cells_read,
            cells_total: imported.cells_total,
            unreadable: imported.unreadable,
            checked,
        }
    }

    pub fn agency(&self) -> &str {
        &self.report.agency
    }

    /// The report year; `None` when the reader could not find it.
    pub fn year(&self) -> Option<i32> {
        self.report.known_year()
    }

    /// The kind of file: `txt`, `md`, `html`, `docx`, `pdf`.
    pub fn kind(&self) -> &'static str {
        self.kind.key()
    }

    /// The report's layout: `2019`, `2021`.
    pub fn layout(&self) -> &'static str {
        self.report.layout.key()
    }
}

/// The rule results of one report.
#[derive(Debug, Clone, Default)]
pub struct Checked {
    /// Error-severity rules that failed (ids, each once).
    pub failed_rules: Vec<String>,
    /// Warning-severity rules that failed (the cross-year rules among them).
    pub warnings: Vec<String>,
    /// Rules (of either severity) with an instance that cannot be assessed because the
    /// importer did not read its cells (ids, each once): the reader's gap, not a failure.
    pub unread_rules: Vec<String>,
    /// Every failing instance.
    pub failed: Vec<Finding>,
    /// Every instance unassessable because of unread cells.
    pub unread: Vec<Finding>,
    /// The file of the same agency's report for the year before, when the batch has it.
    pub previous: Option<String>,
}

impl Checked {
    /// Runs the rules, the cross-year ones too when `previous` (its file and report) is given.
    pub fn new(report: &AnnualReport, previous: Option<(&str, &AnnualReport)>) -> Checked {
        let (failed, unread): (Vec<Finding>, Vec<Finding>) = check(report, previous.map(|p| p.1))
            .into_iter()
            .filter(|f| f.status == Status::Fail || f.is_unread())
            .partition(|f| f.status == Status::Fail);
        let mut unread_rules: Vec<String> = unread.iter().map(|f| f.rule.id.clone()).collect();
        unread_rules.dedup();
        let ids = |severity: Severity| {
            let mut v: Vec<String> = failed
                .iter()
                .filter(|f| f.rule.severity == severity)
                .map(|f| f.rule.id.clone())
                .collect();
            v.dedup();
            v
        };
        Checked {
            failed_rules: ids(Severity::Error),
            warnings: ids(Severity::Warning),
            previous: previous.map(|p| p.0.to_string()),
            unread_rules,
            failed,
            unread,
        }
    }
}

/// The audit as JSON: `{"files": [...]}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditView {
    pub files: Vec<AuditRowView>,
}

/// One file: the report's line, or the file with the reason it could not be read
/// (`{"file", "error"}`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum AuditRowView {
    Read(Box<AuditedView>),
    Unreadable { file: String, error: String },
}

/// One report of the audit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditedView {
    pub file: String,
    pub kind: &'static str,
    pub agency: String,
    /// `null` when the reader could not find the year.
    pub year: Option<i32>,
    pub layout: &'static str,
    pub cells_read: usize,
    pub cells_total: usize,
    /// How many error-severity rules failed.
    pub rules_failed: usize,
    pub failed_rules: Vec<String>,
    /// How many rules cannot be assessed because the importer did not read their cells.
    pub rules_unread: usize,
    pub unread_rules: Vec<String>,
    pub cells_unreadable: usize,
    pub warnings: Vec<String>,
    /// The same agency's report for the year before, when the batch held it.
    pub previous_year_file: Option<String>,
    /// Every failing rule instance, as `report check --format json` lists them.
    pub failed_checks: Vec<Json>,
    /// Every instance unassessable because of unread cells (`unread_cells` names them).
    pub unread_checks: Vec<Json>,
    pub unreadable: Vec<UnreadableView>,
}

impl AuditRowView {
    pub fn new(line: &AuditLine) -> AuditRowView {
        match &line.outcome {
            AuditOutcome::Read(a) => AuditRowView::Read(Box::new(AuditedView {
                file: line.file.clone(),
                kind: a.kind(),
                agency: a.agency().to_string(),
                year: a.year(),
                layout: a.layout(),
                cells_read: a.cells_read,
                cells_total: a.cells_total,
                rules_failed: a.checked.failed_rules.len(),
                failed_rules: a.checked.failed_rules.clone(),
                rules_unread: a.checked.unread_rules.len(),
                unread_rules: a.checked.unread_rules.clone(),
                cells_unreadable: a.unreadable.len(),
                warnings: a.checked.warnings.clone(),
                previous_year_file: a.checked.previous.clone(),
                failed_checks: a.checked.failed.iter().map(Finding::to_json).collect(),
                unread_checks: a.checked.unread.iter().map(Finding::to_json).collect(),
                unreadable: UnreadableView::list(&a.unreadable),
            })),
            AuditOutcome::Unreadable { .. } => AuditRowView::Unreadable {
                file: line.file.clone(),
                error: line.error().unwrap_or_default(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus(path: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../testdata/corpus")
            .join(path)
    }

    fn no_progress(_: Progress<'_>) {}

    #[test]
    fn csv_fields_are_quoted_and_formulas_neutralised() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=1+1"), "'=1+1");
        assert_eq!(csv_field("-x"), "'-x");
        assert_eq!(csv_field("plain"), "plain");
    }

    #[test]
    fn folders_are_walked_sorted_and_missing_paths_kept() {
        let batch = Batch::collect(&[corpus("seed"), corpus("nonexistent.txt")]);
        assert!(!batch.files.is_empty());
        assert!(batch.files.windows(2).all(|w| w[0] <= w[1]));
        assert!(
            batch
                .files
                .iter()
                .all(|f| !f.to_string_lossy().ends_with(".json"))
        );
        assert_eq!(batch.missing, vec![corpus("nonexistent.txt")]);
        let audit = batch.run(&AuditOptions::default(), &no_progress);
        assert_eq!(audit.status(), AuditStatus::Unreadable);
        let last = audit.lines.last().expect("lines");
        assert_eq!(last.reason(), Some("no such file or directory"));
        assert_eq!(audit.read(), batch.files.len());
    }

    #[test]
    fn statuses_and_views() {
        // 009 fails T4-1 and T4-3; 008 passes.
        let batch = Batch::collect(&[corpus("dev/009.txt"), corpus("dev/008.txt")]);
        let seen = Mutex::new(Vec::new());
        let audit = batch.run(
            &AuditOptions {
                jobs: Some(2),
                ..AuditOptions::default()
            },
            &|p| {
                if let Progress::Done(l) = p
                    && let Ok(mut s) = seen.lock()
                {
                    s.push(l.file.clone());
                }
            },
        );
        assert_eq!(seen.lock().map(|s| s.len()).unwrap_or(0), 2);
        assert_eq!(audit.status(), AuditStatus::RuleFailed);
        assert_eq!(audit.status().exit_code(), 1);
        assert_eq!((audit.read(), audit.passed()), (2, 1));
        let view = serde_json::to_value(audit.view()).expect("view");
        let first = &view["files"][0];
        assert!(
            first["file"]
                .as_str()
                .is_some_and(|f| f.ends_with("009.txt"))
        );
        assert_eq!(first["failed_rules"], serde_json::json!(["T4-1", "T4-3"]));
        assert_eq!(first["rules_failed"], 2);
        assert_eq!(first["kind"], "txt");
        assert_eq!(first["layout"], "2021");
        assert_eq!(first["previous_year_file"], Json::Null);
        assert!(
            first["failed_checks"]
                .as_array()
                .is_some_and(|c| c.len() >= 2)
        );
        assert_eq!(view["files"][1]["rules_failed"], 0);
        let csv = audit.csv();
        assert!(csv.starts_with("file,kind,agency,year,layout,cells_read,cells_total,rules_failed,failed_rules,rules_unread,unread_rules,cells_unreadable,warnings,previous_year_file,error\n"));
        assert!(
            csv.contains("009.txt,txt,洪泽区人民政府,2023,2021,186,186,2,T4-1 T4-3,0,,0,"),
            "{csv}"
        );
    }

    #[test]
    fn an_unreadable_file_is_a_line_with_its_reason() {
        let dir = tempfile::tempdir().expect("tempdir");
        let notes = dir.path().join("notes.txt");
        std::fs::write(&notes, "会议纪要\n").expect("write");
        let audit = Batch::collect(std::slice::from_ref(&notes))
            .run(&AuditOptions::default(), &no_progress);
        assert_eq!(audit.status(), AuditStatus::Unreadable);
        assert_eq!(audit.status().exit_code(), 2);
        let line = &audit.lines[0];
        assert!(
            line.reason()
                .is_some_and(|r| r.contains("not an annual report"))
        );
        let view = serde_json::to_value(audit.view()).expect("view");
        assert_eq!(
            view["files"][0],
            serde_json::json!({
                "file": notes.display().to_string(),
                "error": line.error().expect("error"),
            })
        );
        assert!(line.error().is_some_and(|e| e.starts_with(&line.file)));
    }

    /// BI-IM-10: a link back into a folder being searched (`a/loop -> ..`) is named and not
    /// followed; a second link to a folder already searched adds nothing; the audit ends.
    #[cfg(unix)]
    #[test]
    fn bi_im_10_a_symbolic_link_loop_is_named_and_not_followed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let a = dir.path().join("a");
        std::fs::create_dir(&a).expect("mkdir");
        std::fs::copy(corpus("dev/008.txt"), a.join("008.txt")).expect("copy");
        std::os::unix::fs::symlink("..", a.join("loop")).expect("symlink");
        std::os::unix::fs::symlink("a", dir.path().join("b")).expect("symlink");
        let batch = Batch::collect(&[dir.path().to_path_buf()]);
        assert_eq!(batch.files, vec![a.join("008.txt")]);
        let root = std::fs::canonicalize(dir.path()).expect("canonical");
        assert_eq!(batch.loops, vec![(a.join("loop"), root.clone())]);
        let audit = batch.run(&AuditOptions::default(), &no_progress);
        assert_eq!(audit.read(), 1);
        let last = audit.lines.last().expect("lines");
        assert_eq!(last.file, a.join("loop").display().to_string());
        assert_eq!(
            last.reason(),
            Some(&*format!(
                "a symbolic link loop (back to {}), not followed",
                root.display()
            ))
        );
    }

    /// BI-IM-10: a FIFO or a device named like a report is a line with its reason, at once.
    #[cfg(unix)]
    #[test]
    fn bi_im_10_a_fifo_in_the_folder_is_not_a_regular_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fifo = dir.path().join("report.txt");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo");
        assert!(made.success());
        let audit = Batch::collect(&[dir.path().to_path_buf(), PathBuf::from("/dev/zero")])
            .run(&AuditOptions::default(), &no_progress);
        assert_eq!(audit.lines.len(), 2);
        for line in &audit.lines {
            assert!(
                line.reason()
                    .is_some_and(|r| r.starts_with("not a regular file")),
                "{line:?}"
            );
        }
    }

    /// Two years of one agency: the 2024 report of 119 and a 2025 one made from it, whose
    /// 上年结转 disagrees with 2024's 结转下年度继续办理. The later one is checked against the
    /// earlier (T3-X); the earlier has no previous year in the batch.
    #[test]
    fn consecutive_years_of_one_agency_are_paired() {
        let dir = tempfile::tempdir().expect("tempdir");
        let text = |report: &AnnualReport| {
            gongkai_report::render(report, gongkai_report::DocFormat::Text, None)
        };
        let base = std::fs::read_to_string(corpus("dev/119.expected.json")).expect("read");
        let earlier = gongkai_core::report::json::from_str(&base).expect("report");
        let mut later = earlier.clone();
        later.year = earlier.year + 1;
        later.table3.set(
            gongkai_core::report::T3Row::CarriedOver,
            gongkai_core::report::T3Col::NaturalPerson,
            gongkai_core::report::Cell::count(3),
        );
        let (a, b) = (dir.path().join("a.txt"), dir.path().join("b.txt"));
        // The later year first: pairing does not depend on the order of the batch.
        std::fs::write(&a, text(&later)).expect("write");
        std::fs::write(&b, text(&earlier)).expect("write");
        let audit =
            Batch::collect(&[dir.path().to_path_buf()]).run(&AuditOptions::default(), &no_progress);
        assert_eq!(audit.read(), 2);
        let later = audit.lines[0].audited().expect("read");
        assert_eq!(later.year(), Some(2025));
        assert_eq!(
            later.checked.previous.as_deref(),
            Some(&*b.display().to_string())
        );
        assert!(
            later.checked.warnings.contains(&"T3-X".to_string()),
            "{:?}",
            later.checked.warnings
        );
        let earlier = audit.lines[1].audited().expect("read");
        assert_eq!(earlier.checked.previous, None);
        assert!(!earlier.checked.warnings.iter().any(|w| w.ends_with("-X")));
    }
}
