//! The index schema (docs/search.md#fields-and-tokenizers). Changing it means a new
//! `SCHEMA_VERSION`: an index of another version is rebuilt on open.

use tantivy::Index;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use crate::analysis::{CHARS, CharTokenizer, WORDS, WordTokenizer};

/// Written as the payload of every commit and checked on open. Bump it when the fields, the
/// tokenizers or `data/search/dictionary.txt` change: older indexes are then recreated.
pub(crate) const SCHEMA_VERSION: &str = "gongkai-search/2";

/// The fields, by role.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub(crate) item: Field,
    pub(crate) agency: Field,
    pub(crate) agency_name: Field,
    pub(crate) title: Field,
    pub(crate) body: Field,
    pub(crate) doc_number: Field,
    pub(crate) index_number: Field,
    pub(crate) published_on: Field,
    pub(crate) year: Field,
    pub(crate) column: Field,
    pub(crate) subject: Field,
    pub(crate) title_words: Field,
    pub(crate) body_words: Field,
    pub(crate) meta_words: Field,
    pub(crate) title_chars: Field,
    pub(crate) body_chars: Field,
    pub(crate) meta_chars: Field,
    pub(crate) exact: Field,
}

pub(crate) fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let words = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(WORDS)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let chars = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(CHARS)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let facet = STRING | FAST;
    let fields = Fields {
        item: b.add_i64_field("item", INDEXED | STORED | FAST),
        agency: b.add_i64_field("agency", INDEXED | STORED | FAST),
        agency_name: b.add_text_field("agency_name", STORED),
        title: b.add_text_field("title", STORED),
        body: b.add_text_field("body", STORED),
        doc_number: b.add_text_field("doc_number", STORED),
        index_number: b.add_text_field("index_number", STORED),
        published_on: b.add_i64_field("published_on", STORED | FAST),
        year: b.add_i64_field("year", INDEXED | FAST),
        column: b.add_text_field("column", facet.clone()),
        subject: b.add_text_field("subject", facet),
        title_words: b.add_text_field("title_words", words.clone()),
        body_words: b.add_text_field("body_words", words.clone()),
        meta_words: b.add_text_field("meta_words", words),
        title_chars: b.add_text_field("title_chars", chars.clone()),
        body_chars: b.add_text_field("body_chars", chars.clone()),
        meta_chars: b.add_text_field("meta_chars", chars),
        exact: b.add_text_field("exact", STRING),
    };
    (b.build(), fields)
}

/// Registers the two tokenizers, which tantivy does not persist.
pub(crate) fn register_tokenizers(index: &Index) {
    index.tokenizers().register(WORDS, WordTokenizer::new());
    index.tokenizers().register(CHARS, CharTokenizer::default());
}
