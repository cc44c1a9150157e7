//! Reading the markup: the main loop over text, tags, comments and declarations, each read as
//! html5ever's tokenizer reads it, and the text written back.

use super::Bounder;
use super::limits::HtmlLimit;

/// A tag as the tokenizer reads it.
pub(super) struct Tag {
    /// Lowercase name.
    pub(super) name: String,
    /// The index after its `>`.
    pub(super) end: usize,
    /// `/>`: the index of the slash.
    pub(super) self_closing: Option<usize>,
    pub(super) attributes: usize,
}

pub(super) fn is_ws(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
}

impl Bounder<'_> {
    pub(super) fn run(&mut self) -> Result<(), HtmlLimit> {
        let n = self.bytes.len();
        let mut i = 0;
        let mut text_from = 0;
        while i < n {
            let Some(lt) = self.bytes[i..].iter().position(|&c| c == b'<') else {
                break;
            };
            let at = i + lt;
            let next = self.bytes.get(at + 1).copied();
            match next {
                Some(c) if c.is_ascii_alphabetic() => {
                    self.text(text_from, at);
                    let Some(tag) = self.tag(at + 1) else {
                        // A tag cut off by the end of the file is dropped with the rest.
                        return Ok(());
                    };
                    match self.start(at, tag)? {
                        Some(resume) => i = resume,
                        None => return Ok(()),
                    }
                    text_from = i;
                }
                Some(b'/') => match self.bytes.get(at + 2).copied() {
                    Some(c) if c.is_ascii_alphabetic() => {
                        self.text(text_from, at);
                        let Some(tag) = self.tag(at + 2) else {
                            return Ok(());
                        };
                        i = tag.end;
                        self.end(&tag.name)?;
                        text_from = i;
                    }
                    Some(b'>') => {
                        self.text(text_from, at);
                        i = at + 3;
                        text_from = i;
                    }
                    None => break,
                    Some(_) => {
                        self.text(text_from, at);
                        i = self.bogus_comment(at + 2);
                        text_from = i;
                    }
                },
                Some(b'!') => {
                    self.text(text_from, at);
                    i = self.declaration(at);
                    text_from = i;
                }
                Some(b'?') => {
                    self.text(text_from, at);
                    i = self.bogus_comment(at + 2);
                    text_from = i;
                }
                _ => i = at + 1,
            }
        }
        self.text(text_from, n);
        Ok(())
    }

    /// Text as it stands, less NUL characters (html5ever drops them from the body; each is a
    /// parse error otherwise), and with `<` written `&lt;`: text that was not markup must not
    /// become markup next to what follows it once a comment or a flattened tag between them
    /// is left out (`<<!-- -->div>` is text, `<div>` would be a tag).
    pub(super) fn text(&mut self, from: usize, to: usize) {
        if from >= to {
            return;
        }
        let t = &self.src[from..to];
        if t.contains(['\0', '<']) {
            for c in t.chars() {
                match c {
                    '\0' => {}
                    '<' => self.out.push_str("&lt;"),
                    c => self.out.push(c),
                }
            }
        } else {
            self.out.push_str(t);
        }
    }

    /// Reads a tag whose name starts at `from`; `None` when the file ends inside it.
    pub(super) fn tag(&self, from: usize) -> Option<Tag> {
        let b = self.bytes;
        let n = b.len();
        let mut k = from;
        while k < n && !is_ws(b[k]) && b[k] != b'/' && b[k] != b'>' {
            k += 1;
        }
        let name = self.src[from..k].to_ascii_lowercase();
        let mut attributes = 0;
        let mut self_closing = None;
        #[derive(Clone, Copy)]
        enum S {
            BeforeName,
            Name,
            AfterName,
            BeforeValue,
            AfterQuoted,
            SelfClosing,
        }
        let mut s = S::BeforeName;
        loop {
            let c = *b.get(k)?;
            match s {
                S::BeforeName => {
                    if is_ws(c) {
                        k += 1;
                    } else if c == b'/' {
                        s = S::SelfClosing;
                        k += 1;
                    } else if c == b'>' {
                        return Some(Tag {
                            name,
                            end: k + 1,
                            self_closing,
                            attributes,
                        });
                    } else {
                        attributes += 1;
                        s = S::Name;
                        k += 1;
                    }
                }
                S::Name => {
                    if is_ws(c) {
                        s = S::AfterName;
                        k += 1;
                    } else if c == b'/' {
                        s = S::SelfClosing;
                        k += 1;
                    } else if c == b'>' {
                        s = S::BeforeName;
                    } else if c == b'=' {
                        s = S::BeforeValue;
                        k += 1;
                    } else {
                        k += 1;
                    }
                }
                S::AfterName => {
                    if is_ws(c) {
                        k += 1;
                    } else if c == b'/' {
                        s = S::SelfClosing;
                        k += 1;
                    } else if c == b'=' {
                        s = S::BeforeValue;
                        k += 1;
                    } else if c == b'>' {
                        s = S::BeforeName;
                    } else {
                        attributes += 1;
                        s = S::Name;
                        k += 1;
                    }
                }
                S::BeforeValue => {
                    if is_ws(c) {
                        k += 1;
                    } else if c == b'"' || c == b'\'' {
                        let close = b[k + 1..].iter().position(|&x| x == c)?;
                        k = k + 1 + close + 1;
                        s = S::AfterQuoted;
                    } else if c == b'>' {
                        s = S::BeforeName;
                    } else {
                        // Unquoted: up to whitespace or `>` (a `/` belongs to the value).
                        while k < n && !is_ws(b[k]) && b[k] != b'>' {
                            k += 1;
                        }
                        s = S::BeforeName;
                    }
                }
                S::AfterQuoted => {
                    if c == b'/' {
                        s = S::SelfClosing;
                        k += 1;
                    } else {
                        s = S::BeforeName;
                    }
                }
                S::SelfClosing => {
                    if c == b'>' {
                        self_closing = Some(k - 1);
                        return Some(Tag {
                            name,
                            end: k + 1,
                            self_closing,
                            attributes,
                        });
                    }
                    s = S::BeforeName;
                }
            }
        }
    }

    /// `<!…`: a comment or a bogus comment (dropped), a DOCTYPE (kept), CDATA (its text kept
    /// as text in foreign content, else a bogus comment). Returns the index after it.
    pub(super) fn declaration(&mut self, at: usize) -> usize {
        let b = self.bytes;
        let rest = &b[at + 2..];
        if rest.starts_with(b"--") {
            return self.comment(at + 4);
        }
        if rest.len() >= 7 && rest[..7].eq_ignore_ascii_case(b"doctype") {
            let end = self.bogus_comment(at + 2);
            if self.src[at..end].ends_with('>') {
                self.out.push_str(&self.src[at..end]);
            }
            return end;
        }
        if rest.starts_with(b"[CDATA[") && self.in_foreign() {
            let from = at + 9;
            let (to, end) = match find(&b[from..], b"]]>") {
                Some(p) => (from + p, from + p + 3),
                None => (b.len(), b.len()),
            };
            escape_into(&mut self.out, &self.src[from..to]);
            return end;
        }
        self.bogus_comment(at + 2)
    }

    /// A comment whose text starts at `from`: it ends at `-->`, `--!>`, or right away with
    /// `<!-->` / `<!--->`. Returns the index after it.
    pub(super) fn comment(&self, from: usize) -> usize {
        let b = self.bytes;
        let n = b.len();
        if b.get(from) == Some(&b'>') {
            return from + 1;
        }
        if b.get(from) == Some(&b'-') && b.get(from + 1) == Some(&b'>') {
            return from + 2;
        }
        let mut k = from;
        while let Some(p) = find(&b[k..], b"--") {
            let mut m = k + p + 2;
            while m < n && b[m] == b'-' {
                m += 1;
            }
            if b.get(m) == Some(&b'>') {
                return m + 1;
            }
            if b.get(m) == Some(&b'!') && b.get(m + 1) == Some(&b'>') {
                return m + 2;
            }
            k = m;
        }
        n
    }

    /// A bogus comment (`<?…>`, `<!x…>`, `</1…>`): up to the next `>`.
    pub(super) fn bogus_comment(&self, from: usize) -> usize {
        match self.bytes[from.min(self.bytes.len())..]
            .iter()
            .position(|&c| c == b'>')
        {
            Some(p) => from + p + 1,
            None => self.bytes.len(),
        }
    }
}

pub(super) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Text as HTML text: `&`, `<` and `>` escaped.
pub(super) fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\0' => {}
            c => out.push(c),
        }
    }
}
