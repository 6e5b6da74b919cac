//! Test harness: each test gets its own temp dir with HOME and XDG dirs,
//! a local folder, and (where needed) one of rclone's own loopback servers
//! serving a folder on 127.0.0.1, stopped when the test ends. Tests run the
//! real `wsync` binary against the real bundled rclone.

#![allow(dead_code)]

use std::io::Read;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use serde_json::{json, Value};

pub const USER: &str = "tester";
pub const PASS: &str = "pw-Loopback-7f3a9c";
pub const S3_KEY_ID: &str = "AKIDLOOPBACK";
pub const S3_SECRET: &str = "s3-secret-Loopback-41b2";

/// The rclone the tests use: WSYNC_RCLONE, else the dev copy.
pub fn rclone_bin() -> PathBuf {
    if let Some(p) = std::env::var_os("WSYNC_RCLONE") {
        return PathBuf::from(p);
    }
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../src-tauri/binaries/rclone-x86_64-unknown-linux-gnu");
    assert!(p.is_file(), "rclone is missing at {}: run scripts/fetch-rclone.sh", p.display());
    p.canonicalize().unwrap()
}

pub struct Env {
    pub dir: tempfile::TempDir,
    pub home: PathBuf,
    pub local: PathBuf,
    pub config: PathBuf,
    pub extra_env: Vec<(String, String)>,
}

/// A fresh, isolated environment for one test.
pub fn setup() -> Env {
    let dir = tempfile::Builder::new().prefix("wsync-it-").tempdir().unwrap();
    let home = dir.path().join("home");
    let local = dir.path().join("local");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::create_dir_all(&local).unwrap();
    let config = dir.path().join("config.json");
    Env { home, local, config, dir, extra_env: vec![] }
}

impl Env {
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn command(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_wsync"));
        c.env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join(".config"))
            .env("XDG_DATA_HOME", self.home.join(".local/share"))
            .env("XDG_STATE_HOME", self.home.join(".local/state"))
            .env("XDG_CACHE_HOME", self.home.join(".cache"))
            .env_remove("XDG_RUNTIME_DIR")
            .env("WSYNC_RCLONE", rclone_bin())
            .env("WSYNC_CONFIG", &self.config)
            .env("WS_PASS", PASS)
            .env("S3_SECRET", S3_SECRET)
            .stdin(Stdio::null());
        for (k, v) in &self.extra_env {
            c.env(k, v);
        }
        c
    }

    /// Run wsync to completion (bounded: killed after 3 minutes).
    pub fn wsync(&self, args: &[&str]) -> Run {
        let child = self.command().args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        Run::wait(child, Duration::from_secs(180))
    }

    pub fn spawn(&self, args: &[&str]) -> Child {
        self.command().args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap()
    }

    pub fn write_config(&self, folders: Value) {
        let doc = json!({ "version": 1, "folders": folders });
        std::fs::write(&self.config, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    }

    /// One folder "ws" syncing `self.local` with the given provider block.
    pub fn folder(&self, provider: &str, block: Value, extra: Value) -> Value {
        let mut f = json!({
            "id": "ws",
            "localPath": self.local,
            "provider": provider,
            "remotePath": "share",
            "conflictResolve": "ask",
        });
        if !block.is_null() {
            f[provider] = block;
        }
        if let Value::Object(m) = extra {
            for (k, v) in m {
                f[k] = v;
            }
        }
        f
    }

    pub fn use_local_remote(&self, extra: Value) -> PathBuf {
        let remote_root = self.path("remote");
        std::fs::create_dir_all(&remote_root).unwrap();
        self.write_config(json!([self.folder("local", json!({"path": remote_root}), extra)]));
        remote_root.join("share")
    }

    /// The folder on a loopback WebDAV server of `vendor`: the server (it
    /// stops with the test) and the served copy of the folder.
    pub fn use_webdav_remote(&self, vendor: &str, extra: Value) -> (Server, PathBuf) {
        let served = self.path("served");
        let server = Server::start("webdav", &served);
        self.write_config(json!([self.folder("webdav", webdav_block(&server, vendor), extra)]));
        (server, served.join("share"))
    }

    /// Sync and assert success (exit 0 or 3), returning the JSON report.
    pub fn sync_json(&self, extra: &[&str]) -> (Run, Value) {
        let mut args = vec!["sync", "--json"];
        args.extend_from_slice(extra);
        let run = self.wsync(&args);
        let report: Value = run.stdout.lines().last().and_then(|l| serde_json::from_str(l).ok()).unwrap_or(Value::Null);
        (run, report)
    }

    pub fn sync_ok(&self) -> Value {
        let (run, report) = self.sync_json(&[]);
        assert!(run.code == Some(0) || run.code == Some(3), "sync failed: {run:?}");
        report
    }
}

