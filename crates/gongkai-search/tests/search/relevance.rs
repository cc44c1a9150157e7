//! Recall@3 of the query file `tests/queries.tsv` over the demo catalogue (85 real items).

use gongkai_core::ids::{AgencyId, ItemId};
use gongkai_search::{SearchDoc, SearchIndex, SearchQuery};
use serde_json::Value;
use time::macros::format_description;

const CATALOG: &str = include_str!("../../../../data/demo/zhangdian-2021-catalog.json");
const QUERIES: &str = include_str!("../queries.tsv");

/// Markup removed, the common entities decoded: enough for the demo bodies.
fn strip_html(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// The demo items as the application would feed them, with their keys (position + 1 is the id).
fn demo_docs() -> (Vec<String>, Vec<SearchDoc>) {
    let catalog: Value = serde_json::from_str(CATALOG).expect("demo catalogue is JSON");
    let agency_name = catalog["agency"].as_str().expect("agency").to_string();
    let items = catalog["items"].as_array().expect("items");
    let mut keys = Vec::new();
    let mut docs = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let s = |k: &str| item[k].as_str().map(str::to_string);
        let published = s("published_at").expect("published_at");
        let published_on = time::Date::parse(
            &published[..10],
            format_description!("[year]-[month]-[day]"),
        )
        .expect("published_at starts with a date");
        keys.push(s("key").expect("key"));
        docs.push(SearchDoc {
            item: ItemId::new(i as i64 + 1),
            agency: AgencyId::new(1),
            agency_name: agency_name.clone(),
            title: s("title").expect("title"),
            body_text: strip_html(&s("body_html").unwrap_or_default()),
            doc_number: s("doc_number"),
            index_number: s("index_number"),
            column: s("column").expect("column"),
            subject: s("subject"),
            genre: s("genre"),
            year: published_on.year(),
            published_on,
        });
    }
    (keys, docs)
}

#[test]
fn recall_at_3_over_the_demo_catalogue() {
    let (keys, docs) = demo_docs();
    assert_eq!(docs.len(), 85);
    let index = SearchIndex::in_memory().expect("index");
    index.rebuild(docs.clone(), |_| {}).expect("rebuild");

    let mut total = 0;
    let mut found = 0;
    let mut first = 0;
    let mut misses = Vec::new();
    for line in QUERIES
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let (query, key) = line.split_once('\t').expect("query<TAB>key");
        let expected = keys
            .iter()
            .position(|k| k == key)
            .unwrap_or_else(|| panic!("no demo item with key {key}"));
        let results = index.search(&SearchQuery::new(query)).expect("search");
        let top3: Vec<&str> = results
            .hits
            .iter()
            .take(3)
            .map(|h| keys[h.item.get() as usize - 1].as_str())
            .collect();
        total += 1;
        if top3.first() == Some(&key) {
            first += 1;
        }
        if top3.contains(&key) {
            found += 1;
        } else {
            misses.push(format!(
                "  {query:?} → want {key} ({}), got {top3:?} (total {}, relaxed {})",
                docs[expected].title, results.total, results.relaxed
            ));
        }
    }
    let recall = found as f64 / total as f64;
    println!("recall@3 = {found}/{total} = {recall:.3} ({first} at rank 1)");
    for miss in &misses {
        println!("{miss}");
    }
    assert!(
        total >= 50,
        "the query file has {total} queries; at least 50"
    );
    assert!(
        recall >= 0.9,
        "recall@3 {recall:.3} below 0.9:\n{}",
        misses.join("\n")
    );
}
