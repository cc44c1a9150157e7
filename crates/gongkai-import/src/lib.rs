//! gongkai-import: reads published annual reports (政府信息公开工作年度报告) of any layout —
//! plain text, Markdown, HTML (portal pages, reports inside JavaScript strings), DOCX and PDF
//! (text layer) — into the report model, deterministically, by layout rules. Every cell keeps
//! the place it was read from; a cell that cannot be found or read is reported with its
//! place and left blank, never guessed (docs/reliability.md, BI-IM-1).
//!
//! ```no_run
//! let imported = gongkai_import::import_path(
//!     std::path::Path::new("report.html"),
//!     &gongkai_import::Options::default(),
//! )?;
//! println!("{} {}", imported.report.agency, imported.report.year);
//! # Ok::<(), gongkai_import::ImportError>(())
//! ```

mod assemble;
mod crawl;
mod decode;
mod docx;
mod error;
mod grid;
mod html;
pub mod label;
mod limits;
mod meta;
pub mod number;
mod pdf;
mod rows;
mod sections;
mod tables;
mod text;

pub use assemble::{Imported, Unreadable};
pub use decode::Kind;
pub use error::ImportError;

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Limits and tools of an import. Every input is read within these limits whatever it holds
/// (docs/import.md, "Limits"; BI-IM-10, BI-IM-11): an input over one is refused with an
/// [`ImportError::OverLimit`] naming it, never cut short or read in part.
#[derive(Debug, Clone)]
pub struct Options {
    /// Largest file read, in bytes.
    pub max_size: u64,
    /// Most bytes of text read from a file: the decoded text of a text, Markdown or HTML
    /// file, the text `pdftotext` writes for a PDF, a DOCX's `word/document.xml` inflated;
    /// and the text held in the rows read from it.
    pub max_text: u64,
    /// Most lines of a text, and rows (lines, paragraphs, table rows) of any file.
    pub max_lines: usize,
    /// Most characters of one line, paragraph or table cell.
    pub max_line_chars: usize,
    /// Most cells of one row: values of a line, delimited cells, columns of a table.
    pub max_row_cells: usize,
    /// Most cells of one table, rows × columns with merged cells expanded (`rowspan`,
    /// `colspan`, `w:gridSpan`, `w:vMerge`).
    pub max_table_cells: usize,
    /// Most cells of all rows of a file together.
    pub max_cells: usize,
    /// Most elements open inside one another (HTML elements, a DOCX's XML elements).
    pub max_depth: usize,
    /// Most HTML elements.
    pub max_elements: usize,
    /// Most attributes of one HTML tag.
    pub max_attributes: usize,
    /// Largest interchange document read by [`report_json`], in bytes.
    pub max_json: u64,
    /// The `pdftotext` program (poppler-utils).
    pub pdftotext: PathBuf,
    /// How long `pdftotext` may run.
    pub pdf_timeout: Duration,
}

/// The default size limit: 50 MB.
pub const DEFAULT_MAX_SIZE: u64 = 50 * 1024 * 1024;
/// The default limit of text: 32 MB.
pub const DEFAULT_MAX_TEXT: u64 = 32 * 1024 * 1024;

impl Default for Options {
    fn default() -> Options {
        Options {
            max_size: DEFAULT_MAX_SIZE,
            max_text: DEFAULT_MAX_TEXT,
            max_lines: 50_000,
            max_line_chars: 100_000,
            max_row_cells: 1_000,
            max_table_cells: 100_000,
            max_cells: 200_000,
            max_depth: gongkai_core::html_bound::DEFAULT_MAX_DEPTH,
            max_elements: 200_000,
            max_attributes: gongkai_core::html_bound::DEFAULT_MAX_ATTRIBUTES,
            max_json: 4 * 1024 * 1024,
            pdftotext: PathBuf::from("pdftotext"),
            pdf_timeout: Duration::from_secs(60),
        }
    }
}

/// Reads a report file. The error says what is wrong; the caller names the file.
pub fn import_path(path: &Path, options: &Options) -> Result<Imported, ImportError> {
    let bytes = read_file(path, options)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    let mut imported = import_cow(Cow::Owned(bytes), ext.as_deref(), options)?;
    imported.report.source_file = name;
    Ok(imported)
}

