//! Plain text, Markdown and PDF text (`pdftotext -layout`) as rows: tab-separated and
//! pipe-delimited lines keep their cells; layout lines split into a label and the trailing
//! run of numbers. Form feeds count pages; page-number footers are dropped.

use crate::Options;
use crate::error::ImportError;
use crate::limits::{Budget, check_chars, over};
use crate::rows::{Document, RawCell, Row};
use gongkai_core::report::cell::Place;

/// Refuses a text with more lines than [`Options::max_lines`] or a line longer than
/// [`Options::max_line_chars`] (docs/reliability.md BI-IM-10), in one pass before it is read.
pub fn check(text: &str, o: &Options) -> Result<(), ImportError> {
    for (i, line) in text.split('\n').enumerate() {
        if i >= o.max_lines {
            return Err(over(
                format!("the text has more than {} lines", o.max_lines),
                o.max_lines,
                "lines",
                "max_lines",
            ));
        }
        check_chars(o, line, || format!("line {}", i + 1))?;
    }
    Ok(())
}

pub fn read(text: &str, budget: &mut Budget<'_>) -> Result<Document, ImportError> {
    let mut rows = Vec::new();
    let mut page = 1u32;
    let paged = text.contains('\u{c}');
    for (i, raw_line) in text.split('\n').enumerate() {
        let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let mut line = raw_line.trim_end_matches('\r');
        // pdftotext separates pages with a form feed at the start of the next page's text.
        while let Some(rest) = line.strip_prefix('\u{c}') {
            page += 1;
            line = rest;
        }
        let form_feeds = line.matches('\u{c}').count();
        let line_owned;
        if form_feeds > 0 {
            line_owned = line.replace('\u{c}', " ");
            line = &line_owned;
        }
        let place = Place {
            line: Some(line_no),
            page: paged.then_some(page),
            ..Place::default()
        };
        page += u32::try_from(form_feeds).unwrap_or(0);
        if line.trim().is_empty() || is_page_number(line) {
            continue;
        }
        let at = || format!("line {line_no}");
        budget.chars(line, at)?;
        let row = if let Some(row) = markdown_row(line, &place, budget)? {
            row
        } else if line.contains('\t') {
            Some(tab_row(line, &place, budget)?)
        } else {
            Some(layout_row(line, &place, budget)?)
        };
        if let Some(row) = row {
            budget.row(row.labels.len() + row.values.len(), line.len(), at)?;
            rows.push(row);
        }
    }
    Ok(Document {
        rows: crate::rows::merge_vertical(rows, budget.o)?,
        title_hint: None,
    })
}

/// `-3-`, `- 3 -`, `第 3 页`, `3/6`: page footers of PDF text.
fn is_page_number(line: &str) -> bool {
    let t: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    let inner = t
        .strip_prefix('-')
        .and_then(|s| s.strip_suffix('-'))
        .or_else(|| t.strip_prefix('—').and_then(|s| s.strip_suffix('—')))
        .or_else(|| t.strip_prefix('第').and_then(|s| s.strip_suffix('页')));
    match inner {
        Some(n) => !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()),
        None => false,
    }
}

fn cell(text: &str, place: &Place, column: usize, x: Option<usize>) -> RawCell {
    RawCell {
        text: text.trim().to_string(),
        place: Place {
            column: u32::try_from(column).ok(),
            text: Some(text.trim().to_string()),
            ..place.clone()
        },
        x,
    }
}

/// A Markdown table line: `Some(None)` for a separator line, `Some(Some(row))` for a row,
/// `None` if the line is not a table line.
fn markdown_row(
    line: &str,
    place: &Place,
    budget: &Budget<'_>,
) -> Result<Option<Option<Row>>, ImportError> {
    let t = line.trim();
    if !(t.starts_with('|') && t.len() > 1) {
        return Ok(None);
    }
    let inner = t.strip_prefix('|').unwrap_or(t);
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    budget.row_cells(inner.matches('|').count() + 1, &|| {
        format!("line {}", place.line.unwrap_or(0))
    })?;
    let parts: Vec<&str> = inner.split('|').collect();
    if parts
        .iter()
        .all(|p| !p.trim().is_empty() && p.trim().chars().all(|c| matches!(c, '-' | ':' | ' ')))
    {
        return Ok(Some(None));
    }
    let cells = parts
        .iter()
        .enumerate()
        .map(|(i, p)| cell(p, place, i + 1, None))
        .collect();
    Ok(Some(Some(Row::from_cells(cells, place.clone()))))
}

