//! HTML for screen and A4 print: one self-contained page, CSS embedded, nothing fetched.
//! Cells that a failing rule involves are marked with the rule ids.

use crate::paragraphs::{Block, outline};
use crate::{Annotations, UNREADABLE_HEADING};
use gongkai_core::report::format::spec;
use gongkai_core::report::keys::{T4Group, T4Outcome};
use gongkai_core::report::rules::Status;
use gongkai_core::report::{AnnualReport, CellRef, Finding, Layout, T2Key, T3Col, T4Col, Value};
pub use gongkai_core::text::escape_html as escape;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

const CSS: &str = include_str!("report.css");

/// Rule ids per cell, for the cells that failing or unassessable rules name.
fn flags(checks: Option<&[Finding]>) -> BTreeMap<CellRef, Vec<String>> {
    let mut out: BTreeMap<CellRef, Vec<String>> = BTreeMap::new();
    for f in checks.unwrap_or(&[]) {
        let cells: Vec<CellRef> = match f.status {
            Status::Fail if !f.problem_cells.is_empty() => {
                f.problem_cells.iter().map(|(c, _)| *c).collect()
            }
            Status::Fail => f.cells.clone(),
            Status::Unassessable => f.problem_cells.iter().map(|(c, _)| *c).collect(),
            _ => continue,
        };
        for c in cells {
            let ids = out.entry(c).or_default();
            if !ids.contains(&f.rule.id) {
                ids.push(f.rule.id.clone());
            }
        }
    }
    out
}

struct Doc<'a> {
    report: &'a AnnualReport,
    flags: BTreeMap<CellRef, Vec<String>>,
    /// Cells a source document did not let the importer read.
    unreadable: BTreeSet<CellRef>,
    /// Value cells link to this prefix + the cell's path ([`Annotations::cell_href`]).
    cell_href: Option<&'a str>,
    out: String,
}

