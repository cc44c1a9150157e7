//! The bad-input corpus (docs/reliability.md, “The bad-input corpus”): every line of
//! `tests/bad_inputs/*.tsv` sent through the real router to the real endpoint, on both backends.
//! A refused case must get exactly the status its line names, a Chinese page or problem
//! document carrying the line's message (which names the field), and leave every table as it
//! was; an accepted case must be stored, and where it is shown again it must be inert (no live
//! markup) or come back escaped. A 5xx is a failure whatever the line says. The test prints, per
//! category, how many cases were tried and how each was answered.

use super::office_kit::{PW, Site, T0, hidden};
use axum::body::Body;
use axum::extract::connect_info::ConnectInfo;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Request, StatusCode, header};
use gongkai_app::application::online;
use gongkai_app::clock::Clock;
use gongkai_app::{App, api_token, catalog, user};
use gongkai_core::calendar::date_in_china;
use gongkai_core::catalog::{Action, ItemInput};
use gongkai_store::{Db, db_test};
use gongkai_web::router;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use time::macros::date;
use tower::ServiceExt;

const HOST: &str = "gk.example";
const AGENCY: &str = "张店区某局";
/// The boundary of the multipart bodies the corpus builds (`@raw` bodies use it too).
const BOUNDARY: &str = "XB";

// ---- the corpus files ----

/// What a line expects.
#[derive(Debug, Clone)]
enum Expect {
    /// Refused with this status; the body carries the text (a Chinese message).
    Refused(StatusCode, String),
    /// Accepted (and stored, for a target that writes); the text, when given, shows in a view.
    Accepted(Option<String>),
    /// Accepted, and every view of it free of live markup.
    Inert,
    /// Accepted, no live markup, and the input itself shown escaped in a view.
    Echoed,
}

#[derive(Debug, Clone)]
struct Case {
    /// `3.1-id-numbers.tsv:12`.
    at: String,
    category: String,
    id: String,
    target: String,
    field: String,
    input: Vec<u8>,
    expect: Expect,
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_inputs")
}

/// An escaped input as bytes: `\\`, `\t`, `\n`, `\r`, `\0`, `\{`, `\}`, `\u{HEX}` (a
/// character), `\x{HH}` (one raw byte, which need not make UTF-8) and `\*N{…}` (the escaped
/// text in the braces N times).
fn unescape(s: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if c != '\\' {
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            rest = &rest[c.len_utf8()..];
            continue;
        }
        let tail = &rest[1..];
        let Some(e) = tail.chars().next() else {
            return Err("a lone backslash at the end".into());
        };
        let after = &tail[e.len_utf8()..];
        let braced = |t: &str| -> Result<(String, usize), String> {
            let t = t
                .strip_prefix('{')
                .ok_or_else(|| format!("\\{e} needs {{…}}"))?;
            let end = t
                .find('}')
                .ok_or_else(|| format!("\\{e}{{ is not closed"))?;
            Ok((t[..end].to_string(), end + 2))
        };
        match e {
            '\\' | '{' | '}' => {
                out.push(e as u8);
                rest = after;
            }
            't' | 'n' | 'r' | '0' => {
                out.push(match e {
                    't' => b'\t',
                    'n' => b'\n',
                    'r' => b'\r',
                    _ => 0,
                });
                rest = after;
            }
            'u' => {
                let (hex, used) = braced(after)?;
                let v = u32::from_str_radix(&hex, 16).map_err(|_| format!("\\u{{{hex}}}"))?;
                let ch =
                    char::from_u32(v).ok_or_else(|| format!("\\u{{{hex}}} is no character"))?;
                let mut buf = [0u8; 4];
                out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                rest = &after[used..];
            }
            'x' => {
                let (hex, used) = braced(after)?;
                out.push(u8::from_str_radix(&hex, 16).map_err(|_| format!("\\x{{{hex}}}"))?);
                rest = &after[used..];
            }
            '*' => {
                let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
                let n: usize = digits
                    .parse()
                    .map_err(|_| "\\* needs a count".to_string())?;
                let body = after[digits.len()..]
                    .strip_prefix('{')
                    .ok_or("\\*N needs {…}")?;
                // The matching brace: escapes skip their next character, others nest.
                let (mut depth, mut skip, mut end) = (1usize, false, None);
                for (i, ch) in body.char_indices() {
                    if skip {
                        skip = false;
                    } else if ch == '\\' {
                        skip = true;
                    } else if ch == '{' {
                        depth += 1;
                    } else if ch == '}' {
                        depth -= 1;
                        if depth == 0 {
                            end = Some(i);
                            break;
                        }
                    }
                }
                let end = end.ok_or("\\*N{ is not closed")?;
                let once = unescape(&body[..end])?;
                for _ in 0..n {
                    out.extend_from_slice(&once);
                }
                rest = &body[end + 1..];
            }
            other => return Err(format!("unknown escape \\{other}")),
        }
    }
    Ok(out)
}

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
}

fn parse_expect(s: &str) -> Result<Expect, String> {
    let (head, text) = s.split_once(' ').unwrap_or((s, ""));
    let text = text.trim().to_string();
    match head {
        "accept" => Ok(Expect::Accepted(Some(text).filter(|t| !t.is_empty()))),
        "inert" if text.is_empty() => Ok(Expect::Inert),
        "echoed" if text.is_empty() => Ok(Expect::Echoed),
        code => {
            let status = code
                .parse::<u16>()
                .ok()
                .and_then(|c| StatusCode::from_u16(c).ok())
                .filter(StatusCode::is_client_error)
                .ok_or_else(|| format!("expect “{s}”: a 4xx status, accept, inert or echoed"))?;
            if !has_cjk(&text) {
                return Err(format!("expect “{s}”: a refusal names its Chinese message"));
            }
            Ok(Expect::Refused(status, text))
        }
    }
}

