//! Behaviour of the index: exact 文号/索引号, query syntax, facets, pages, visibility of changes,
//! phrases and snippets, a corrupt or locked directory, rebuild.

use std::time::Instant;

use gongkai_core::ids::{AgencyId, ItemId};
use gongkai_search::{
    FacetCount, Opened, QueryError, SearchError, SearchIndex, SearchQuery, SearchResults,
};

use crate::doc;

fn items(results: &SearchResults) -> Vec<i64> {
    results.hits.iter().map(|h| h.item.get()).collect()
}

fn search(index: &SearchIndex, text: &str) -> SearchResults {
    index
        .search(&SearchQuery::new(text))
        .unwrap_or_else(|e| panic!("{text:?}: {e}"))
}

/// Items that compete with the one carrying the 文号: the same issuer code, year and serial in
/// their text, and a title full of the words.
fn doc_number_corpus() -> SearchIndex {
    let index = SearchIndex::in_memory().expect("index");
    let mut target = doc(7, "关于印发某项制度的通知", "印发制度。");
    target.doc_number = Some("张店政办发[2021]3号".to_string());
    target.index_number = Some("11370303MB2858283X/2021-00012".to_string());
    let mut other_number = doc(8, "关于某项工作的通知", "工作安排。");
    other_number.doc_number = Some("张店政办发〔2021〕13号".to_string());
    other_number.index_number = Some("11370303MB2858283X/2021-00013".to_string());
    let docs = vec![
        target,
        other_number,
        doc(
            1,
            "张店政办发2021年3号文件张店政办发解读",
            "张店政办发 2021 3号 张店政办发〔2021〕3号文件的解读，张店政办发。",
        ),
        doc(2, "张店政办发", "张店政办发 2021 3 号"),
    ];
    index.rebuild(docs, |_| {}).expect("rebuild");
    index
}

#[test]
fn a_doc_number_in_any_bracket_style_finds_its_item_first() {
    let index = doc_number_corpus();
    for typed in [
        "张店政办发〔2021〕3号",
        "张店政办发[2021]3号",
        "张店政办发(2021)3号",
        "张店政办发（2021）3号",
        "张店政办发【2021】3号",
        "张店政办发［２０２１］３号",
        "  张店政办发 〔2021〕 3号 ",
    ] {
        let results = search(&index, typed);
        assert_eq!(
            results.hits.first().map(|h| h.item.get()),
            Some(7),
            "{typed}: {:?}",
            items(&results)
        );
    }
    let results = search(&index, "张店政办发〔2021〕13号");
    assert_eq!(items(&results).first(), Some(&8));
}

#[test]
fn an_index_number_finds_its_item_first() {
    let index = doc_number_corpus();
    for typed in [
        "11370303MB2858283X/2021-00012",
        "11370303mb2858283x/2021-00012",
        "１１３７０３０３ＭＢ２８５８２８３Ｘ／２０２１－０００１２",
    ] {
        let results = search(&index, typed);
        assert_eq!(
            items(&results).first(),
            Some(&7),
            "{typed}: {:?}",
            items(&results)
        );
    }
    assert_eq!(
        items(&search(&index, "11370303MB2858283X/2021-00013")).first(),
        Some(&8)
    );
}

#[test]
fn query_syntax_typed_by_a_citizen_is_text() {
    let index = SearchIndex::in_memory().expect("index");
    index
        .upsert(&doc(1, "公务用车管理办法", "公务用车的配备和使用。"))
        .expect("upsert");
    index.commit().expect("commit");
    for typed in [
        "\"",
        "\"公务用车",
        "公务用车\"",
        "“公务用车",
        "*",
        "?",
        "公务*",
        "公务~2",
        "公务^3",
        "title:公务用车",
        "body:\"公务\"",
        "+公务 -用车",
        "(公务",
        "公务)",
        "[2021 TO 2022]",
        "{a TO b}",
        "公务 AND 用车",
        "公务 OR",
        "NOT 公务",
        "\\",
        "/",
        "公务/用车",
        "a:b:c",
        "!",
        "&&",
        "||",
        "《公务用车管理办法》",
        "<script>alert(1)</script>",
        "'; DROP TABLE",
        "%",
        "ＡＮＤ",
        "\u{0}",
        "公务\t用车\n",
    ] {
        let results = index.search(&SearchQuery::new(typed));
        assert!(results.is_ok(), "{typed:?}: {:?}", results.err());
    }
    assert_eq!(items(&search(&index, "title:公务用车")), [1]);
    assert_eq!(items(&search(&index, "+公务 -用车")), [1]);
    assert_eq!(items(&search(&index, "《公务用车管理办法》")), [1]);
    assert!(search(&index, "<script>").hits.is_empty());
}

