//! `/search`: one box on every page; Chinese words, phrases in quotes, and an exact 文号 or
//! 索引号 in any bracket style (the index ranks that item first); facets and pages.

use crate::page::{Page, encode};
use crate::portal::{Facet, FacetOption, Pager, render};
use crate::{WebError, WebState};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use gongkai_core::ids::AgencyId;
use gongkai_search::{SearchQuery, SearchResults};
use std::collections::{BTreeMap, HashMap};

const PER_PAGE: usize = 10;

pub fn routes() -> Router<WebState> {
    Router::new().route("/search", get(search))
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    page: Page,
    results: Option<SearchResults>,
    facets: Vec<Facet>,
    pager: Pager,
}

fn number<T: std::str::FromStr>(
    q: &HashMap<String, String>,
    key: &str,
    what: &str,
) -> Result<Option<T>, WebError> {
    match q.get(key).map(|v| v.trim()).filter(|v| !v.is_empty()) {
        Some(v) => v
            .parse()
            .map(Some)
            .map_err(|_| WebError::bad_request(format!("{what}“{v}”有误"))),
        None => Ok(None),
    }
}

async fn search(
    State(s): State<WebState>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let text = q.get("q").map(|t| t.trim().to_string()).unwrap_or_default();
    let mut page = Page::new("站内搜索", "/search", &headers).crumb("站内搜索", "/search");
    page.query = text.clone();
    let empty = Pager {
        page: 1,
        pages: 1,
        prev: None,
        next: None,
    };
    if text.is_empty() {
        return render(&SearchPage {
            page,
            results: None,
            facets: Vec::new(),
            pager: empty,
        });
    }
    let Some(index) = &s.search else {
        return Err(WebError::new(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "搜索暂不可用",
            "站内搜索暂不可用，请从栏目中浏览。",
        ));
    };
    let query = SearchQuery {
        text: text.clone(),
        agency: number::<i64>(&q, "agency", "机关")?.map(AgencyId::new),
        column: q.get("column").filter(|v| !v.is_empty()).cloned(),
        subject: q.get("subject").filter(|v| !v.is_empty()).cloned(),
        // A year of four digits (the facets link to the years items were written in).
        year: number::<i32>(&q, "year", "年份")?
            .map(|y| {
                (1000..=9999)
                    .contains(&y)
                    .then_some(y)
                    .ok_or_else(|| WebError::bad_request(format!("年份“{y}”有误")))
            })
            .transpose()?,
        page: number(&q, "page", "页码")?.unwrap_or(1),
        per_page: PER_PAGE,
    };
    // The index's calls block: keep them off the async workers.
    let (index, q) = (index.clone(), query.clone());
    let results = tokio::task::spawn_blocking(move || gongkai_app::search::search(&index, &q))
        .await
        .map_err(|_| {
            WebError::new(
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                "服务暂时不可用",
                "系统内部错误，请联系管理员",
            )
        })??;
    if query.page > 1 && results.hits.is_empty() {
        return Err(WebError::not_found());
    }
    let mut current: BTreeMap<&'static str, String> = BTreeMap::new();
    current.insert("q", text.clone());
    for (k, v) in [
        ("agency", query.agency.map(|a| a.to_string())),
        ("column", query.column.clone()),
        ("subject", query.subject.clone()),
        ("year", query.year.map(|y| y.to_string())),
    ] {
        if let Some(v) = v {
            current.insert(k, v);
        }
    }
    let link = |key: &'static str, value: Option<String>, page: Option<usize>| {
        let mut p = current.clone();
        if let Some(v) = value {
            p.insert(key, v);
        }
        if let Some(n) = page.filter(|n| *n > 1) {
            p.insert("page", n.to_string());
        }
        let qs: Vec<String> = p
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect();
        format!("/search?{}", qs.join("&amp;"))
    };
    let options = |key: &'static str, values: Vec<(String, String, u64)>| -> Vec<FacetOption> {
        values
            .into_iter()
            .map(|(value, label, count)| FacetOption {
                current: current.get(key) == Some(&value),
                href: link(key, Some(value), None),
                label,
                count: count as usize,
            })
            .collect()
    };
    let f = &results.facets;
    // The names the server refreshes as it follows the catalogue: no query per search.
    let mut agency_names: HashMap<AgencyId, String> = if f.agency.is_empty() {
        HashMap::new()
    } else {
        let known = s.agency_names();
        f.agency
            .iter()
            .filter_map(|a| known.get(&a.value).map(|n| (a.value, n.clone())))
            .collect()
    };
    for a in &f.agency {
        agency_names
            .entry(a.value)
            .or_insert_with(|| a.value.to_string());
    }
    let facets: Vec<Facet> = [
        Facet {
            title: "机关",
            options: options(
                "agency",
                f.agency
                    .iter()
                    .map(|c| (c.value.to_string(), agency_names[&c.value].clone(), c.count))
                    .collect(),
            ),
        },
        Facet {
            title: "栏目",
            options: options(
                "column",
                f.column
                    .iter()
                    .map(|c| (c.value.clone(), c.value.clone(), c.count))
                    .collect(),
            ),
        },
        Facet {
            title: "主题分类",
            options: options(
                "subject",
                f.subject
                    .iter()
                    .map(|c| (c.value.clone(), c.value.clone(), c.count))
                    .collect(),
            ),
        },
        Facet {
            title: "年份",
            options: options(
                "year",
                f.year
                    .iter()
                    .map(|c| (c.value.to_string(), c.value.to_string(), c.count))
                    .collect(),
            ),
        },
    ]
    .into_iter()
    .filter(|f| !f.options.is_empty())
    .collect();
    let pages = results.total.div_ceil(PER_PAGE).max(1);
    let pager = Pager {
        page: query.page,
        pages,
        prev: (query.page > 1).then(|| link("page", None, Some(query.page - 1))),
        next: (query.page < pages).then(|| link("page", None, Some(query.page + 1))),
    };
    render(&SearchPage {
        page,
        results: Some(results),
        facets,
        pager,
    })
}
