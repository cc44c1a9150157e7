//! The load: simulated citizens submitting the online form, and look-ups of the status page,
//! each client on its own keep-alive connection to the server (as a reverse proxy's upstream
//! connections are), each citizen with its own `X-Forwarded-For` address.

use crate::http::{Client, dd, form, hidden};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The server under load.
pub struct Target {
    pub addr: SocketAddr,
    pub agency: i64,
}

impl Target {
    fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }
    fn form_path(&self) -> String {
        format!("/agencies/{}/apply/online", self.agency)
    }
}

/// What a receipt page showed.
#[derive(Clone)]
pub struct Receipt {
    pub number: String,
    pub code: String,
}

/// The next citizen's address, 10.0.0.1 onwards: one per submission or look-up, so the
/// per-client limits (`crates/gongkai-web/src/apply/limit.rs`) see many citizens behind the
/// trusted proxy, none of them over its allowance.
fn next_address() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(1);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("10.{}.{}.{}", (n >> 16) & 255, (n >> 8) & 255, n & 255)
}

/// The text of an error page, for the report of a failed request.
fn excerpt(status: u16, body: &[u8]) -> String {
    let page = String::from_utf8_lossy(body);
    let main = page.find("<main").map_or(&page[..], |i| &page[i..]);
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
    let text: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(160)
        .collect();
    format!("{status}: {text}")
}

/// One citizen's submission, as a browser makes it: GET the form (the form cookie, its
/// anti-forgery token and its idempotency key), POST it filled in, follow the 303 to the
/// receipt page and read the 申请编号 and 查询码 there. Returns the receipt, the time from the
/// POST's start to the receipt page's end, and from the form GET's start.
async fn submit(
    c: &mut Client,
    t: &Target,
    seq: u64,
) -> Result<(Receipt, Duration, Duration, Instant), String> {
    let ip = next_address();
    let path = t.form_path();
    let start = Instant::now();
    let r = c
        .send("GET", &path, &[("X-Forwarded-For", &ip)], b"")
        .await
        .map_err(|e| format!("GET form: {e}"))?;
    if r.status != 200 {
        return Err(format!("GET form {}", excerpt(r.status, &r.body)));
    }
    let cookie = r
        .header("set-cookie")
        .and_then(|v| v.split(';').next())
        .ok_or("the form came without its cookie")?
        .to_string();
    let page = r.text();
    let csrf = hidden(&page, "csrf_token").ok_or("no csrf_token in the form")?;
    let key = hidden(&page, "idempotency_key").ok_or("no idempotency_key in the form")?;
    let description = format!("2025年部门预算及“三公”经费情况说明（第{seq}份）");
    let body = form(&[
        ("csrf_token", &csrf),
        ("idempotency_key", &key),
        ("applicant_type", "natural_person"),
        ("name", "张三"),
        ("id_type", "resident_id_card"),
        ("id_number", "11010519491231002X"),
        ("phone", "13800000000"),
        ("email", "zhangsan@example.com"),
        ("address", ""),
        ("postcode", ""),
        ("description", &description),
        ("media", "email"),
        ("media", "paper"),
        ("accept_other", "1"),
        ("delivery", "email"),
    ]);
    let origin = t.origin();
    let post = Instant::now();
    let r = c
        .send(
            "POST",
            &path,
            &[
                ("X-Forwarded-For", &ip),
                ("Cookie", &cookie),
                ("Origin", &origin),
                ("Sec-Fetch-Site", "same-origin"),
                ("Content-Type", "application/x-www-form-urlencoded"),
            ],
            &body,
        )
        .await
        .map_err(|e| format!("POST form: {e}"))?;
    if r.status != 303 {
        return Err(format!("POST form {}", excerpt(r.status, &r.body)));
    }
    let to = r
        .header("location")
        .filter(|l| l.starts_with("/apply/receipt/"))
        .ok_or("the 303 does not point to a receipt")?
        .to_string();
    let r = c
        .send(
            "GET",
            &to,
            &[("X-Forwarded-For", &ip), ("Cookie", &cookie)],
            b"",
        )
        .await
        .map_err(|e| format!("GET receipt: {e}"))?;
    let end = Instant::now();
    if r.status != 200 {
        return Err(format!("GET receipt {}", excerpt(r.status, &r.body)));
    }
    let page = r.text();
    let number = dd(&page, "number")
        .filter(|n| page.contains("申请编号") && n.len() == 11 && n.as_bytes()[4] == b'-')
        .ok_or_else(|| format!("a receipt page without 申请编号: {}", excerpt(200, &r.body)))?;
    let code = dd(&page, "code").ok_or("a receipt page without 查询码")?;
    Ok((Receipt { number, code }, end - post, end - start, end))
}

/// What one client saw.
#[derive(Default)]
struct Seen {
    /// (POST → receipt, form GET → receipt) of the submissions that ended within the window.
    samples: Vec<(Duration, Duration)>,
    receipts: Vec<Receipt>,
    errors: Vec<String>,
    error_count: usize,
}

