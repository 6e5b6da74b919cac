//! A small fake OAuth 2.0 provider for tests (std only), plus a minimal HTTP
//! client that plays the browser. Used with `rclone authorize dropbox` via
//! `RCLONE_DROPBOX_AUTH_URL` / `RCLONE_DROPBOX_TOKEN_URL`, and later by
//! rclone's dropbox backend refreshing its token (grant_type=refresh_token).
//!
//! - `GET /authorize?redirect_uri=..&state=..` → 302 to `{redirect_uri}?code=..&state=..`
//! - `POST /token` (form body; client credentials in body or HTTP Basic, not
//!   checked): `authorization_code` (single-use codes) and `refresh_token`
//!   (rotating: each refresh issues a new refresh token; older, unrevoked ones
//!   stay valid). Errors are 400 `{"error":"invalid_grant",..}`.

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

const IO_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Default)]
struct State {
    counter: u64,
    expires_in: i64,
    codes: Vec<String>,
    access: Vec<String>,
    /// Issued refresh tokens with their "revoked" flag, in issue order.
    refresh: Vec<(String, bool)>,
    refresh_count: usize,
    requests: Vec<String>,
}

/// A running fake OAuth provider on 127.0.0.1; stopped when dropped.
pub struct FakeOAuth {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl FakeOAuth {
    /// Start on a free port (default expires_in: 14400 s).
    pub fn start() -> FakeOAuth {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(Mutex::new(State { expires_in: 14400, ..State::default() }));
        let stop = Arc::new(AtomicBool::new(false));
        let (st, sp) = (state.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            while !sp.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let st = st.clone();
                        // Each connection is bounded by the I/O timeouts.
                        std::thread::spawn(move || handle(stream, &st));
                    }
                    // WouldBlock (nothing pending) or a transient error.
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        FakeOAuth { addr, state, stop, thread: Some(thread) }
    }