impl Doc<'_> {
    fn value_td(&mut self, at: CellRef, colspan: usize) {
        let v = &self.report.cell(at).value;
        let span = if colspan > 1 {
            format!(" colspan=\"{colspan}\"")
        } else {
            String::new()
        };
        let mut text = escape(&v.to_string());
        if let Some(prefix) = self.cell_href {
            text = format!(
                "<a href=\"{}{}\">{}</a>",
                escape(prefix),
                escape(&at.path()),
                if text.is_empty() { "—".into() } else { text }
            );
        }
        let kind = match v {
            Value::Blank => " blank",
            Value::Invalid(_) => " invalid",
            _ => "",
        };
        match self.flags.get(&at) {
            Some(ids) => {
                let _ = write!(
                    self.out,
                    "<td{span} class=\"num flag{kind}\" data-cell=\"{}\" title=\"{}\">{text}</td>",
                    at.path(),
                    escape(&format!("未通过：{}", ids.join("、")))
                );
            }
            None if self.unreadable.contains(&at) => {
                let _ = write!(
                    self.out,
                    "<td{span} class=\"num unreadable{kind}\" data-cell=\"{}\" title=\"{UNREADABLE_HEADING}\">{text}</td>",
                    at.path()
                );
            }
            None => {
                let _ = write!(
                    self.out,
                    "<td{span} class=\"num{kind}\" data-cell=\"{}\">{text}</td>",
                    at.path()
                );
            }
        }
    }

    fn th(&mut self, text: &str, colspan: usize, rowspan: usize, class: &str) {
        self.out.push_str("<th");
        if colspan > 1 {
            let _ = write!(self.out, " colspan=\"{colspan}\"");
        }
        if rowspan > 1 {
            let _ = write!(self.out, " rowspan=\"{rowspan}\"");
        }
        if !class.is_empty() {
            let _ = write!(self.out, " class=\"{class}\"");
        }
        let _ = write!(self.out, ">{}</th>", escape(text));
    }

    fn table2(&mut self) {
        let layout = self.report.layout;
        let t2 = spec().table2_for(layout == Layout::Y2019);
        let width = t2
            .subtables
            .iter()
            .map(|s| s.columns.len())
            .max()
            .unwrap_or(1);
        self.out.push_str("<table class=\"t2\">\n");
        for sub in &t2.subtables {
            self.out.push_str("<tr>");
            self.th(&sub.caption, width + 1, 1, "caption");
            self.out.push_str("</tr>\n<tr>");
            self.th(&t2.label_column, 1, 1, "");
            for (i, col) in sub.columns.iter().enumerate() {
                let span = if i + 1 == sub.columns.len() {
                    width - sub.columns.len() + 1
                } else {
                    1
                };
                self.th(&col.label, span, 1, "");
            }
            self.out.push_str("</tr>\n");
            for row in &sub.rows {
                self.out.push_str("<tr>");
                self.th(&row.label, 1, 1, "label");
                for (i, col) in sub.columns.iter().enumerate() {
                    let key = T2Key {
                        sub: &sub.key,
                        row: &row.key,
                        col: &col.key,
                    };
                    let span = if i + 1 == sub.columns.len() {
                        width - sub.columns.len() + 1
                    } else {
                        1
                    };
                    // A narrower sub-table: its last column spans the remaining width.
                    self.value_td(CellRef::T2(key), span);
                }
                self.out.push_str("</tr>\n");
            }
        }
        self.out.push_str("</table>\n");
    }

    fn table3(&mut self) {
        let t3 = &spec().table3;
        let org_group = t3
            .columns
            .iter()
            .find_map(|c| c.group.clone())
            .unwrap_or_default();
        // The header rows repeat on every printed page (thead).
        self.out.push_str("<table class=\"t3\">\n<thead>\n<tr>");
        self.th(&t3.corner_note, 3, 3, "corner");
        self.th(&t3.column_group, 7, 1, "");
        self.out.push_str("</tr>\n<tr>");
        self.th(T3Col::NaturalPerson.label(), 1, 2, "");
        self.th(&org_group, 5, 1, "");
        self.th(T3Col::Total.label(), 1, 2, "");
        self.out.push_str("</tr>\n<tr>");
        for col in &T3Col::PARTS[1..] {
            self.th(col.label(), 1, 1, "");
        }
        self.out.push_str("</tr>\n</thead>\n<tbody>\n");
        let rows = self.report.table3.rows();
        let count_in = |level: usize, label: &str| {
            rows.iter()
                .filter(|r| r.groups().get(level).is_some_and(|g| g == label))
                .count()
        };
        let mut open: [Option<&str>; 2] = [None, None];
        for &row in rows {
            self.out.push_str("<tr>");
            let groups = row.groups();
            for (level, slot) in open.iter_mut().enumerate() {
                match groups.get(level) {
                    Some(g) if *slot != Some(g.as_str()) => {
                        *slot = Some(g.as_str());
                        let class = if level == 0 {
                            "group vertical"
                        } else {
                            "group"
                        };
                        self.th(g, 1, count_in(level, g), class);
                    }
                    Some(_) => {}
                    None => *slot = None,
                }
            }
            self.th(row.label(), 3 - groups.len(), 1, "label");
            for col in T3Col::ALL {
                self.value_td(CellRef::T3(row, col), 1);
            }
            self.out.push_str("</tr>\n");
        }
        self.out.push_str("</tbody>\n</table>\n");
    }

    fn table4(&mut self) {
        let litigation = spec()
            .table4
            .column_groups
            .iter()
            .find_map(|g| g.parent.clone())
            .unwrap_or_default();
        self.out.push_str("<table class=\"t4\">\n<tr>");
        self.th(T4Group::Review.label(), 5, 1, "");
        self.th(&litigation, 10, 1, "");
        self.out.push_str("</tr>\n<tr>");
        for outcome in T4Outcome::ALL {
            self.th(
                T4Col {
                    group: T4Group::Review,
                    outcome,
                }
                .label(),
                1,
                2,
                "",
            );
        }
        self.th(T4Group::LitigationDirect.label(), 5, 1, "");
        self.th(T4Group::LitigationAfterReview.label(), 5, 1, "");
        self.out.push_str("</tr>\n<tr>");
        for group in [T4Group::LitigationDirect, T4Group::LitigationAfterReview] {
            for outcome in T4Outcome::ALL {
                self.th(T4Col { group, outcome }.label(), 1, 1, "");
            }
        }
        self.out.push_str("</tr>\n<tr>");
        for col in T4Col::all() {
            self.value_td(CellRef::T4(col), 1);
        }
        self.out.push_str("</tr>\n</table>\n");
    }
}

/// The complete A4 document: the article with its stylesheet embedded.
pub fn render(report: &AnnualReport, notes: &Annotations<'_>) -> String {
    let title = escape(&report.title());
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n{}</body>\n</html>\n",
        article(report, notes)
    )
}

