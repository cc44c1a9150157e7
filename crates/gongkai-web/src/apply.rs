//! The citizen's side of 依申请公开 (docs/online-applications.md): the online application form
//! of each agency, the receipt with the 申请编号 and the 查询码 (shown once), and the status
//! page found with both. Everything works without JavaScript; the browser checks lengths and
//! required fields from the HTML, the server checks every field again and answers each wrong
//! one in Chinese beside it.
//!
//! - A POST must come from this site's own pages: same origin and the form's anti-forgery
//!   token (`csrf.rs`: the secret of forms shown before signing in, in a cookie of its own).
//! - Times come from the state's clock (`WebState::clock`: the system's, a manual one in tests).
//! - A submission is committed before the receipt is shown (the app layer commits, then the
//!   handler answers 303 to the receipt). The form carries a random idempotency key, so the
//!   same form sent twice is one application; the second answer points to the first receipt.
//! - The 查询码 reaches the receipt page through a one-time ticket kept in memory for a short
//!   while, never in a URL or a cookie; the ticket shows it once.
//! - Look-ups (the status page and letter downloads) and submissions are limited per client
//!   address (tower_governor; behind a proxy listed in `[auth] trusted_proxies`, the address
//!   it forwards); an unknown number and a wrong code give the same page.

use crate::page::Page;
use crate::portal::render;
use crate::{WebError, WebState};
use askama::Template;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::connect_info::ConnectInfo;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, Request, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use gongkai_app::AppError;
use gongkai_app::agency::AgencyView;
use gongkai_app::application::Case;
use gongkai_app::application::online::{
    self as online, SubmissionView, Tracked, beijing_time, issued_letters,
};
use gongkai_app::error::ErrorKind;
use gongkai_core::application::Delivery;
use gongkai_core::application::{
    Applicant, ApplicantType, Due, EventKind, FormErrors, IdType, Medium, OnlineForm, field,
    max_chars,
};
use gongkai_core::calendar::{date_in_china, iso, weekday_names};
use gongkai_core::ids::AgencyId;
use gongkai_letters::LetterKind;
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use time::OffsetDateTime;
use tower_governor::GovernorError;
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::key_extractor::KeyExtractor;

type Result<T> = std::result::Result<T, WebError>;

/// The largest form body accepted (the longest fields, percent-encoded, fit several times).
const MAX_BODY: usize = 64 * 1024;
/// The most fields a form may carry (BI-F-3).
const MAX_FIELDS: usize = 64;
/// How long a receipt ticket waits for its page.
const TICKET_TTL: Duration = Duration::from_secs(30 * 60);
/// The most tickets kept at once (the oldest go first).
const MAX_TICKETS: usize = 10_000;

/// A per-client limit: `burst` requests at once, then one every `every`.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub burst: u32,
    pub every: Duration,
}

/// Look-ups with a 查询码 (the status page, letters): 10 at once, then one every 6 seconds —
/// enough for a person, far too slow to guess 65-bit codes (RL-6).
pub const LOOKUP_LIMIT: Limit = Limit {
    burst: 10,
    every: Duration::from_secs(6),
};
/// Form submissions (also those answered with corrections): 20 at once, then one every 30 s.
pub const SUBMIT_LIMIT: Limit = Limit {
    burst: 20,
    every: Duration::from_secs(30),
};

pub fn routes(state: &WebState) -> Router<WebState> {
    let receipts = Arc::new(Receipts::default());
    let clients = ClientIp {
        trusted: Arc::new(state.app.settings.auth.trusted_proxies.clone()),
    };
    let submit = limited(
        Router::new().route(
            "/agencies/{agency}/apply/online",
            get(show_form).post(submit_form),
        ),
        SUBMIT_LIMIT,
        clients.clone(),
    );
    let lookups = limited(
        Router::new()
            .route("/status", get(status_form).post(status_lookup))
            .route("/status/letter", axum::routing::post(download_letter)),
        LOOKUP_LIMIT,
        clients,
    );
    Router::new()
        .route("/apply/receipt/{ticket}", get(show_receipt))
        .merge(submit)
        .merge(lookups)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(axum::Extension(receipts))
}

// ---- rate limits ----

/// The client's address for rate limits: the peer's, or — when the peer is a proxy listed in
/// `[auth] trusted_proxies` — the last address in `X-Forwarded-For` that is not such a proxy
/// (from anyone else the header is ignored: anyone can write it). IPv6 clients count per /64,
/// since one host can use a whole /64. Without connection info (a test driving the router
/// directly) every request shares one key.
#[derive(Debug, Clone)]
struct ClientIp {
    trusted: Arc<Vec<IpAddr>>,
}

