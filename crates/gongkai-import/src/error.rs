//! Why a file could not be imported. One line each; the caller adds the file name.

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("empty file")]
    Empty,
    #[error("file is {} MB, over the {} MB limit", mb(*.size), mb(*.limit))]
    TooLarge { size: u64, limit: u64 },
    /// A FIFO, a device, a socket or a directory: only regular files are read, so that a
    /// read neither blocks nor runs without end (BI-IM-10).
    #[error("not a regular file: {0}")]
    NotRegularFile(&'static str),
    /// The input is over one of the limits of [`crate::Options`] (BI-IM-10, BI-IM-11): `what`
    /// says where, `limit` the limit in words, `option` the field that sets it.
    #[error("{what}: over the limit of {limit} ({option})")]
    OverLimit {
        what: String,
        limit: String,
        option: &'static str,
    },
    #[error("unsupported file type: {0}")]
    Unsupported(String),
    #[error("not an annual report: {0}")]
    NotAReport(String),
    #[error(
        "scanned PDF without a text layer: gongkai reads the text of a PDF and cannot read an image (run OCR first)"
    )]
    Scanned,
    #[error("cannot read PDF: {0}")]
    Pdf(String),
    #[error("cannot read DOCX: {0}")]
    Docx(String),
    #[error("cannot decode text: {0}")]
    Encoding(String),
    /// An interchange document that cannot be read ([`crate::report_json`]).
    #[error("{0}")]
    Json(gongkai_core::report::json::JsonError),
    #[error("{0}")]
    Io(#[source] std::io::Error),
}

pub(crate) fn mb(bytes: u64) -> String {
    let mb = bytes as f64 / (1024.0 * 1024.0);
    if mb >= 10.0 || mb.fract() == 0.0 {
        format!("{mb:.0}")
    } else {
        format!("{mb:.1}")
    }
}