/// Every case of every file, in file and line order.
fn corpus() -> Vec<Case> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .expect("tests/bad_inputs")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "tsv"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let category = name.trim_end_matches(".tsv").to_string();
        let text = std::fs::read_to_string(&path).expect("a corpus file is UTF-8");
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let at = format!("{name}:{}", n + 1);
            let cols: Vec<&str> = line.split('\t').collect();
            assert_eq!(
                cols.len(),
                5,
                "{at}: id, target, field, input, expect (tab-separated)"
            );
            let input = unescape(cols[3]).unwrap_or_else(|e| panic!("{at}: {e}"));
            let expect = parse_expect(cols[4]).unwrap_or_else(|e| panic!("{at}: {e}"));
            out.push(Case {
                at,
                category: category.clone(),
                id: cols[0].to_string(),
                target: cols[1].to_string(),
                field: cols[2].to_string(),
                input,
                expect,
            });
        }
    }
    out
}

// ---- what the server shows ----

/// As askama and `gongkai_core::text::escape_html` escape text (either may print a value).
fn escaped_forms(s: &str) -> [String; 2] {
    let mut numeric = String::new();
    let mut named = String::new();
    for c in s.chars() {
        match c {
            '<' => (numeric.push_str("&#60;"), named.push_str("&lt;")),
            '>' => (numeric.push_str("&#62;"), named.push_str("&gt;")),
            '&' => (numeric.push_str("&#38;"), named.push_str("&amp;")),
            '"' => (numeric.push_str("&#34;"), named.push_str("&quot;")),
            '\'' => (numeric.push_str("&#39;"), named.push_str("&#39;")),
            c => (numeric.push(c), named.push(c)),
        };
    }
    [numeric, named]
}

fn shows(page: &str, text: &str) -> bool {
    page.contains(text)
        || escaped_forms(text)
            .iter()
            .any(|e| page.contains(e.as_str()))
}

/// The tags of `html` that could run something: script-like elements, event-handler
/// attributes, `srcdoc`, and URLs with a script scheme (after entities, tabs and newlines are
/// taken out, as a browser reads them). Escaped text has no `<`, so only markup is read.
fn live_markup(html: &str) -> Vec<String> {
    const ELEMENTS: [&str; 10] = [
        "script", "iframe", "object", "embed", "svg", "math", "frame", "frameset", "base",
        "noscript",
    ];
    const URLS: [&str; 6] = ["href", "src", "action", "formaction", "xlink:href", "data"];
    let mut found = Vec::new();
    let b = html.as_bytes();
    let mut i = 0;
    while let Some(at) = html[i..].find('<') {
        let start = i + at;
        i = start + 1;
        if !b.get(i).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        // The tag runs to the first `>` outside quotes.
        let (mut quote, mut end) = (None, html.len());
        for (k, c) in html[i..].char_indices() {
            match (quote, c) {
                (None, '"' | '\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, '>') => {
                    end = i + k;
                    break;
                }
                _ => {}
            }
        }
        let tag = &html[i..end];
        let name: String = tag
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '/')
            .collect::<String>()
            .to_ascii_lowercase();
        let mut bad = ELEMENTS.contains(&name.as_str());
        for (attr, value) in attributes(&tag[name.len()..]) {
            let value: String = decode_entities(&value)
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            bad |= attr.starts_with("on") || attr == "srcdoc";
            bad |= URLS.contains(&attr.as_str())
                && ["javascript:", "vbscript:", "data:text/html"]
                    .iter()
                    .any(|s| value.starts_with(s));
            bad |= attr == "style" && value.contains("expression(");
        }
        if bad {
            found.push(html[start..(end + 1).min(html.len())].to_string());
        }
        i = end;
    }
    found
}

/// A tag's attributes (name lower-cased, value as written).
fn attributes(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = s.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
    while !rest.is_empty() {
        let name: String = rest
            .chars()
            .take_while(|c| !c.is_whitespace() && !matches!(c, '=' | '/' | '>'))
            .collect();
        if name.is_empty() {
            rest = &rest[rest.chars().next().map_or(1, char::len_utf8)..];
            continue;
        }
        rest = rest[name.len()..].trim_start();
        let mut value = String::new();
        if let Some(v) = rest.strip_prefix('=') {
            let v = v.trim_start();
            if let Some(q) = v.chars().next().filter(|c| matches!(c, '"' | '\'')) {
                let inner = &v[1..];
                let end = inner.find(q).unwrap_or(inner.len());
                value = inner[..end].to_string();
                rest = inner.get(end + 1..).unwrap_or("");
            } else {
                let end = v.find(char::is_whitespace).unwrap_or(v.len());
                value = v[..end].to_string();
                rest = &v[end..];
            }
        }
        out.push((name.to_ascii_lowercase(), value));
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
    }
    out
}

/// `&#x09;`, `&#58;`, `&colon;` and friends, as a browser decodes them in an attribute.
fn decode_entities(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at + 1..];
        let end = rest.find(|c: char| !c.is_ascii_alphanumeric() && c != '#');
        let (entity, after) = match end {
            Some(e) => (
                &rest[..e],
                rest[e..].strip_prefix(';').unwrap_or(&rest[e..]),
            ),
            None => (rest, ""),
        };
        let ch = if let Some(hex) = entity
            .strip_prefix("#x")
            .or_else(|| entity.strip_prefix("#X"))
        {
            u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
        } else if let Some(dec) = entity.strip_prefix('#') {
            dec.parse().ok().and_then(char::from_u32)
        } else {
            match entity {
                "colon" => Some(':'),
                "tab" => Some('\t'),
                "newline" => Some('\n'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                _ => None,
            }
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = after;
            }
            None => out.push('&'),
        }
    }
    out.push_str(rest);
    out
}

