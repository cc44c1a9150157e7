//! The agency's name when no title line gives it (issue 13): found in the body (「…（以下简称
//! “我局”）」, the opening sentence, the contact paragraph) or in the file's metadata, with the
//! evidence kept; and when it is found nowhere, a reported gap that the interchange reader
//! accepts — every document an import writes is valid input to `report check`.

use gongkai_core::report::json::{from_json, to_json};
use gongkai_core::report::{AnnualReport, GapOf, check};
use gongkai_import::{Imported, Options, import_bytes};
use gongkai_report::{DocFormat, render};
use std::io::Write;

const AGENCY: &str = "测试市市场监督管理局";
const SEED: &str = "seed/zibo-zhangdian-jiguan-shiwu-2021.expected.json";

fn seed(intro: Option<&str>) -> AnnualReport {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/corpus")
        .join(SEED);
    let text = std::fs::read_to_string(path).expect("read the seed");
    let mut r = gongkai_core::report::json::from_str(&text).expect("the seed");
    r.agency = AGENCY.into();
    r.sections.intro = intro.map(str::to_string);
    r
}

/// The report as text without its title line: the year stays in the body's 统计期限 sentence.
fn untitled_text(r: &AnnualReport) -> String {
    let text = render(r, DocFormat::Text, None);
    let title = r.title();
    let mut out = text.replacen(&title, "政府信息公开工作情况", 1);
    out.push_str("\n本报告统计期限自2021年1月1日起至2021年12月31日止。\n");
    out
}

/// A DOCX whose paragraphs are `lines` (tables as text lines, which the reader handles as
/// text) and whose `docProps/core.xml` holds `core` (title, creator) when given.
fn docx(lines: &str, core: Option<(&str, &str)>) -> Vec<u8> {
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let body: String = lines
        .lines()
        .map(|l| {
            format!(
                "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
                esc(l)
            )
        })
        .collect();
    let doc = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:body>{body}</w:body></w:document>"
    );
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default();
        zip.start_file("word/document.xml", opts).expect("start");
        zip.write_all(doc.as_bytes()).expect("write");
        if let Some((title, creator)) = core {
            zip.start_file("docProps/core.xml", opts).expect("start");
            let core = format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><cp:coreProperties \
                 xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
                 xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>{}</dc:title>\
                 <dc:creator>{}</dc:creator></cp:coreProperties>",
                esc(title),
                esc(creator)
            );
            zip.write_all(core.as_bytes()).expect("write");
        }
        zip.finish().expect("finish");
    }
    buf.into_inner()
}

fn import(bytes: &[u8], ext: &str) -> Imported {
    import_bytes(bytes, Some(ext), &Options::default()).expect("imports")
}

/// The import's document is read back by the interchange reader and checked.
fn valid_document(i: &Imported) -> AnnualReport {
    let doc = to_json(&i.report, Some(&check(&i.report, None)));
    let back = from_json(&doc).unwrap_or_else(|e| panic!("not a valid document: {e}\n{doc}"));
    let _ = check(&back, None);
    back
}

const BODY: &str = "2021年，测试市市场监督管理局（以下简称“我局”）认真贯彻落实《中华人民共和国政府信息公开条例》。";

#[test]
fn the_agency_named_in_the_body_of_a_docx_without_a_title() {
    let text = untitled_text(&seed(Some(BODY)));
    let i = import(&docx(&text, None), "docx");
    assert_eq!(i.report.agency, AGENCY);
    assert_eq!(i.report.year, 2021);
    let e = i.report.agency_evidence.as_ref().expect("evidence");
    assert_eq!(e.from, "text");
    assert!(
        e.place
            .text
            .as_deref()
            .is_some_and(|t| t.contains("以下简称")),
        "{e:?}"
    );
    assert!(i.unreadable.iter().all(|u| u.cell().is_some()));
    assert_eq!(valid_document(&i).agency, AGENCY);
}

#[test]
fn the_agency_in_the_contact_paragraph_and_the_opening_sentence_of_text() {
    for intro in [
        "如对本报告有任何疑问，请与测试市市场监督管理局联系（地址：某路1号）。",
        "根据《条例》要求，现将测试市市场监督管理局2021年政府信息公开工作年度报告公布如下。",
        "本报告由测试市市场监督管理局根据《条例》编制。",
        "本报告是根据《条例》要求，由测试市市场监督管理局编制。",
    ] {
        let text = untitled_text(&seed(Some(intro)));
        let i = import(text.as_bytes(), "txt");
        assert_eq!(i.report.agency, AGENCY, "{intro}");
        let e = i.report.agency_evidence.as_ref().expect("evidence");
        assert_eq!(e.from, "text");
        assert!(e.place.line.is_some(), "{e:?}");
    }
}

