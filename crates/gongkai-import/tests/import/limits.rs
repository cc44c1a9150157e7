//! BI-IM-10 / BI-IM-11: hostile inputs are refused within bounded memory and time, each with
//! the limit it is over named (docs/import.md, "Limits"). Every input is made here by a small
//! generator; the tests assert the outcome, not the time (a debug build is slow), and each
//! runs in a second or two. The figures before and after are in docs/import.md.

use gongkai_import::{ImportError, Options, import_bytes, import_path, read_file, report_json};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Far above what a refusal takes; a hang is minutes.
const PROMPT: Duration = Duration::from_secs(20);

fn import(bytes: &[u8], ext: &str, o: &Options) -> Result<gongkai_import::Imported, ImportError> {
    let start = Instant::now();
    let r = import_bytes(bytes, Some(ext), o);
    assert!(start.elapsed() < PROMPT, "took {:?}", start.elapsed());
    r
}

/// The import is refused over the limit set by `option`, and says so with the limit's value.
#[track_caller]
fn refused_by(r: Result<gongkai_import::Imported, ImportError>, option: &str, value: &str) {
    match r {
        Err(e @ ImportError::OverLimit { .. }) => {
            let msg = e.to_string();
            assert!(
                msg.contains(&format!("({option})")) && msg.contains(value),
                "{msg}"
            );
        }
        Err(e) => panic!("refused, but not by {option}: {e}"),
        Ok(_) => panic!("not refused by {option}"),
    }
}

fn docx(document_body: &str) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("word/document.xml", opts).expect("start");
        write!(
            zip,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{document_body}</w:body></w:document>"
        )
        .expect("write");
        zip.finish().expect("finish");
    }
    buf.into_inner()
}

#[test]
fn bi_im_10_deep_nesting_is_linear() {
    // 200,000 nested <div>s: html5ever alone took 163 s on this; the pre-pass refuses at 256.
    let deep = "<div>".repeat(200_000) + "规章 1" + &"</div>".repeat(200_000);
    refused_by(
        import(deep.as_bytes(), "html", &Options::default()),
        "max_depth",
        "256",
    );
    // Unclosed formatting elements before many paragraphs (the parser would re-open all of
    // them in every paragraph) are refused by depth too.
    let reopen = "<p>".to_string()
        + &(0..3_000)
            .map(|i| format!("<b class=c{i}>"))
            .collect::<String>()
        + &"</p><p>x".repeat(3_000);
    refused_by(
        import(reopen.as_bytes(), "html", &Options::default()),
        "max_depth",
        "256",
    );
    // Nested tables, and a lower limit set by the caller.
    let tables = "<table><tr><td>".repeat(1_000) + "规章";
    let o = Options {
        max_depth: 32,
        ..Options::default()
    };
    refused_by(import(tables.as_bytes(), "html", &o), "max_depth", "32");
    // A DOCX's XML nested deep.
    let xml = "<w:p>".to_string() + &"<w:r>".repeat(100_000) + &"</w:r>".repeat(100_000) + "</w:p>";
    refused_by(
        import(&docx(&xml), "docx", &Options::default()),
        "max_depth",
        "256",
    );
}

#[test]
fn bi_im_10_html_elements_and_attributes_are_bounded() {
    let many = "<br>".repeat(200_001);
    refused_by(
        import(many.as_bytes(), "html", &Options::default()),
        "max_elements",
        "200000",
    );
    let attrs: String = (0..100_000).map(|i| format!(" a{i}")).collect();
    refused_by(
        import(
            format!("<p{attrs}>规章 1</p>").as_bytes(),
            "html",
            &Options::default(),
        ),
        "max_attributes",
        "256",
    );
}

