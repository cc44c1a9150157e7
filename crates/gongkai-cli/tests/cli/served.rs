//! A data directory served by the built binary (`gongkai serve` on 127.0.0.1, an ephemeral
//! port), and a citizen's browser talking HTTP/1.1 to it over plain sockets: the form cookie and
//! token, the online application form, the receipt. For the crash and fault tests
//! (docs/reliability.md T-CRASH-1, T-FAULT-1..4).

use super::common::*;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// The agency every test applies to.
pub const AGENCY: &str = "张店区某局";

/// Creates a data directory with one agency (on SQLite, or on `database` when given), whose
/// `[auth] trusted_proxies` is this machine: each request of the tests names its own client in
/// `X-Forwarded-For`, as a reverse proxy would, so the per-client limit on submissions
/// (docs/online-applications.md#the-status-page) counts every simulated citizen apart.
pub fn data_dir(data: &Path, database: Option<&str>) -> i64 {
    let d = data.display().to_string();
    match database {
        Some(url) => ok(&["init", "--data", &d, "--database", url]),
        None => ok(&["init", "--data", &d]),
    };
    ok(&[
        "agency",
        "add",
        "--data",
        &d,
        "--region",
        "山东省/淄博市/张店区",
        "--name",
        AGENCY,
        "--org-code",
        "000000009",
    ]);
    let settings = data.join("gongkai.toml");
    let text = std::fs::read_to_string(&settings).expect("read gongkai.toml");
    assert!(!text.contains("trusted_proxies"), "{text}");
    let proxies = "trusted_proxies = [\"127.0.0.1\"]\n";
    let text = if text.contains("\n[auth]\n") {
        text.replacen("\n[auth]\n", &format!("\n[auth]\n{proxies}"), 1)
    } else {
        format!("{text}\n[auth]\n{proxies}")
    };
    std::fs::write(&settings, text).expect("write gongkai.toml");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let app = gongkai_app::App::open(data).await.expect("open");
        let id = gongkai_app::agency::find(&app, AGENCY)
            .await
            .expect("agency")
            .id
            .get();
        app.db.close().await;
        id
    })
}

/// A running `gongkai serve`; killed (SIGKILL) when dropped.
pub struct Served {
    child: Child,
    pub addr: SocketAddr,
}

impl Served {
    /// Starts the server on `data`, its standard error appended to `log`, and waits until it
    /// listens.
    pub fn start(data: &Path, log: &Path) -> Served {
        let err = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .expect("open the server log");
        let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .args(["serve", "--data"])
            .arg(data)
            .args(["--listen", "127.0.0.1:0"])
            .current_dir(repo())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(err)
            .spawn()
            .expect("start gongkai serve");
        let mut out = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        let addr = loop {
            line.clear();
            let n = out.read_line(&mut line).expect("read the server's output");
            if n == 0 {
                let status = child.wait().expect("wait");
                panic!(
                    "gongkai serve ended before listening ({status}): {}",
                    std::fs::read_to_string(log).unwrap_or_default()
                );
            }
            if let Some(rest) = line.trim().strip_prefix("gongkai: serving on http://") {
                let addr = rest.split('/').next().expect("address");
                break addr.parse::<SocketAddr>().expect("a socket address");
            }
        };
        // Nothing else is expected on standard output; keep the pipe drained regardless.
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        Served { child, addr }
    }

    /// SIGKILL, and wait until the process is gone (its files closed).
    pub fn kill(mut self) {
        self.child.kill().expect("kill the server");
        self.child.wait().expect("wait for the server");
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP answer.
#[derive(Debug)]
pub struct Got {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Got {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Each request comes from its own client address (`X-Forwarded-For`).
static NEXT_CLIENT: AtomicU32 = AtomicU32::new(1);

fn next_client() -> String {
    let n = NEXT_CLIENT.fetch_add(1, Ordering::Relaxed);
    format!("10.{}.{}.{}", (n >> 16) as u8, (n >> 8) as u8, n as u8)
}

/// One request on its own connection (`Connection: close`, the answer read to its end). An
/// `Err` is a connection that failed or closed before a whole answer came: what a client of
/// a killed server sees.
pub fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<Got> {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(10))?;
    // Generous: a request waits up to the pool's 10 s acquire timeout while PostgreSQL is
    // down, and the audit write after it as long again.
    s.set_read_timeout(Some(Duration::from_secs(90)))?;
    s.set_write_timeout(Some(Duration::from_secs(30)))?;
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nX-Forwarded-For: {}\r\nContent-Length: {}\r\n",
        next_client(),
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes())?;
    s.write_all(body)?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    parse(&raw).ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "the connection closed before a whole answer",
        )
    })
}