#[test]
fn the_agency_from_docx_properties_but_not_a_persons_name() {
    let text = untitled_text(&seed(None));
    let i = import(&docx(&text, Some(("", AGENCY))), "docx");
    assert_eq!(i.report.agency, AGENCY);
    assert_eq!(
        i.report.agency_evidence.as_ref().map(|e| e.from.as_str()),
        Some("docx-properties")
    );
    // A person as the author is not an agency: the agency is a gap.
    let i = import(&docx(&text, Some(("", "张三"))), "docx");
    assert_eq!(i.report.agency, "");
    // The title in the properties names it.
    let i = import(
        &docx(
            &text,
            Some(("测试市市场监督管理局2021年政府信息公开工作年度报告", "张三")),
        ),
        "docx",
    );
    assert_eq!(i.report.agency, AGENCY);
    assert_eq!(
        i.report.agency_evidence.as_ref().map(|e| e.from.as_str()),
        Some("docx-properties")
    );
}

#[test]
fn the_agency_from_the_html_title() {
    let r = seed(None);
    let html = render(&r, DocFormat::Html, None);
    // The page's heading loses the name; the <title> keeps it.
    let html = html.replacen(
        &format!("<h1>{}</h1>", r.title()),
        "<h1>政府信息公开工作年度报告</h1>",
        1,
    );
    let i = import(html.as_bytes(), "html");
    assert_eq!(i.report.agency, AGENCY);
    assert_eq!(
        i.report.agency_evidence.as_ref().map(|e| e.from.as_str()),
        Some("html-title")
    );
}

#[test]
fn an_agency_found_nowhere_is_a_gap_in_a_valid_document() {
    let text = untitled_text(&seed(None));
    for (bytes, ext) in [
        (text.clone().into_bytes(), "txt"),
        (docx(&text, None), "docx"),
    ] {
        let i = import(&bytes, ext);
        assert_eq!(i.report.agency, "", "{ext}");
        assert!(i.report.agency_evidence.is_none());
        assert_eq!(i.report.gaps[0].of, GapOf::Agency);
        let doc = to_json(&i.report, None);
        assert_eq!(doc["agency"], serde_json::Value::Null);
        assert_eq!(doc["source"]["unreadable"][0]["field"], "agency");
        let back = valid_document(&i);
        assert_eq!(back.agency, "");
        assert!(back.title().starts_with("（未识别机关名称）"));
        let html = render(&back, DocFormat::Html, None);
        assert!(html.contains("（未识别机关名称）2021年"), "{ext}");
    }
}

#[test]
fn pronouns_and_sentences_are_not_agencies() {
    let text = untitled_text(&seed(Some(
        "如对本报告有疑问，请与我局联系。我局（以下简称“本局”）认真贯彻落实。",
    )));
    let i = import(text.as_bytes(), "txt");
    assert_eq!(i.report.agency, "");
}

/// A report whose year is printed nowhere the reader looks (no title, no 统计期限 sentence):
/// its tables are still read, in the layout the tables show, and the year is a gap that the
/// interchange reader accepts (`"year": null`), printed as 「（未识别年度）」.
#[test]
fn a_year_found_nowhere_is_a_gap_in_a_valid_document() {
    let r = seed(Some(
        "测试市市场监督管理局（以下简称“我局”）认真贯彻落实《中华人民共和国政府信息公开条例》。",
    ));
    let text = render(&r, DocFormat::Text, None).replacen(&r.title(), "政府信息公开工作情况", 1);
    let i = import(text.as_bytes(), "txt");
    assert_eq!(i.report.known_year(), None);
    assert_eq!(i.report.agency, AGENCY, "the agency is still found");
    assert_eq!(i.report.layout, r.layout);
    let year_gaps: Vec<_> = i
        .unreadable
        .iter()
        .filter(|u| u.of == GapOf::Year)
        .collect();
    assert_eq!(year_gaps.len(), 1);
    assert_eq!(i.cells_read, i.cells_total, "every cell read");
    for at in r.cell_refs() {
        assert_eq!(i.report.cell(at).value, r.cell(at).value, "{}", at.path());
    }
    let doc = to_json(&i.report, None);
    assert_eq!(doc["year"], serde_json::Value::Null);
    let back = valid_document(&i);
    assert_eq!(back.known_year(), None);
    assert!(back.title().contains("（未识别年度）"), "{}", back.title());
    // The rules still judge the tables: the seed passes every error rule.
    assert!(!check(&back, None).iter().any(|f| f.is_error_failure()));
}