/// The report alone, `<article class="report">…</article>`, for a page that brings its own
/// stylesheet (the portal's, which styles `article.report` the same way).
pub fn article(report: &AnnualReport, notes: &Annotations<'_>) -> String {
    let checks = notes.checks;
    let mut doc = Doc {
        report,
        flags: flags(checks),
        unreadable: notes.unreadable.iter().filter_map(|u| u.cell).collect(),
        cell_href: notes.cell_href,
        out: String::from("<article class=\"report\">\n"),
    };
    for block in outline(report) {
        match block {
            Block::Title(t) => {
                let _ = writeln!(doc.out, "<h1>{}</h1>", escape(&t));
            }
            Block::Heading(h) => {
                let _ = writeln!(doc.out, "<h2>{}</h2>", escape(&h));
            }
            Block::Paragraph(p) => {
                let _ = writeln!(doc.out, "<p>{}</p>", escape(p));
            }
            Block::Table2 => doc.table2(),
            Block::Table3 => doc.table3(),
            Block::Table4 => doc.table4(),
        }
    }
    if !doc.flags.is_empty() {
        let _ = writeln!(doc.out, "<aside class=\"checks\"><h2>勾稽关系检查</h2><ul>");
        for f in checks
            .unwrap_or(&[])
            .iter()
            .filter(|f| matches!(f.status, Status::Fail | Status::Unassessable))
        {
            let _ = writeln!(
                doc.out,
                "<li class=\"{}\"><b>{}</b> {}</li>",
                f.status.key(),
                escape(&f.rule.id),
                escape(&f.message(gongkai_core::report::rules::Lang::Zh))
            );
        }
        doc.out.push_str("</ul></aside>\n");
    }
    if !notes.unreadable.is_empty() {
        let _ = writeln!(
            doc.out,
            "<aside class=\"unreadable\"><h2>{UNREADABLE_HEADING}</h2><ul>"
        );
        for u in notes.unreadable {
            let _ = writeln!(doc.out, "<li>{}</li>", escape(&u.message));
        }
        doc.out.push_str("</ul></aside>\n");
    }
    doc.out.push_str("</article>\n");
    doc.out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table3_group_labels_span_their_rows() {
        let mut r = AnnualReport::new("测试机关", 2021);
        r.table3.fill_zero();
        let html = render(&r, &Annotations::default());
        assert!(
            html.contains("<th rowspan=\"22\" class=\"group vertical\">三、本年度办理结果</th>"),
            "{html}"
        );
        assert!(html.contains("<th rowspan=\"8\" class=\"group\">（三）不予公开</th>"));
        assert!(html.contains("<th colspan=\"3\" rowspan=\"3\" class=\"corner\">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</th>"));
        assert!(
            !html.contains("http://") && !html.contains("https://"),
            "nothing fetched from a network"
        );
    }

    #[test]
    fn single_other_row_layout() {
        let mut r = AnnualReport::new("测试机关", 2020);
        r.table3.fill_zero();
        let html = render(&r, &Annotations::default());
        assert!(
            html.contains("<th rowspan=\"20\" class=\"group vertical\">三、本年度办理结果</th>")
        );
        assert!(html.contains("<th colspan=\"2\" class=\"label\">（六）其他处理</th>"));
        assert!(html.contains("本年新制作数量"));
    }

    #[test]
    fn text_is_escaped() {
        let mut r = AnnualReport::new("<script>alert(1)</script>", 2021);
        r.sections.overview = Some("a & b <img src=x onerror=alert(1)>".into());
        let html = render(&r, &Annotations::default());
        assert!(!html.contains("<script>alert") && !html.contains("<img"));
    }

    #[test]
    fn unreadable_cells_are_marked_and_listed_inside_the_page() {
        let r = AnnualReport::new("测试机关", 2021);
        let cell = CellRef::T3(gongkai_core::report::T3Row::Granted, T3Col::Total);
        let unreadable = [crate::UnreadableCell {
            cell: Some(cell),
            message: "表三 <一> / 总计: no value found near line 3".into(),
        }];
        let html = render(
            &r,
            &Annotations {
                checks: None,
                unreadable: &unreadable,
                cell_href: None,
            },
        );
        assert!(html.contains(&format!(
            "class=\"num unreadable blank\" data-cell=\"{}\"",
            cell.path()
        )));
        let list = html.find("<aside class=\"unreadable\"><h2>无法读取的单元格</h2>");
        let end = html.find("</article>");
        assert!(list.is_some_and(|l| end.is_some_and(|e| l < e)), "{html}");
        assert!(html.contains("<li>表三 &lt;一&gt; / 总计: no value found near line 3</li>"));
        let plain = render(&r, &Annotations::default());
        assert!(!plain.contains("无法读取的单元格"));
    }
}
