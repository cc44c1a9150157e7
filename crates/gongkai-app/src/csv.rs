//! CSV as the exports write it (RFC 4180): fields quoted when needed, and a leading formula
//! character (`=`, `+`, `-`, `@`, tab, carriage return, NUL; ASVS 1.2.10) neutralised with a
//! single quote so that a spreadsheet does not run it — except in a plain number such as `-18`,
//! which stays a number.

/// The first characters that make a spreadsheet read a cell as a formula.
const FORMULA: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\0'];

/// One field.
pub fn field(s: &str) -> String {
    let number = s.parse::<f64>().is_ok() && !s.starts_with(['+', '@', '=']);
    let s = if s.starts_with(FORMULA) && !number {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// One line of fields, ended by CRLF.
pub fn line<S: AsRef<str>>(fields: &[S]) -> String {
    let mut out = fields
        .iter()
        .map(|f| field(f.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_stay_numbers_and_formulas_are_neutralised() {
        assert_eq!(field("-18"), "-18");
        assert_eq!(field("12.5"), "12.5");
        assert_eq!(field("-x"), "'-x");
        assert_eq!(field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(field("+1"), "'+1");
        assert_eq!(
            field("@SUM(1+1)*cmd|' /C calc'!A0"),
            "'@SUM(1+1)*cmd|' /C calc'!A0"
        );
        assert_eq!(field("\t=1+1"), "'\t=1+1");
        assert_eq!(field("\r=1"), "\"'\r=1\"");
        assert_eq!(field("\0x"), "'\0x");
        assert_eq!(
            field("=HYPERLINK(\"http://x\",\"点击\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"点击\"\")\""
        );
        assert_eq!(line(&["a,b", "c"]), "\"a,b\",c\r\n");
    }
}
