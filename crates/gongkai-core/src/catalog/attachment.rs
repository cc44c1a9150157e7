//! Attachments: which types and sizes an agency accepts (docs/reliability.md). The name is only
//! ever a display name; the extension, the size and the first bytes must agree.

use super::error::CatalogError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentPolicy {
    pub max_bytes: u64,
    pub max_count: usize,
    /// Allowed extensions, lower case, without the dot.
    pub extensions: Vec<String>,
}

impl Default for AttachmentPolicy {
    fn default() -> AttachmentPolicy {
        AttachmentPolicy {
            max_bytes: 20 * 1024 * 1024,
            max_count: 20,
            extensions: ["pdf", "docx", "xlsx", "jpg", "png"]
                .map(String::from)
                .to_vec(),
        }
    }
}

/// An attachment that passed the policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// The display name as given (checked, never used as a path).
    pub name: String,
    pub extension: String,
    pub media_type: &'static str,
    pub size: u64,
}

impl AttachmentPolicy {
    /// Checks one file: its name, its extension against the allowed list, its size, and that the
    /// content starts the way its type does.
    pub fn check(&self, name: &str, content: &[u8]) -> Result<Attachment, CatalogError> {
        let bad_name = |reason| CatalogError::AttachmentName {
            name: name.to_string(),
            reason,
        };
        if name.trim().is_empty() {
            return Err(bad_name("empty"));
        }
        if name.len() > 255 {
            return Err(bad_name("longer than 255 bytes"));
        }
        if name.contains(['/', '\\', ':', '"', ';', '%']) || name.contains("..") {
            return Err(bad_name("contains a path or quoting character"));
        }
        if name.chars().any(|c| {
            c.is_control()
                || ('\u{202A}'..='\u{202E}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)
        }) {
            return Err(bad_name("contains control or direction characters"));
        }
        if name.starts_with('.') || name.ends_with(['.', ' ']) {
            return Err(bad_name("starts with a dot or ends with a dot or space"));
        }
        let extension = name
            .rsplit_once('.')
            .map(|(_, e)| e.to_lowercase())
            .unwrap_or_default();
        if !self.extensions.contains(&extension) {
            return Err(CatalogError::AttachmentType {
                name: name.to_string(),
                extension,
                allowed: self.extensions.join("、"),
            });
        }
        let size = content.len() as u64;
        if size == 0 {
            return Err(CatalogError::AttachmentEmpty {
                name: name.to_string(),
            });
        }
        if size > self.max_bytes {
            return Err(CatalogError::AttachmentTooLarge {
                name: name.to_string(),
                size,
                max: self.max_bytes,
            });
        }
        let (media_type, magic) = kind(&extension);
        if !magic.is_empty() && !magic.iter().any(|m| content.starts_with(m)) {
            return Err(CatalogError::AttachmentContent {
                name: name.to_string(),
                extension,
            });
        }
        Ok(Attachment {
            name: name.to_string(),
            extension,
            media_type,
            size,
        })
    }

    /// Checks the number of attachments of one item.
    pub fn check_count(&self, count: usize) -> Result<(), CatalogError> {
        if count > self.max_count {
            return Err(CatalogError::TooManyAttachments {
                count,
                max: self.max_count,
            });
        }
        Ok(())
    }
}

const ZIP: &[u8] = b"PK\x03\x04";
const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// The media type and the leading bytes a file of this extension must start with (empty: any).
fn kind(extension: &str) -> (&'static str, &'static [&'static [u8]]) {
    match extension {
        "pdf" => ("application/pdf", &[b"%PDF-"]),
        "ofd" => ("application/ofd", &[ZIP]),
        "docx" => (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            &[ZIP],
        ),
        "xlsx" => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            &[ZIP],
        ),
        "doc" => ("application/msword", &[OLE]),
        "xls" => ("application/vnd.ms-excel", &[OLE]),
        "wps" => ("application/vnd.ms-works", &[OLE, ZIP]),
        "et" => ("application/vnd.ms-excel", &[OLE, ZIP]),
        "zip" => ("application/zip", &[ZIP]),
        "jpg" | "jpeg" => ("image/jpeg", &[b"\xFF\xD8\xFF"]),
        "png" => ("image/png", &[b"\x89PNG\r\n\x1a\n"]),
        "txt" => ("text/plain", &[]),
        _ => ("application/octet-stream", &[]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> AttachmentPolicy {
        AttachmentPolicy {
            max_bytes: 1024,
            max_count: 2,
            extensions: vec!["pdf".into(), "docx".into()],
        }
    }

    #[test]
    fn accepts_an_allowed_file_within_limits() {
        let a = policy().check("实施方案.PDF", b"%PDF-1.7 ...").expect("ok");
        assert_eq!(
            (a.extension.as_str(), a.media_type, a.size),
            ("pdf", "application/pdf", 12)
        );
        let mut at_limit = b"%PDF-".to_vec();
        at_limit.resize(1024, b' ');
        assert!(policy().check("a.pdf", &at_limit).is_ok());
    }

    #[test]
    fn refuses_disallowed_type_and_oversize() {
        assert!(matches!(
            policy().check("setup.exe", b"MZ"),
            Err(CatalogError::AttachmentType { .. })
        ));
        let mut over = b"%PDF-".to_vec();
        over.resize(1025, b' ');
        let err = policy().check("a.pdf", &over).expect_err("too large");
        assert!(matches!(
            err,
            CatalogError::AttachmentTooLarge {
                size: 1025,
                max: 1024,
                ..
            }
        ));
        assert!(matches!(
            policy().check("a.pdf", b""),
            Err(CatalogError::AttachmentEmpty { .. })
        ));
        // An executable renamed .docx.
        assert!(matches!(
            policy().check("a.docx", b"MZ\x90\x00"),
            Err(CatalogError::AttachmentContent { .. })
        ));
        assert!(policy().check_count(2).is_ok());
        assert!(policy().check_count(3).is_err());
    }

    #[test]
    fn hostile_names_are_refused() {
        for name in [
            "../../etc/passwd.pdf",
            "..\\x.pdf",
            "a.pdf\0.exe",
            "invoice\u{202E}fdp.pdf",
            ".htaccess",
            "a.pdf.",
            "a.pdf ",
            "name\r\n.pdf",
            "a\";b.pdf",
        ] {
            assert!(
                matches!(
                    policy().check(name, b"%PDF-1"),
                    Err(CatalogError::AttachmentName { .. })
                ),
                "{name:?}"
            );
        }
        let long = format!("{}.pdf", "文".repeat(100));
        assert!(policy().check(&long, b"%PDF-1").is_err());
    }
}