fn tab_row(line: &str, place: &Place, budget: &Budget<'_>) -> Result<Row, ImportError> {
    budget.row_cells(line.matches('\t').count() + 1, &|| {
        format!("line {}", place.line.unwrap_or(0))
    })?;
    let cells = line
        .split('\t')
        .enumerate()
        .map(|(i, p)| cell(p, place, i + 1, None))
        .collect();
    Ok(Row::from_cells(cells, place.clone()))
}

/// A layout line: whitespace-separated tokens; the trailing run of value tokens are the
/// values, the rest is the label. More values than [`Options::max_row_cells`] are refused.
pub(crate) fn layout_row(
    line: &str,
    place: &Place,
    budget: &Budget<'_>,
) -> Result<Row, ImportError> {
    // Tokens with their character column.
    let mut tokens: Vec<(usize, String)> = Vec::new();
    let mut cur = String::new();
    let mut start = 0usize;
    for (col, ch) in line.chars().enumerate() {
        if ch.is_whitespace() || ch == '\u{3000}' {
            if !cur.is_empty() {
                tokens.push((start, std::mem::take(&mut cur)));
            }
        } else {
            if cur.is_empty() {
                start = col;
            }
            cur.push(ch);
        }
    }
    if !cur.is_empty() {
        tokens.push((start, cur));
    }
    let mut first_value = tokens
        .iter()
        .rposition(|(_, t)| !crate::number::is_valueish(t))
        .map(|i| i + 1)
        .unwrap_or(0);
    // The run of values starts with a readable one; number-like text before it is label.
    while first_value < tokens.len() && !crate::number::is_value_token(&tokens[first_value].1) {
        first_value += 1;
    }
    budget.row_cells(tokens.len() - first_value, &|| match place.line {
        Some(l) => format!("line {l}"),
        None => "a paragraph".into(),
    })?;
    let label_tokens = &tokens[..first_value];
    let mut labels = Vec::new();
    if !label_tokens.is_empty() {
        let text = label_tokens
            .iter()
            .map(|(_, t)| t.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        labels.push(cell(&text, place, 1, Some(label_tokens[0].0)));
    }
    let values = tokens[first_value..]
        .iter()
        .map(|(x, t)| {
            // The character column (1-based) is the evidence for a layout cell.
            cell(t, place, x + 1, Some(*x + t.chars().count() / 2))
        })
        .collect();
    Ok(Row {
        labels,
        values,
        delimited: false,
        place: place.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Document {
        super::read(text, &mut Budget::new(&Options::default())).expect("read")
    }

    #[test]
    fn layout_lines_split_label_and_values() {
        let d = read("一、本年新收政府信息公开申请数量      3001   53  0\n-4-\n规章 1 0 11\n");
        assert_eq!(d.rows.len(), 2);
        assert_eq!(d.rows[0].own_label(), "一、本年新收政府信息公开申请数量");
        assert_eq!(d.rows[0].values.len(), 3);
        assert_eq!(d.rows[0].values[0].place.line, Some(1));
        assert_eq!(d.rows[1].values[2].text, "11");
    }

    #[test]
    fn markdown_and_tabs_keep_blank_cells() {
        let d = read("| 四、结转 | 1 | 0 |  |\n|---|---|---|---|\nA\t\t3\t\t5\n");
        assert_eq!(d.rows.len(), 2);
        assert_eq!(d.rows[0].values.len(), 3);
        assert_eq!(d.rows[0].values[2].text, "");
        assert!(d.rows[1].delimited);
    }

    #[test]
    fn one_cell_per_line_tables_become_rows() {
        let d = read("信息内容\n规章\n0\n0\n0\n行政规范性文件\n9\n\n7\n253\n结果维持\n总计\n");
        let rows: Vec<(String, usize)> = d
            .rows
            .iter()
            .map(|r| (r.label_text(), r.values.len()))
            .collect();
        assert_eq!(
            rows,
            vec![
                ("信息内容".to_string(), 0),
                ("规章".to_string(), 3),
                ("行政规范性文件".to_string(), 3),
                ("结果维持".to_string(), 0),
                ("总计".to_string(), 0),
            ]
        );
        assert_eq!(d.rows[2].values[2].place.line, Some(10));
    }

    #[test]
    fn form_feeds_count_pages() {
        let d = read("a 1\n\u{c}b 2\n");
        assert_eq!(d.rows[0].place.page, Some(1));
        assert_eq!(d.rows[1].place.page, Some(2));
    }
}
