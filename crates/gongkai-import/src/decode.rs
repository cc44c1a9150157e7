//! What a file is (by its bytes first, its extension second) and how its text is encoded
//! (docs/reliability.md BI-IM-8: a BOM, else a declared GB charset, else UTF-8, else GB 18030).

use crate::Options;
use crate::error::ImportError;
use encoding_rs::{Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};
use std::borrow::Cow;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Markdown,
    Html,
    Docx,
    Pdf,
}

impl Kind {
    pub fn key(self) -> &'static str {
        match self {
            Kind::Text => "txt",
            Kind::Markdown => "md",
            Kind::Html => "html",
            Kind::Docx => "docx",
            Kind::Pdf => "pdf",
        }
    }
}

pub fn kind(bytes: &[u8], ext: Option<&str>) -> Result<Kind, ImportError> {
    if bytes.starts_with(b"%PDF") || (bytes.len() < 1024 && find(bytes, b"%PDF-").is_some()) {
        return Ok(Kind::Pdf);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        if find(bytes, b"word/document.xml").is_some() {
            return Ok(Kind::Docx);
        }
        return Err(ImportError::Unsupported(
            "a ZIP archive that is not a Word document (.docx)".into(),
        ));
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(ImportError::Unsupported(
            "an old Office document (.doc/.xls); save it as .docx".into(),
        ));
    }
    for (magic, what) in [
        (&b"\x89PNG"[..], "a PNG image"),
        (&b"\xFF\xD8\xFF"[..], "a JPEG image"),
        (&b"GIF8"[..], "a GIF image"),
        (&b"Rar!"[..], "a RAR archive"),
        (&b"\x1F\x8B"[..], "a gzip archive"),
        (&b"7z\xBC\xAF"[..], "a 7z archive"),
        (&b"{\\rtf"[..], "an RTF document; save it as .docx"),
    ] {
        if bytes.starts_with(magic) {
            return Err(ImportError::Unsupported(what.into()));
        }
    }
    let head = &bytes[..bytes.len().min(8192)];
    let utf16 = head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]);
    if !utf16 && head.iter().filter(|&&b| b == 0).count() > 0 {
        return Err(ImportError::Unsupported(
            "binary data, not text, HTML, DOCX or PDF".into(),
        ));
    }
    match ext {
        Some("pdf") => return Err(ImportError::Pdf("the file does not start with %PDF".into())),
        Some("docx") => {
            return Err(ImportError::Docx("the file is not a ZIP archive".into()));
        }
        _ => {}
    }
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let htmlish = [
        &b"<table"[..],
        b"<html",
        b"<!doctype html",
        b"<body",
        b"<p>",
        b"<p ",
        b"<div",
    ]
    .iter()
    .any(|m| find(&lower, m).is_some())
        || (bytes.len() > head.len()
            && bytes.windows(6).any(|w| w.eq_ignore_ascii_case(b"<table")));
    if htmlish || matches!(ext, Some("html" | "htm" | "xhtml" | "shtml" | "js")) {
        return Ok(Kind::Html);
    }
    if matches!(ext, Some("md" | "markdown")) {
        return Ok(Kind::Markdown);
    }
    Ok(Kind::Text)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The charset an HTML head declares, if any.
fn declared(bytes: &[u8]) -> Option<&'static Encoding> {
    let head: Vec<u8> = bytes[..bytes.len().min(4096)]
        .iter()
        .map(u8::to_ascii_lowercase)
        .collect();
    let at = find(&head, b"charset=")? + 8;
    let rest = &head[at..];
    let rest = rest
        .strip_prefix(b"\"")
        .or_else(|| rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let end = rest
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_'))
        .unwrap_or(rest.len());
    let label = &rest[..end];
    let enc = Encoding::for_label(label)?;
    // GB2312 and GBK declarations often carry GB 18030-only characters: decode as GB 18030.
    if enc.name() == "GBK" || enc == GB18030 {
        return Some(GB18030);
    }
    Some(enc)
}

/// Decodes text (taking the bytes when they are UTF-8 already, without a copy). Undecodable
/// bytes become U+FFFD; a text that is mostly that is an error; a text over
/// [`Options::max_text`] is refused.
pub fn text(bytes: Cow<'_, [u8]>, options: &Options) -> Result<String, ImportError> {
    let s = decode(bytes)?;
    if s.len() as u64 > options.max_text {
        return Err(crate::limits::over_text("the text", options.max_text));
    }
    Ok(s)
}

fn decode(bytes: Cow<'_, [u8]>) -> Result<String, ImportError> {
    if let Some((enc, bom)) = Encoding::for_bom(&bytes) {
        let (s, _) = enc.decode_without_bom_handling(&bytes[bom..]);
        return Ok(s.into_owned());
    }
    if let Some(enc) = declared(&bytes)
        && enc != UTF_8
        && enc != UTF_16LE
        && enc != UTF_16BE
    {
        let (s, _, _) = enc.decode(&bytes);
        return Ok(s.into_owned());
    }
    let bytes = match String::from_utf8(bytes.into_owned()) {
        Ok(s) => return Ok(s),
        Err(e) => e.into_bytes(),
    };
    let (s, _, had_errors) = GB18030.decode(&bytes);
    if had_errors {
        let bad = s.chars().filter(|&c| c == '\u{FFFD}').count();
        if bad * 10 > s.chars().count() {
            return Err(ImportError::Encoding(
                "neither UTF-8 nor GB 18030 text".into(),
            ));
        }
    }
    Ok(s.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bi_im_8_encodings() {
        let (gbk, _, _) = GB18030.encode("规章 0");
        let text = |b: &[u8]| text(Cow::Borrowed(b), &Options::default());
        assert_eq!(text(&gbk).expect("gbk").trim(), "规章 0");
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("规章".as_bytes());
        assert_eq!(text(&bom).expect("bom"), "规章");
        let html = b"<meta charset=\"gb2312\"><p>\xb9\xe6\xd5\xc2</p>";
        assert!(text(html).expect("declared").contains("规章"));
    }

    #[test]
    fn kinds() {
        assert_eq!(kind(b"%PDF-1.7", None).ok(), Some(Kind::Pdf));
        assert_eq!(kind("<p>规章</p>".as_bytes(), None).ok(), Some(Kind::Html));
        assert_eq!(
            kind("规章 0".as_bytes(), Some("md")).ok(),
            Some(Kind::Markdown)
        );
        assert!(matches!(
            kind(b"\x89PNG\r\n", None),
            Err(ImportError::Unsupported(_))
        ));
        assert!(matches!(
            kind(b"PK\x03\x04xl/workbook.xml", None),
            Err(ImportError::Unsupported(_))
        ));
    }
}
