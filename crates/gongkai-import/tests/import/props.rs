//! T-FUZZ / T-PROP for the importer (docs/reliability.md, BI-IM-1…12): no input makes it panic
//! or hang — random bytes, random report-like text, and truncated or mutated copies of real
//! reports of every kind, and per parser (text, Markdown, HTML, DOCX, PDF text, the
//! interchange JSON) random input built from its own syntax, a fixed number of cases each —
//! and whatever it reads, it read from the file: every cell's evidence text stands in the
//! input (never a guessed value).

use gongkai_core::report::{Source, Value};
use gongkai_import::{ImportError, Options, import_bytes, report_json};
use proptest::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Generous for a debug build on a loaded CI machine; a hang is minutes, not seconds.
const LIMIT: Duration = Duration::from_secs(20);

fn corpus(file: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../testdata/corpus")
            .join(file),
    )
    .expect("corpus file")
}

/// Imports and checks the invariants that hold for every input.
fn run(bytes: &[u8], ext: Option<&str>) {
    run_with(bytes, ext, &Options::default());
}

fn run_with(bytes: &[u8], ext: Option<&str>, options: &Options) {
    let start = Instant::now();
    let result = import_bytes(bytes, ext, options);
    assert!(start.elapsed() < LIMIT, "took {:?}", start.elapsed());
    let imported = match result {
        Ok(imported) => imported,
        // A refusal names its limit.
        Err(e @ ImportError::OverLimit { .. }) => {
            assert!(e.to_string().contains("over the limit of"), "{e}");
            return;
        }
        Err(_) => return,
    };
    let text = String::from_utf8_lossy(bytes);
    for at in imported.report.cell_refs() {
        let cell = imported.report.cell(at);
        if let Some(Source::Imported(place)) = &cell.source {
            // Evidence text is the printed cell; for plain text it stands in the file.
            if let (Some("txt"), Some(t)) = (ext, &place.text) {
                assert!(text.contains(t.as_str()), "{at}: {t:?} is not in the input");
            }
        } else {
            assert!(cell.value.is_blank(), "{at}: a value without evidence");
        }
        if let Value::Count(n) = cell.value {
            assert!(n < u64::MAX);
        }
    }
    assert!(imported.cells_read <= imported.cells_total);
}

/// Truncates and mutates a real report.
fn mutate(
    mut bytes: Vec<u8>,
    cut: usize,
    edits: &[(usize, u8)],
    splice: (usize, usize),
) -> Vec<u8> {
    if !bytes.is_empty() {
        let cut = cut % (bytes.len() + 1);
        bytes.truncate(cut.max(bytes.len() / 4));
    }
    for &(at, b) in edits {
        if !bytes.is_empty() {
            let i = at % bytes.len();
            bytes[i] = b;
        }
    }
    if bytes.len() > 2 {
        let (a, n) = splice;
        let a = a % bytes.len();
        let end = (a + n % 512).min(bytes.len());
        bytes.drain(a..end);
    }
    bytes
}

const FRAGMENTS: [&str; 34] = [
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "（一）予以公开",
    "（二）部分公开",
    "1.属于国家秘密",
    "2.其他法律行政法规禁止公开",
    "（六）其他处理",
    "3.其他",
    "（七）总计",
    "四、结转下年度继续办理",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "第二十条第（一）项",
    "规章",
    "行政规范性文件",
    "行政事业性收费",
    "2021年政府信息公开工作年度报告",
    "0",
    "12",
    "１２３",
    "1,234",
    "7730.28",
    "/",
    "—",
    "无",
    "\t",
    " | ",
    "|---|",
    "\n",
    "   ",
    "<td rowspan=3>",
    "</tr><tr>",
    "-5",
];

