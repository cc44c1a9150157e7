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

use std::path::{Path, PathBuf};
use std::time::Duration;

/// Limits and tools of an import.
#[derive(Debug, Clone)]
pub struct Options {
    /// Largest file read, in bytes (docs/reliability.md BI-IM-10).
    pub max_size: u64,
    /// The `pdftotext` program (poppler-utils).
    pub pdftotext: PathBuf,
    /// How long `pdftotext` may run.
    pub pdf_timeout: Duration,
}

/// The default size limit: 50 MB.
pub const DEFAULT_MAX_SIZE: u64 = 50 * 1024 * 1024;

impl Default for Options {
    fn default() -> Options {
        Options {
            max_size: DEFAULT_MAX_SIZE,
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
    let mut imported = import_bytes(&bytes, ext.as_deref(), options)?;
    imported.report.source_file = name;
    Ok(imported)
}

/// A report file's bytes: a directory is refused, and a file over the size limit before it is
/// read.
pub fn read_file(path: &Path, options: &Options) -> Result<Vec<u8>, ImportError> {
    let meta = std::fs::metadata(path).map_err(ImportError::Io)?;
    if meta.is_dir() {
        return Err(ImportError::Unsupported("a directory".into()));
    }
    if meta.len() > options.max_size {
        return Err(ImportError::TooLarge {
            size: meta.len(),
            limit: options.max_size,
        });
    }
    std::fs::read(path).map_err(ImportError::Io)
}

/// Reads a report from its bytes; `ext` (without the dot) is a hint for the kind.
pub fn import_bytes(
    bytes: &[u8],
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
    let kind = decode::kind(bytes, ext)?;
    let doc = match kind {
        Kind::Pdf => {
            let text = pdf::to_text(bytes, options)?;
            text::read(&text)
        }
        Kind::Docx => docx::read(bytes)?,
        Kind::Html => html::read(&decode::text(bytes)?),
        Kind::Text | Kind::Markdown => {
            let text = decode::text(bytes)?;
            if crawl::detect(&text) {
                return crawl::import(&text, kind);
            }
            text::read(&text)
        }
    };
    let meta_agency = match kind {
        Kind::Docx => docx::core_creator(bytes),
        _ => None,
    };
    assemble::assemble(doc, kind, meta_agency)
}
