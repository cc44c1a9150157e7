//! The public portal: the region's home page and each agency's 政府信息公开 column with its five
//! sections, item pages and attachments. URLs carry ids, so an item's address does not change
//! when its title does.

use crate::cache::Cached;
use crate::headers::{etag_of, http_date, not_modified};
use crate::page::{Page, encode};
use crate::{WebError, WebState};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use gongkai_app::agency::AgencyView;
use gongkai_app::catalog::DocumentView;
use gongkai_app::portal::{
    self, Column, ItemPage, ItemSummary, Listing, PublicFilter, PublicItem, RegionView,
};
use gongkai_core::catalog::{DocumentKind, ValidityStatus};
use gongkai_core::ids::{AgencyId, ItemId, RegionId};
use std::collections::{BTreeMap, HashMap};

/// Items per list page.
const PER_PAGE: usize = 20;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/", get(home))
        .route("/regions/{region}", get(region_home))
        .route("/regions/{region}/items", get(region_items))
        .route("/agencies/{agency}", get(agency_home))
        .route("/agencies/{agency}/guide", get(guide))
        .route("/agencies/{agency}/rules", get(rules))
        .route("/agencies/{agency}/items", get(items))
        .route("/agencies/{agency}/apply", get(apply))
        .route("/items/{item}", get(item))
        .route("/items/{item}/attachments/{attachment}", get(attachment))
}

type Result<T> = std::result::Result<T, WebError>;

pub(crate) fn render(t: &impl Template) -> Result<Response> {
    render_html(t).map(|h| Html(h).into_response())
}

fn render_html(t: &impl Template) -> Result<String> {
    t.render().map_err(|e| {
        eprintln!("gongkai-web: template: {e}");
        WebError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "服务暂时不可用",
            "系统内部错误，请联系管理员",
        )
    })
}

pub(crate) fn parse_id<T: std::str::FromStr>(s: &str) -> Result<T> {
    s.parse()
        .map_err(|_| WebError::bad_request(format!("地址中的编号“{s}”有误")))
}

pub(crate) async fn load_agency(state: &WebState, id: &str) -> Result<AgencyView> {
    let id: AgencyId = parse_id(id)?;
    Ok(portal::agency(&state.app, id).await?)
}

pub(crate) fn agency_page(
    agency: &AgencyView,
    title: &str,
    path: &str,
    headers: &HeaderMap,
) -> Page {
    let base = format!("/agencies/{}", agency.id);
    let p = Page::new(format!("{title} - {}", agency.name), path, headers)
        .crumb(agency.name.clone(), base.clone());
    if path == base {
        p
    } else {
        p.crumb(title, path)
    }
}

// ---- home ----

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    page: Page,
    /// Each region with agencies: its id, its path and its agencies.
    regions: Vec<(RegionId, String, Vec<AgencyView>)>,
    latest: Vec<(ItemSummary, String)>,
}

async fn home(State(s): State<WebState>, headers: HeaderMap) -> Result<Response> {
    let mut regions: BTreeMap<String, (RegionId, Vec<AgencyView>)> = BTreeMap::new();
    for a in portal::agencies(&s.app).await? {
        regions
            .entry(a.region_path.join(" / "))
            .or_insert_with(|| (a.agency.region_id, Vec::new()))
            .1
            .push(a.agency);
    }
    render(&Home {
        page: Page::new("首页", "/", &headers),
        regions: regions
            .into_iter()
            .map(|(path, (id, agencies))| (id, path, agencies))
            .collect(),
        latest: portal::latest(&s.app, 10).await?,
    })
}

// ---- an agency's column ----

#[derive(Template)]
#[template(path = "agency.html")]
struct AgencyHome {
    page: Page,
    agency: AgencyView,
    section: String,
    region: String,
    items: Vec<ItemSummary>,
    total: usize,
}