/// A whole HTTP/1.1 answer (`Content-Length` or chunked), or `None` when it was cut short.
fn parse(raw: &[u8]) -> Option<Got> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..end]).ok()?;
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let find = |n: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(n))
            .map(|(_, v)| v.as_str())
    };
    let rest = &raw[end + 4..];
    let body = if find("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        dechunk(rest)?
    } else if let Some(len) = find("content-length") {
        let len: usize = len.parse().ok()?;
        rest.get(..len)?.to_vec()
    } else {
        rest.to_vec()
    };
    Some(Got {
        status,
        body: String::from_utf8_lossy(&body).into_owned(),
        headers,
    })
}

fn dechunk(mut rest: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let eol = rest.windows(2).position(|w| w == b"\r\n")?;
        let size = std::str::from_utf8(&rest[..eol]).ok()?;
        let size = usize::from_str_radix(size.split(';').next()?.trim(), 16).ok()?;
        rest = &rest[eol + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(rest.get(..size)?);
        rest = rest.get(size + 2..)?;
    }
}

/// `application/x-www-form-urlencoded` of name–value pairs.
fn encode(pairs: &[(&str, &str)]) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    (b as char).to_string()
                }
                b' ' => "+".into(),
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The value of `<… name="NAME" value="…">` in a page.
pub fn hidden(body: &str, name: &str) -> Option<String> {
    let pat = format!("name=\"{name}\" value=\"");
    let at = body.find(&pat)? + pat.len();
    let rest = &body[at..];
    Some(rest[..rest.find('"')?].to_string())
}

/// The text of `<dd class="CLASS">…</dd>`.
fn dd(body: &str, class: &str) -> Option<String> {
    let pat = format!("<dd class=\"{class}\">");
    let at = body.find(&pat)? + pat.len();
    let rest = &body[at..];
    Some(rest[..rest.find("</dd>")?].to_string())
}

/// What the receipt page showed: the 申请编号, and the 查询码 unless the form had been
/// received before (then the page says so and shows no code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub number: String,
    pub code: Option<String>,
}

/// How a submission was answered.
#[derive(Debug)]
pub enum Submitted {
    /// `303` to the receipt page (the application is committed: RL-2), and the receipt when
    /// the page could be fetched.
    Acknowledged(Option<Receipt>),
    /// Any other answer.
    Refused(Got),
}

/// A browser that opened the online application form once: its form cookie and a token of
/// the cookie's secret (which verify at every server started on the same data directory,
/// since the secret is the cookie's).
#[derive(Debug, Clone)]
pub struct Browser {
    cookie: String,
    csrf: String,
    form_path: String,
}

impl Browser {
    pub fn open(addr: SocketAddr, agency: i64) -> Browser {
        let form_path = format!("/agencies/{agency}/apply/online");
        let form = request(addr, "GET", &form_path, &[], b"").expect("open the form");
        assert_eq!(form.status, 200, "{}", form.body);
        let cookie = form
            .header("set-cookie")
            .expect("the form cookie")
            .split(';')
            .next()
            .expect("name=value")
            .to_string();
        let csrf = hidden(&form.body, "csrf_token").expect("the form's token");
        Browser {
            cookie,
            csrf,
            form_path,
        }
    }