impl KeyExtractor for ClientIp {
    type Key = IpAddr;

    fn extract<T>(&self, req: &Request<T>) -> std::result::Result<IpAddr, GovernorError> {
        let peer = req
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        Ok(client_key(req.headers(), peer, &self.trusted))
    }
}

fn client_key(headers: &HeaderMap, peer: Option<IpAddr>, trusted: &[IpAddr]) -> IpAddr {
    let Some(peer) = peer else {
        return IpAddr::V4(Ipv4Addr::UNSPECIFIED);
    };
    let peer = canonical(peer);
    let is_proxy = |ip: &IpAddr| trusted.iter().any(|t| canonical(*t) == canonical(*ip));
    let ip = if is_proxy(&peer) {
        headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|s| s.trim().parse::<IpAddr>().ok())
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .find(|a| !is_proxy(a))
            .unwrap_or(peer)
    } else {
        peer
    };
    match canonical(ip) {
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
        v4 => v4,
    }
}

fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    }
}

/// `router` with a per-client limit on its POST routes.
fn limited(router: Router<WebState>, limit: Limit, clients: ClientIp) -> Router<WebState> {
    let config = Arc::new(
        GovernorConfigBuilder::default()
            .period(limit.every)
            .burst_size(limit.burst)
            .methods(vec![Method::POST])
            .key_extractor(clients)
            .finish()
            .unwrap_or_else(|| unreachable!("the limits are not zero")),
    );
    // Forget clients whose allowance is full again, once a minute, while the router lives.
    let weak = Arc::downgrade(config.limiter());
    if let Ok(rt) = tokio::runtime::Handle::try_current() {
        rt.spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tick.tick().await;
                let Some(limiter) = weak.upgrade() else { break };
                limiter.retain_recent();
                limiter.shrink_to_fit();
            }
        });
    }
    router.route_layer(tower_governor::GovernorLayer::new(config).error_handler(too_many))
}

/// 429 with a Chinese page and `Retry-After`.
fn too_many(e: GovernorError) -> Response<Body> {
    let (status, wait) = match e {
        GovernorError::TooManyRequests { wait_time, .. } => {
            (StatusCode::TOO_MANY_REQUESTS, wait_time.max(1))
        }
        _ => (StatusCode::TOO_MANY_REQUESTS, 60),
    };
    let mut r = WebError::new(
        status,
        "操作过于频繁",
        format!(
            "您的请求过于频繁，请在{wait}秒后再试。为防止申请编号和查询码被猜测，本站限制每个网络地址的查询和提交次数。"
        ),
    )
    .into_response();
    if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r
}

// ---- the request's origin and body ----

/// The form's anti-forgery check: same origin, and the token against the form cookie's
/// secret (`csrf.rs`); 403 with a Chinese page otherwise.
fn verify_form(s: &WebState, headers: &HeaderMap, pairs: &[(String, String)]) -> Result<()> {
    crate::csrf::verify_form(
        headers,
        s.app.settings.auth.secure_cookie,
        first(pairs, crate::csrf::FIELD),
    )
}

/// A token for a form shown on this response, and the cookie to set when the browser has
/// none yet.
struct FormToken {
    token: String,
    set_cookie: Option<HeaderValue>,
}

fn form_token(s: &WebState, headers: &HeaderMap) -> Result<FormToken> {
    let secret = crate::csrf::form_secret(headers, s.app.settings.auth.secure_cookie)?;
    Ok(FormToken {
        token: crate::csrf::token(&secret.secret)?,
        set_cookie: secret.set_cookie,
    })
}

/// A page that carries a form: no caching, the form cookie when new.
fn form_response(status: StatusCode, page: Response, cookie: Option<HeaderValue>) -> Response {
    let mut r = with_status(status, page);
    if let Some(c) = cookie {
        r.headers_mut().insert(header::SET_COOKIE, c);
    }
    r
}

