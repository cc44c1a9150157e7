//! Adapters around the catalogue domain (`gongkai_core::catalog`): the sanitiser for
//! staff-written rich text (ammonia), and the approval form 《政府信息公开发布审批表》 printed from
//! an item's recorded workflow steps as HTML and DOCX.

pub mod form;
mod form_docx;
mod form_html;
mod sanitize;

pub use form::ApprovalForm;
pub use sanitize::{HtmlSanitizer, SanitizeError};

#[derive(Debug, thiserror::Error)]
pub enum FormError {
    #[error("cannot write the DOCX file: {0}")]
    Docx(String),
}

/// SHA-256 of an attachment's content, lower-case hex (stored next to it, RL-3).
pub fn sha256_hex(content: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(content)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