    /// The form's fields for `key` (the content depends on the key only, so a retry sends the
    /// same form).
    pub fn fields(key: &str) -> Vec<(&'static str, String)> {
        vec![
            ("idempotency_key", key.to_string()),
            ("applicant_type", "natural_person".into()),
            ("name", "张三".into()),
            ("id_type", "resident_id_card".into()),
            ("id_number", "11010519491231002X".into()),
            ("phone", "13800000000".into()),
            ("email", "zhangsan@example.com".into()),
            ("description", format!("2025年部门预算（{key}）")),
            ("media", "email".into()),
            ("accept_other", "1".into()),
            ("delivery", "email".into()),
        ]
    }

    /// Sends the form for `key` as a browser does (same origin, the token), and on `303`
    /// fetches the receipt page. `Err` when the connection failed before an answer.
    pub fn submit(&self, addr: SocketAddr, key: &str) -> std::io::Result<Submitted> {
        let fields = Browser::fields(key);
        let mut pairs = vec![("csrf_token", self.csrf.as_str())];
        pairs.extend(fields.iter().map(|(k, v)| (*k, v.as_str())));
        let origin = format!("http://{addr}");
        let got = request(
            addr,
            "POST",
            &self.form_path,
            &[
                ("Origin", &origin),
                ("Cookie", &self.cookie),
                ("Content-Type", "application/x-www-form-urlencoded"),
            ],
            encode(&pairs).as_bytes(),
        )?;
        if got.status != 303 {
            return Ok(Submitted::Refused(got));
        }
        let to = got.header("location").expect("the receipt's address");
        let receipt = match request(addr, "GET", to, &[], b"") {
            Ok(page) if page.status == 200 => Some(Receipt {
                number: dd(&page.body, "number").expect("the receipt's number"),
                code: dd(&page.body, "code"),
            }),
            Ok(page) => panic!("the receipt page answered {}: {}", page.status, page.body),
            // The server went away between the two requests: acknowledged all the same.
            Err(_) => None,
        };
        Ok(Submitted::Acknowledged(receipt))
    }

    /// The status look-up of the public API with a receipt's number and code.
    pub fn status(&self, addr: SocketAddr, number: &str, code: &str) -> Got {
        let body = serde_json::json!({ "number": number, "code": code }).to_string();
        request(
            addr,
            "POST",
            "/api/v1/status",
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        )
        .expect("the status look-up")
    }
}

/// What the database holds: every online submission's idempotency key and 申请编号, and for
/// SQLite the verdict of `PRAGMA integrity_check` (`None` on PostgreSQL). Opened for this
/// call only: nothing of the test stays connected across a server's crash.
pub fn stored(data: &Path, pg_url: Option<&str>) -> (Vec<(String, String)>, Option<String>) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let db = match pg_url {
            Some(url) => gongkai_store::Db::connect(url).await,
            None => gongkai_store::Db::connect_sqlite(&data.join("gongkai.db")).await,
        }
        .expect("open the database");
        const ROWS: &str = "SELECT idempotency_key, number FROM online_submission ORDER BY id";
        let (rows, verdict) = match &db {
            gongkai_store::Db::Sqlite(p) => {
                let verdict: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
                    .fetch_all(p)
                    .await
                    .expect("integrity_check");
                let rows: Vec<(String, String)> = sqlx::query_as(ROWS)
                    .fetch_all(p)
                    .await
                    .expect("submissions");
                (rows, Some(verdict.join("; ")))
            }
            gongkai_store::Db::Postgres(p) => {
                let rows: Vec<(String, String)> = sqlx::query_as(ROWS)
                    .fetch_all(p)
                    .await
                    .expect("submissions");
                (rows, None)
            }
        };
        db.close().await;
        (rows, verdict)
    })
}

/// The submissions by idempotency key (each key once: the column is unique, and a second row
/// would be counted as a duplicate by the caller comparing lengths).
pub fn by_key(rows: &[(String, String)]) -> HashMap<String, String> {
    rows.iter().cloned().collect()
}

/// `gongkai audit-log verify`: the chain holds (exit 0), with its summary line.
pub fn audit_chain_verifies(data: &Path) -> Result<String, String> {
    let out = gongkai(&["audit-log", "verify", "--data", &data.display().to_string()]);
    if out.status.success() {
        Ok(stdout(&out))
    } else {
        Err(format!("{}{}", stdout(&out), stderr(&out)))
    }
}