async fn agency_home(
    State(s): State<WebState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response> {
    let agency = load_agency(&s, &id).await?;
    let listing = portal::published(
        &s.app,
        Column::Agency(agency.id),
        &PublicFilter {
            page: 1,
            per_page: 10,
            ..PublicFilter::default()
        },
    )
    .await?;
    let region = portal::agencies(&s.app)
        .await?
        .into_iter()
        .find(|a| a.agency.id == agency.id)
        .map(|a| a.region_path.join(" / "))
        .unwrap_or_default();
    let path = format!("/agencies/{}", agency.id);
    render(&AgencyHome {
        page: agency_page(&agency, "政府信息公开", &path, &headers),
        section: "".into(),
        region,
        items: listing.items,
        total: listing.total,
        agency,
    })
}

#[derive(Template)]
#[template(path = "document.html")]
struct Documents {
    page: Page,
    agency: AgencyView,
    section: String,
    heading: &'static str,
    empty: &'static str,
    docs: Vec<DocumentView>,
    /// More of the page (the application section), already HTML.
    extra: String,
}

async fn documents(
    s: &WebState,
    id: &str,
    headers: &HeaderMap,
    kind: DocumentKind,
    section: &'static str,
) -> Result<Response> {
    let agency = load_agency(s, id).await?;
    let (heading, empty) = match kind {
        DocumentKind::Guide => ("政府信息公开指南", "本机关尚未发布政府信息公开指南。"),
        DocumentKind::Rules => ("政府信息公开制度", "本机关尚未发布政府信息公开制度。"),
    };
    let docs = portal::documents(&s.app, agency.id, kind).await?;
    let path = format!("/agencies/{}/{section}", agency.id);
    render(&Documents {
        page: agency_page(&agency, heading, &path, headers),
        section: section.into(),
        heading,
        empty,
        docs,
        extra: String::new(),
        agency,
    })
}

async fn guide(
    State(s): State<WebState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response> {
    documents(&s, &id, &headers, DocumentKind::Guide, "guide").await
}

async fn rules(
    State(s): State<WebState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response> {
    documents(&s, &id, &headers, DocumentKind::Rules, "rules").await
}

/// 依申请公开: how to apply, as the agency's 指南 says, with the online form and the status page.
async fn apply(
    State(s): State<WebState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response> {
    let agency = load_agency(&s, &id).await?;
    let guide = portal::documents(&s.app, agency.id, DocumentKind::Guide).await?;
    let path = format!("/agencies/{}/apply", agency.id);
    let extra = format!(
        "<section aria-labelledby=\"how\"><h2 id=\"how\">如何申请</h2><p>公民、法人或者其他组织可以向{}申请获取政府信息（《中华人民共和国政府信息公开条例》第二十七条）。申请应当以书面形式（包括数据电文形式）提出，写明申请人的姓名或者名称、身份证明、联系方式，所需政府信息的名称、文号或者便于查询的其他特征性描述，以及获取信息的方式（第二十九条）。可当面递交、邮寄或传真申请，具体地址与联系方式见上方指南。</p><p><a href=\"/agencies/{}/apply/online\">网上提交政府信息公开申请</a></p><p><a href=\"/status\">凭申请编号和查询码查询办理进度</a></p></section>",
        gongkai_core::text::escape_html(&agency.name),
        agency.id
    );
    render(&Documents {
        page: agency_page(&agency, "依申请公开", &path, &headers),
        section: "apply".into(),
        heading: "依申请公开",
        empty: "本机关尚未发布政府信息公开指南。",
        docs: guide,
        extra,
        agency,
    })
}

// ---- 法定主动公开内容 ----

pub(crate) struct FacetOption {
    pub label: String,
    pub count: usize,
    pub href: String,
    pub current: bool,
}

pub(crate) struct Facet {
    pub title: &'static str,
    pub options: Vec<FacetOption>,
}

pub(crate) struct Pager {
    pub page: usize,
    pub pages: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
}

#[derive(Template)]
#[template(path = "items.html")]
struct Items {
    page: Page,
    agency: AgencyView,
    section: String,
    listing: Listing,
    facets: Vec<Facet>,
    filtered: bool,
    pager: Pager,
}

/// The list's query parameters, in a fixed order, as a query string.
fn query_string(params: &BTreeMap<&'static str, String>) -> String {
    params
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&amp;")
}

/// A list's filters as the query string gave them, and the same as the link parameters that
/// keep them.
struct ListParams {
    filter: PublicFilter,
    current: BTreeMap<&'static str, String>,
}

/// Reads a list's query string; `agency` (one agency of a region's column) only when
/// `region` is set.
fn list_params(q: &HashMap<String, String>, region: bool) -> Result<ListParams> {
    let get = |k: &str| {
        q.get(k)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let year = match get("year") {
        Some(y) => Some(
            y.parse::<i32>()
                .ok()
                .filter(|y| (1949..=9999).contains(y))
                .ok_or_else(|| WebError::bad_request(format!("年份“{y}”有误")))?,
        ),
        None => None,
    };
    let page = match get("page") {
        Some(p) => p
            .parse::<usize>()
            .ok()
            .filter(|p| *p >= 1)
            .ok_or_else(|| WebError::bad_request(format!("页码“{p}”有误")))?,
        None => 1,
    };
    let validity = match get("validity") {
        Some(v) => Some(
            ValidityStatus::from_key(&v)
                .ok_or_else(|| WebError::bad_request(format!("有效性“{v}”有误")))?,
        ),
        None => None,
    };
    let agency = match get("agency").filter(|_| region) {
        Some(a) => Some(
            a.parse::<AgencyId>()
                .map_err(|_| WebError::bad_request(format!("机关编号“{a}”有误")))?,
        ),
        None => None,
    };
    let filter = PublicFilter {
        column: get("column"),
        subject: get("subject"),
        year,
        genre: get("genre"),
        validity,
        agency,
        page,
        per_page: PER_PAGE,
    };
    let mut current: BTreeMap<&'static str, String> = BTreeMap::new();
    for (k, v) in [
        ("agency", agency.map(|a| a.to_string())),
        ("column", filter.column.clone()),
        ("subject", filter.subject.clone()),
        ("year", filter.year.map(|y| y.to_string())),
        ("genre", filter.genre.clone()),
        ("validity", validity.map(|v| v.key().to_string())),
    ] {
        if let Some(v) = v {
            current.insert(k, v);
        }
    }
    Ok(ListParams { filter, current })
}

/// The facets and the pager of a list at `base`, each link changing one filter.
fn list_links(
    base: &str,
    current: &BTreeMap<&'static str, String>,
    listing: &Listing,
) -> (Vec<Facet>, Pager) {
    let link = |key: &'static str, value: Option<String>, page: Option<usize>| {
        let mut p = current.clone();
        if key != "page" {
            match value {
                Some(v) => p.insert(key, v),
                None => p.remove(key),
            };
        }
        if let Some(n) = page.filter(|n| *n > 1) {
            p.insert("page", n.to_string());
        }
        let qs = query_string(&p);
        if qs.is_empty() {
            base.to_string()
        } else {
            format!("{base}?{qs}")
        }
    };
    let facet = |title, key: &'static str, options: Vec<(String, String, usize)>| Facet {
        title,
        options: options
            .into_iter()
            .map(|(value, label, count)| FacetOption {
                current: current.get(key) == Some(&value),
                href: link(key, Some(value), None),
                label,
                count,
            })
            .collect(),
    };
    let same = |v: &[(String, usize)]| {
        v.iter()
            .map(|(k, n)| (k.clone(), k.clone(), *n))
            .collect::<Vec<_>>()
    };
    let facets = vec![
        facet(
            "机关",
            "agency",
            listing
                .agencies
                .iter()
                .map(|(id, name, n)| (id.to_string(), name.clone(), *n))
                .collect(),
        ),
        facet("栏目", "column", same(&listing.columns)),
        facet("主题分类", "subject", same(&listing.subjects)),
        facet(
            "年份",
            "year",
            listing
                .years
                .iter()
                .map(|(y, n)| (y.to_string(), y.to_string(), *n))
                .collect(),
        ),
        facet("体裁", "genre", same(&listing.genres)),
    ]
    .into_iter()
    .filter(|f| !f.options.is_empty())
    .collect();
    let pager = Pager {
        page: listing.page,
        pages: listing.pages,
        prev: (listing.page > 1).then(|| link("page", None, Some(listing.page - 1))),
        next: (listing.page < listing.pages).then(|| link("page", None, Some(listing.page + 1))),
    };
    (facets, pager)
}

async fn items(
    State(s): State<WebState>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response> {
    let key = cache_key(&headers, &uri.to_string());
    // A list narrowed to one column takes feedback on that column (docs/feedback.md).
    let column =
        id.parse()
            .ok()
            .zip(q.get("column"))
            .map(|(agency, c)| crate::feedback::Target::Column {
                agency,
                column: c.trim().to_string(),
            });
    if let Some(c) = s.pages.get(&key) {
        return crate::feedback::serve(&s, &c, &headers, column).await;
    }
    let generation = s.pages.generation();
    let agency = load_agency(&s, &id).await?;
    let ListParams { filter, current } = list_params(&q, false)?;
    let listing = portal::published(&s.app, Column::Agency(agency.id), &filter).await?;
    let path = format!("/agencies/{}/items", agency.id);
    let (facets, pager) = list_links(&path, &current, &listing);
    let html = render_html(&Items {
        page: agency_page(&agency, "法定主动公开内容", &path, &headers),
        section: "items".into(),
        filtered: !current.is_empty(),
        listing,
        facets,
        pager,
        agency,
    })?;
    let c = store(&s, key, generation, html, None);
    crate::feedback::serve(&s, &c, &headers, column).await
}

// ---- a region's column ----

async fn load_region(state: &WebState, id: &str) -> Result<RegionView> {
    let id: RegionId = parse_id(id)?;
    Ok(portal::region(&state.app, id).await?)
}

fn region_page(region: &RegionView, title: &str, path: &str, headers: &HeaderMap) -> Page {
    let base = format!("/regions/{}", region.id);
    let mut p = Page::new(format!("{title} - {}", region.name), path, headers);
    for (id, name) in &region.ancestors {
        p = p.crumb(name.clone(), format!("/regions/{id}"));
    }
    let p = p.crumb(region.name.clone(), base.clone());
    if path == base {
        p
    } else {
        p.crumb(title, path)
    }
}

#[derive(Template)]
#[template(path = "region.html")]
struct RegionHome {
    page: Page,
    region: RegionView,
    section: String,
    items: Vec<ItemSummary>,
    total: usize,
}

async fn region_home(
    State(s): State<WebState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response> {
    let region = load_region(&s, &id).await?;
    let listing = portal::published(
        &s.app,
        Column::Region(region.id),
        &PublicFilter {
            page: 1,
            per_page: 10,
            ..PublicFilter::default()
        },
    )
    .await?;
    let path = format!("/regions/{}", region.id);
    render(&RegionHome {
        page: region_page(&region, "政府信息公开", &path, &headers),
        section: "".into(),
        items: listing.items,
        total: listing.total,
        region,
    })
}

#[derive(Template)]
#[template(path = "region_items.html")]
struct RegionItems {
    page: Page,
    region: RegionView,
    section: String,
    listing: Listing,
    facets: Vec<Facet>,
    filtered: bool,
    pager: Pager,
}

async fn region_items(
    State(s): State<WebState>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response> {
    let key = cache_key(&headers, &uri.to_string());
    if let Some(c) = s.pages.get(&key) {
        return Ok(cached_response(&c, &headers));
    }
    let generation = s.pages.generation();
    let region = load_region(&s, &id).await?;
    let ListParams { filter, current } = list_params(&q, true)?;
    let listing = portal::published(&s.app, Column::Region(region.id), &filter).await?;
    let path = format!("/regions/{}/items", region.id);
    let (facets, pager) = list_links(&path, &current, &listing);
    let html = render_html(&RegionItems {
        page: region_page(&region, "法定主动公开内容", &path, &headers),
        section: "items".into(),
        filtered: !current.is_empty(),
        listing,
        facets,
        pager,
        region,
    })?;
    Ok(keep(&s, key, generation, html, None, &headers))
}

// ---- item pages ----

#[derive(Template)]
#[template(path = "item.html")]
struct ItemTemplate {
    page: Page,
    item: PublicItem,
    keywords: String,
}

async fn item(
    State(s): State<WebState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response> {
    let id: ItemId = parse_id(&id)?;
    let path = format!("/items/{id}");
    let key = cache_key(&headers, &path);
    let target = Some(crate::feedback::Target::Item(id));
    if let Some(c) = s.pages.get(&key) {
        return crate::feedback::serve(&s, &c, &headers, target).await;
    }
    let generation = s.pages.generation();
    let item = match portal::item(&s.app, id).await? {
        ItemPage::Published(i) => *i,
        ItemPage::Withdrawn { title, on, .. } => {
            return Err(WebError::new(
                StatusCode::GONE,
                "信息已撤回",
                format!("“{title}”已于{on}撤回，不再公开。"),
            ));
        }
    };
    let agency = item.summary.agency;
    let page = Page::new(item.summary.title.clone(), &path, &headers)
        .crumb(item.agency_name.clone(), format!("/agencies/{agency}"))
        .crumb("法定主动公开内容", format!("/agencies/{agency}/items"))
        .crumb(item.summary.title.clone(), path.clone());
    let keywords = item.keywords.join("、");
    let modified = item.published_at;
    let html = render_html(&ItemTemplate {
        page,
        item,
        keywords,
    })?;
    let c = store(&s, key, generation, html, Some(modified));
    crate::feedback::serve(&s, &c, &headers, target).await
}

/// A public page's cache key: its path and query, and whether the 关怀版 renders it.
fn cache_key(headers: &HeaderMap, path_and_query: &str) -> String {
    format!("{}:{path_and_query}", crate::care::is_on(headers))
}

/// Serves a rendered public page with its validators (`ETag` from its bytes, so any change
/// of content changes it); a client whose copy is current gets 304.
pub(crate) fn cached_response(c: &Cached, headers: &HeaderMap) -> Response {
    if let Some(etag) = &c.etag
        && not_modified(headers, etag, c.modified)
    {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag.clone())]).into_response();
    }
    let mut r = Html(c.html.clone()).into_response();
    let h = r.headers_mut();
    let validators = [
        (header::ETAG, c.etag.clone()),
        (header::LAST_MODIFIED, c.modified.map(http_date)),
    ];
    for (name, value) in validators {
        if let Some(v) = value.and_then(|v| HeaderValue::from_str(&v).ok()) {
            h.insert(name, v);
        }
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

/// Keeps a page rendered from data read in `generation` and serves it.
fn keep(
    s: &WebState,
    key: String,
    generation: u64,
    html: String,
    modified: Option<time::OffsetDateTime>,
    headers: &HeaderMap,
) -> Response {
    cached_response(&store(s, key, generation, html, modified), headers)
}

/// Keeps a page rendered from data read in `generation`, for a handler that serves it with
/// more in it (the feedback block).
fn store(
    s: &WebState,
    key: String,
    generation: u64,
    html: String,
    modified: Option<time::OffsetDateTime>,
) -> Cached {
    let c = Cached {
        etag: Some(etag_of(html.as_bytes())),
        html: html.into(),
        modified,
    };
    s.pages.put(key, generation, c.clone());
    c
}

async fn attachment(
    State(s): State<WebState>,
    Path((item, attachment)): Path<(String, String)>,
) -> Result<Response> {
    let item: ItemId = parse_id(&item)?;
    let attachment: i64 = parse_id(&attachment)?;
    let (meta, bytes) = portal::attachment(&s.app, item, attachment).await?;
    // RFC 6266: an ASCII fallback and the UTF-8 name.
    let fallback: String = meta
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = format!(
        "attachment; filename=\"{fallback}\"; filename*=UTF-8''{}",
        encode(&meta.name).replace('/', "%2F")
    );
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&meta.media_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_links_keep_order_and_escape() {
        let mut p = BTreeMap::new();
        p.insert("year", "2021".to_string());
        p.insert("column", "规划 信息&".to_string());
        assert_eq!(
            query_string(&p),
            "column=%E8%A7%84%E5%88%92%20%E4%BF%A1%E6%81%AF%26&amp;year=2021"
        );
    }
}
