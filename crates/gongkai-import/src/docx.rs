//! DOCX as rows: `word/document.xml` streamed with quick-xml. Paragraphs become text rows,
//! tables become grids (`w:gridSpan`, `w:vMerge` expanded). Decompression is bounded against
//! zip bombs, and the XML's nesting, tables and text by the import's limits (BI-IM-10,
//! BI-IM-11); XML entities are not expanded beyond the predefined ones (no XXE).

use crate::error::ImportError;
use crate::grid::Slot;
use crate::limits::{Budget, over, over_text};
use crate::rows::{Document, Row};
use gongkai_core::report::cell::Place;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use std::io::Read;

/// Largest span honoured (BI-IM-2), as for HTML.
const MAX_SPAN: usize = 100;

pub fn read(bytes: &[u8], budget: &mut Budget<'_>) -> Result<Document, ImportError> {
    let max_xml = budget.o.max_text;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| ImportError::Docx(format!("not a valid ZIP archive ({e})")))?;
    let xml = {
        let file = zip
            .by_name("word/document.xml")
            .map_err(|_| ImportError::Docx("no word/document.xml in the archive".into()))?;
        let mut limited = file.take(max_xml.saturating_add(1));
        let mut raw = Vec::new();
        limited
            .read_to_end(&mut raw)
            .map_err(|e| ImportError::Docx(format!("cannot inflate word/document.xml ({e})")))?;
        if raw.len() as u64 > max_xml {
            return Err(crate::limits::over_bytes(
                format!(
                    "word/document.xml inflates to more than {} MB",
                    crate::error::mb(max_xml)
                ),
                max_xml,
                "max_text",
            ));
        }
        String::from_utf8(raw)
            .map_err(|_| ImportError::Docx("word/document.xml is not UTF-8".into()))?
    };
    let title_hint = core_title(&mut zip);
    let rows = parse(&xml, budget)?;
    Ok(Document { rows, title_hint })
}

/// The title in the document properties, when it names a report.
fn core_title(zip: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>) -> Option<String> {
    let file = zip.by_name("docProps/core.xml").ok()?;
    let mut s = String::new();
    file.take(1024 * 1024).read_to_string(&mut s).ok()?;
    let start = s.find("<dc:title>")? + "<dc:title>".len();
    let end = s[start..].find("</dc:title>")? + start;
    let t = s[start..end].trim().to_string();
    t.contains("报告").then_some(t)
}

/// The author in the document properties (`dc:creator`, else `cp:lastModifiedBy`) when it
/// names a body; it is usually a person, whose name is not kept.
pub fn core_creator(bytes: &[u8]) -> Option<String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let file = zip.by_name("docProps/core.xml").ok()?;
    let mut s = String::new();
    file.take(1024 * 1024).read_to_string(&mut s).ok()?;
    ["dc:creator", "cp:lastModifiedBy"].iter().find_map(|tag| {
        let open = format!("<{tag}>");
        let start = s.find(&open)? + open.len();
        let end = s[start..].find(&format!("</{tag}>"))? + start;
        let t = s[start..end].trim();
        crate::meta::is_agency_name(t).then(|| t.to_string())
    })
}

#[derive(Default)]
struct Cell {
    text: String,
    span: usize,
    /// `Some(true)` starts a vertical merge, `Some(false)` continues one.
    vmerge: Option<bool>,
}

#[derive(Default)]
struct Table {
    rows: Vec<Vec<Cell>>,
    row: Option<Vec<Cell>>,
    cell: Option<Cell>,
    /// Columns of the open row and grid cells of the table so far, spans counted.
    row_width: usize,
    slots: usize,
}

fn attr_val(e: &BytesStart<'_>) -> Option<String> {
    e.attributes()
        .flatten()
        .find_map(|a| (a.key.local_name().as_ref() == "val").then(|| a.value.into_owned()))
}

