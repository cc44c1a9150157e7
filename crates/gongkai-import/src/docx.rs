//! DOCX as rows: `word/document.xml` streamed with quick-xml. Paragraphs become text rows,
//! tables become grids (`w:gridSpan`, `w:vMerge` expanded). Decompression is bounded against
//! zip bombs (BI-IM-11); XML entities are not expanded beyond the predefined ones (no XXE).

use crate::error::ImportError;
use crate::grid::Slot;
use crate::rows::{Document, Row};
use gongkai_core::report::cell::Place;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use std::io::Read;

/// Largest `document.xml` inflated.
const MAX_XML: u64 = 64 * 1024 * 1024;
const MAX_GRID_COLS: usize = 200;

pub fn read(bytes: &[u8]) -> Result<Document, ImportError> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| ImportError::Docx(format!("not a valid ZIP archive ({e})")))?;
    let xml = {
        let file = zip
            .by_name("word/document.xml")
            .map_err(|_| ImportError::Docx("no word/document.xml in the archive".into()))?;
        let mut limited = file.take(MAX_XML + 1);
        let mut raw = Vec::new();
        limited
            .read_to_end(&mut raw)
            .map_err(|e| ImportError::Docx(format!("cannot inflate word/document.xml ({e})")))?;
        if raw.len() as u64 > MAX_XML {
            return Err(ImportError::Docx(
                "word/document.xml inflates to more than 64 MB".into(),
            ));
        }
        String::from_utf8(raw)
            .map_err(|_| ImportError::Docx("word/document.xml is not UTF-8".into()))?
    };
    let title_hint = core_title(&mut zip);
    let rows = parse(&xml)?;
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
}

fn attr_val(e: &BytesStart<'_>) -> Option<String> {
    e.attributes()
        .flatten()
        .find_map(|a| (a.key.local_name().as_ref() == "val").then(|| a.value.into_owned()))
}

fn parse(xml: &str) -> Result<Vec<Row>, ImportError> {
    let mut reader = Reader::from_str(xml);
    let mut rows: Vec<Row> = Vec::new();
    let mut tables: Vec<Table> = Vec::new();
    let mut para = String::new();
    // Paragraphs since the last table, read as text (tab stops and one-cell-per-paragraph
    // tables included).
    let mut prose = String::new();
    let mut in_text = false;
    let mut table_no = 0u32;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| ImportError::Docx(format!("malformed word/document.xml ({e})")))?;
        match event {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "tbl" => tables.push(Table::default()),
                "tr" => {
                    if let Some(t) = tables.last_mut() {
                        t.row = Some(Vec::new());
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
                            .clamp(1, 100);
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
                target(&mut tables, &mut para).push_str(&t.xml10_content());
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
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "p" if tables.is_empty() => {
                    prose.push_str(&para);
                    prose.push('\n');
                    para.clear();
                }
                "tc" => {
                    if let Some(t) = tables.last_mut()
                        && let (Some(cell), Some(row)) = (t.cell.take(), t.row.as_mut())
                    {
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
                        match tables.last_mut().and_then(|o| o.cell.as_mut()) {
                            // A nested table's text belongs to the enclosing cell.
                            Some(outer) => {
                                for r in &t.rows {
                                    for c in r {
                                        outer.text.push_str(&c.text);
                                    }
                                }
                            }
                            None => {
                                flush_prose(&mut prose, &mut rows);
                                table_no += 1;
                                rows.extend(crate::grid::to_rows(grid(t.rows), table_no));
                            }
                        }
                    }
                }
                _ => {}
            },
            Event::Eof => {
                flush_prose(&mut prose, &mut rows);
                break;
            }
            _ => {}
        }
    }
    Ok(rows)
}

/// Paragraphs as text rows. Their line numbers would count paragraphs of this stretch only,
/// not lines of the file, so they are dropped from the evidence.
fn flush_prose(prose: &mut String, rows: &mut Vec<Row>) {
    if prose.trim().is_empty() {
        prose.clear();
        return;
    }
    for mut row in crate::text::read(prose).rows {
        row.place = Place::default();
        for c in row.labels.iter_mut().chain(row.values.iter_mut()) {
            c.place.line = None;
            c.place.column = None;
        }
        rows.push(row);
    }
    prose.clear();
}

/// Where text goes: the open table cell, else the paragraph.
fn target<'a>(tables: &'a mut [Table], para: &'a mut String) -> &'a mut String {
    match tables.last_mut().and_then(|t| t.cell.as_mut()) {
        Some(c) => &mut c.text,
        None => para,
    }
}

fn grid(rows: Vec<Vec<Cell>>) -> Vec<Vec<Option<Slot>>> {
    let mut out: Vec<Vec<Option<Slot>>> = Vec::with_capacity(rows.len());
    for (r, cells) in rows.into_iter().enumerate() {
        let mut line: Vec<Option<Slot>> = Vec::new();
        for cell in cells {
            let c = line.len();
            if c >= MAX_GRID_COLS {
                break;
            }
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
            line.push(Some(slot));
            for _ in 1..cell.span.min(MAX_GRID_COLS - c) {
                line.push(Some(Slot::ColSpan));
            }
        }
        out.push(line);
    }
    out
}
