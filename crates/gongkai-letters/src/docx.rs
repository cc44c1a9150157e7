//! A letter as DOCX in the layout of 党政机关公文 (GB/T 9704): A4, title in 小标宋 二号,
//! body in 仿宋 三号 with two-character first-line indents. Fonts are set for East Asian
//! text (`w:eastAsia`), otherwise Word picks a Latin font for the Chinese runs.

use crate::{Letter, LetterError};
use docx_rs::{AlignmentType, Docx, LineSpacing, PageMargin, Paragraph, Run, RunFonts};

const TITLE_FONT: &str = "方正小标宋简体";
const BODY_FONT: &str = "仿宋_GB2312";
/// Half-points: 二号 = 22 pt, 三号 = 16 pt.
const TITLE_SIZE: usize = 44;
const BODY_SIZE: usize = 32;
/// Twips per millimetre.
const MM: f64 = 56.692_913;

fn mm(v: f64) -> i32 {
    (v * MM).round() as i32
}

fn run(text: &str, font: &str, size: usize) -> Run {
    Run::new().add_text(text).size(size).fonts(
        RunFonts::new()
            .east_asia(font)
            .ascii(font)
            .hi_ansi(font)
            .cs(font),
    )
}

fn body(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, BODY_FONT, BODY_SIZE))
        .first_line_chars(200)
        .line_spacing(LineSpacing::new().line(560))
}

fn plain(text: &str, align: AlignmentType) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, BODY_FONT, BODY_SIZE))
        .align(align)
        .line_spacing(LineSpacing::new().line(560))
}

/// Renders the letter as a DOCX file.
pub fn to_docx(letter: &Letter) -> Result<Vec<u8>, LetterError> {
    let mut doc = Docx::new()
        .page_size(11906, 16838)
        .page_margin(
            PageMargin::new()
                .top(mm(37.0))
                .bottom(mm(35.0))
                .left(mm(28.0))
                .right(mm(26.0)),
        )
        .default_fonts(RunFonts::new().east_asia(BODY_FONT).ascii(BODY_FONT))
        .add_paragraph(plain(&letter.agency, AlignmentType::Center))
        .add_paragraph(
            Paragraph::new()
                .add_run(run(&letter.title, TITLE_FONT, TITLE_SIZE))
                .align(AlignmentType::Center),
        )
        .add_paragraph(plain(&letter.reference, AlignmentType::Center))
        .add_paragraph(plain(&letter.addressee, AlignmentType::Left));
    for para in letter.paragraphs.iter().chain(letter.remedy.iter()) {
        for line in para.lines() {
            doc = doc.add_paragraph(body(line));
        }
    }
    doc = doc
        .add_paragraph(plain("", AlignmentType::Right))
        .add_paragraph(plain(&letter.agency, AlignmentType::Right))
        .add_paragraph(plain(&letter.date, AlignmentType::Right));
    let mut buf = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut buf)
        .map_err(|e| LetterError::Docx(e.to_string()))?;
    Ok(buf.into_inner())
}
