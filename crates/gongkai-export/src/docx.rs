//! The report as DOCX in the 公文 layout (GB/T 9704, as the letters of `gongkai-letters`): A4,
//! title in 方正小标宋简体 二号, headings in 黑体 三号, body in 仿宋_GB2312 三号 with a
//! two-character first-line indent and a fixed 28 pt line. Every run names its East Asian font
//! (`w:eastAsia`, otherwise Word sets Chinese in a Latin font) and Times New Roman for Latin
//! text and digits; the font table gives each Chinese font the usual substitute as `w:altName`
//! (仿宋, 宋体, SimHei) for machines without the 公文 fonts.
//!
//! Tables are real Word tables: horizontal merges are `w:gridSpan`, vertical merges `w:vMerge`,
//! and the header rows of tables 三 and 四 repeat on every page (`w:tblHeader`).

use crate::ExportError;
use crate::checks;
use crate::grid::{self, Grid, Role};
use docx_rs::{
    AlignmentType, BreakType, Docx, LineSpacing, LineSpacingType, PageMargin, Paragraph, Run,
    RunFonts, SpecialIndentType, Table, TableCell, TableCellMargins, TableLayoutType, TableRow,
    VAlignType, VMergeType, WidthType,
};
use gongkai_core::report::{AnnualReport, Finding};
use gongkai_report::paragraphs::{Block, outline};

const TITLE_FONT: &str = "方正小标宋简体";
const HEADING_FONT: &str = "黑体";
const BODY_FONT: &str = "仿宋_GB2312";
/// Latin letters and digits (`w:ascii`, `w:hAnsi`, `w:cs`).
const LATIN_FONT: &str = "Times New Roman";
/// Half-points: 二号 22 pt, 三号 16 pt, 五号 10.5 pt.
const TITLE_SIZE: usize = 44;
const BODY_SIZE: usize = 32;
const TABLE_SIZE: usize = 21;
/// 小四 (12 pt), for the list of rule results.
const NOTE_SIZE: usize = 24;
/// A4 in twips, and the 公文 margins (37/35/28/26 mm).
const PAGE: (u32, u32) = (11906, 16838);
const MARGIN_TOP: i32 = 2098;
const MARGIN_BOTTOM: i32 = 1984;
const MARGIN_LEFT: i32 = 1587;
const MARGIN_RIGHT: i32 = 1474;
/// The text width, which every table fills.
const TEXT_WIDTH: usize = PAGE.0 as usize - MARGIN_LEFT as usize - MARGIN_RIGHT as usize;
/// 28 pt, fixed (固定值), in twips.
const BODY_LINE: i32 = 560;
/// Two characters of 三号 (2 × 16 pt) in twips. docx-rs 0.4.22's `first_line_chars` writes
/// nothing without an indent already set, so the indent is given in twips.
const INDENT_2_CHARS: i32 = 640;
/// Left and right cell padding (1 mm): the 15 columns of table 四 keep two characters a line.
const CELL_PADDING: usize = 57;

/// The font table: each font with its substitute (`w:altName`) and the GB2312 charset (86).
const FONT_TABLE: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#,
    r#"<w:font w:name="Times New Roman"><w:charset w:val="00" /><w:family w:val="roman" /><w:pitch w:val="variable" /></w:font>"#,
    r#"<w:font w:name="方正小标宋简体"><w:altName w:val="宋体" /><w:charset w:val="86" /><w:family w:val="script" /><w:pitch w:val="fixed" /></w:font>"#,
    r#"<w:font w:name="黑体"><w:altName w:val="SimHei" /><w:charset w:val="86" /><w:family w:val="modern" /><w:pitch w:val="fixed" /></w:font>"#,
    r#"<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋" /><w:charset w:val="86" /><w:family w:val="modern" /><w:pitch w:val="fixed" /></w:font>"#,
    r#"</w:fonts>"#
);

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii(LATIN_FONT)
        .hi_ansi(LATIN_FONT)
        .cs(LATIN_FONT)
        .hint("eastAsia")
}