/// The body of an `application/x-www-form-urlencoded` POST as name–value pairs, decoded as
/// UTF-8 (invalid bytes are refused, not replaced: BI-F-4), at most [`MAX_FIELDS`].
fn form_pairs(
    headers: &HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Vec<(String, String)>> {
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            WebError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "提交的内容过长",
                "提交的内容超过了允许的长度，请精简所需信息的内容描述后重新提交。",
            )
        } else {
            WebError::bad_request("未能读取提交的表单，请重新提交。")
        }
    })?;
    let ctype = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let mut parts = ctype.split(';').map(str::trim);
    if parts.next() != Some("application/x-www-form-urlencoded") {
        return Err(WebError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "请求有误",
            "请通过本站页面上的表单提交。",
        ));
    }
    if parts.any(|p| {
        p.strip_prefix("charset=")
            .is_some_and(|c| !c.trim_matches('"').eq_ignore_ascii_case("utf-8"))
    }) {
        return Err(WebError::bad_request(
            "表单须以 UTF-8 编码提交，请通过本站页面上的表单提交。",
        ));
    }
    let mut out = Vec::new();
    for pair in body.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
        if out.len() == MAX_FIELDS {
            return Err(WebError::bad_request(
                "表单字段过多，请通过本站页面上的表单提交。",
            ));
        }
        let (k, v) = match pair.iter().position(|b| *b == b'=') {
            Some(i) => (&pair[..i], &pair[i + 1..]),
            None => (pair, &[][..]),
        };
        let bad =
            || WebError::bad_request("表单编码有误（须为 UTF-8），请通过本站页面上的表单提交。");
        let k = percent_decode(k).ok_or_else(bad)?;
        let v = percent_decode(v).ok_or_else(bad)?;
        out.push((k, v));
    }
    Ok(out)
}

/// `+` is a space, `%XX` a byte; the bytes must be UTF-8.
fn percent_decode(s: &[u8]) -> Option<String> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = |b: u8| (b as char).to_digit(16);
                let hi = hex(*s.get(i + 1)?)?;
                let lo = hex(*s.get(i + 2)?)?;
                out.push((hi * 16 + lo) as u8);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// The first value of a field (a repeated field counts once, the first wins: BI-F-3).
fn first<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

fn no_store(mut r: Response) -> Response {
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn random_token() -> Result<String> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).map_err(|e| {
        eprintln!("gongkai-web: no random numbers: {e}");
        WebError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "服务暂时不可用",
            "服务暂时不可用，请稍后再试或联系管理员",
        )
    })?;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}

// ---- the form ----

struct Input {
    name: &'static str,
    label: &'static str,
    hint: &'static str,
    value: String,
    error: Option<String>,
    max: usize,
    kind: &'static str,
    autocomplete: &'static str,
    required: bool,
}

struct Choice {
    value: &'static str,
    label: &'static str,
    checked: bool,
}

#[derive(Template)]
#[template(path = "apply/form.html")]
struct FormPage {
    page: Page,
    agency: AgencyView,
    section: String,
    key: String,
    /// The anti-forgery token (`csrf.rs`).
    csrf: String,
    notice: Option<String>,
    errors: FormErrors,
    types: Vec<Choice>,
    name: Input,
    id_types: Vec<Choice>,
    id_number: Input,
    org_name: Input,
    credit_code: Input,
    contact_person: Input,
    contact_error: Option<String>,
    contact: Vec<Input>,
    description: Input,
    deliveries: Vec<Choice>,
    media: Vec<Choice>,
    accept_other: bool,
}

impl FormPage {
    /// The message of a choice group (applicant type, ID type, delivery, media).
    fn error_of(&self, name: &str) -> Option<String> {
        self.errors.get(name).map(str::to_string)
    }
}

fn input(
    f: &OnlineForm,
    errors: &FormErrors,
    name: &'static str,
    label: &'static str,
    hint: &'static str,
    kind: &'static str,
    autocomplete: &'static str,
) -> Input {
    let value = match name {
        field::NAME => &f.name,
        field::ID_NUMBER => &f.id_number,
        field::ORG_NAME => &f.org_name,
        field::CREDIT_CODE => &f.credit_code,
        field::CONTACT_PERSON => &f.contact_person,
        field::PHONE => &f.phone,
        field::EMAIL => &f.email,
        field::ADDRESS => &f.address,
        field::POSTCODE => &f.postcode,
        _ => &f.description,
    };
    Input {
        name,
        label,
        hint,
        // What was typed comes back as typed, cut to the field's length.
        value: value.chars().take(max_chars(name)).collect(),
        error: errors.get(name).map(str::to_string),
        max: max_chars(name),
        kind,
        autocomplete,
        required: name == field::DESCRIPTION,
    }
}