#[test]
fn over_long_and_empty_queries_are_typed_errors() {
    let index = SearchIndex::in_memory().expect("index");
    let long = "政府信息公开".repeat(17);
    match index.search(&SearchQuery::new(long)) {
        Err(
            e @ SearchError::Query(QueryError::TooLong {
                chars: 102,
                max: 100,
            }),
        ) => {
            assert!(e.is_query());
            assert!(e.zh().contains("100"), "{}", e.zh());
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        index.search(&SearchQuery::new(" \u{3000} ")),
        Err(SearchError::Query(QueryError::Empty))
    ));
    let mut q = SearchQuery::new("节能");
    q.page = 0;
    assert!(matches!(
        index.search(&q),
        Err(SearchError::Query(QueryError::BadPage { .. }))
    ));
}

#[test]
fn facets_count_every_match_and_filters_narrow() {
    let index = SearchIndex::in_memory().expect("index");
    let mut docs = Vec::new();
    for i in 1..=12 {
        let mut d = doc(i, &format!("节能工作第{i}期"), "公共机构节能。");
        d.agency = AgencyId::new(if i <= 8 { 1 } else { 2 });
        d.column = if i % 3 == 0 {
            "会议公开"
        } else {
            "业务动态"
        }
        .to_string();
        d.subject = (i % 4 != 0).then(|| "综合政务\\其他".to_string());
        d.year = if i <= 5 { 2020 } else { 2021 };
        docs.push(d);
    }
    docs.push(doc(13, "办公用房", "与节约无关。"));
    index.rebuild(docs, |_| {}).expect("rebuild");

    let mut q = SearchQuery::new("节能");
    q.per_page = 2;
    let r = index.search(&q).expect("search");
    assert_eq!((r.total, r.hits.len()), (12, 2));
    let f = &r.facets;
    assert_eq!(
        f.agency,
        [
            FacetCount {
                value: AgencyId::new(1),
                count: 8
            },
            FacetCount {
                value: AgencyId::new(2),
                count: 4
            }
        ]
    );
    assert_eq!(
        f.column,
        [
            FacetCount {
                value: "业务动态".to_string(),
                count: 8
            },
            FacetCount {
                value: "会议公开".to_string(),
                count: 4
            }
        ]
    );
    assert_eq!(
        f.subject,
        [FacetCount {
            value: "综合政务\\其他".to_string(),
            count: 9
        }]
    );
    assert_eq!(
        f.year,
        [
            FacetCount {
                value: 2021,
                count: 7
            },
            FacetCount {
                value: 2020,
                count: 5
            }
        ]
    );

    q.column = Some("会议公开".to_string());
    q.year = Some(2021);
    q.per_page = 10;
    let r = index.search(&q).expect("search");
    let mut got = items(&r);
    got.sort();
    assert_eq!(got, [6, 9, 12]);
    assert_eq!(r.total, 3);
    assert_eq!(
        r.facets.column,
        [FacetCount {
            value: "会议公开".to_string(),
            count: 3
        }]
    );

    q.column = None;
    q.year = None;
    q.agency = Some(AgencyId::new(2));
    q.subject = Some("综合政务\\其他".to_string());
    let mut got = items(&index.search(&q).expect("search"));
    got.sort();
    assert_eq!(got, [9, 10, 11]);
}