    /// `http://127.0.0.1:PORT`
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
    /// The authorization endpoint (for `RCLONE_<BACKEND>_AUTH_URL`).
    pub fn auth_url(&self) -> String {
        self.base_url() + "/authorize"
    }
    /// The token endpoint (for `RCLONE_<BACKEND>_TOKEN_URL`).
    pub fn token_url(&self) -> String {
        self.base_url() + "/token"
    }
    /// Revoke every refresh token issued so far (later ones stay valid).
    pub fn revoke_all(&self) {
        self.lock().refresh.iter_mut().for_each(|r| r.1 = true);
    }
    /// `expires_in` of tokens issued from now on (may be <= 0: already expired).
    pub fn set_expires_in(&self, secs: i64) {
        self.lock().expires_in = secs;
    }
    pub fn issued_access_tokens(&self) -> Vec<String> {
        self.lock().access.clone()
    }
    pub fn issued_refresh_tokens(&self) -> Vec<String> {
        self.lock().refresh.iter().map(|r| r.0.clone()).collect()
    }
    /// Number of successful refresh_token grants.
    pub fn refresh_count(&self) -> usize {
        self.lock().refresh_count
    }
    /// One line per request received ("METHOD /path [grant_type, auth style]").
    pub fn requests(&self) -> Vec<String> {
        self.lock().requests.clone()
    }
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for FakeOAuth {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn handle(mut stream: TcpStream, state: &Mutex<State>) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(IO_TIMEOUT));
    let _ = stream.set_write_timeout(Some(IO_TIMEOUT));
    let Some((method, target, headers, body)) = read_request(&mut stream) else { return };
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let mut st = state.lock().unwrap_or_else(|e| e.into_inner());
    let (status, extra, body) = match (method.as_str(), path) {
        ("GET", "/authorize") => {
            st.requests.push(format!("GET {path}"));
            let q = parse_form(query);
            match q.get("redirect_uri") {
                Some(uri) => {
                    let code = new_token(&mut st, "code");
                    st.codes.push(code.clone());
                    let sep = if uri.contains('?') { '&' } else { '?' };
                    let state_v = q.get("state").map(String::as_str).unwrap_or("");
                    let loc = format!("{uri}{sep}code={}&state={}", pct_encode(&code), pct_encode(state_v));
                    (302, format!("Location: {loc}\r\n"), String::new())
                }
                None => (400, String::new(), error_json("invalid_request", "missing redirect_uri")),
            }
        }
        ("POST", "/token") => {
            let form = parse_form(&body);
            let grant = form.get("grant_type").cloned().unwrap_or_default();
            let basic = headers.get("authorization").is_some_and(|a| a.to_ascii_lowercase().starts_with("basic "));
            let auth = if basic { "basic-auth" } else if form.contains_key("client_id") { "body-auth" } else { "no-auth" };
            st.requests.push(format!("POST {path} grant_type={grant} {auth}"));
            match token_grant(&mut st, &grant, &form) {
                Ok(json) => (200, String::new(), json),
                Err((error, why)) => (400, String::new(), error_json(error, why)),
            }
        }
        _ => {
            st.requests.push(format!("{method} {path}"));
            (404, String::new(), error_json("not_found", path))
        }
    };
    drop(st);
    let reason = match status { 200 => "OK", 302 => "Found", 400 => "Bad Request", _ => "Not Found" };
    let resp = format!(
        "HTTP/1.1 {status} {reason}\r\n{extra}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(resp.as_bytes());
    let _ = stream.flush();
}

/// The token JSON, or (error, error_description) for a 400.
fn token_grant(st: &mut State, grant: &str, form: &HashMap<String, String>) -> Result<String, (&'static str, &'static str)> {
    let arg = |k: &str| form.get(k).map(String::as_str).unwrap_or("");
    match grant {
        "authorization_code" => {
            let i = st.codes.iter().position(|c| c == arg("code")).ok_or(("invalid_grant", "unknown code"))?;
            st.codes.remove(i);
        }
        "refresh_token" => match st.refresh.iter().find(|r| r.0 == arg("refresh_token")) {
            Some((_, false)) => st.refresh_count += 1,
            Some((_, true)) => return Err(("invalid_grant", "refresh token revoked")),
            None => return Err(("invalid_grant", "unknown refresh token")),
        },
        _ => return Err(("unsupported_grant_type", "unsupported grant_type")),
    }
    Ok(issue(st))
}

/// Issue a fresh access + refresh token pair; returns the JSON response body.
fn issue(st: &mut State) -> String {
    let access = new_token(st, "fake-access");
    let refresh = new_token(st, "fake-refresh");
    st.access.push(access.clone());
    st.refresh.push((refresh.clone(), false));
    let (token_type, expires_in) = ("bearer", st.expires_in);
    serde_json::json!({ "access_token": access, "token_type": token_type, "refresh_token": refresh, "expires_in": expires_in })
        .to_string()
}

fn error_json(error: &str, description: &str) -> String {
    serde_json::json!({ "error": error, "error_description": description }).to_string()
}

fn new_token(st: &mut State, prefix: &str) -> String {
    st.counter += 1;
    format!("{prefix}-{}-{}", st.counter, random_hex())
}

/// 16 hex chars from /dev/urandom (time-based fallback).
fn random_hex() -> String {
    let mut b = [0u8; 8];
    let ok = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut b)).is_ok();
    if !ok {
        let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        b = (t.as_nanos() as u64 ^ ((std::process::id() as u64) << 32)).to_le_bytes();
    }
    b.iter().map(|x| format!("{x:02x}")).collect()
}

type Request = (String, String, HashMap<String, String>, String);

/// Read one HTTP/1.1 request: (method, target, lowercased headers, body).
fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    let i = loop {
        if let Some(i) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        match stream.read(&mut buf) {
            Ok(n) if n > 0 && data.len() < 1 << 20 => data.extend_from_slice(&buf[..n]),
            _ => return None,
        }
    };
    let (head, mut rest) = (String::from_utf8_lossy(&data[..i]).into_owned(), data[i + 4..].to_vec());
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let (method, target) = (first.next()?.to_string(), first.next()?.to_string());
    let headers: HashMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let len: usize = headers.get("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
    while rest.len() < len {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => rest.extend_from_slice(&buf[..n]),
        }
    }
    Some((method, target, headers, String::from_utf8_lossy(&rest).into_owned()))
}

/// Parse `a=1&b=x%20y` (also `+` as space) into a map.
pub fn parse_form(s: &str) -> HashMap<String, String> {
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').unwrap_or((p, "")))
        .map(|(k, v)| (pct_decode(k), pct_decode(v)))
        .collect()
}

