//! A minimal keep-alive HTTP/1.1 client over `tokio::net::TcpStream`, for the load generator
//! (no client crate is a dependency of the workspace): one request at a time on a connection,
//! the body read by `Content-Length` or chunked, or to the end of a response that says
//! `Connection: close`.

use std::io::{Error, ErrorKind, Result};
use std::net::SocketAddr;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// An answer: status, headers (names in lower case) and body.
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// The first value of header `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// A client of one server: one connection, opened when needed and kept alive between
/// requests; after an error or `Connection: close` the next request opens a new one.
pub struct Client {
    addr: SocketAddr,
    conn: Option<BufReader<TcpStream>>,
    buf: Vec<u8>,
}

fn bad(what: &str) -> Error {
    Error::new(ErrorKind::InvalidData, what.to_string())
}

impl Client {
    pub fn new(addr: SocketAddr) -> Client {
        Client {
            addr,
            conn: None,
            buf: Vec::with_capacity(4096),
        }
    }

    /// Sends one request (`headers` besides `Host` and `Content-Length`) and reads the answer.
    pub async fn send(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Result<Response> {
        let r = self.exchange(method, path, headers, body).await;
        if r.is_err() {
            self.conn = None;
        }
        r
    }

    async fn exchange(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Result<Response> {
        if self.conn.is_none() {
            let s = TcpStream::connect(self.addr).await?;
            // The request goes out in one write; no waiting for an ACK before it.
            s.set_nodelay(true)?;
            self.conn = Some(BufReader::with_capacity(16 * 1024, s));
        }
        let conn = self.conn.as_mut().ok_or_else(|| bad("no connection"))?;
        self.buf.clear();
        self.buf.extend_from_slice(
            format!("{method} {path} HTTP/1.1\r\nHost: {}\r\n", self.addr).as_bytes(),
        );
        for (k, v) in headers {
            self.buf
                .extend_from_slice(format!("{k}: {v}\r\n").as_bytes());
        }
        if !body.is_empty() || method == "POST" {
            self.buf
                .extend_from_slice(format!("Content-Length: {}\r\n", body.len()).as_bytes());
        }
        self.buf.extend_from_slice(b"\r\n");
        self.buf.extend_from_slice(body);
        conn.get_mut().write_all(&self.buf).await?;

        // Status line and headers.
        let mut line = String::new();
        if conn.read_line(&mut line).await? == 0 {
            return Err(Error::new(ErrorKind::UnexpectedEof, "connection closed"));
        }
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| bad("status line"))?;
        let mut headers = Vec::new();
        loop {
            line.clear();
            if conn.read_line(&mut line).await? == 0 {
                return Err(Error::new(ErrorKind::UnexpectedEof, "in the headers"));
            }
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            let (k, v) = l.split_once(':').ok_or_else(|| bad("header line"))?;
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
        let get = |name: &str| {
            headers
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let close = get("connection").is_some_and(|v| v.eq_ignore_ascii_case("close"));
        let chunked =
            get("transfer-encoding").is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
        let length =
            get("content-length").map(|v| v.parse::<usize>().map_err(|_| bad("content-length")));
        let mut body = Vec::new();
        if method == "HEAD" || status == 204 || status == 304 || (100..200).contains(&status) {
        } else if chunked {
            loop {
                line.clear();
                conn.read_line(&mut line).await?;
                let size = line.trim_end().split(';').next().unwrap_or("");
                let size = usize::from_str_radix(size.trim(), 16).map_err(|_| bad("chunk size"))?;
                if size == 0 {
                    // Trailers, up to the empty line.
                    loop {
                        line.clear();
                        if conn.read_line(&mut line).await? == 0 || line.trim_end().is_empty() {
                            break;
                        }
                    }
                    break;
                }
                let start = body.len();
                body.resize(start + size + 2, 0);
                conn.read_exact(&mut body[start..]).await?;
                if &body[start + size..] != b"\r\n" {
                    return Err(bad("chunk end"));
                }
                body.truncate(start + size);
            }
        } else if let Some(n) = length {
            body.resize(n?, 0);
            conn.read_exact(&mut body).await?;
        } else {
            conn.read_to_end(&mut body).await?;
            self.conn = None;
        }
        if close {
            self.conn = None;
        }
        Ok(Response {
            status,
            headers,
            body,
        })
    }
}

/// `application/x-www-form-urlencoded` of name–value pairs.
pub fn form(pairs: &[(&str, &str)]) -> Vec<u8> {
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
        .into_bytes()
}

/// The value of `<input … name="NAME" value="…">` in a page.
pub fn hidden(page: &str, name: &str) -> Option<String> {
    let key = format!("name=\"{name}\" value=\"");
    let rest = &page[page.find(&key)? + key.len()..];
    Some(rest[..rest.find('"')?].to_string())
}

/// The text of `<dd class="CLASS">…</dd>` in a page.
pub fn dd(page: &str, class: &str) -> Option<String> {
    let key = format!("<dd class=\"{class}\">");
    let rest = &page[page.find(&key)? + key.len()..];
    Some(rest[..rest.find("</dd>")?].to_string())
}