#[test]
fn pages_split_the_ranking() {
    let index = SearchIndex::in_memory().expect("index");
    let docs = (1..=25).map(|i| doc(i, &format!("垃圾分类工作简报{i}"), "垃圾分类。"));
    index.rebuild(docs, |_| {}).expect("rebuild");
    let mut q = SearchQuery::new("垃圾分类");
    let mut seen = Vec::new();
    for (page, len) in [(1, 10), (2, 10), (3, 5), (4, 0)] {
        q.page = page;
        let r = index.search(&q).expect("search");
        assert_eq!((r.total, r.hits.len(), r.page), (25, len, page));
        seen.extend(items(&r));
    }
    seen.sort();
    assert_eq!(seen, (1..=25).collect::<Vec<_>>());
}

#[test]
fn the_index_can_be_shared_between_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<SearchIndex>();
}

#[test]
fn changes_are_seen_after_commit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (index, _) = SearchIndex::open_or_create(dir.path()).expect("index");
    index
        .upsert(&doc(1, "冬季供暖保障工作", "开展冬季供暖保障。"))
        .expect("upsert");
    assert_eq!(search(&index, "供暖").total, 0, "not before commit");
    let started = Instant::now();
    index.commit().expect("commit");
    assert_eq!(items(&search(&index, "供暖")), [1]);
    println!("commit + search on disk: {:?}", started.elapsed());
    assert!(
        started.elapsed().as_millis() < 1000,
        "{:?}",
        started.elapsed()
    );

    // A revision replaces the item: the old words are gone.
    index
        .upsert(&doc(1, "防汛安全检查", "开展防汛安全检查。"))
        .expect("upsert");
    index.commit().expect("commit");
    assert_eq!(search(&index, "供暖").total, 0);
    assert_eq!(items(&search(&index, "防汛")), [1]);
    assert_eq!(index.num_docs(), 1);

    // A withdrawal removes it.
    index.remove(ItemId::new(1)).expect("remove");
    index.commit().expect("commit");
    assert_eq!(search(&index, "防汛").total, 0);
    assert_eq!(index.num_docs(), 0);
}

#[test]
fn quoted_text_is_a_phrase_and_words_match_anywhere() {
    let index = SearchIndex::in_memory().expect("index");
    index.upsert(&doc(1, "节能宣传周活动", "")).expect("upsert");
    index
        .upsert(&doc(2, "宣传工作", "节能产品推广。"))
        .expect("upsert");
    index.commit().expect("commit");
    let mut both = items(&search(&index, "节能宣传"));
    both.sort();
    assert_eq!(both, [1, 2], "words anywhere");
    assert_eq!(items(&search(&index, "\"节能宣传\"")), [1]);
    assert_eq!(items(&search(&index, "“节能宣传”")), [1]);
    assert_eq!(
        items(&search(&index, "「能宣」")),
        [1],
        "a phrase across words"
    );
    // Words that are all missing from every item: nothing; some missing: the relaxed pass.
    assert_eq!(search(&index, "行政复议").total, 0);
    let r = search(&index, "节能 行政复议");
    assert!(r.relaxed && r.total == 2, "{r:?}");
}

#[test]
fn snippets_are_escaped_and_marked() {
    let index = SearchIndex::in_memory().expect("index");
    let body = format!(
        "{}<b>本中心</b>开展“光盘行动”主题宣传 & 倡议。{}",
        "前言。".repeat(30),
        "后记。".repeat(30)
    );
    index
        .upsert(&doc(1, "开展“光盘行动”主题宣传", &body))
        .expect("upsert");
    index.commit().expect("commit");
    let r = search(&index, "光盘行动");
    let hit = &r.hits[0];
    assert_eq!(hit.title_html, "开展“<mark>光盘行动</mark>”主题宣传");
    assert!(
        hit.snippet_html.contains("&lt;b&gt;本中心&lt;/b&gt;"),
        "{}",
        hit.snippet_html
    );
    assert!(
        hit.snippet_html.contains("“<mark>光盘行动</mark>”"),
        "{}",
        hit.snippet_html
    );
    assert!(hit.snippet_html.contains("&amp;"), "{}", hit.snippet_html);
    assert!(hit.snippet_html.starts_with('…') && hit.snippet_html.ends_with('…'));
    assert_eq!(hit.agency_name, "淄博市张店区机关事务服务中心");
    assert_eq!(hit.published_on, time::macros::date!(2021 - 03 - 01));
}