pub fn pct_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = s.get(i + 1..i + 3).filter(|h| h.bytes().all(|c| c.is_ascii_hexdigit()));
        match (b[i], hex) {
            (b'+', _) => out.push(b' '),
            (b'%', Some(h)) => {
                out.push(u8::from_str_radix(h, 16).unwrap());
                i += 2;
            }
            (c, _) => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encode everything but RFC 3986 unreserved characters.
pub fn pct_encode(s: &str) -> String {
    s.bytes()
        .map(|c| match c {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (c as char).to_string(),
            _ => format!("%{c:02X}"),
        })
        .collect()
}

/// The tests' "browser": GET an http:// URL (loopback), following up to
/// `max_redirects` Location redirects (absolute or relative). Returns the
/// final status and body (a 3xx one if the limit is reached). Panics if it
/// cannot connect or the response is not HTTP.
pub fn http_get_follow(url: &str, max_redirects: usize) -> (u16, String) {
    let mut url = url.to_string();
    for followed in 0.. {
        let (status, location, body) = http_request("GET", &url, None);
        match location {
            Some(loc) if (300..400).contains(&status) && followed < max_redirects => url = resolve(&url, &loc),
            _ => return (status, body),
        }
    }
    unreachable!()
}

/// POST an `application/x-www-form-urlencoded` body; returns status and body.
pub fn http_post_form(url: &str, body: &str) -> (u16, String) {
    let (status, _, body) = http_request("POST", url, Some(body));
    (status, body)
}

fn split_url(url: &str) -> (String, String) {
    let rest = url.strip_prefix("http://").unwrap_or_else(|| panic!("only http:// URLs are supported: {url}"));
    match rest.find('/') {
        Some(i) => (rest[..i].to_string(), rest[i..].to_string()),
        None => (rest.to_string(), "/".to_string()),
    }
}

fn resolve(base: &str, loc: &str) -> String {
    let (host, path) = split_url(base);
    if loc.starts_with("http://") || loc.starts_with("https://") {
        loc.to_string()
    } else if loc.starts_with('/') {
        format!("http://{host}{loc}")
    } else {
        let path = path.split('?').next().unwrap_or("/");
        format!("http://{host}{}{loc}", &path[..=path.rfind('/').unwrap_or(0)])
    }
}

/// One request with `Connection: close`: (status, Location header, body).
fn http_request(method: &str, url: &str, body: Option<&str>) -> (u16, Option<String>, String) {
    let (host, path) = split_url(url);
    let addr = host.replace("localhost", "127.0.0.1");
    let mut s = TcpStream::connect(&addr).unwrap_or_else(|e| panic!("connect {host}: {e}"));
    s.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
    s.set_write_timeout(Some(IO_TIMEOUT)).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: wsync-it\r\nConnection: close\r\n");
    if let Some(b) = body {
        req += &format!("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n", b.len());
    }
    req += "\r\n";
    req += body.unwrap_or("");
    s.write_all(req.as_bytes()).unwrap_or_else(|e| panic!("write {url}: {e}"));
    let mut raw = Vec::new();
    if let Err(e) = s.read_to_end(&mut raw) {
        assert!(!raw.is_empty(), "read {url}: {e}");
    }
    let i = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or_else(|| panic!("bad response from {url}"));
    let head = String::from_utf8_lossy(&raw[..i]).into_owned();
    let mut payload = raw[i + 4..].to_vec();
    let status: u16 = head.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let header = |name: &str| {
        let mut lines = head.split("\r\n").skip(1).filter_map(|l| l.split_once(':'));
        lines.find(|(k, _)| k.trim().eq_ignore_ascii_case(name)).map(|(_, v)| v.trim().to_string())
    };
    if header("transfer-encoding").is_some_and(|t| t.eq_ignore_ascii_case("chunked")) {
        payload = dechunk(&payload);
    }
    (status, header("location"), String::from_utf8_lossy(&payload).into_owned())
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(i) = data.windows(2).position(|w| w == b"\r\n") {
        let size_line = String::from_utf8_lossy(&data[..i]);
        let size = usize::from_str_radix(size_line.split(';').next().unwrap_or("").trim(), 16).unwrap_or(0);
        data = &data[i + 2..];
        if size == 0 || data.len() < size {
            break;
        }
        out.extend_from_slice(&data[..size]);
        data = &data[(size + 2).min(data.len())..];
    }
    out
}
