//! T-FUZZ / T-PROP for the importer (docs/reliability.md, BI-IM-1…12): no input makes it panic
//! or hang — random bytes, random report-like text, and truncated or mutated copies of real
//! reports of every kind — and whatever it reads, it read from the file: every cell's
//! evidence text stands in the input (never a guessed value).

use gongkai_core::report::{Source, Value};
use gongkai_import::{Options, import_bytes};
use proptest::prelude::*;
use std::path::Path;
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
    let start = Instant::now();
    let result = import_bytes(bytes, ext, &Options::default());
    assert!(start.elapsed() < LIMIT, "took {:?}", start.elapsed());
    let Ok(imported) = result else { return };
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

#[test]
fn bi_im_11_zip_bomb_is_refused() {
    // A DOCX whose document.xml inflates far beyond the limit.
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("word/document.xml", opts).expect("start");
        let chunk = vec![b' '; 1024 * 1024];
        for _ in 0..80 {
            std::io::Write::write_all(&mut zip, &chunk).expect("write");
        }
        zip.finish().expect("finish");
    }
    let bytes = buf.into_inner();
    assert!(
        bytes.len() < 1024 * 1024,
        "the bomb is small: {}",
        bytes.len()
    );
    let err = import_bytes(&bytes, Some("docx"), &Options::default()).expect_err("refused");
    assert!(err.to_string().contains("more than 64 MB"), "{err}");
}