fn form_page(
    agency: AgencyView,
    headers: &HeaderMap,
    f: &OnlineForm,
    errors: FormErrors,
    key: String,
    csrf: String,
    notice: Option<String>,
) -> FormPage {
    let path = format!("/agencies/{}/apply/online", agency.id);
    let page = Page::new(format!("网上申请 - {}", agency.name), &path, headers)
        .crumb(agency.name.clone(), format!("/agencies/{}", agency.id))
        .crumb("依申请公开", format!("/agencies/{}/apply", agency.id))
        .crumb("网上申请", path.clone());
    let id_type = if f.id_type.is_empty() {
        IdType::ResidentIdCard.key()
    } else {
        f.id_type.as_str()
    };
    FormPage {
        page,
        section: "apply".into(),
        key,
        csrf,
        notice,
        types: ApplicantType::ALL
            .iter()
            .map(|t| Choice {
                value: t.key(),
                label: t.label(),
                checked: f.applicant_type == t.key(),
            })
            .collect(),
        name: input(
            f,
            &errors,
            field::NAME,
            "姓名",
            "与证件上的姓名一致。",
            "text",
            "name",
        ),
        id_types: IdType::ALL
            .iter()
            .map(|t| Choice {
                value: t.key(),
                label: t.label(),
                checked: id_type == t.key(),
            })
            .collect(),
        id_number: input(
            f,
            &errors,
            field::ID_NUMBER,
            "证件号码",
            "居民身份证号码为18位，最后一位可能是X；本站会核对校验位。",
            "text",
            "off",
        ),
        org_name: input(
            f,
            &errors,
            field::ORG_NAME,
            "名称",
            "与营业执照或登记证书上的名称一致。",
            "text",
            "organization",
        ),
        credit_code: input(
            f,
            &errors,
            field::CREDIT_CODE,
            "统一社会信用代码",
            "18位，由数字和大写字母组成；本站会核对校验位。",
            "text",
            "off",
        ),
        contact_person: input(
            f,
            &errors,
            field::CONTACT_PERSON,
            "联系人姓名",
            "办理本申请的联系人。",
            "text",
            "name",
        ),
        contact_error: errors.get(field::CONTACT).map(str::to_string),
        contact: vec![
            input(
                f,
                &errors,
                field::PHONE,
                "联系电话",
                "手机号码，或带区号的固定电话；选择传真获取时填写传真号码。",
                "tel",
                "tel",
            ),
            input(
                f,
                &errors,
                field::EMAIL,
                "电子邮箱",
                "选择以电子邮件获取信息时必填。",
                "email",
                "email",
            ),
            input(
                f,
                &errors,
                field::ADDRESS,
                "通信地址",
                "选择邮寄或快递获取信息时必填。",
                "text",
                "street-address",
            ),
            input(
                f,
                &errors,
                field::POSTCODE,
                "邮政编码",
                "6位数字。",
                "text",
                "postal-code",
            ),
        ],
        description: input(
            f,
            &errors,
            field::DESCRIPTION,
            "所需信息的内容描述",
            "写明所需政府信息的名称、文号，或者便于本机关查询的其他特征性描述（条例第二十九条）。",
            "text",
            "off",
        ),
        deliveries: Delivery::ALL
            .iter()
            .map(|d| Choice {
                value: d.key(),
                label: d.label(),
                checked: f.delivery == d.key(),
            })
            .collect(),
        media: Medium::ALL
            .iter()
            .map(|m| Choice {
                value: m.key(),
                label: m.label(),
                checked: f.media.iter().any(|x| x == m.key()),
            })
            .collect(),
        accept_other: f.accept_other,
        errors,
        agency,
    }
}

async fn load_agency(state: &WebState, id: &str) -> Result<AgencyView> {
    let id: AgencyId = id
        .parse()
        .map_err(|_| WebError::bad_request(format!("地址中的编号“{id}”有误")))?;
    Ok(gongkai_app::portal::agency(&state.app, id).await?)
}