fn report_like() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS.to_vec()), 0..300)
        .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn t_fuzz_random_bytes(bytes in prop::collection::vec(any::<u8>(), 0..4096),
                           ext in prop::sample::select(vec![None, Some("txt"), Some("md"), Some("html"), Some("docx"), Some("pdf")])) {
        run(&bytes, ext);
    }

    #[test]
    fn t_fuzz_report_like_text(text in report_like()) {
        run(text.as_bytes(), Some("txt"));
        run(text.as_bytes(), Some("md"));
        let html = format!("<table><tr><td>{}</td></tr></table>", text.replace('\t', "</td><td>").replace('\n', "</td></tr><tr><td>"));
        run(html.as_bytes(), Some("html"));
    }

    #[test]
    fn bi_im_1_truncated_and_mutated_text(cut in any::<usize>(), edits in prop::collection::vec((any::<usize>(), any::<u8>()), 0..8), splice in (any::<usize>(), any::<usize>())) {
        for (file, ext) in [("seed/zibo-zhangdian-jiguan-shiwu-2021.txt", "txt"), ("dev/008.txt", "txt"), ("dev/011.md", "md")] {
            run(&mutate(corpus(file), cut, &edits, splice), Some(ext));
        }
    }

    #[test]
    fn bi_im_1_truncated_and_mutated_html(cut in any::<usize>(), edits in prop::collection::vec((any::<usize>(), any::<u8>()), 0..8), splice in (any::<usize>(), any::<usize>())) {
        for file in ["dev/109.html", "dev/014.txt"] {
            run(&mutate(corpus(file), cut, &edits, splice), Some("html"));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn bi_im_11_truncated_and_mutated_docx(cut in any::<usize>(), edits in prop::collection::vec((any::<usize>(), any::<u8>()), 0..4), splice in (any::<usize>(), any::<usize>())) {
        run(&mutate(corpus("dev/101.docx"), cut, &edits, splice), Some("docx"));
    }
}

proptest! {
    // Each case runs pdftotext; a few cases cover truncated and damaged PDFs.
    #![proptest_config(ProptestConfig { cases: 6, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn bi_im_12_truncated_and_mutated_pdf(cut in any::<usize>(), edits in prop::collection::vec((any::<usize>(), any::<u8>()), 0..4)) {
        run(&mutate(corpus("dev/009.pdf"), cut, &edits, (0, 0)), Some("pdf"));
    }
}

#[test]
fn bi_im_10_huge_inputs_stay_bounded() {
    // 100 000 rows of a table, and deeply nested markup.
    let mut text = String::from("三、收到和处理政府信息公开申请情况\n");
    for i in 0..100_000 {
        text.push_str(&format!(
            "{}.属于国家秘密\t{i}\t0\t0\t0\t0\t0\t{i}\n",
            i % 9
        ));
    }
    run(text.as_bytes(), Some("txt"));
    let deep = "<div><table><tr><td>".repeat(3_000) + "规章 1";
    run(deep.as_bytes(), Some("html"));
    let spans = "<table>".to_string()
        + &"<tr><td rowspan=100 colspan=100>0</td></tr>".repeat(2_000)
        + "</table>";
    run(spans.as_bytes(), Some("html"));
}

/// Markup of every kind the HTML reader meets: tables with spans, blocks, formatting left
/// open, raw text, foreign content, comments, hidden parts, broken tags.
const HTML_PARTS: [&str; 40] = [
    "<table>",
    "</table>",
    "<tr>",
    "</tr>",
    "<td>",
    "</td>",
    "<th colspan=3>",
    "<td rowspan=0>",
    "<td rowspan=99999999999999999999>",
    "<tbody>",
    "<caption>",
    "<colgroup><col span=2>",
    "<p>",
    "</p>",
    "<div>",
    "</div>",
    "<li>",
    "<ul>",
    "<b>",
    "</b>",
    "<font color=red>",
    "<a href=x>",
    "<span style='display:none'>",
    "<br>",
    "</br>",
    "<script>var a='<td>1</td>';</script>",
    "<style>td{}</style>",
    "<title>2021年政府信息公开工作年度报告</title>",
    "<svg><path d='m'/><g>",
    "<math><mi>",
    "<!-- c -->",
    "<!--",
    "<select><option>",
    "<textarea>",
    "<h1>",
    "<form>",
    "<plaintext>",
    "<td title='a>b'",
    "<",
    "&amp;",
];

fn html_like() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(HTML_PARTS.to_vec()).prop_map(str::to_string),
            2 => prop::sample::select(FRAGMENTS.to_vec()).prop_map(str::to_string),
        ],
        0..400,
    )
    .prop_map(|parts| parts.concat())
}

/// WordprocessingML of every kind the DOCX reader meets.
const DOCX_PARTS: [&str; 20] = [
    "<w:tbl>",
    "</w:tbl>",
    "<w:tr>",
    "</w:tr>",
    "<w:tc>",
    "</w:tc>",
    "<w:tcPr><w:gridSpan w:val=\"3\"/></w:tcPr>",
    "<w:tcPr><w:gridSpan w:val=\"99999\"/></w:tcPr>",
    "<w:tcPr><w:vMerge w:val=\"restart\"/></w:tcPr>",
    "<w:tcPr><w:vMerge/></w:tcPr>",
    "<w:p>",
    "</w:p>",
    "<w:r><w:t>",
    "</w:t></w:r>",
    "<w:tab/>",
    "<w:br/>",
    "&amp;",
    "&#x41;",
    "&bogus;",
    "<w:t xml:space=\"preserve\">",
];