#[test]
fn bi_im_10_html_spans_and_long_cells_are_bounded() {
    // The 4.8 MB page that took 1.9 GB: rowspan=100 copies long cells into every row.
    let cell = format!("<td rowspan=100>{}</td>", "规".repeat(160));
    let page = format!(
        "<table>{}</table>",
        format!("<tr>{cell}{cell}</tr>").repeat(4_800)
    );
    let o = Options {
        max_text: 8 * 1024 * 1024,
        ..Options::default()
    };
    refused_by(import(page.as_bytes(), "html", &o), "max_text", "8 MB");
    // Capped spans still add up: rows × columns over the table's limit.
    let spans = format!(
        "<table>{}</table>",
        format!("<tr>{}</tr>", "<td colspan=1000000>0</td>".repeat(10)).repeat(101)
    );
    refused_by(
        import(spans.as_bytes(), "html", &Options::default()),
        "max_table_cells",
        "100000",
    );
    // A row wider than the limit of cells per row.
    let wide = format!(
        "<table><tr><td>规章</td>{}</tr></table>",
        "<td colspan=100>1</td>".repeat(11)
    );
    refused_by(
        import(wide.as_bytes(), "html", &Options::default()),
        "max_row_cells",
        "1000",
    );
    // One cell longer than the limit of characters.
    let long = format!("<table><tr><td>{}</td></tr></table>", "规".repeat(100_001));
    refused_by(
        import(long.as_bytes(), "html", &Options::default()),
        "max_line_chars",
        "100000",
    );
}

#[test]
fn bi_im_11_docx_grid_span_is_bounded() {
    // The 225 KB DOCX that took 5.5 GB: one table of rows of cells spanning 100 columns.
    let row = format!(
        "<w:tr>{}</w:tr>",
        "<w:tc><w:tcPr><w:gridSpan w:val=\"100000\"/></w:tcPr></w:tc>".repeat(2)
    );
    let bytes = docx(&format!("<w:tbl>{}</w:tbl>", row.repeat(2_000)));
    assert!(bytes.len() < 100_000, "the input is small: {}", bytes.len());
    refused_by(
        import(&bytes, "docx", &Options::default()),
        "max_table_cells",
        "100000",
    );
    // Twenty cells spanning 100 columns in one row: over the cells per row.
    let wide = format!(
        "<w:tbl><w:tr>{}</w:tr></w:tbl>",
        "<w:tc><w:tcPr><w:gridSpan w:val=\"100\"/></w:tcPr></w:tc>".repeat(20)
    );
    refused_by(
        import(&docx(&wide), "docx", &Options::default()),
        "max_row_cells",
        "1000",
    );
    // Vertically merged long cells copied into every row.
    let first = format!(
        "<w:tc><w:tcPr><w:vMerge w:val=\"restart\"/></w:tcPr><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>",
        "规".repeat(30_000)
    );
    let more = "<w:tc><w:tcPr><w:vMerge/></w:tcPr></w:tc>";
    let merged = format!(
        "<w:tbl><w:tr>{}</w:tr>{}</w:tbl>",
        first.repeat(10),
        format!("<w:tr>{}</w:tr>", more.repeat(10)).repeat(2_000)
    );
    refused_by(
        import(&docx(&merged), "docx", &Options::default()),
        "max_text",
        "32 MB",
    );
}

#[test]
fn bi_im_11_zip_bomb_is_refused_with_the_limit() {
    // A DOCX whose document.xml inflates far beyond the limit.
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("word/document.xml", opts).expect("start");
        let chunk = vec![b' '; 1024 * 1024];
        for _ in 0..40 {
            zip.write_all(&chunk).expect("write");
        }
        zip.finish().expect("finish");
    }
    let bytes = buf.into_inner();
    assert!(
        bytes.len() < 1024 * 1024,
        "the bomb is small: {}",
        bytes.len()
    );
    let r = import(&bytes, "docx", &Options::default());
    refused_by(r, "max_text", "more than 32 MB");
}