#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn wait(mut child: Child, limit: Duration) -> Run {
        let mut so = child.stdout.take().unwrap();
        let mut se = child.stderr.take().unwrap();
        let t1 = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = so.read_to_string(&mut s);
            s
        });
        let t2 = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = se.read_to_string(&mut s);
            s
        });
        let start = Instant::now();
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break s;
            }
            if start.elapsed() > limit {
                let _ = child.kill();
                break child.wait().unwrap();
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        Run { code: status.code(), stdout: t1.join().unwrap(), stderr: t2.join().unwrap() }
    }
}

/// A free TCP port on 127.0.0.1.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// One of rclone's loopback servers; killed when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
    pub dir: PathBuf,
    pub kind: &'static str,
    args: Vec<String>,
    blocker: Option<PortBlocker>,
}

/// Holds a port: accepts connections and drops them.
struct PortBlocker {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl PortBlocker {
    fn hold(port: u16) -> PortBlocker {
        let listener = TcpListener::bind(("127.0.0.1", port)).expect("take over the stopped server's port");
        listener.set_nonblocking(true).unwrap();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = stop.clone();
        std::thread::spawn(move || {
            while !flag.load(std::sync::atomic::Ordering::SeqCst) {
                match listener.accept() {
                    Ok((conn, _)) => drop(conn),
                    Err(_) => std::thread::sleep(Duration::from_millis(10)),
                }
            }
        });
        PortBlocker { stop }
    }
}

impl Drop for PortBlocker {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        // Give the thread a moment to drop the listener before a restart binds.
        std::thread::sleep(Duration::from_millis(50));
    }
}

impl Server {
    /// `rclone serve KIND DIR` on 127.0.0.1 with the test credentials.
    pub fn start(kind: &'static str, dir: &Path) -> Server {
        std::fs::create_dir_all(dir).unwrap();
        let port = free_port();
        let mut args: Vec<String> = vec![
            "serve".into(),
            kind.into(),
            dir.to_string_lossy().into(),
            "--addr".into(),
            format!("127.0.0.1:{port}"),
            // Fresh listings of a folder the tests change directly; not
            // 0s: rclone 1.75.2's server then re-arms its directory cache
            // cleanup with a zero timer and spins (all CPU, requests stall)
            // once a directory was created through it.
            "--dir-cache-time".into(),
            "10ms".into(),
        ];
        match kind {
            "s3" => args.extend(["--auth-key".into(), format!("{S3_KEY_ID},{S3_SECRET}")]),
            _ => args.extend(["--user".into(), USER.into(), "--pass".into(), PASS.into()]),
        }
        if kind == "sftp" {
            // Host keys stay in this server's own cache dir.
            args.extend(["--cache-dir".into(), dir.parent().unwrap().join("sftp-cache").to_string_lossy().into()]);
        }
        let mut s = Server { child: spawn_server(&args), port, dir: dir.to_path_buf(), kind, args, blocker: None };
        s.wait_ready();
        s
    }