fn docx_like() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(DOCX_PARTS.to_vec()).prop_map(str::to_string),
            2 => prop::sample::select(FRAGMENTS.to_vec()).prop_map(|f| f.replace('<', "&lt;")),
        ],
        0..300,
    )
    .prop_map(|parts| {
        let mut buf = std::io::Cursor::new(Vec::new());
        {
            let mut zip = zip::ZipWriter::new(&mut buf);
            let opts = zip::write::SimpleFileOptions::default();
            zip.start_file("word/document.xml", opts).expect("start");
            write!(
                zip,
                "<?xml version=\"1.0\"?><w:document xmlns:w=\"w\"><w:body>{}</w:body></w:document>",
                parts.concat()
            )
            .expect("write");
            zip.finish().expect("finish");
        }
        buf.into_inner()
    })
}

/// Layout text as `pdftotext -layout` writes it: form feeds between pages, page numbers,
/// runs of spaces between columns.
const PDF_PARTS: [&str; 8] = [
    "\u{c}",
    "- 3 -\n",
    "第 2 页\n",
    "      ",
    "  ",
    "\n",
    "\r\n",
    "3/6\n",
];

fn pdf_text_like() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            1 => prop::sample::select(PDF_PARTS.to_vec()),
            3 => prop::sample::select(FRAGMENTS.to_vec()),
        ],
        0..400,
    )
    .prop_map(|parts| parts.concat())
}

/// A `pdftotext` that writes its input back, so that PDF text can be fed to the PDF path.
fn echo_pdftotext() -> PathBuf {
    static PATH: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    PATH.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("gongkai-import-props-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("pdftotext");
        std::fs::write(&path, "#!/bin/sh\nexec cat\n").expect("write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        }
        path
    })
    .clone()
}

/// The interchange document of a real report, cut and altered.
fn report_json_like() -> impl Strategy<Value = Vec<u8>> {
    (
        any::<usize>(),
        prop::collection::vec((any::<usize>(), any::<u8>()), 0..8),
        (any::<usize>(), any::<usize>()),
    )
        .prop_map(|(cut, edits, splice)| {
            mutate(corpus("dev/119.expected.json"), cut, &edits, splice)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn t_fuzz_txt(text in report_like()) {
        run(text.as_bytes(), Some("txt"));
    }

    #[test]
    fn t_fuzz_md(text in report_like()) {
        let md: String = text.lines().map(|l| format!("| {} |\n", l.replace('\t', " | "))).collect();
        run(md.as_bytes(), Some("md"));
    }

    #[test]
    fn t_fuzz_html(html in html_like()) {
        run(html.as_bytes(), Some("html"));
        // The pre-pass the sanitiser uses flattens to its depth: what it writes nests no
        // deeper when read again.
        use gongkai_core::html_bound::{HtmlBounds, OverLimit, bound_html};
        let flat = HtmlBounds { max_depth: 4, ..HtmlBounds::default() };
        let out = bound_html(&html, &flat).expect("flattening refuses nothing");
        let again = HtmlBounds { over_limit: OverLimit::Refuse, ..flat };
        prop_assert!(bound_html(&out, &again).is_ok(), "{html:?} -> {out:?}");
        // html5ever nests it no deeper than the pre-pass, but for the parts it adds itself
        // (html, body, a table's tbody and tr, a foreign root's wrappers).
        let dom = scraper::Html::parse_document(&out);
        let depth = dom.tree.root().descendants().map(|n| n.ancestors().count()).max().unwrap_or(0);
        prop_assert!(depth <= 3 * 4 + 4, "{depth}: {html:?} -> {out:?}");
        // Nothing re-opened behind the text: no more nodes than bytes written.
        let nodes = dom.tree.nodes().count();
        prop_assert!(nodes <= out.len() + 8, "{nodes}: {html:?} -> {out:?}");
        // Tight limits refuse, never panic.
        let tight = Options { max_depth: 4, max_elements: 50, max_table_cells: 20, max_row_cells: 5, ..Options::default() };
        run_with(html.as_bytes(), Some("html"), &tight);
    }

    #[test]
    fn t_fuzz_report_json(bytes in report_json_like()) {
        let start = Instant::now();
        let _ = report_json(&bytes, &Options::default());
        prop_assert!(start.elapsed() < LIMIT);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn t_fuzz_docx(bytes in docx_like()) {
        run(&bytes, Some("docx"));
        let tight = Options { max_depth: 6, max_table_cells: 20, max_row_cells: 5, ..Options::default() };
        run_with(&bytes, Some("docx"), &tight);
    }
}

#[cfg(unix)]
proptest! {
    // Each case runs the echoing pdftotext.
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn t_fuzz_pdf_text(text in pdf_text_like()) {
        let options = Options { pdftotext: echo_pdftotext(), ..Options::default() };
        let pdf = format!("%PDF-1.4\n{text}");
        run_with(pdf.as_bytes(), Some("pdf"), &options);
    }
}