fn text_run(text: &str, font: &str, size: usize) -> Run {
    Run::new().add_text(text).size(size).fonts(fonts(font))
}

fn exact_line(twips: i32) -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Exact)
        .line(twips)
}

fn title(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(text_run(text, TITLE_FONT, TITLE_SIZE))
        .align(AlignmentType::Center)
        .line_spacing(exact_line(700).after(280))
}

fn heading(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(text_run(text, HEADING_FONT, BODY_SIZE))
        .indent(
            None,
            Some(SpecialIndentType::FirstLine(INDENT_2_CHARS)),
            None,
            None,
        )
        .keep_next(true)
        .line_spacing(exact_line(BODY_LINE))
}

fn body(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(text_run(text, BODY_FONT, BODY_SIZE))
        .indent(
            None,
            Some(SpecialIndentType::FirstLine(INDENT_2_CHARS)),
            None,
            None,
        )
        .align(AlignmentType::Both)
        .line_spacing(exact_line(BODY_LINE))
}

/// The paragraph inside a table cell. A vertical group label is set one character a line.
fn cell_paragraph(text: &str, role: Role) -> Paragraph {
    let font = match role {
        Role::Caption | Role::Header | Role::VerticalGroup => HEADING_FONT,
        _ => BODY_FONT,
    };
    let align = match role {
        Role::Label => AlignmentType::Left,
        _ => AlignmentType::Center,
    };
    let mut run = Run::new().size(TABLE_SIZE).fonts(fonts(font));
    if role == Role::VerticalGroup {
        for (i, c) in text.chars().enumerate() {
            if i > 0 {
                run = run.add_break(BreakType::TextWrapping);
            }
            run = run.add_text(c.to_string());
        }
    } else {
        run = run.add_text(text);
    }
    Paragraph::new().add_run(run).align(align).line_spacing(
        LineSpacing::new()
            .line_rule(LineSpacingType::Auto)
            .line(240),
    )
}

/// Column widths in twips, filling the text width.
fn twips(grid: &Grid) -> Vec<usize> {
    let total: f64 = grid.widths.iter().sum();
    let mut out: Vec<usize> = grid
        .widths
        .iter()
        .map(|w| (w / total * TEXT_WIDTH as f64).floor() as usize)
        .collect();
    let used: usize = out.iter().sum();
    if let Some(last) = out.last_mut() {
        *last += TEXT_WIDTH - used;
    }
    out
}

/// A grid as a Word table: a cell starts where its span starts (`w:gridSpan`, and
/// `w:vMerge="restart"` when it spans rows); the rows below get a `w:vMerge` continuation of
/// the same width. Header rows are marked `w:cantSplit` here and become `w:tblHeader` in
/// [`mark_header_rows`].
fn table(grid: &Grid) -> Table {
    let widths = twips(grid);
    let cover = grid.cover();
    let mut rows = Vec::with_capacity(grid.rows);
    for (y, line) in cover.iter().enumerate() {
        let mut cells = Vec::new();
        let mut x = 0;
        while x < line.len() {
            let Some(i) = line[x] else {
                // A hole (none in the format's tables): an empty cell keeps the grid whole.
                cells.push(TableCell::new().width(widths[x], WidthType::Dxa));
                x += 1;
                continue;
            };
            let span = &grid.spans[i];
            let width: usize = widths[span.col..span.col + span.cols].iter().sum();
            let mut cell = TableCell::new()
                .width(width, WidthType::Dxa)
                .vertical_align(VAlignType::Center);
            if span.cols > 1 {
                cell = cell.grid_span(span.cols);
            }
            if span.row == y {
                if span.rows > 1 {
                    cell = cell.vertical_merge(VMergeType::Restart);
                }
                cell = cell.add_paragraph(cell_paragraph(&span.text, span.role));
            } else {
                cell = cell
                    .vertical_merge(VMergeType::Continue)
                    .add_paragraph(Paragraph::new());
            }
            cells.push(cell);
            x = span.col + span.cols;
        }
        let row = TableRow::new(cells);
        rows.push(if y < grid.header_rows {
            row.cant_split()
        } else {
            row
        });
    }
    Table::new(rows)
        .set_grid(widths)
        .layout(TableLayoutType::Fixed)
        .width(TEXT_WIDTH, WidthType::Dxa)
        .margins(TableCellMargins::new().margin(0, CELL_PADDING, 0, CELL_PADDING))
}