async fn show_form(
    State(s): State<WebState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response> {
    let agency = load_agency(&s, &id).await?;
    let f = OnlineForm {
        accept_other: true,
        ..OnlineForm::default()
    };
    let t = form_token(&s, &headers)?;
    let page = form_page(
        agency,
        &headers,
        &f,
        FormErrors::default(),
        random_token()?,
        t.token,
        None,
    );
    Ok(form_response(StatusCode::OK, render(&page)?, t.set_cookie))
}

fn read_form(pairs: &[(String, String)]) -> OnlineForm {
    OnlineForm {
        applicant_type: first(pairs, field::APPLICANT_TYPE).into(),
        name: first(pairs, field::NAME).into(),
        id_type: first(pairs, field::ID_TYPE).into(),
        id_number: first(pairs, field::ID_NUMBER).into(),
        org_name: first(pairs, field::ORG_NAME).into(),
        credit_code: first(pairs, field::CREDIT_CODE).into(),
        contact_person: first(pairs, field::CONTACT_PERSON).into(),
        phone: first(pairs, field::PHONE).into(),
        email: first(pairs, field::EMAIL).into(),
        address: first(pairs, field::ADDRESS).into(),
        postcode: first(pairs, field::POSTCODE).into(),
        description: first(pairs, field::DESCRIPTION).into(),
        delivery: first(pairs, field::DELIVERY).into(),
        media: pairs
            .iter()
            .filter(|(k, _)| k == field::MEDIA)
            .map(|(_, v)| v.clone())
            .collect(),
        accept_other: !first(pairs, field::ACCEPT_OTHER).is_empty(),
    }
}

fn with_status(status: StatusCode, r: Response) -> Response {
    let mut r = no_store(r);
    *r.status_mut() = status;
    r
}

async fn submit_form(
    State(s): State<WebState>,
    Path(id): Path<String>,
    axum::Extension(receipts): axum::Extension<Arc<Receipts>>,
    headers: HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Response> {
    let pairs = form_pairs(&headers, body)?;
    verify_form(&s, &headers, &pairs)?;
    let agency = load_agency(&s, &id).await?;
    let f = read_form(&pairs);
    let key = first(&pairs, "idempotency_key").to_string();
    let today = date_in_china(s.clock.now());
    let parsed = match f.parse(today) {
        Ok(p) => p,
        Err(errors) => {
            // Nothing was stored: the same key may be sent again once corrected.
            let key = if key.is_empty() { random_token()? } else { key };
            let t = form_token(&s, &headers)?;
            let page = form_page(agency, &headers, &f, errors, key, t.token, None);
            return Ok(with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                render(&page)?,
            ));
        }
    };
    let receipt = match online::submit_online(&s.app, agency.id, &key, &parsed, s.clock.now()).await
    {
        Ok(r) => r,
        Err(e) if matches!(e.kind(), ErrorKind::Invalid | ErrorKind::Conflict) => {
            // A key used for other content, or a missing key: a fresh form, values kept.
            use gongkai_app::error::Localized;
            let t = form_token(&s, &headers)?;
            let page = form_page(
                agency,
                &headers,
                &f,
                FormErrors::default(),
                random_token()?,
                t.token,
                Some(e.zh()),
            );
            return Ok(with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                render(&page)?,
            ));
        }
        Err(e) => return Err(e.into()),
    };
    let ticket = receipts.ticket_for(Ticket {
        number: receipt.number.clone(),
        code: receipt.query_code.clone(),
        agency: receipt.agency.name.clone(),
        agency_id: receipt.agency.id,
        submitted_at: receipt.submitted_at,
        resubmitted: receipt.already_received(),
        created: Instant::now(),
    })?;
    Ok(Redirect::to(&format!("/apply/receipt/{ticket}")).into_response())
}

// ---- the receipt ----

/// What the receipt page shows; the code is taken out the first time it is shown.
#[derive(Debug, Clone)]
struct Ticket {
    number: String,
    code: Option<String>,
    agency: String,
    agency_id: AgencyId,
    submitted_at: OffsetDateTime,
    resubmitted: bool,
    created: Instant,
}

/// One-time receipt tickets, in memory: the 查询码 is never written anywhere (the database
/// keeps its digest), so it travels from the submission to the receipt page here.
#[derive(Default)]
pub(crate) struct Receipts {
    tickets: Mutex<HashMap<String, Ticket>>,
}

impl Receipts {
    /// A ticket for a receipt. When the same form was received before and the first
    /// receipt's code has not been shown yet (a double click: the browser dropped the first
    /// answer), that first ticket is used, so the code is not lost.
    fn ticket_for(&self, t: Ticket) -> Result<String> {
        let mut map = self
            .tickets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        map.retain(|_, x| x.created.elapsed() < TICKET_TTL);
        if t.resubmitted
            && let Some((token, first)) = map
                .iter_mut()
                .find(|(_, x)| x.number == t.number && x.code.is_some())
        {
            first.resubmitted = true;
            return Ok(token.clone());
        }
        while map.len() >= MAX_TICKETS {
            let Some(oldest) = map
                .iter()
                .min_by_key(|(_, x)| x.created)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            map.remove(&oldest);
        }
        let token = random_token()?;
        map.insert(token.clone(), t);
        Ok(token)
    }