/// A report file's bytes. Only a regular file is read (a directory, a FIFO, a device or a
/// socket is refused before it is opened, so that nothing blocks or reads without end), and
/// at most [`Options::max_size`] bytes of it: a larger file is refused.
pub fn read_file(path: &Path, options: &Options) -> Result<Vec<u8>, ImportError> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(ImportError::Io)?;
    regular(&meta)?;
    if meta.len() > options.max_size {
        return Err(ImportError::TooLarge {
            size: meta.len(),
            limit: options.max_size,
        });
    }
    let file = open_nonblocking(path).map_err(ImportError::Io)?;
    // The file may have been swapped for another since the check above.
    regular(&file.metadata().map_err(ImportError::Io)?)?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(options.max_size.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ImportError::Io)?;
    if bytes.len() as u64 > options.max_size {
        return Err(ImportError::TooLarge {
            size: bytes.len() as u64,
            limit: options.max_size,
        });
    }
    Ok(bytes)
}

fn regular(meta: &std::fs::Metadata) -> Result<(), ImportError> {
    let t = meta.file_type();
    if t.is_file() {
        return Ok(());
    }
    if t.is_dir() {
        return Err(ImportError::NotRegularFile("a directory"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Err(ImportError::NotRegularFile("a FIFO (named pipe)"));
        }
        if t.is_char_device() {
            return Err(ImportError::NotRegularFile("a character device"));
        }
        if t.is_block_device() {
            return Err(ImportError::NotRegularFile("a block device"));
        }
        if t.is_socket() {
            return Err(ImportError::NotRegularFile("a socket"));
        }
    }
    Err(ImportError::NotRegularFile("not a file"))
}

/// Opens for reading without waiting for a writer, should the path have become a FIFO since
/// it was checked (Linux; reading a regular file is not affected by the flag).
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.read(true);
    #[cfg(all(
        target_os = "linux",
        any(
            target_arch = "x86_64",
            target_arch = "x86",
            target_arch = "aarch64",
            target_arch = "arm",
            target_arch = "riscv64"
        )
    ))]
    {
        use std::os::unix::fs::OpenOptionsExt;
        /// `O_NONBLOCK` on these architectures.
        const O_NONBLOCK: i32 = 0o4000;
        o.custom_flags(O_NONBLOCK);
    }
    o.open(path)
}

/// Reads a report from its bytes; `ext` (without the dot) is a hint for the kind.
pub fn import_bytes(
    bytes: &[u8],
    ext: Option<&str>,
    options: &Options,
) -> Result<Imported, ImportError> {
    import_cow(Cow::Borrowed(bytes), ext, options)
}

/// [`import_bytes`], taking the bytes when it may, so that text is decoded without a copy.
fn import_cow(
    bytes: Cow<'_, [u8]>,
    ext: Option<&str>,
    options: &Options,
) -> Result<Imported, ImportError> {
    if bytes.len() as u64 > options.max_size {
        return Err(ImportError::TooLarge {
            size: bytes.len() as u64,
            limit: options.max_size,
        });
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ImportError::Empty);
    }
    let kind = decode::kind(&bytes, ext)?;
    let mut budget = limits::Budget::new(options);
    let mut meta_agency = None;
    let doc = match kind {
        Kind::Pdf => {
            let text = pdf::to_text(&bytes, options)?;
            drop(bytes);
            text::check(&text, options)?;
            text::read(&text, &mut budget)?
        }
        Kind::Docx => {
            meta_agency = docx::core_creator(&bytes);
            docx::read(&bytes, &mut budget)?
        }
        Kind::Html => html::read(decode::text(bytes, options)?, &mut budget)?,
        Kind::Text | Kind::Markdown => {
            let text = decode::text(bytes, options)?;
            text::check(&text, options)?;
            if crawl::detect(&text) {
                return crawl::import(&text, kind);
            }
            text::read(&text, &mut budget)?
        }
    };
    assemble::assemble(doc, kind, meta_agency)
}

/// Reads an interchange document (docs/report-json.md), as a unit may upload instead of its
/// published file: refused over [`Options::max_text`] bytes, before it is parsed (a JSON
/// value takes many times its text in memory).
pub fn report_json(
    bytes: &[u8],
    options: &Options,
) -> Result<gongkai_core::report::AnnualReport, ImportError> {
    if bytes.len() as u64 > options.max_json {
        return Err(limits::over_bytes(
            format!("the JSON document is {} MB", error::mb(bytes.len() as u64)),
            options.max_json,
            "max_json",
        ));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|_| ImportError::Encoding("the JSON document is not UTF-8 text".into()))?;
    gongkai_core::report::json::from_str(text).map_err(ImportError::Json)
}
