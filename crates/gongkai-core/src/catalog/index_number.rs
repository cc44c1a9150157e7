//! 索引号: assigned at publication, unique per agency, never reused (docs/rules/catalogue.md). The
//! pattern is configurable; the default `{org_code}/{year}-{seq:05}` gives `000014349/2018-00222`.
//!
//! Placeholders: `{org_code}` (the agency's code), `{year}` (four digits), `{month}` (two digits),
//! `{seq}` or `{seq:0N}` (the running number, zero-padded to N digits). The running number counts
//! within a *scope*: the pattern rendered without the number, so a pattern with `{year}` restarts
//! every year and one without it never does; either way no number is ever issued twice.

use super::error::CatalogError;
use time::Date;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexPattern {
    text: String,
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    OrgCode,
    Year,
    Month,
    Seq { width: usize },
}

impl IndexPattern {
    pub fn parse(text: &str) -> Result<IndexPattern, CatalogError> {
        let bad = |reason: &str| CatalogError::IndexPattern {
            pattern: text.to_string(),
            reason: reason.to_string(),
        };
        let mut parts = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            match rest.find('{') {
                Some(0) => {
                    let end = rest.find('}').ok_or_else(|| bad("unclosed {"))?;
                    let name = &rest[1..end];
                    parts.push(match name {
                        "org_code" => Part::OrgCode,
                        "year" => Part::Year,
                        "month" => Part::Month,
                        "seq" => Part::Seq { width: 1 },
                        _ => match name.strip_prefix("seq:") {
                            Some(w) => {
                                let w = w.trim_start_matches('0');
                                let width: usize = w.parse().map_err(|_| bad("bad {seq:0N}"))?;
                                if !(1..=12).contains(&width) {
                                    return Err(bad("sequence width must be 1 to 12"));
                                }
                                Part::Seq { width }
                            }
                            None => return Err(bad("unknown placeholder")),
                        },
                    });
                    rest = &rest[end + 1..];
                }
                Some(i) => {
                    parts.push(Part::Literal(rest[..i].to_string()));
                    rest = &rest[i..];
                }
                None => {
                    parts.push(Part::Literal(rest.to_string()));
                    rest = "";
                }
            }
        }
        if parts
            .iter()
            .any(|p| matches!(p, Part::Literal(l) if l.contains('}')))
        {
            return Err(bad("stray }"));
        }
        let seqs = parts
            .iter()
            .filter(|p| matches!(p, Part::Seq { .. }))
            .count();
        if seqs != 1 {
            return Err(bad("needs exactly one {seq} placeholder"));
        }
        Ok(IndexPattern {
            text: text.to_string(),
            parts,
        })
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The scope the running number counts in (the number replaced by `#`).
    pub fn scope(&self, org_code: &str, published_on: Date) -> String {
        self.render_with(org_code, published_on, None)
    }

    /// The 索引号 with running number `seq` (1-based).
    pub fn render(&self, org_code: &str, published_on: Date, seq: u64) -> String {
        self.render_with(org_code, published_on, Some(seq))
    }

    fn render_with(&self, org_code: &str, on: Date, seq: Option<u64>) -> String {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                Part::Literal(l) => out.push_str(l),
                Part::OrgCode => out.push_str(org_code),
                Part::Year => out.push_str(&format!("{:04}", on.year())),
                Part::Month => out.push_str(&format!("{:02}", u8::from(on.month()))),
                Part::Seq { width } => match seq {
                    Some(n) => out.push_str(&format!("{n:0width$}")),
                    None => out.push('#'),
                },
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn default_pattern_renders_like_gov_cn() {
        let p = IndexPattern::parse("{org_code}/{year}-{seq:05}").expect("valid");
        assert_eq!(
            p.render("000014349", date!(2018 - 06 - 01), 222),
            "000014349/2018-00222"
        );
        assert_eq!(
            p.scope("000014349", date!(2018 - 06 - 01)),
            "000014349/2018-#"
        );
        // The scope changes with the year, so numbering restarts yearly.
        assert_ne!(
            p.scope("000014349", date!(2018 - 12 - 31)),
            p.scope("000014349", date!(2019 - 01 - 01))
        );
    }

    #[test]
    fn other_observed_patterns() {
        let anhui = IndexPattern::parse("{org_code}/{year}{month}-{seq:05}").expect("valid");
        assert_eq!(
            anhui.render("11341702486344515H", date!(2021 - 10 - 08), 13),
            "11341702486344515H/202110-00013"
        );
        let flat = IndexPattern::parse("{org_code}-{seq:06}").expect("valid");
        assert_eq!(
            flat.scope("X", date!(2020 - 01 - 01)),
            flat.scope("X", date!(2030 - 01 - 01))
        );
        assert_eq!(flat.render("X", date!(2020 - 01 - 01), 7), "X-000007");
    }

    #[test]
    fn bad_patterns_are_refused() {
        for bad in [
            "{org_code}/{year}",
            "{seq}{seq}",
            "{org}/{seq}",
            "{org_code/{seq}",
            "{seq:0}",
            "a}{seq}",
        ] {
            assert!(IndexPattern::parse(bad).is_err(), "{bad}");
        }
    }
}