    /// The ticket, with its code taken out (shown once).
    fn take(&self, token: &str) -> Option<Ticket> {
        let mut map = self
            .tickets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let t = map
            .get_mut(token)
            .filter(|x| x.created.elapsed() < TICKET_TTL)?;
        let shown = t.clone();
        t.code = None;
        Some(shown)
    }
}

#[derive(Template)]
#[template(path = "apply/receipt.html")]
struct ReceiptPage {
    page: Page,
    number: String,
    code: Option<String>,
    agency: String,
    agency_id: AgencyId,
    submitted_at: String,
    resubmitted: bool,
}

async fn show_receipt(
    Path(token): Path<String>,
    axum::Extension(receipts): axum::Extension<Arc<Receipts>>,
    headers: HeaderMap,
) -> Result<Response> {
    let Some(t) = receipts.take(&token) else {
        return Err(WebError::new(
            StatusCode::NOT_FOUND,
            "回执页面已失效",
            "回执页面只在提交后短时间内有效。您的申请已经保存，请凭申请编号和查询码在“申请办理进度查询”中查看；如未记下查询码，请与受理机关联系。",
        ));
    };
    let page = ReceiptPage {
        page: Page::new("申请已提交", "/status", &headers)
            .crumb(t.agency.clone(), format!("/agencies/{}", t.agency_id))
            .crumb("网上申请回执", "/apply/receipt"),
        number: t.number,
        code: t.code,
        agency: t.agency,
        agency_id: t.agency_id,
        submitted_at: beijing_time(t.submitted_at),
        resubmitted: t.resubmitted,
    };
    Ok(no_store(render(&page)?))
}

// ---- the status page ----

#[derive(Template)]
#[template(path = "apply/lookup.html")]
struct LookupPage {
    page: Page,
    message: Option<String>,
    /// The form's anti-forgery token; `None` shows a link to the form instead of the form
    /// (the answer to a wrong pair carries nothing that differs between two answers).
    csrf: Option<String>,
}

fn lookup_page(headers: &HeaderMap, message: Option<String>, csrf: Option<String>) -> LookupPage {
    LookupPage {
        page: Page::new("申请办理进度查询", "/status", headers)
            .crumb("申请办理进度查询", "/status"),
        message,
        csrf,
    }
}

async fn status_form(State(s): State<WebState>, headers: HeaderMap) -> Result<Response> {
    let t = form_token(&s, &headers)?;
    let page = lookup_page(&headers, None, Some(t.token));
    Ok(form_response(StatusCode::OK, render(&page)?, t.set_cookie))
}

/// One line of the log as the applicant reads it.
struct EventLine {
    on: String,
    label: String,
}

struct LetterLine {
    kind: &'static str,
    title: &'static str,
}

#[derive(Template)]
#[template(path = "apply/status.html")]
struct StatusPage {
    page: Page,
    number: String,
    /// Kept in the letter forms, so a download is authorised like the look-up.
    code: String,
    /// The letter forms' anti-forgery token.
    csrf: String,
    agency: String,
    applicant: String,
    description: String,
    delivery: String,
    provision: String,
    /// `pending`, `rejected` or `case`.
    state: &'static str,
    submitted_at: String,
    decided_on: String,
    reject_reason: String,
    channel: String,
    received_on: String,
    receipt_rule: String,
    status_line: String,
    due: String,
    working: Vec<String>,
    events: Vec<EventLine>,
    letters: Vec<LetterLine>,
}

/// A person's name with all but the first character masked (the page is found with a code
/// alone, which is never the only key to personal data: RL-6); an organisation's in full.
fn masked_name(a: &Applicant) -> String {
    match a {
        Applicant::Person(p) => {
            let mut c = p.name.chars();
            let first: String = c.next().into_iter().collect();
            first + &"*".repeat(c.count())
        }
        Applicant::Organisation(o) => o.name.clone(),
    }
}

fn day_zh(d: time::Date) -> String {
    format!("{}（{}）", iso(d), weekday_names(d).1)
}

fn due_zh(d: Due) -> String {
    match d {
        Due::On(d) => day_zh(d),
        Due::Paused { remaining } => {
            format!("计时暂停（恢复计时后尚余{remaining}个工作日）")
        }
        Due::AwaitingSupplement => "等待申请人补正，收到补正后重新计算".into(),
        Due::NoCalendar { year } => format!("暂无法计算（尚未载入{year}年节假日安排）"),
        Due::ReceiptUnknown => "待有关文书送达后确定".into(),
    }
}