fn parse(xml: &str, budget: &mut Budget<'_>) -> Result<Vec<Row>, ImportError> {
    let o = budget.o;
    let mut reader = Reader::from_str(xml);
    let mut rows: Vec<Row> = Vec::new();
    let mut tables: Vec<Table> = Vec::new();
    let mut para = String::new();
    // Paragraphs since the last table, read as text (tab stops and one-cell-per-paragraph
    // tables included).
    let mut prose = String::new();
    let mut in_text = false;
    let mut table_no = 0u32;
    let mut depth = 0usize;
    // A text that grows past this many bytes is certainly over the characters' limit.
    let sure = o.max_line_chars.saturating_mul(4);
    loop {
        let event = reader
            .read_event()
            .map_err(|e| ImportError::Docx(format!("malformed word/document.xml ({e})")))?;
        if let Event::Start(_) = &event {
            depth += 1;
            if depth > o.max_depth {
                return Err(over(
                    format!(
                        "word/document.xml nests elements more than {} deep",
                        o.max_depth
                    ),
                    o.max_depth,
                    "levels",
                    "max_depth",
                ));
            }
        }
        match event {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "tbl" => tables.push(Table::default()),
                "tr" => {
                    if let Some(t) = tables.last_mut() {
                        t.row = Some(Vec::new());
                        t.row_width = 0;
                    }
                }
                "tc" => {
                    if let Some(t) = tables.last_mut() {
                        t.cell = Some(Cell {
                            span: 1,
                            ..Cell::default()
                        });
                    }
                }
                "gridSpan" => {
                    if let Some(c) = tables.last_mut().and_then(|t| t.cell.as_mut()) {
                        c.span = attr_val(&e)
                            .and_then(|v| v.parse().ok())
                            .unwrap_or(1)
                            .clamp(1, MAX_SPAN);
                    }
                }
                "vMerge" => {
                    if let Some(c) = tables.last_mut().and_then(|t| t.cell.as_mut()) {
                        c.vmerge = Some(attr_val(&e).as_deref() == Some("restart"));
                    }
                }
                "t" => in_text = true,
                "tab" => target(&mut tables, &mut para).push('\t'),
                "br" | "cr" if tables.is_empty() => {
                    para.push('\n');
                }
                _ => {}
            },
            Event::Text(t) if in_text => {
                let into = target(&mut tables, &mut para);
                into.push_str(&t.xml10_content());
                if into.len() > sure {
                    crate::limits::check_chars(o, into, || {
                        "a paragraph or cell of word/document.xml".into()
                    })?;
                }
            }
            Event::GeneralRef(r) if in_text => {
                let ch = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => match r.as_ref() {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    },
                };
                if let Some(c) = ch {
                    target(&mut tables, &mut para).push(c);
                }
            }
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                match e.local_name().as_ref() {
                    "t" => in_text = false,
                    "p" if tables.is_empty() => {
                        prose.push_str(&para);
                        prose.push('\n');
                        para.clear();
                        if prose.len() as u64 > o.max_text {
                            return Err(over_text("the text of word/document.xml", o.max_text));
                        }
                    }
                    "tc" => {
                        let no = table_no + 1;
                        if let Some(t) = tables.last_mut()
                            && let (Some(cell), Some(row)) = (t.cell.take(), t.row.as_mut())
                        {
                            let at = || {
                                format!(
                                    "table {no} row {} column {}",
                                    t.rows.len() + 1,
                                    t.row_width + 1
                                )
                            };
                            crate::limits::check_chars(o, &cell.text, at)?;
                            t.row_width += cell.span;
                            crate::limits::check_row_cells(o, t.row_width, &|| {
                                format!("table {no} row {}", t.rows.len() + 1)
                            })?;
                            t.slots += cell.span;
                            if t.slots > o.max_table_cells {
                                return Err(over(
                                    format!(
                                        "table {no} expands to more than {} cells (rows × columns, merged cells included)",
                                        o.max_table_cells
                                    ),
                                    o.max_table_cells,
                                    "cells per table",
                                    "max_table_cells",
                                ));
                            }
                            row.push(cell);
                        }
                    }
                    "tr" => {
                        if let Some(t) = tables.last_mut()
                            && let Some(row) = t.row.take()
                        {
                            t.rows.push(row);
                        }
                    }
                    "tbl" => {
                        if let Some(t) = tables.pop() {
                            match tables.last_mut().and_then(|outer| outer.cell.as_mut()) {
                                // A nested table's text belongs to the enclosing cell.
                                Some(outer) => {
                                    for r in &t.rows {
                                        for c in r {
                                            outer.text.push_str(&c.text);
                                        }
                                    }
                                    if outer.text.len() > sure {
                                        crate::limits::check_chars(o, &outer.text, || {
                                            "a cell holding a table".into()
                                        })?;
                                    }
                                }
                                None => {
                                    flush_prose(&mut prose, &mut rows, budget)?;
                                    table_no += 1;
                                    let g = grid(t.rows, budget)?;
                                    rows.extend(crate::grid::to_rows(g, table_no, budget)?);
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
            Event::Eof => {
                flush_prose(&mut prose, &mut rows, budget)?;
                break;
            }
            _ => {}
        }
    }
    Ok(rows)
}

/// Paragraphs as text rows. Their line numbers would count paragraphs of this stretch only,
/// not lines of the file, so they are dropped from the evidence.
fn flush_prose(
    prose: &mut String,
    rows: &mut Vec<Row>,
    budget: &mut Budget<'_>,
) -> Result<(), ImportError> {
    if prose.trim().is_empty() {
        prose.clear();
        return Ok(());
    }
    for mut row in crate::text::read(prose, budget)?.rows {
        row.place = Place::default();
        for c in row.labels.iter_mut().chain(row.values.iter_mut()) {
            c.place.line = None;
            c.place.column = None;
        }
        rows.push(row);
    }
    prose.clear();
    Ok(())
}

/// Where text goes: the open table cell, else the paragraph.
fn target<'a>(tables: &'a mut [Table], para: &'a mut String) -> &'a mut String {
    match tables.last_mut().and_then(|t| t.cell.as_mut()) {
        Some(c) => &mut c.text,
        None => para,
    }
}

/// The table's grid; the text of vertically merged cells is copied into each row they cover,
/// and counted against [`crate::Options::max_text`].
fn grid(
    rows: Vec<Vec<Cell>>,
    budget: &mut Budget<'_>,
) -> Result<Vec<Vec<Option<Slot>>>, ImportError> {
    let mut out: Vec<Vec<Option<Slot>>> = Vec::with_capacity(rows.len());
    for (r, cells) in rows.into_iter().enumerate() {
        let mut line: Vec<Option<Slot>> = Vec::new();
        for cell in cells {
            let c = line.len();
            let text = cell.text.trim().to_string();
            let slot = if cell.vmerge == Some(false) {
                // Continue the merge from the cell above.
                match out.last().and_then(|above| above.get(c)).cloned().flatten() {
                    Some(Slot::Origin(t)) => Slot::RowSpan(t, r - 1, c),
                    Some(Slot::RowSpan(t, or, oc)) => Slot::RowSpan(t, or, oc),
                    _ => Slot::Origin(text),
                }
            } else {
                Slot::Origin(text)
            };
            // Each cell's text, a merged cell's in every row it covers.
            budget.text(match &slot {
                Slot::Origin(t) | Slot::RowSpan(t, ..) => t.len(),
                Slot::ColSpan => 0,
            })?;
            line.push(Some(slot));
            for _ in 1..cell.span {
                line.push(Some(Slot::ColSpan));
            }
        }
        out.push(line);
    }
    Ok(out)
}