#[test]
fn bi_im_10_text_lines_cells_and_characters_are_bounded() {
    // The 50 MB tab-separated file that took 8.7 GB: one line of tabs.
    let tabs = "规章\t".to_string() + &"\t".repeat(50 * 1024 * 1024 - 16);
    refused_by(
        import(tabs.as_bytes(), "txt", &Options::default()),
        "max_text",
        "32 MB",
    );
    // Under the text limit, the line is over the characters of a line.
    let line = "规章\t".to_string() + &"\t".repeat(1_000_000);
    refused_by(
        import(line.as_bytes(), "txt", &Options::default()),
        "max_line_chars",
        "100000",
    );
    // Short enough, but with more cells than a row may have: tabs, pipes, values.
    let cells = "规章\t".to_string() + &"1\t".repeat(1_500);
    refused_by(
        import(cells.as_bytes(), "txt", &Options::default()),
        "max_row_cells",
        "1000",
    );
    let pipes = "| 规章 |".to_string() + &" 1 |".repeat(1_500);
    refused_by(
        import(pipes.as_bytes(), "md", &Options::default()),
        "max_row_cells",
        "1000",
    );
    let values = "规章 ".to_string() + &"1 ".repeat(1_500);
    refused_by(
        import(values.as_bytes(), "txt", &Options::default()),
        "max_row_cells",
        "1000",
    );
    // One value per line: the values merged into one row are over the cells of a row.
    let column = "规章\n".to_string() + &"1\n".repeat(1_500);
    refused_by(
        import(column.as_bytes(), "txt", &Options::default()),
        "max_row_cells",
        "1000",
    );
    // Too many lines, and too many cells in all.
    let lines = "规章 1\n".repeat(50_001);
    refused_by(
        import(lines.as_bytes(), "txt", &Options::default()),
        "max_lines",
        "50000",
    );
    let all = "规章\t1\t2\t3\t4\t5\n".repeat(40_000);
    refused_by(
        import(all.as_bytes(), "txt", &Options::default()),
        "max_cells",
        "200000",
    );
}

#[test]
fn bi_im_10_the_limits_are_set_by_the_caller() {
    let text = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/corpus/dev/008.txt"),
    )
    .expect("corpus");
    assert!(import(&text, "txt", &Options::default()).is_ok());
    let o = Options {
        max_lines: 100,
        ..Options::default()
    };
    refused_by(import(&text, "txt", &o), "max_lines", "100");
    let o = Options {
        max_line_chars: 20,
        ..Options::default()
    };
    refused_by(import(&text, "txt", &o), "max_line_chars", "20");
}

/// A fake `pdftotext` that writes without end: refused as soon as the text is over the
/// limit, pdftotext stopped (not after the time limit).
#[cfg(unix)]
#[test]
fn bi_im_10_endless_pdf_text_is_refused_promptly() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let fake = dir.path().join("pdftotext");
    std::fs::write(&fake, "#!/bin/sh\ncat > /dev/null &\nexec yes 规章\n").expect("write");
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let o = Options {
        pdftotext: fake,
        max_text: 1024 * 1024,
        ..Options::default()
    };
    let start = Instant::now();
    let r = import(b"%PDF-1.4\n", "pdf", &o);
    refused_by(r, "max_text", "1 MB");
    assert!(start.elapsed() < o.pdf_timeout / 2, "{:?}", start.elapsed());
}

#[test]
fn bi_im_10_report_json_is_bounded() {
    let o = Options {
        max_json: 1024,
        ..Options::default()
    };
    let big = format!("[{}0]", "0,".repeat(1_000));
    match report_json(big.as_bytes(), &o) {
        Err(e @ ImportError::OverLimit { .. }) => {
            assert!(e.to_string().contains("(max_json)"), "{e}");
        }
        other => panic!("{other:?}"),
    }
    // Deep nesting stops at serde_json's recursion limit.
    let deep = "[".repeat(100_000);
    assert!(report_json(deep.as_bytes(), &Options::default()).is_err());
}

/// Only regular files are read: a FIFO would block until a writer came, `/dev/zero` would
/// never end. Both are refused at once, before they are opened.
#[cfg(unix)]
#[test]
fn bi_im_10_a_fifo_or_a_device_is_not_a_regular_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo: PathBuf = dir.path().join("report.txt");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    for path in [fifo.as_path(), Path::new("/dev/zero"), dir.path()] {
        let start = Instant::now();
        let err = import_path(path, &Options::default()).expect_err("refused");
        assert!(start.elapsed() < Duration::from_secs(5));
        assert!(
            matches!(err, ImportError::NotRegularFile(_))
                && err.to_string().starts_with("not a regular file"),
            "{}: {err}",
            path.display()
        );
        assert!(read_file(path, &Options::default()).is_err());
    }
}

/// A file read is capped by the size limit even when it grows after it was checked.
#[test]
fn bi_im_10_a_file_over_the_size_limit_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let big = dir.path().join("big.txt");
    std::fs::write(&big, vec![b'1'; 2 * 1024 * 1024]).expect("write");
    let o = Options {
        max_size: 1024 * 1024,
        ..Options::default()
    };
    let err = read_file(&big, &o).expect_err("refused");
    assert!(err.to_string().contains("over the 1 MB limit"), "{err}");
}
