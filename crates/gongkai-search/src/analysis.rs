//! Text analysis (docs/search.md#fields-and-tokenizers): one folding of characters, then two
//! tokenizers over the folded text — jieba words and CJK characters/bigrams — and the same
//! analysis of a query.

use std::sync::OnceLock;

use jieba_rs::Jieba;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy_jieba::{JiebaTokenStream, JiebaTokenizer};

/// Name under which the word tokenizer is registered.
pub(crate) const WORDS: &str = "gongkai_words";
/// Name under which the character tokenizer is registered.
pub(crate) const CHARS: &str = "gongkai_chars";

/// Longer tokens (a run of letters and digits, a URL without spaces) are not indexed.
const MAX_TOKEN_BYTES: usize = 64;

/// The domain words loaded into jieba (docs/search.md#the-dictionary).
const DICTIONARY: &str = include_str!("../../../data/search/dictionary.txt");

/// The one segmenter: jieba's default dictionary plus the domain words. Built on first use.
pub(crate) fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(|| {
        let mut jieba = Jieba::new();
        for word in dictionary_words() {
            jieba.add_word(word, None, None);
        }
        jieba
    })
}

fn dictionary_words() -> impl Iterator<Item = &'static str> {
    DICTIONARY
        .lines()
        .map(|line| line.split('#').next().unwrap_or("").trim())
        .filter(|word| !word.is_empty())
}

/// Folds one character: full-width ASCII to ASCII, the ideographic space to a space, ASCII
/// letters to lower case. One character in, one out, so positions in the folded text are
/// positions in the original.
pub(crate) fn fold_char(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0)
            .unwrap_or(c)
            .to_ascii_lowercase(),
        _ => c.to_ascii_lowercase(),
    }
}

/// The folded text that is indexed and that queries are matched against.
pub(crate) fn fold(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

/// Han, kana and Hangul: indexed character by character.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3007 | 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// A word character outside CJK: letters and digits of other scripts.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

/// True when a token carries something searchable (not punctuation or space).
fn is_searchable(text: &str) -> bool {
    text.len() <= MAX_TOKEN_BYTES && text.chars().any(char::is_alphanumeric)
}

/// jieba in search mode (a long word also yields the shorter words inside it), with ordinal
/// positions, without punctuation tokens.
#[derive(Clone)]
pub(crate) struct WordTokenizer {
    inner: JiebaTokenizer,
}

impl WordTokenizer {
    pub(crate) fn new() -> WordTokenizer {
        let mut inner = JiebaTokenizer::with_jieba(jieba().clone());
        inner.set_search_mode(true);
        inner.set_ordinal_position_mode(true);
        WordTokenizer { inner }
    }
}

pub(crate) struct WordStream<'a> {
    inner: JiebaTokenStream<'a>,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        WordStream {
            inner: self.inner.token_stream(text),
        }
    }
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        while self.inner.advance() {
            if is_searchable(&self.inner.token().text) {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.inner.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.inner.token_mut()
    }
}

/// The words of a query, cut the way jieba cuts a sentence (precise mode): each of them is also a
/// token of the search-mode index of the same words.
/// Particles (的, 和 …) are left out when other words remain: a citizen's 「公务用车的管理」 should
/// find 「公务用车管理」.
pub(crate) fn query_words(folded: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for token in jieba().cut(folded, true) {
        if is_searchable(token.word) && !words.iter().any(|w| w == token.word) {
            words.push(token.word.to_string());
        }
    }
    if words.iter().any(|w| !PARTICLES.contains(&w.as_str())) {
        words.retain(|w| !PARTICLES.contains(&w.as_str()));
    }
    words
}

const PARTICLES: [&str; 10] = ["的", "了", "和", "与", "及", "或", "之", "等", "在", "是"];

/// Every CJK character (a unigram) and every pair of adjacent CJK characters (a bigram, at the
/// position of its first character); a run of other letters and digits is one token. Positions
/// count characters, so a phrase of these tokens is a substring of the text.
#[derive(Clone, Default)]
pub(crate) struct CharTokenizer {
    tokens: Vec<Token>,
}

pub(crate) struct CharStream<'a> {
    tokens: &'a mut [Token],
    next: usize,
}

impl Tokenizer for CharTokenizer {
    type TokenStream<'a> = CharStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> CharStream<'a> {
        self.tokens.clear();
        char_tokens(text, &mut self.tokens);
        CharStream {
            tokens: &mut self.tokens,
            next: 0,
        }
    }
}

impl TokenStream for CharStream<'_> {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

