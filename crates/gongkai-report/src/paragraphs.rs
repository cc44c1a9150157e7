//! The document outline every renderer follows: title, introduction, the six sections in the
//! fixed order with their text or table.

use gongkai_core::report::format::spec;
use gongkai_core::report::{AnnualReport, Layout};

/// One block of the report, in printed order.
pub enum Block<'a> {
    Title(String),
    Heading(String),
    /// One paragraph of narrative text.
    Paragraph(&'a str),
    Table2,
    Table3,
    Table4,
}

/// The heading of section `key`. The 2019 format words section 五 differently.
pub fn section_heading(layout: Layout, key: &str) -> String {
    if layout == Layout::Y2019 && key == "problems" {
        return "五、政府信息公开工作存在的主要问题及改进情况".to_string();
    }
    spec().section_label(key).to_string()
}

fn paragraphs(text: &Option<String>) -> impl Iterator<Item = &str> {
    text.as_deref()
        .unwrap_or("")
        .split('\n')
        .map(str::trim)
        .filter(|p| !p.is_empty())
}

pub fn outline(report: &AnnualReport) -> Vec<Block<'_>> {
    let s = &report.sections;
    let mut out = vec![Block::Title(report.title())];
    out.extend(paragraphs(&s.intro).map(Block::Paragraph));
    for key in [
        "overview",
        "proactive",
        "applications",
        "review_litigation",
        "problems",
        "other",
    ] {
        out.push(Block::Heading(section_heading(report.layout, key)));
        match key {
            "overview" => out.extend(paragraphs(&s.overview).map(Block::Paragraph)),
            "proactive" => out.push(Block::Table2),
            "applications" => out.push(Block::Table3),
            "review_litigation" => out.push(Block::Table4),
            "problems" => out.extend(paragraphs(&s.problems).map(Block::Paragraph)),
            _ => out.extend(paragraphs(&s.other).map(Block::Paragraph)),
        }
    }
    out
}
