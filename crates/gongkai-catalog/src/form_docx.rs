//! The approval form as DOCX (A4, a two-column table), for agencies that file it in Word.

use crate::FormError;
use crate::form::{ApprovalForm, CHECKLIST, TITLE};
use docx_rs::{
    AlignmentType, Docx, Paragraph, Run, RunFonts, Table, TableCell, TableRow, WidthType,
};

const FONT: &str = "宋体";

fn run(text: &str, size: usize) -> Run {
    Run::new()
        .add_text(text)
        .size(size)
        .fonts(RunFonts::new().east_asia(FONT).ascii(FONT).hi_ansi(FONT))
}

fn para(text: &str) -> Paragraph {
    Paragraph::new().add_run(run(text, 24))
}

fn row(label: &str, lines: &[String]) -> TableRow {
    let mut value = TableCell::new().width(7000, WidthType::Dxa);
    for l in lines {
        value = value.add_paragraph(para(l));
    }
    TableRow::new(vec![
        TableCell::new()
            .width(2000, WidthType::Dxa)
            .add_paragraph(para(label).align(AlignmentType::Center)),
        value,
    ])
}

pub fn render(form: &ApprovalForm) -> Result<Vec<u8>, FormError> {
    let mut rows: Vec<TableRow> = form
        .fields
        .iter()
        .map(|(label, value)| row(label, std::slice::from_ref(value)))
        .collect();
    for s in &form.signatures {
        let mut lines = Vec::new();
        if s.label == "保密审查" {
            lines.push(CHECKLIST.to_string());
        }
        lines.push(s.opinion.clone());
        lines.push(format!("签字：{}　　{}", s.by, s.at));
        rows.push(row(&format!("{}意见", s.label), &lines));
    }
    if !form.history.is_empty() {
        rows.push(row("退回及撤回记录", &form.history));
    }
    let docx = Docx::new()
        .add_paragraph(
            Paragraph::new()
                .add_run(run(TITLE, 36).bold())
                .align(AlignmentType::Center),
        )
        .add_paragraph(para(&format!(
            "单位：{}　　索引号：{}　　状态：{}",
            form.agency, form.index_number, form.stage
        )))
        .add_table(Table::new(rows));
    let mut buf = std::io::Cursor::new(Vec::new());
    docx.build()
        .pack(&mut buf)
        .map_err(|e| FormError::Docx(e.to_string()))?;
    Ok(buf.into_inner())
}