// ---- every table, before and after ----

/// Tables a refused request may still change by design: the audit log records every
/// state-changing request and its outcome (DB-AU-1, docs/audit-log.md); a session and an API
/// token note their last use; failed sign-ins are counted.
const BOOKKEEPING: [&str; 6] = [
    "audit_log",
    "audit_head",
    "staff_session",
    "api_token",
    "sign_in_failure",
    "_sqlx_migrations",
];

/// One query that reads every table: its name, its row count, and its rows.
async fn snapshot_query(db: &Db) -> String {
    let mut parts = Vec::new();
    match db {
        Db::Sqlite(p) => {
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT name FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' ORDER BY name",
            )
            .fetch_all(p)
            .await
            .expect("tables");
            for t in tables.iter().filter(|t| !BOOKKEEPING.contains(&t.as_str())) {
                let cols: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                    "SELECT name FROM pragma_table_info('{t}')"
                )))
                .fetch_all(p)
                .await
                .expect("columns");
                let row = cols
                    .iter()
                    .map(|c| format!("quote(\"{c}\")"))
                    .collect::<Vec<_>>()
                    .join(" || ',' || ");
                parts.push(format!(
                    "SELECT '{t}', (SELECT count(*) FROM \"{t}\"), \
                     (SELECT group_concat(r, char(10)) FROM (SELECT {row} AS r FROM \"{t}\" ORDER BY 1))"
                ));
            }
        }
        Db::Postgres(p) => {
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() \
                 ORDER BY tablename",
            )
            .fetch_all(p)
            .await
            .expect("tables");
            for t in tables.iter().filter(|t| !BOOKKEEPING.contains(&t.as_str())) {
                parts.push(format!(
                    "SELECT '{t}'::text, (SELECT count(*) FROM \"{t}\"), \
                     (SELECT md5(coalesce(string_agg(x::text, E'\\n' ORDER BY x::text), '')) FROM \"{t}\" x)"
                ));
            }
        }
    }
    assert!(parts.len() > 30, "the schema's tables: {}", parts.len());
    parts.join(" UNION ALL ")
}

type Snapshot = BTreeMap<String, (i64, Option<String>)>;

async fn snapshot(db: &Db, query: &str) -> Snapshot {
    let rows: Vec<(String, i64, Option<String>)> = match db {
        Db::Sqlite(p) => sqlx::query_as(sqlx::AssertSqlSafe(query.to_string()))
            .fetch_all(p)
            .await
            .expect("snapshot"),
        Db::Postgres(p) => sqlx::query_as(sqlx::AssertSqlSafe(query.to_string()))
            .fetch_all(p)
            .await
            .expect("snapshot"),
    };
    rows.into_iter().map(|(t, n, d)| (t, (n, d))).collect()
}

/// The tables whose rows differ, each with its row counts.
fn changed(before: &Snapshot, after: &Snapshot) -> Vec<String> {
    after
        .iter()
        .filter(|(t, v)| before.get(*t) != Some(*v))
        .map(|(t, (n, _))| {
            let was = before.get(t).map_or(0, |(n, _)| *n);
            format!("{t} ({was} → {n} rows)")
        })
        .collect()
}

// ---- the site ----