fn letter_title(k: LetterKind) -> &'static str {
    match k {
        LetterKind::Receipt => "政府信息公开申请接收回执",
        LetterKind::Supplement => "补正告知书",
        LetterKind::Reasons => "说明理由告知书",
        LetterKind::Extension => "延期答复告知书",
        LetterKind::ConsultThirdParty | LetterKind::ConsultCoMaker => "征求意见书",
        LetterKind::ConsultNotice => "征求意见告知书",
        LetterKind::Fee => "收费通知书",
        LetterKind::Reply => "政府信息公开申请答复书",
    }
}

fn event_label(k: &EventKind) -> String {
    match k {
        EventKind::Decided { outcome, .. } => format!("{}：{}", k.label(), outcome.label()),
        EventKind::ExtensionApproved { working_days, .. } => {
            format!("{}（延长{working_days}个工作日）", k.label())
        }
        EventKind::Correction { target, .. } => format!("{}（第{target}项）", k.label()),
        _ => k.label().to_string(),
    }
}

/// What every status page shows: the pair asked with and the letter forms' token.
struct Asked<'a> {
    code: &'a str,
    csrf: String,
    headers: &'a HeaderMap,
}

fn blank_status(number: &str, asked: &Asked<'_>, state: &'static str) -> StatusPage {
    StatusPage {
        page: Page::new("申请办理进度", "/status", asked.headers)
            .crumb("申请办理进度查询", "/status"),
        number: number.to_string(),
        code: asked.code.to_string(),
        csrf: asked.csrf.clone(),
        agency: String::new(),
        applicant: String::new(),
        description: String::new(),
        delivery: String::new(),
        provision: String::new(),
        state,
        submitted_at: String::new(),
        decided_on: String::new(),
        reject_reason: String::new(),
        channel: String::new(),
        received_on: String::new(),
        receipt_rule: String::new(),
        status_line: String::new(),
        due: String::new(),
        working: Vec::new(),
        events: Vec::new(),
        letters: Vec::new(),
    }
}

fn submission_status(v: SubmissionView, asked: &Asked<'_>) -> StatusPage {
    let state = if v.reject_reason.is_some() {
        "rejected"
    } else {
        "pending"
    };
    StatusPage {
        agency: v.agency.clone(),
        applicant: masked_name(&v.applicant),
        description: v.request.description.clone(),
        delivery: v.request.delivery.label().into(),
        provision: v.provision.label(),
        submitted_at: beijing_time(v.submitted_at),
        decided_on: v.decided_on.map(day_zh).unwrap_or_default(),
        reject_reason: v.reject_reason.clone().unwrap_or_default(),
        ..blank_status(&v.number, asked, state)
    }
}

fn case_status(c: &Case, today: time::Date, asked: &Asked<'_>) -> StatusPage {
    StatusPage {
        agency: c.agency.name.clone(),
        applicant: masked_name(&c.applicant),
        description: c.intake.request.description.clone(),
        delivery: c.intake.request.delivery.label().into(),
        provision: c
            .intake
            .provision
            .as_ref()
            .map(|p| p.label())
            .unwrap_or_default(),
        channel: c.channel.label().into(),
        received_on: day_zh(c.received_on),
        receipt_rule: c.channel.receipt_rule_zh().into(),
        status_line: c.clock.status_line.zh.clone(),
        due: due_zh(c.clock.due),
        working: c.clock.working.iter().map(|l| l.zh.clone()).collect(),
        events: c
            .events
            .iter()
            .map(|e| EventLine {
                on: day_zh(e.event.on),
                label: event_label(&e.event.kind),
            })
            .collect(),
        letters: issued_letters(c, today)
            .into_iter()
            .map(|k| LetterLine {
                kind: k.key(),
                title: letter_title(k),
            })
            .collect(),
        ..blank_status(&c.number, asked, "case")
    }
}

/// The answer to a number and code that do not match a case: always the same page, status
/// and bytes, whether the number exists or not.
fn no_match(headers: &HeaderMap) -> Result<Response> {
    let page = lookup_page(
        headers,
        Some("未找到与该申请编号和查询码相符的申请。请核对后重新输入（查询码不区分大小写，可省略连字符）。".into()),
        None,
    );
    Ok(with_status(StatusCode::NOT_FOUND, render(&page)?))
}

