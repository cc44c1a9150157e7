//! The search index end to end, one test binary for the crate (one link).

mod index;
mod relevance;

use gongkai_core::ids::{AgencyId, ItemId};
use gongkai_search::SearchDoc;
use time::macros::date;

/// An item of agency 1 in 栏目 政策文件, published 2021-03-01, with the given title and body.
pub fn doc(id: i64, title: &str, body: &str) -> SearchDoc {
    SearchDoc {
        item: ItemId::new(id),
        agency: AgencyId::new(1),
        agency_name: "淄博市张店区机关事务服务中心".to_string(),
        title: title.to_string(),
        body_text: body.to_string(),
        doc_number: None,
        index_number: None,
        column: "政策文件".to_string(),
        subject: Some("综合政务\\其他".to_string()),
        genre: Some("通知".to_string()),
        year: 2021,
        published_on: date!(2021 - 03 - 01),
    }
}