#[test]
fn a_corrupt_or_missing_index_is_recreated_empty() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("search");
    let (index, opened) = SearchIndex::open_or_create(&path).expect("create");
    assert_eq!(opened, Opened::Created);
    assert!(opened.needs_rebuild());
    index.upsert(&doc(1, "宪法宣传周", "")).expect("upsert");
    index.commit().expect("commit");
    let live = index.live_dir().expect("on disk");
    drop(index);

    let (index, opened) = SearchIndex::open_or_create(&path).expect("reopen");
    assert_eq!(opened, Opened::Existing);
    assert_eq!(items(&search(&index, "宪法")), [1]);
    // One process at a time.
    assert!(matches!(
        SearchIndex::open_or_create(&path),
        Err(SearchError::Locked { .. })
    ));
    drop(index);

    std::fs::write(live.join("meta.json"), b"\x00garbage{{{").expect("write garbage");
    let (index, opened) = SearchIndex::open_or_create(&path).expect("reopen corrupt");
    assert!(
        matches!(&opened, Opened::Recreated { reason } if reason.contains("meta")),
        "{opened:?}"
    );
    assert_eq!(index.num_docs(), 0);
    assert!(!live.exists(), "the corrupt generation is removed");
    index.upsert(&doc(2, "宪法宣传周", "")).expect("upsert");
    index.commit().expect("commit");
    assert_eq!(items(&search(&index, "宪法")), [2]);
    drop(index);

    std::fs::write(path.join("CURRENT"), "gen-nonsense\n").expect("write");
    let (index, opened) = SearchIndex::open_or_create(&path).expect("reopen");
    assert!(matches!(opened, Opened::Recreated { .. }), "{opened:?}");
    assert_eq!(index.num_docs(), 0);
    drop(index);

    std::fs::remove_file(path.join("CURRENT")).expect("remove");
    let (index, opened) = SearchIndex::open_or_create(&path).expect("reopen");
    assert!(matches!(opened, Opened::Recreated { .. }), "{opened:?}");

    // A segment file lost.
    index.upsert(&doc(3, "宪法宣传周", "")).expect("upsert");
    index.commit().expect("commit");
    let live = index.live_dir().expect("on disk");
    drop(index);
    for entry in std::fs::read_dir(&live).expect("read dir") {
        let file = entry.expect("entry").path();
        if file.extension().is_some_and(|e| e == "idx") {
            std::fs::remove_file(file).expect("remove");
        }
    }
    let (index, opened) = SearchIndex::open_or_create(&path).expect("reopen");
    assert!(
        matches!(&opened, Opened::Recreated { reason } if reason.contains(".idx")),
        "{opened:?}"
    );
    assert_eq!(search(&index, "宪法").total, 0);
}

#[test]
fn rebuild_swaps_in_a_new_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("search");
    let (index, _) = SearchIndex::open_or_create(&path).expect("create");
    index.upsert(&doc(1, "旧的条目", "")).expect("upsert");
    index.commit().expect("commit");
    let old = index.live_dir().expect("on disk");

    let mut seen = Vec::new();
    let docs = (2..=4).map(|i| doc(i, &format!("新的条目{i}"), ""));
    let n = index
        .rebuild(docs, |done| seen.push(done))
        .expect("rebuild");
    assert_eq!((n, seen), (3, vec![1, 2, 3]));
    let new = index.live_dir().expect("on disk");
    assert_ne!(new, old);
    assert!(!old.exists());
    assert_eq!(search(&index, "旧的").total, 0);
    assert_eq!(search(&index, "新的条目").total, 3);

    // Changes after a rebuild go to the new index, and it survives a restart.
    index.upsert(&doc(5, "新的条目5", "")).expect("upsert");
    index.commit().expect("commit");
    drop(index);
    let (index, opened) = SearchIndex::open_or_create(&path).expect("reopen");
    assert_eq!(opened, Opened::Existing);
    assert_eq!(search(&index, "新的条目").total, 4);
}
