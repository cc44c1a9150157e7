//! The one shape every input is read into: a sequence of rows in reading order, each with
//! its label cells and its value cells, and where each came from. Table recognition works on
//! rows only, so text, Markdown, HTML, DOCX and PDF share one set of layout rules.

use crate::number::{is_value_token, is_valueish};
use gongkai_core::report::cell::Place;

/// One printed cell with its place in the source.
#[derive(Debug, Clone, PartialEq)]
pub struct RawCell {
    pub text: String,
    pub place: Place,
    /// Character column of the cell in a text line (for aligning columns of layout text).
    pub x: Option<usize>,
}

/// A row of a table, or a line/paragraph of prose (then `values` is empty).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row {
    /// Text cells before the values (group labels carried down by merged cells included).
    pub labels: Vec<RawCell>,
    /// The cells after the last text cell: numbers, markers, or empty cells.
    pub values: Vec<RawCell>,
    /// The cells are delimited in the source (a table grid, tabs, Markdown pipes), so an
    /// empty cell is a blank value; in layout text only printed tokens are cells.
    pub delimited: bool,
    /// The row's place (line, page, or table and row).
    pub place: Place,
}

impl Row {
    /// All label text joined.
    pub fn label_text(&self) -> String {
        self.labels
            .iter()
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>()
            .join("")
    }

    /// The row's own label: the last text cell (the leaf label of a table row).
    pub fn own_label(&self) -> &str {
        self.labels.last().map(|c| c.text.as_str()).unwrap_or("")
    }

    /// The whole row as text.
    pub fn text(&self) -> String {
        let mut s = self.label_text();
        for v in &self.values {
            if !s.is_empty() {
                s.push(' ');
            }
            s.push_str(&v.text);
        }
        s
    }

    /// Values that are printed (not empty).
    pub fn printed_values(&self) -> usize {
        self.values
            .iter()
            .filter(|v| !v.text.trim().is_empty())
            .count()
    }

    /// Builds a row from delimited cells: labels up to the last text cell, values after it.
    pub fn from_cells(cells: Vec<RawCell>, place: Place) -> Row {
        let mut last_text = cells.iter().rposition(|c| {
            let t = c.text.trim();
            !t.is_empty() && !is_valueish(t)
        });
        // The values start with a readable one: `1.` after a label cell is numbering.
        while let Some(i) = cells
            .iter()
            .enumerate()
            .skip(last_text.map_or(0, |i| i + 1))
            .find(|(_, c)| !c.text.trim().is_empty())
            .map(|(i, _)| i)
        {
            if is_value_token(cells[i].text.trim()) {
                break;
            }
            last_text = Some(i);
        }
        let (labels, values) = match last_text {
            Some(i) => {
                let mut cells = cells;
                let values = cells.split_off(i + 1);
                let labels = cells
                    .into_iter()
                    .filter(|c| !c.text.trim().is_empty())
                    .collect();
                (labels, values)
            }
            None => (Vec::new(), cells),
        };
        Row {
            labels,
            values,
            delimited: true,
            place,
        }
    }
}

/// What a source reader produces.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub rows: Vec<Row>,
    /// A title given outside the body (HTML `<title>`, document properties).
    pub title_hint: Option<String>,
}

/// Tables printed one cell per line (PDF text without layout, copied pages, documents
/// converted to text): a label line followed by lines that each hold one number is one row.
/// Only undelimited rows are merged; delimited tables already have their cells. A merged row
/// of more than [`crate::Options::max_row_cells`] values is refused.
pub fn merge_vertical(rows: Vec<Row>, o: &crate::Options) -> Result<Vec<Row>, crate::ImportError> {
    let mut out: Vec<Row> = Vec::with_capacity(rows.len());
    // Whether the last row of `out` may take more values.
    let mut open = false;
    for row in rows {
        let single_value = !row.delimited
            && row.labels.is_empty()
            && row.values.len() == 1
            && !row.values[0].text.trim().is_empty();
        if single_value
            && open
            && let Some(last) = out.last_mut()
        {
            last.values.extend(row.values);
            crate::limits::check_row_cells(o, last.values.len(), &|| match last.place.line {
                Some(l) => format!("the values one per line from line {l}"),
                None => "a row of values one per line".into(),
            })?;
            continue;
        }
        open = !row.delimited
            && !row.labels.is_empty()
            && row.values.is_empty()
            && crate::label::key(&row.label_text()).len() <= 60;
        // A run of lone numbers without a label line (table 四's data) is one row too.
        if single_value {
            open = true;
        }
        out.push(row);
    }
    Ok(out)
}