struct Got {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Got {
    fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    fn content_type(&self) -> &str {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

/// A browser's cookies.
#[derive(Default)]
struct Jar(Mutex<BTreeMap<String, String>>);

impl Jar {
    fn header(&self) -> String {
        let jar = self.0.lock().expect("jar");
        jar.iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep(&self, headers: &HeaderMap) {
        let mut jar = self.0.lock().expect("jar");
        for c in headers.get_all(header::SET_COOKIE) {
            let c = c.to_str().unwrap_or("");
            if let Some((k, v)) = c.split(';').next().unwrap_or("").split_once('=') {
                if c.contains("Max-Age=0") {
                    jar.remove(k);
                } else {
                    jar.insert(k.to_string(), v.to_string());
                }
            }
        }
    }
}

/// `application/x-www-form-urlencoded` of name–value pairs (values as bytes).
fn encode(pairs: &[(String, Vec<u8>)]) -> Vec<u8> {
    let enc = |s: &[u8]| -> String {
        s.iter()
            .map(|&b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k.as_bytes()), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
        .into_bytes()
}

fn text_pairs(pairs: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
        .collect()
}

/// The pairs with `field` set to `value` (its first occurrence; added when absent).
fn set(mut pairs: Vec<(String, Vec<u8>)>, field: &str, value: &[u8]) -> Vec<(String, Vec<u8>)> {
    match pairs.iter_mut().find(|(k, _)| k == field) {
        Some((_, v)) => *v = value.to_vec(),
        None => pairs.push((field.to_string(), value.to_vec())),
    }
    pairs
}

fn replace(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

struct Kit {
    _site: Site,
    app: std::sync::Arc<App>,
    db: Db,
    snapshot_query: String,
    router: axum::Router,
    next_ip: AtomicU32,
    next_key: AtomicU32,
    citizen: Jar,
    /// The anti-forgery token of the citizen's form cookie.
    form_csrf: String,
    staff: Jar,
    /// The anti-forgery token of the clerk's (luru's) session.
    staff_csrf: String,
    /// An API token of luru.
    token: String,
    agency: i64,
    /// A published item (feedback goes to it).
    item: i64,
    /// An application sent through the form: its 申请编号 and 查询码.
    number: String,
    code: String,
}

/// The parts of a request a target builds.
struct Req {
    method: &'static str,
    uri: String,
    headers: Vec<(String, Vec<u8>)>,
    body: Vec<u8>,
    staff: bool,
}

impl Kit {
    async fn new(db: Db) -> Kit {
        // The agencies and users of the back-office stories (`office_kit`).
        let site = Site::new(db.clone()).await;
        let app = site.app.clone();
        let item = published(&app).await;
        // Tokens are issued by the security administrator (安全管理员).
        let security = user::first_security(&app).await.expect("security");
        let token = api_token::issue(&app, &security, "luru", "省级平台", None, T0)
            .await
            .expect("token")
            .token;
        let agency = user::actor(&app, Some("luru"))
            .await
            .expect("luru")
            .agency
            .expect("agency")
            .get();
        // With the search index, built from the catalogue (the published item in it).
        let mut state = site.state.clone();
        let opened = gongkai_app::search::open(&app).await.expect("search index");
        state.search = Some(std::sync::Arc::new(opened.index));
        state.clock = Clock::manual(T0);
        let query = snapshot_query(&db).await;
        let mut kit = Kit {
            _site: site,
            app,
            db,
            snapshot_query: query,
            router: router(state),
            next_ip: AtomicU32::new(1),
            next_key: AtomicU32::new(1),
            citizen: Jar::default(),
            form_csrf: String::new(),
            staff: Jar::default(),
            staff_csrf: String::new(),
            token,
            agency,
            item,
            number: String::new(),
            code: String::new(),
        };
        // The citizen opens a form: the form cookie and its token.
        let form = kit.get(false, "/status").await;
        assert_eq!(form.status, StatusCode::OK);
        kit.form_csrf = hidden(&form.body, "csrf_token");
        // luru signs in.
        let signin = kit.get(true, "/staff/signin").await;
        let t = hidden(&signin.body, "csrf_token");
        let signin = kit.form_post(
            "/staff/signin".into(),
            text_pairs(&[
                ("csrf_token", &t),
                ("next", "/staff"),
                ("name", "luru"),
                ("password", PW),
            ]),
            "",
            b"",
            true,
        );
        let r = kit.send(signin).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        kit.staff_csrf = hidden(&kit.get(true, "/staff").await.body, "csrf_token");
        // One application, for the status look-ups.
        let r = kit.send(kit.apply_request("", &[], false)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let (number, code) = kit.receipt(r.location()).await;
        kit.number = number;
        kit.code = code;
        kit
    }

    fn fresh_ip(&self) -> SocketAddr {
        let n = self.next_ip.fetch_add(1, Ordering::Relaxed);
        SocketAddr::from(([10, (n >> 16) as u8, (n >> 8) as u8, n as u8], 40000))
    }

    async fn send(&self, r: Req) -> Got {
        let jar = if r.staff { &self.staff } else { &self.citizen };
        let mut b = Request::builder()
            .method(r.method)
            .uri(&r.uri)
            .header(header::HOST, HOST);
        let cookies = jar.header();
        if !cookies.is_empty() {
            b = b.header(header::COOKIE, cookies);
        }
        for (k, v) in &r.headers {
            b = b.header(
                HeaderName::from_bytes(k.as_bytes()).expect("header name"),
                HeaderValue::from_bytes(v).expect("header value"),
            );
        }
        let mut req = b.body(Body::from(r.body)).expect("request");
        req.extensions_mut().insert(ConnectInfo(self.fresh_ip()));
        let res = self.router.clone().oneshot(req).await.expect("response");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .expect("body");
        jar.keep(&headers);
        Got {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    async fn get(&self, staff: bool, uri: &str) -> Got {
        self.send(Req {
            method: "GET",
            uri: uri.into(),
            headers: Vec::new(),
            body: Vec::new(),
            staff,
        })
        .await
    }

    /// The receipt page a submission was sent to: (申请编号, 查询码).
    async fn receipt(&self, to: &str) -> (String, String) {
        let page = self.get(false, to).await;
        assert_eq!(page.status, StatusCode::OK, "{to}: {}", page.body);
        let dd = |class: &str| {
            let at = page
                .body
                .find(&format!("<dd class=\"{class}\">"))
                .unwrap_or_else(|| panic!("no {class} in {}", page.body));
            let rest = &page.body[at + class.len() + 13..];
            rest[..rest.find("</dd>").expect("</dd>")].to_string()
        };
        (dd("number"), dd("code"))
    }

    /// A form POST: the template's pairs with the case applied (`field` set, or the special
    /// fields `@raw`, `@append`, `@header:NAME`).
    fn form_post(
        &self,
        uri: String,
        pairs: Vec<(String, Vec<u8>)>,
        field: &str,
        input: &[u8],
        staff: bool,
    ) -> Req {
        let mut headers = vec![
            (
                "content-type".to_string(),
                b"application/x-www-form-urlencoded".to_vec(),
            ),
            ("origin".to_string(), format!("http://{HOST}").into_bytes()),
            ("sec-fetch-site".to_string(), b"same-origin".to_vec()),
        ];
        let body = match field {
            "" => encode(&pairs),
            "@raw" => input.to_vec(),
            "@append" => [encode(&pairs), input.to_vec()].concat(),
            f if f.starts_with("@header:") => {
                let name = f["@header:".len()..].to_ascii_lowercase();
                headers.retain(|(k, _)| *k != name);
                headers.push((name, input.to_vec()));
                encode(&pairs)
            }
            f => encode(&set(pairs, f, input)),
        };
        Req {
            method: "POST",
            uri,
            headers,
            body,
            staff,
        }
    }

    /// The online application of 张三 (or of an organisation, `org`), with a fresh key.
    fn apply_request(&self, field: &str, input: &[u8], org: bool) -> Req {
        let key = format!("{:032x}", self.next_key.fetch_add(1, Ordering::Relaxed));
        let mut pairs = text_pairs(&[
            ("csrf_token", &self.form_csrf),
            ("idempotency_key", &key),
            ("applicant_type", "natural_person"),
            ("name", "张三"),
            ("id_type", "resident_id_card"),
            ("id_number", "11010519491231002X"),
            ("phone", "13800000000"),
            ("email", "zhangsan@example.com"),
            ("address", ""),
            ("postcode", ""),
            ("description", "2023年部门预算及“三公”经费说明"),
            ("media", "email"),
            ("media", "paper"),
            ("accept_other", "1"),
            ("delivery", "email"),
        ]);
        if org {
            pairs = set(pairs, "applicant_type", b"commercial");
            pairs = set(pairs, "name", b"");
            pairs = set(pairs, "org_name", "某某科技有限公司".as_bytes());
            pairs = set(pairs, "credit_code", b"91110108MA0000001D");
            pairs = set(pairs, "contact_person", "李四".as_bytes());
        }
        self.form_post(
            format!("/agencies/{}/apply/online", self.agency),
            pairs,
            field,
            input,
            false,
        )
    }

    /// A JSON POST: the template with `field` set to the input as a string, `json:NAME` set to
    /// the input as JSON text, or `@raw` / `@header:NAME`.
    fn json_post(&self, uri: &str, template: Value, field: &str, input: &[u8], auth: bool) -> Req {
        let mut headers = vec![
            ("content-type".to_string(), b"application/json".to_vec()),
            ("origin".to_string(), format!("http://{HOST}").into_bytes()),
            ("sec-fetch-site".to_string(), b"same-origin".to_vec()),
        ];
        if auth {
            headers.push((
                "authorization".to_string(),
                format!("Bearer {}", self.token).into_bytes(),
            ));
        }
        let mut body = serde_json::to_vec(&template).expect("json");
        match field {
            "@raw" => body = input.to_vec(),
            f if f.starts_with("@header:") => {
                let name = f["@header:".len()..].to_ascii_lowercase();
                headers.retain(|(k, _)| *k != name);
                headers.push((name, input.to_vec()));
            }
            f if f.starts_with("json:") => {
                let mut t = template;
                t[&f["json:".len()..]] = json!("\u{1}PLACEHOLDER\u{1}");
                let text = serde_json::to_vec(&t).expect("json");
                body = replace(&text, br#""\u0001PLACEHOLDER\u0001""#, input);
            }
            f => {
                let mut t = template;
                t[f] = json!(
                    String::from_utf8(input.to_vec())
                        .expect("a JSON string field takes UTF-8; use @raw for other bytes")
                );
                body = serde_json::to_vec(&t).expect("json");
            }
        }
        Req {
            method: "POST",
            uri: uri.into(),
            headers,
            body,
            staff: false,
        }
    }

    /// A GET with a query: the template's parameters with `field` set, or `@query` (the
    /// whole query string as given).
    fn query_get(&self, path: &str, pairs: &[(&str, &str)], field: &str, input: &[u8]) -> String {
        let q = if field == "@query" {
            input.to_vec()
        } else {
            encode(&set(text_pairs(pairs), field, input))
        };
        format!("{path}?{}", String::from_utf8(q).expect("a query is ASCII"))
    }

    /// A multipart upload of an attachment: the token, then `file` (`filename` and `content`
    /// set by the case), or `@raw` / `@header:NAME`.
    fn upload(&self, draft: i64, field: &str, input: &[u8]) -> Req {
        let mut name = "通知.pdf".as_bytes().to_vec();
        let mut content = b"%PDF-1.4\n%test\n".to_vec();
        let mut headers = vec![
            (
                "content-type".to_string(),
                format!("multipart/form-data; boundary={BOUNDARY}").into_bytes(),
            ),
            ("origin".to_string(), format!("http://{HOST}").into_bytes()),
            ("sec-fetch-site".to_string(), b"same-origin".to_vec()),
        ];
        let mut raw = None;
        match field {
            "filename" => name = input.to_vec(),
            "content" => content = input.to_vec(),
            "@raw" => raw = Some(input.to_vec()),
            f if f.starts_with("@header:") => {
                let h = f["@header:".len()..].to_ascii_lowercase();
                headers.retain(|(k, _)| *k != h);
                headers.push((h, input.to_vec()));
            }
            f => panic!("staff.attach has no field {f}"),
        }
        let body = raw.unwrap_or_else(|| {
            [
                format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{}\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"",
                    self.staff_csrf
                )
                .into_bytes(),
                name,
                b"\"\r\nContent-Type: application/octet-stream\r\n\r\n".to_vec(),
                content,
                format!("\r\n--{BOUNDARY}--\r\n").into_bytes(),
            ]
            .concat()
        });
        Req {
            method: "POST",
            uri: format!("/staff/catalog/items/{draft}/attachments"),
            headers,
            body,
            staff: true,
        }
    }

    /// A new draft of luru's, for an attachment (an item takes only so many).
    async fn draft(&self) -> i64 {
        let luru = user::actor(&self.app, Some("luru")).await.expect("luru");
        catalog::create_item(
            &self.app,
            &luru,
            luru.agency.expect("agency"),
            &ItemInput {
                title: "关于附件的通知".into(),
                publisher: AGENCY.into(),
                formed_on: Some(date!(2024 - 05 - 01)),
                column: "政策文件".into(),
                summary: "附件。".into(),
                body_html: "<p>正文。</p>".into(),
                ..ItemInput::default()
            },
            T0,
        )
        .await
        .expect("draft")
        .item
        .id
        .get()
    }

    /// The request of a case, and whether the target stores what it accepts.
    async fn request(&self, c: &Case) -> (Req, bool) {
        // Placeholders a raw input may use for what only the running site knows.
        let input = replace(&c.input, b"{csrf}", self.form_csrf.as_bytes());
        let input = replace(&input, b"{staff_csrf}", self.staff_csrf.as_bytes());
        let input = replace(&input, b"{number}", self.number.as_bytes());
        let input = replace(&input, b"{code}", self.code.as_bytes());
        let (f, i) = (c.field.as_str(), input.as_slice());
        match c.target.as_str() {
            "apply" => (self.apply_request(f, i, false), true),
            "apply.org" => (self.apply_request(f, i, true), true),
            "status" => (
                self.form_post(
                    "/status".into(),
                    text_pairs(&[
                        ("csrf_token", &self.form_csrf),
                        ("number", &self.number),
                        ("code", &self.code),
                    ]),
                    f,
                    i,
                    false,
                ),
                false,
            ),
            "feedback" => (
                self.form_post(
                    format!("/items/{}/feedback", self.item),
                    text_pairs(&[
                        ("csrf_token", &self.form_csrf),
                        ("rating", "satisfied"),
                        ("comment", "招聘公告写得清楚。"),
                        ("nickname", ""),
                        ("contact", ""),
                        ("website", ""),
                    ]),
                    f,
                    i,
                    false,
                ),
                true,
            ),
            "search" => (
                Req {
                    method: "GET",
                    uri: self.query_get("/search", &[("q", "招聘")], f, i),
                    headers: Vec::new(),
                    body: Vec::new(),
                    staff: false,
                },
                false,
            ),
            "path" => (
                Req {
                    method: "GET",
                    uri: String::from_utf8(i.to_vec()).expect("a path is ASCII"),
                    headers: Vec::new(),
                    body: Vec::new(),
                    staff: f == "staff",
                },
                false,
            ),
            "api.status" => (
                self.json_post(
                    "/api/v1/status",
                    json!({"number": self.number, "code": self.code}),
                    f,
                    i,
                    false,
                ),
                false,
            ),
            "api.cases" => (
                self.json_post(
                    "/api/v1/cases",
                    json!({
                        "agency": AGENCY,
                        "channel": "in_person",
                        "arrived_on": "2024-05-06",
                        "applicant_type": "natural_person",
                        "name": "张三",
                        "id_type": "resident_id_card",
                        "id_number": "11010519491231002X",
                        "phone": "13812345678",
                        "email": "zhangsan@example.com",
                        "description": "2023年部门决算",
                        "delivery": "email",
                        "media": ["email"],
                    }),
                    f,
                    i,
                    true,
                ),
                true,
            ),
            "api.list" => {
                let mut r = Req {
                    method: "GET",
                    uri: self.query_get("/api/v1/cases", &[("q", "张")], f, i),
                    headers: Vec::new(),
                    body: Vec::new(),
                    staff: false,
                };
                r.headers.push((
                    "authorization".into(),
                    format!("Bearer {}", self.token).into_bytes(),
                ));
                (r, false)
            }
            "staff.cases" => (
                Req {
                    method: "GET",
                    uri: self.query_get("/staff/cases", &[("q", "张")], f, i),
                    headers: Vec::new(),
                    body: Vec::new(),
                    staff: true,
                },
                false,
            ),
            "staff.item" => (
                self.form_post(
                    "/staff/catalog/items".into(),
                    text_pairs(&[
                        ("csrf_token", &self.staff_csrf),
                        ("op", "save"),
                        ("title", "关于政府信息公开工作的通知"),
                        ("publisher", AGENCY),
                        ("column", "政策文件"),
                        ("subject", "综合政务\\政务公开"),
                        ("genre", "通知"),
                        ("doc_number", "张政办发[2024]3号"),
                        ("formed_on", "2024-05-06"),
                        ("summary", "关于政府信息公开工作的通知。"),
                        ("body_html", "<p>正文。</p>"),
                        ("keywords", "政务公开，通知"),
                    ]),
                    f,
                    i,
                    true,
                ),
                true,
            ),
            "staff.register" => (
                self.form_post(
                    "/staff/cases/new".into(),
                    text_pairs(&[
                        ("csrf_token", &self.staff_csrf),
                        ("agency", AGENCY),
                        ("channel", "in_person"),
                        ("arrived_on", "2024-05-06"),
                        ("applicant_type", "natural_person"),
                        ("name", "张三"),
                        ("id_type", "resident_id_card"),
                        ("id_number", "11010519491231002X"),
                        ("phone", "13812345678"),
                        ("email", "zhangsan@example.com"),
                        ("description", "2023年部门决算"),
                        ("delivery", "email"),
                        ("media", "email"),
                    ]),
                    f,
                    i,
                    true,
                ),
                true,
            ),
            "staff.attach" => (self.upload(self.draft().await, f, i), true),
            t => panic!("{}: unknown target {t}", c.at),
        }
    }

    /// The pages that show what an accepted case stored (or the answer itself).
    async fn views(&self, c: &Case, got: &Got) -> Vec<(String, String)> {
        let mut out = vec![("the answer".to_string(), got.body.clone())];
        match c.target.as_str() {
            "apply" | "apply.org" => {
                let (number, code) = self.receipt(got.location()).await;
                let status = self
                    .send(self.form_post(
                        "/status".into(),
                        text_pairs(&[
                            ("csrf_token", &self.form_csrf),
                            ("number", &number),
                            ("code", &code),
                        ]),
                        "",
                        b"",
                        false,
                    ))
                    .await;
                out.push(("the status page".into(), status.body));
                out.push((
                    "the back office's list".into(),
                    self.get(true, "/staff/online").await.body,
                ));
                // Confirmed, it is a case: its page, the status page again, the receipt letter.
                let luru = user::actor(&self.app, Some("luru")).await.expect("luru");
                let today = date_in_china(T0);
                online::confirm_online(&self.app, &luru, &number, today, today)
                    .await
                    .expect("confirm");
                let lookup = |more: &[(&str, &str)]| {
                    let mut pairs = vec![
                        ("csrf_token", self.form_csrf.as_str()),
                        ("number", number.as_str()),
                        ("code", code.as_str()),
                    ];
                    pairs.extend_from_slice(more);
                    text_pairs(&pairs)
                };
                for (name, path, more) in [
                    ("the status page of the case", "/status", &[][..]),
                    (
                        "the receipt letter",
                        "/status/letter",
                        &[("kind", "receipt"), ("format", "html")][..],
                    ),
                ] {
                    let r = self
                        .send(self.form_post(path.into(), lookup(more), "", b"", false))
                        .await;
                    assert_eq!(r.status, StatusCode::OK, "{name}: {}", gist(&r.body));
                    out.push((name.into(), r.body));
                }
                let case = self.get(true, &format!("/staff/cases/{number}")).await;
                assert_eq!(case.status, StatusCode::OK, "{}", gist(&case.body));
                out.push(("the case page".into(), case.body));
            }
            "staff.item" | "staff.attach" | "staff.register" => {
                let page = self.get(true, got.location()).await;
                out.push((got.location().to_string(), page.body));
            }
            _ => {}
        }
        out
    }
}

/// A published item of 张店区某局, for feedback and search.
async fn published(app: &App) -> i64 {
    let drafter = user::actor(app, Some("shuang")).await.expect("drafter");
    let secrecy = user::actor(app, Some("baomi")).await.expect("secrecy");
    let reviewer = user::actor(app, Some("shenhe")).await.expect("reviewer");
    let id = catalog::create_item(
        app,
        &drafter,
        drafter.agency.expect("agency"),
        &ItemInput {
            title: "2024年公开招聘公告".into(),
            publisher: AGENCY.into(),
            formed_on: Some(date!(2024 - 05 - 01)),
            column: "人事信息".into(),
            summary: "招聘公告。".into(),
            body_html: "<p>公开招聘工作人员。</p>".into(),
            ..ItemInput::default()
        },
        T0,
    )
    .await
    .expect("create")
    .item
    .id;
    for (action, by) in [
        (Action::Submit, &drafter),
        (Action::ClearSecrecy, &secrecy),
        (Action::Approve, &reviewer),
        (Action::Publish, &reviewer),
    ] {
        catalog::act(app, by, id, action, None, T0)
            .await
            .expect("step");
    }
    id.get()
}

// ---- the run ----

#[derive(Default)]
struct Tally {
    tried: usize,
    refused: BTreeMap<u16, usize>,
    accepted: usize,
    inert: usize,
    server_errors: usize,
}

/// What a failure message quotes of an answer: a page's `<main>` as text, or the body.
fn gist(body: &str) -> String {
    let main = ["error-summary", "<main"]
        .iter()
        .find_map(|m| body.find(m))
        .map_or(body, |at| &body[at..]);
    let mut text = String::new();
    let mut in_tag = false;
    for c in main.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    text.chars().take(300).collect()
}

/// Sends one case; `Err` says how the answer differs from the line.
async fn run(kit: &Kit, c: &Case, tally: &mut Tally) -> Result<(), String> {
    let (req, writes) = kit.request(c).await;
    let before = snapshot(&kit.db, &kit.snapshot_query).await;
    let got = kit.send(req).await;
    let after = snapshot(&kit.db, &kit.snapshot_query).await;
    let written = changed(&before, &after);
    let status = got.status;
    tally.tried += 1;
    if status.is_server_error() {
        tally.server_errors += 1;
        return Err(format!("{status} (a server error): {}", gist(&got.body)));
    }
    if status.is_client_error() {
        *tally.refused.entry(status.as_u16()).or_default() += 1;
    }
    let accepted = status.is_success() || status.is_redirection();
    match &c.expect {
        Expect::Refused(want, text) => {
            if status != *want {
                return Err(format!(
                    "answered {status}, not {want}: {}",
                    gist(&got.body)
                ));
            }
            let ct = got.content_type();
            if !(ct.starts_with("text/html") || ct.starts_with("application/problem+json")) {
                return Err(format!(
                    "answered as “{ct}”, not a page or a problem: {}",
                    gist(&got.body)
                ));
            }
            if !shows(&got.body, text) {
                return Err(format!(
                    "the answer does not say “{text}”: {}",
                    gist(&got.body)
                ));
            }
            if !written.is_empty() {
                return Err(format!("refused, yet written: {}", written.join(", ")));
            }
        }
        expect => {
            if !accepted {
                return Err(format!(
                    "answered {status}, not accepted: {}",
                    gist(&got.body)
                ));
            }
            if writes && written.is_empty() {
                return Err("accepted, yet nothing was stored".into());
            }
            if !writes && !written.is_empty() {
                return Err(format!("a look-up wrote: {}", written.join(", ")));
            }
            let views = kit.views(c, &got).await;
            match expect {
                Expect::Accepted(Some(text)) => {
                    if !views.iter().any(|(_, v)| shows(v, text)) {
                        let seen: Vec<String> = views
                            .iter()
                            .map(|(n, v)| format!("{n}: {}", gist(v)))
                            .collect();
                        return Err(format!("no view shows “{text}”: {}", seen.join(" | ")));
                    }
                    tally.accepted += 1;
                }
                Expect::Accepted(None) => tally.accepted += 1,
                Expect::Inert | Expect::Echoed => {
                    for (name, v) in &views {
                        let live = live_markup(v);
                        if !live.is_empty() {
                            return Err(format!("live markup in {name}: {live:?}"));
                        }
                    }
                    if matches!(expect, Expect::Echoed) {
                        let typed = String::from_utf8_lossy(&c.input);
                        let typed = typed.trim();
                        let escaped = escaped_forms(typed);
                        if !views
                            .iter()
                            .any(|(_, v)| escaped.iter().any(|e| v.contains(e.as_str())))
                        {
                            return Err(format!("no view shows “{typed}” escaped"));
                        }
                    }
                    tally.inert += 1;
                }
                Expect::Refused(..) => unreachable!("refusals are matched above"),
            }
        }
    }
    Ok(())
}

/// `3.11-dates` after `3.9-unicode`: by the numbers of the section.
fn section_order(category: &str) -> (u32, u32, String) {
    let number = category.split('-').next().unwrap_or("");
    let mut parts = number.split('.').map(|n| n.parse().unwrap_or(u32::MAX));
    (
        parts.next().unwrap_or(u32::MAX),
        parts.next().unwrap_or(u32::MAX),
        category.to_string(),
    )
}

/// The table printed after a run (past the harness's capture, so it shows in every run): per
/// category the cases tried, those refused by status, those accepted, those accepted and shown
/// inert or escaped, and the 5xx (which fail the run).
fn summary(backend: &str, tallies: &BTreeMap<String, Tally>) -> String {
    let statuses: std::collections::BTreeSet<u16> = tallies
        .values()
        .flat_map(|t| t.refused.keys().copied())
        .collect();
    let mut rows: Vec<(String, &Tally)> = tallies.iter().map(|(c, t)| (c.clone(), t)).collect();
    rows.sort_by_key(|(c, _)| section_order(c));
    let mut total = Tally::default();
    for (_, t) in &rows {
        total.tried += t.tried;
        for (s, n) in &t.refused {
            *total.refused.entry(*s).or_default() += n;
        }
        total.accepted += t.accepted;
        total.inert += t.inert;
        total.server_errors += t.server_errors;
    }
    let line = |name: &str, t: &Tally| {
        let mut l = format!(
            "{name:<18}{:>6}{:>9}",
            t.tried,
            t.refused.values().sum::<usize>()
        );
        for s in &statuses {
            l.push_str(&format!("{:>6}", t.refused.get(s).copied().unwrap_or(0)));
        }
        l.push_str(&format!(
            "{:>10}{:>8}{:>6}\n",
            t.accepted, t.inert, t.server_errors
        ));
        l
    };
    let mut out = format!(
        "\nbad-input corpus over HTTP ({backend}): cases tried and how each was answered\n{:<18}{:>6}{:>9}",
        "category", "tried", "refused"
    );
    for s in &statuses {
        out.push_str(&format!("{s:>6}"));
    }
    out.push_str(&format!("{:>10}{:>8}{:>6}\n", "accepted", "inert", "5xx"));
    for (c, t) in &rows {
        out.push_str(&line(c, t));
    }
    out.push_str(&line("all", &total));
    out
}

db_test!(
    bi_3_every_bad_input_of_the_corpus_through_the_real_endpoints,
    |db| async move {
        let backend = match &db {
            Db::Sqlite(_) => "SQLite",
            Db::Postgres(_) => "PostgreSQL",
        };
        let cases = corpus();
        assert!(cases.len() > 100, "the corpus has {} cases", cases.len());
        let kit = Kit::new(db).await;
        // The site's own pages carry no live markup (or the check below would mean nothing).
        for path in ["/status", &format!("/items/{}", kit.item)] {
            let page = kit.get(false, path).await;
            assert_eq!(live_markup(&page.body), Vec::<String>::new(), "{path}");
        }
        assert!(
            !live_markup("<p title=\"x\">a</p><img src=x onerror=alert(1)>").is_empty()
                && !live_markup("<a href=\"jav&#x09;ascript:alert(1)\">x</a>").is_empty()
                && live_markup("&#60;script&#62;alert(1)").is_empty(),
            "the markup check finds live markup"
        );
        let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
        let mut failures = Vec::new();
        for c in &cases {
            let tally = tallies.entry(c.category.clone()).or_default();
            if let Err(e) = run(&kit, c, tally).await {
                let mut e = e;
                if e.len() > 600 {
                    let cut = (0..=600)
                        .rev()
                        .find(|i| e.is_char_boundary(*i))
                        .unwrap_or(0);
                    e.truncate(cut);
                    e.push('…');
                }
                failures.push(format!("{} {} {} {}: {e}", c.at, c.id, c.target, c.field));
            }
        }
        let table = summary(backend, &tallies);
        {
            use std::io::Write;
            let _ = std::io::stderr().write_all(table.as_bytes());
        }
        assert!(
            failures.is_empty(),
            "{} of {} cases answered otherwise than their line says:\n{}\n{table}",
            failures.len(),
            cases.len(),
            failures.join("\n")
        );
        assert!(
            tallies.values().all(|t| t.server_errors == 0),
            "no case may get a 5xx"
        );
    }
);

#[test]
fn bi_3_the_corpus_escapes_read_as_documented() {
    assert_eq!(unescape("a\\tb").expect("tab"), b"a\tb");
    assert_eq!(unescape("\\u{200B}").expect("u"), "\u{200B}".as_bytes());
    assert_eq!(unescape("\\x{C0}\\x{AF}").expect("x"), vec![0xC0, 0xAF]);
    assert_eq!(unescape("\\*3{ab}").expect("repeat"), b"ababab");
    assert_eq!(
        unescape("\\*2{\\u{301}\\}}").expect("nested"),
        "\u{301}}\u{301}}".as_bytes()
    );
    assert_eq!(unescape("\\\\\\{").expect("literal"), b"\\{");
    assert!(unescape("\\q").is_err());
    assert!(
        unescape("\\u{D800}").is_err(),
        "a surrogate is written as bytes"
    );
    assert!(matches!(
        parse_expect("422 请填写姓名"),
        Ok(Expect::Refused(StatusCode::UNPROCESSABLE_ENTITY, _))
    ));
    assert!(
        parse_expect("422 name").is_err(),
        "a refusal's message is Chinese"
    );
    assert!(
        parse_expect("503 服务暂时不可用").is_err(),
        "only a 4xx is expected"
    );
}