async fn status_lookup(
    State(s): State<WebState>,
    headers: HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Response> {
    let pairs = form_pairs(&headers, body)?;
    verify_form(&s, &headers, &pairs)?;
    let (number, code) = (first(&pairs, "number"), first(&pairs, "code"));
    if number.trim().is_empty() || code.trim().is_empty() {
        let t = form_token(&s, &headers)?;
        let page = lookup_page(
            &headers,
            Some("请填写申请编号和查询码。".into()),
            Some(t.token),
        );
        return Ok(with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&page)?,
        ));
    }
    let today = date_in_china(s.clock.now());
    let tracked = online::track(&s.app, number, code, today).await;
    let asked = |s: &WebState| -> Result<Asked<'_>> {
        Ok(Asked {
            code,
            csrf: form_token(s, &headers)?.token,
            headers: &headers,
        })
    };
    let page = match tracked {
        Ok(Tracked::Pending(v)) | Ok(Tracked::Rejected(v)) => submission_status(v, &asked(&s)?),
        Ok(Tracked::Case(c)) => case_status(&c, today, &asked(&s)?),
        Err(e) if e.kind() == ErrorKind::NotFound => return no_match(&headers),
        Err(e) => return Err(e.into()),
    };
    Ok(no_store(render(&page)?))
}

async fn download_letter(
    State(s): State<WebState>,
    headers: HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Response> {
    let pairs = form_pairs(&headers, body)?;
    verify_form(&s, &headers, &pairs)?;
    let (number, code) = (first(&pairs, "number"), first(&pairs, "code"));
    let kind = LetterKind::parse(first(&pairs, "kind"))
        .ok_or_else(|| WebError::bad_request("文书种类有误"))?;
    let format = first(&pairs, "format");
    if !matches!(format, "html" | "docx") {
        return Err(WebError::bad_request("文书格式有误"));
    }
    let letter = match online::tracked_letter(
        &s.app,
        number,
        code,
        kind,
        date_in_china(s.clock.now()),
    )
    .await
    {
        Ok(l) => l,
        Err(e) if e.kind() == ErrorKind::NotFound => return no_match(&headers),
        Err(e) => return Err(e.into()),
    };
    let (bytes, ctype) = if format == "html" {
        (
            gongkai_letters::to_html(&letter).into_bytes(),
            "text/html; charset=utf-8",
        )
    } else {
        (
            gongkai_letters::to_docx(&letter).map_err(|e| {
                WebError::from(AppError::internal("cannot write the DOCX letter", e))
            })?,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    };
    let name = format!("{}-{}.{format}", normalized_number(number), kind.key());
    let mut r = (
        [
            (header::CONTENT_TYPE, ctype.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response();
    r = no_store(r);
    Ok(r)
}

/// The number for a file name: digits and `-` only.
fn normalized_number(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_digit() || *c == '-')
        .take(20)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_key_trusts_a_listed_proxy_only() {
        let ip = |s: &str| s.parse::<IpAddr>().expect("ip");
        let proxy = ip("10.0.0.2");
        let trusted = [proxy, ip("10.0.0.3")];
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            HeaderValue::from_static("203.0.113.9, 198.51.100.7, 10.0.0.3"),
        );
        // From the proxy: the last forwarded address that is not a proxy.
        assert_eq!(client_key(&h, Some(proxy), &trusted), ip("198.51.100.7"));
        // From anyone else, or with no proxy listed: the peer, whatever the header says.
        let remote = ip("192.0.2.1");
        assert_eq!(client_key(&h, Some(remote), &trusted), remote);
        assert_eq!(client_key(&h, Some(proxy), &[]), proxy);
        assert_eq!(client_key(&HeaderMap::new(), Some(proxy), &trusted), proxy);
        // IPv6 per /64; IPv4-mapped as IPv4.
        assert_eq!(
            client_key(&HeaderMap::new(), Some(ip("2001:db8:1:2:3:4:5:6")), &[]),
            ip("2001:db8:1:2::")
        );
        assert_eq!(
            client_key(&HeaderMap::new(), Some(ip("::ffff:192.0.2.1")), &[]),
            remote
        );
        assert_eq!(
            client_key(&h, None, &trusted),
            IpAddr::V4(Ipv4Addr::UNSPECIFIED)
        );
    }

    #[test]
    fn bi_f_4_form_bodies_decode_as_utf8_only() {
        assert_eq!(percent_decode(b"a+b%E5%BC%A0").as_deref(), Some("a b张"));
        assert_eq!(percent_decode(b"%C0%AF"), None);
        assert_eq!(percent_decode(b"%ED%A0%80"), None);
        assert_eq!(percent_decode(b"%E5%BC"), None);
        assert_eq!(percent_decode(b"%ZZ"), None);
        assert_eq!(percent_decode(b"%4"), None);
    }
}
