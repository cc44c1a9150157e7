//! The agency's own documents beside the catalogue: its 政府信息公开指南 (条例 Art. 12) and its
//! 政府信息公开制度 texts, kept as versioned rich text.

use std::fmt;

/// The kinds of agency document: 政府信息公开指南 and 政府信息公开制度.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocumentKind {
    /// 政府信息公开指南.
    Guide,
    /// 政府信息公开制度.
    Rules,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 2] = [DocumentKind::Guide, DocumentKind::Rules];

    pub fn key(self) -> &'static str {
        match self {
            DocumentKind::Guide => "guide",
            DocumentKind::Rules => "rules",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            DocumentKind::Guide => "指南",
            DocumentKind::Rules => "制度",
        }
    }

    /// The kind for its key (`guide`, `rules`) or its Chinese name (`指南`, `制度`).
    pub fn from_key(key: &str) -> Option<DocumentKind> {
        let key = key.trim();
        DocumentKind::ALL
            .into_iter()
            .find(|k| k.key() == key || k.zh() == key)
    }
}

impl fmt::Display for DocumentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips_by_key_and_name() {
        // A new variant does not compile until it has a position here.
        let position = |k: DocumentKind| match k {
            DocumentKind::Guide => 0,
            DocumentKind::Rules => 1,
        };
        for k in DocumentKind::ALL {
            assert_eq!(DocumentKind::ALL.get(position(k)), Some(&k));
            assert_eq!(DocumentKind::from_key(k.key()), Some(k));
            assert_eq!(DocumentKind::from_key(k.zh()), Some(k));
        }
        assert_eq!(DocumentKind::from_key("manual"), None);
    }
}