fn char_tokens(text: &str, out: &mut Vec<Token>) {
    let push = |out: &mut Vec<Token>, from: usize, to: usize, position: usize| {
        out.push(Token {
            offset_from: from,
            offset_to: to,
            position,
            text: text[from..to].to_string(),
            position_length: 1,
        });
    };
    let mut position = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let end = start + c.len_utf8();
        if is_cjk(c) {
            push(out, start, end, position);
            if let Some(&(next, d)) = chars.peek()
                && is_cjk(d)
            {
                push(out, start, next + d.len_utf8(), position);
            }
            position += 1;
        } else if is_word_char(c) {
            let mut run_end = end;
            while let Some(&(next, d)) = chars.peek() {
                if !is_word_char(d) {
                    break;
                }
                run_end = next + d.len_utf8();
                chars.next();
            }
            if run_end - start <= MAX_TOKEN_BYTES {
                push(out, start, run_end, position);
            }
            position += 1;
        }
    }
}

/// The character terms of a query phrase with their offsets: a substring of the indexed text
/// matches exactly when these terms occur at these relative positions. A run of CJK characters is
/// covered by non-overlapping bigrams (plus one overlapping bigram for an odd length), a single
/// CJK character by its unigram, a run of letters and digits by itself.
pub(crate) fn query_chars(folded: &str) -> Vec<(usize, String)> {
    let mut terms = Vec::new();
    let chars: Vec<char> = folded.chars().collect();
    let mut position = 0;
    let mut i = 0;
    while i < chars.len() {
        if is_cjk(chars[i]) {
            let run_start = i;
            while i < chars.len() && is_cjk(chars[i]) {
                i += 1;
            }
            let run: &[char] = &chars[run_start..i];
            if run.len() == 1 {
                terms.push((position, run[0].to_string()));
            } else {
                let mut starts: Vec<usize> = (0..run.len() - 1).step_by(2).collect();
                if starts.last().is_some_and(|s| s + 2 < run.len()) {
                    starts.push(run.len() - 2);
                }
                for s in starts {
                    terms.push((position + s, run[s..s + 2].iter().collect()));
                }
            }
            position += run.len();
        } else if is_word_char(chars[i]) {
            let run_start = i;
            while i < chars.len() && is_word_char(chars[i]) {
                i += 1;
            }
            let word: String = chars[run_start..i].iter().collect();
            if word.len() <= MAX_TOKEN_BYTES {
                terms.push((position, word));
            }
            position += 1;
        } else {
            i += 1;
        }
    }
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(tokenizer: &mut impl Tokenizer, text: &str) -> Vec<(String, usize)> {
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push((stream.token().text.clone(), stream.token().position));
        }
        out
    }

    #[test]
    fn folding_keeps_one_char_per_char() {
        assert_eq!(fold("ＡＢｃ１２\u{3000}Ｚ文号"), "abc12 z文号");
        assert_eq!(fold("张机事发［２０２１］"), "张机事发[2021]");
    }

    #[test]
    fn dictionary_words_are_cut_whole() {
        for word in dictionary_words() {
            assert_eq!(query_words(word), vec![word.to_string()], "{word}");
        }
        assert_eq!(query_words("依申请公开的办理"), ["依申请公开", "办理"]);
    }

    #[test]
    fn word_tokens_have_ordinal_positions_and_no_punctuation() {
        let tokens = texts(
            &mut WordTokenizer::new(),
            "《党政机关公务用车管理办法》解读",
        );
        let words: Vec<&str> = tokens.iter().map(|(t, _)| t.as_str()).collect();
        assert!(
            !words.contains(&"《") && !words.contains(&"》"),
            "{words:?}"
        );
        assert!(
            words.contains(&"公务用车") && words.contains(&"公务"),
            "{words:?}"
        );
        // Ordinal positions: 0, 1, 2 … with gaps only where punctuation was dropped.
        let positions: Vec<usize> = tokens.iter().map(|(_, p)| *p).collect();
        assert!(positions.windows(2).all(|w| w[1] > w[0]), "{positions:?}");
        assert!(positions.iter().all(|p| *p < 16), "{positions:?}");
    }

    #[test]
    fn char_tokens_are_unigrams_bigrams_and_words() {
        let tokens = texts(&mut CharTokenizer::default(), "第0086号提案，ab");
        assert_eq!(
            tokens,
            [
                ("第", 0),
                ("0086", 1),
                ("号", 2),
                ("号提", 2),
                ("提", 3),
                ("提案", 3),
                ("案", 4),
                ("ab", 5)
            ]
            .map(|(t, p)| (t.to_string(), p))
        );
    }

    #[test]
    fn query_chars_cover_the_phrase() {
        let q = |s: &str| query_chars(s);
        assert_eq!(q("节"), [(0, "节".to_string())]);
        assert_eq!(q("节能"), [(0, "节能".to_string())]);
        assert_eq!(
            q("节能宣"),
            [(0, "节能".to_string()), (1, "能宣".to_string())]
        );
        assert_eq!(
            q("节能宣传周"),
            [
                (0, "节能".to_string()),
                (2, "宣传".to_string()),
                (3, "传周".to_string())
            ]
        );
        assert_eq!(
            q("0086号"),
            [(0, "0086".to_string()), (1, "号".to_string())]
        );
        assert!(q("《》 ,.").is_empty());
    }
}