    fn wait_ready(&mut self) {
        let addr: SocketAddr = format!("127.0.0.1:{}", self.port).parse().unwrap();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return;
            }
            if let Ok(Some(st)) = self.child.try_wait() {
                panic!("rclone serve {} exited early: {st}", self.kind);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("rclone serve {} did not listen on port {} within 20 s", self.kind, self.port);
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Start it again on the same port and folder.
    pub fn restart(&mut self) {
        self.stop();
        self.blocker = None;
        self.child = spawn_server(&self.args);
        self.wait_ready();
    }

    /// Stop serving but keep the port taken (connections are accepted and
    /// closed at once), so that no other test's server can take it over.
    pub fn go_down(&mut self) {
        self.stop();
        self.blocker = Some(PortBlocker::hold(self.port));
    }
}

fn spawn_server(args: &[String]) -> Child {
    Command::new(rclone_bin())
        .args(args)
        .env("RCLONE_CONFIG", "/dev/null")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start rclone serve")
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Provider blocks pointing at a loopback server.
pub fn webdav_block(s: &Server, vendor: &str) -> Value {
    json!({ "url": s.url(), "vendor": vendor, "user": USER, "password": "${WS_PASS}" })
}

pub fn s3_block(s: &Server) -> Value {
    json!({ "provider": "Rclone", "endpoint": s.url(), "bucket": "bucket", "accessKeyId": S3_KEY_ID, "secretAccessKey": "${S3_SECRET}" })
}

pub fn sftp_block(s: &Server) -> Value {
    json!({ "host": "127.0.0.1", "port": s.port, "user": USER, "password": "${WS_PASS}" })
}

pub fn write(path: &Path, text: &str) {
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).unwrap();
    }
    std::fs::write(path, text).unwrap();
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Set a file's modification time to `secs_ago` seconds in the past.
pub fn age(path: &Path, secs_ago: u64) {
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(SystemTime::now() - Duration::from_secs(secs_ago)).unwrap();
}

/// Relative paths of all files under `root`, sorted.
pub fn files(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(rd) = std::fs::read_dir(dir) else { return };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                out.push(p.strip_prefix(base).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    walk(root, root, &mut out);
    out.sort();
    out
}

/// Files of `root` that are conflict copies of `stem` from `side`.
pub fn conflict_copies(root: &Path, side: &str) -> Vec<String> {
    files(root).into_iter().filter(|f| f.contains(&format!(".conflict-{side}-"))).collect()
}

/// Wait for the sync clock to tick so that a later edit has a newer mtime
/// than the listing (remotes keep whole seconds).
pub fn tick() {
    std::thread::sleep(Duration::from_millis(1100));
}

/// A running daemon, stopped (SIGTERM) when dropped.
pub struct Daemon {
    child: Option<Child>,
}

impl Daemon {
    pub fn start(env: &Env) -> Daemon {
        let child = env.spawn(&["daemon"]);
        let sock = socket(env);
        let deadline = Instant::now() + Duration::from_secs(30);
        while !sock.exists() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        assert!(sock.exists(), "the daemon's socket appeared");
        Daemon { child: Some(child) }
    }

    pub fn stop(&mut self) -> Run {
        let child = self.child.take().expect("running");
        unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
        Run::wait(child, Duration::from_secs(60))
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        if self.child.is_some() {
            let _ = self.stop();
        }
    }
}

pub fn socket(env: &Env) -> PathBuf {
    env.home.join(".local/state/workspace-sync/run/engine.sock")
}

pub fn wait_for(what: &str, limit: Duration, mut cond: impl FnMut() -> bool) -> Duration {
    let start = Instant::now();
    while start.elapsed() < limit {
        if cond() {
            return start.elapsed();
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("timed out after {limit:?} waiting for {what}");
}

pub fn runs(env: &Env) -> Vec<Value> {
    let r = env.wsync(&["activity", "--runs", "--json", "--limit", "1000"]);
    assert_eq!(r.code, Some(0), "{r:?}");
    serde_json::from_str(&r.stdout).unwrap()
}

pub fn finished_runs(env: &Env) -> Vec<Value> {
    runs(env).into_iter().filter(|r| !r["result"].is_null()).collect()
}

pub fn quick(env: &mut Env) {
    // Short retry steps keep backoff tests quick; debounce stays at its defaults.
    env.extra_env.push(("WSYNC_RETRY_BASE_MS".into(), "400".into()));
}