/// A load's outcome.
#[derive(Default)]
pub struct Outcome {
    pub seconds: f64,
    /// Latencies (first: to the receipt from the POST, or of the look-up; second: from the
    /// form GET) of what ended within the window.
    pub samples: Vec<(Duration, Duration)>,
    /// Every receipt shown, also of submissions that ended after the window.
    pub receipts: Vec<Receipt>,
    /// The first few errors, and how many there were.
    pub errors: Vec<String>,
    pub error_count: usize,
}

impl Outcome {
    fn add(&mut self, s: Seen) {
        self.samples.extend(s.samples);
        self.receipts.extend(s.receipts);
        self.error_count += s.error_count;
        for e in s.errors {
            if self.errors.len() < 10 {
                self.errors.push(e);
            }
        }
    }

    pub fn rate(&self) -> f64 {
        self.samples.len() as f64 / self.seconds
    }
}

impl Seen {
    fn error(&mut self, e: String) {
        self.error_count += 1;
        if self.errors.len() < 10 {
            self.errors.push(e);
        }
    }
}

/// `clients` citizens submitting one after another for `seconds`.
pub async fn submissions(
    t: Arc<Target>,
    clients: usize,
    seconds: f64,
    seq: Arc<AtomicU64>,
) -> Outcome {
    let start = Instant::now();
    let end = start + Duration::from_secs_f64(seconds);
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let (t, seq) = (t.clone(), seq.clone());
            tokio::spawn(async move {
                let mut c = Client::new(t.addr);
                let mut seen = Seen::default();
                while Instant::now() < end {
                    let n = seq.fetch_add(1, Ordering::Relaxed);
                    match submit(&mut c, &t, n).await {
                        Ok((receipt, post, full, at)) => {
                            seen.receipts.push(receipt);
                            if at <= end {
                                seen.samples.push((post, full));
                            }
                        }
                        Err(e) => {
                            seen.error(e);
                            // A refused connection would spin: give the server a moment.
                            tokio::time::sleep(Duration::from_millis(10)).await;
                        }
                    }
                }
                seen
            })
        })
        .collect();
    let mut out = Outcome {
        seconds,
        ..Outcome::default()
    };
    for task in tasks {
        out.add(task.await.expect("client task"));
    }
    out
}

/// `connections` clients looking up the status page with the pairs in turn for `seconds`:
/// each opens the look-up form once (its cookie and token), then posts number + code from a
/// new address each time and checks that the page shows the number.
pub async fn lookups(
    t: Arc<Target>,
    connections: usize,
    seconds: f64,
    pairs: Arc<Vec<Receipt>>,
) -> Outcome {
    let cursor = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let end = start + Duration::from_secs_f64(seconds);
    let tasks: Vec<_> = (0..connections)
        .map(|_| {
            let (t, pairs, cursor) = (t.clone(), pairs.clone(), cursor.clone());
            tokio::spawn(async move {
                let mut c = Client::new(t.addr);
                let mut seen = Seen::default();
                let origin = t.origin();
                let r = match c.send("GET", "/status", &[], b"").await {
                    Ok(r) if r.status == 200 => r,
                    Ok(r) => {
                        seen.error(format!("GET /status {}", excerpt(r.status, &r.body)));
                        return seen;
                    }
                    Err(e) => {
                        seen.error(format!("GET /status: {e}"));
                        return seen;
                    }
                };
                let cookie = r
                    .header("set-cookie")
                    .and_then(|v| v.split(';').next())
                    .unwrap_or_default()
                    .to_string();
                let csrf = hidden(&r.text(), "csrf_token").unwrap_or_default();
                while Instant::now() < end {
                    let p = &pairs[cursor.fetch_add(1, Ordering::Relaxed) % pairs.len()];
                    let body = form(&[
                        ("csrf_token", &csrf),
                        ("number", &p.number),
                        ("code", &p.code),
                    ]);
                    let ip = next_address();
                    let at = Instant::now();
                    let r = c
                        .send(
                            "POST",
                            "/status",
                            &[
                                ("X-Forwarded-For", &ip),
                                ("Cookie", &cookie),
                                ("Origin", &origin),
                                ("Sec-Fetch-Site", "same-origin"),
                                ("Content-Type", "application/x-www-form-urlencoded"),
                            ],
                            &body,
                        )
                        .await;
                    let done = Instant::now();
                    match r {
                        Ok(r) if r.status == 200 && r.text().contains(&p.number) => {
                            if done <= end {
                                seen.samples.push((done - at, done - at));
                            }
                        }
                        Ok(r) => seen.error(format!("POST /status {}", excerpt(r.status, &r.body))),
                        Err(e) => {
                            seen.error(format!("POST /status: {e}"));
                            tokio::time::sleep(Duration::from_millis(10)).await;
                        }
                    }
                }
                seen
            })
        })
        .collect();
    let mut out = Outcome {
        seconds,
        ..Outcome::default()
    };
    for task in tasks {
        out.add(task.await.expect("client task"));
    }
    out
}