/// docx-rs 0.4.22 has no `w:tblHeader` (only `w:cantSplit`, which it writes as
/// `<w:cantSplit />` and which only header rows carry here): each of those gets a
/// `<w:tblHeader />` beside it, so Word repeats the row at the top of every page.
fn mark_header_rows(document: Vec<u8>, expected: usize) -> Result<Vec<u8>, ExportError> {
    const MARK: &str = "<w:cantSplit />";
    let xml = String::from_utf8(document)
        .map_err(|e| ExportError::Docx(format!("document.xml is not UTF-8: {e}")))?;
    let found = xml.matches(MARK).count();
    if found != expected {
        return Err(ExportError::Docx(format!(
            "expected {expected} header rows, found {found} {MARK} in document.xml"
        )));
    }
    Ok(xml
        .replace(MARK, "<w:cantSplit /><w:tblHeader />")
        .into_bytes())
}

/// Writes the report as a DOCX file.
pub fn write(report: &AnnualReport, checks: Option<&[Finding]>) -> Result<Vec<u8>, ExportError> {
    let mut doc = Docx::new()
        .page_size(PAGE.0, PAGE.1)
        .page_margin(
            PageMargin::new()
                .top(MARGIN_TOP)
                .bottom(MARGIN_BOTTOM)
                .left(MARGIN_LEFT)
                .right(MARGIN_RIGHT),
        )
        .default_fonts(fonts(BODY_FONT))
        .default_size(BODY_SIZE);
    let mut header_rows = 0;
    for block in outline(report) {
        let grid = match block {
            Block::Title(t) => {
                doc = doc.add_paragraph(title(&t));
                continue;
            }
            Block::Heading(h) => {
                doc = doc.add_paragraph(heading(&h));
                continue;
            }
            Block::Paragraph(p) => {
                doc = doc.add_paragraph(body(p));
                continue;
            }
            Block::Table2 => grid::table2(report),
            Block::Table3 => grid::table3(report),
            Block::Table4 => grid::table4(report),
        };
        header_rows += grid.header_rows;
        doc = doc.add_table(table(&grid));
        // Word joins two adjacent tables; a paragraph keeps them apart.
        doc = doc.add_paragraph(Paragraph::new());
    }
    for (title, lines) in checks::notes(report, checks) {
        doc = doc.add_paragraph(heading(title));
        for p in &lines {
            doc = doc.add_paragraph(
                Paragraph::new()
                    .add_run(text_run(p, BODY_FONT, NOTE_SIZE))
                    .line_spacing(exact_line(400)),
            );
        }
    }
    let mut xml = doc.build();
    xml.document = mark_header_rows(xml.document, header_rows)?;
    xml.font_table = FONT_TABLE.as_bytes().to_vec();
    let mut buf = std::io::Cursor::new(Vec::new());
    xml.pack(&mut buf)
        .map_err(|e| ExportError::Docx(e.to_string()))?;
    deflate(&buf.into_inner()).map_err(|e| ExportError::Docx(e.to_string()))
}

/// docx-rs stores its parts uncompressed (`CompressionMethod::Stored`); the same parts
/// deflated make a file about a tenth the size.
fn deflate(stored: &[u8]) -> zip::result::ZipResult<Vec<u8>> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(stored))?;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..archive.len() {
        let mut part = archive.by_index(i)?;
        let name = part.name()?.to_string();
        if part.is_dir() {
            out.add_directory(name, options)?;
            continue;
        }
        let mut data = Vec::with_capacity(usize::try_from(part.size()).unwrap_or_default());
        part.read_to_end(&mut data)?;
        out.start_file(name, options)?;
        out.write_all(&data)?;
    }
    Ok(out.finish()?.into_inner())
}
