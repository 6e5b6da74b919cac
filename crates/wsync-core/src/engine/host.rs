//! One engine host per user: the tray app or `wsync daemon` claims the role
//! (a lock file naming the holder) and serves a Unix socket in the runtime
//! dir (mode 0600, peer uid checked). The CLI talks to it in JSON lines:
//! one request, then streamed events, then one final reply.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::io::AsRawFd;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt};

use super::{EngineEvent, EngineHandle};
use crate::error::{Error, Result};
use crate::events::SyncEvent;
use crate::paths;
use crate::report::SyncReport;
use crate::resolve::Keep;
use crate::sync::{SyncDirection, SyncOptions};

pub fn socket_path() -> PathBuf {
    paths::runtime_dir().join("engine.sock")
}

fn lock_path() -> PathBuf {
    paths::runtime_dir().join("engine.lock")
}

/// The host role, held while the process runs.
pub struct HostRole {
    file: std::fs::File,
}

/// Claim the host role; refuses, naming the holder, if another process has it.
pub fn claim(role: &str) -> Result<HostRole> {
    let dir = paths::runtime_dir();
    paths::create_private_dir(&dir).map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
    let path = lock_path();
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| Error::io(format!("cannot open {}", path.display()), e))?;
    if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
        let holder = std::fs::read_to_string(&path).unwrap_or_default();
        let holder = holder.trim();
        return Err(Error::Busy(format!(
            "another Workspace Sync engine is already running ({}); stop it first, or let `wsync` commands talk to it",
            if holder.is_empty() { "unknown process".to_string() } else { holder.to_string() }
        )));
    }
    let _ = file.set_len(0);
    let _ = write!(file, "{role}, process {}", std::process::id());
    Ok(HostRole { file })
}

impl Drop for HostRole {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(socket_path());
        let _ = self.file.set_len(0);
    }
}

/// Only this user may talk to the engine.
pub fn peer_allowed(peer_uid: u32, own_uid: u32) -> bool {
    peer_uid == own_uid
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "cmd", rename_all = "camelCase")]
pub enum Request {
    Status,
    #[serde(rename_all = "camelCase")]
    Sync { folder: Option<String>, direction: String, resync: bool, dry_run: bool, confirm_deletes: bool },
    Pause { folder: Option<String> },
    Resume { folder: Option<String> },
    Conflicts { folder: Option<String> },
    Resolve { folder: String, path: Option<String>, keep: String },
}

/// The final reply to a request.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reply {
    pub ok: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folders: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reports: Option<Vec<SyncReport>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflicts: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved: Option<usize>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
enum Line {
    Event(serde_json::Value),
    Done(Reply),
}

fn error_reply(e: &Error) -> Reply {
    Reply { ok: false, code: Some(e.code().into()), message: Some(crate::redact::redact(&e.to_string())), ..Default::default() }
}

/// Serve the socket until `stop` completes.
pub async fn serve(handle: EngineHandle, _role: &HostRole, stop: impl std::future::Future<Output = ()>) -> Result<()> {
    let path = socket_path();
    let _ = std::fs::remove_file(&path);
    let listener = tokio::net::UnixListener::bind(&path).map_err(|e| Error::io(format!("cannot listen on {}", path.display()), e))?;
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).map_err(|e| Error::io("cannot protect the socket", e))?;
    }
    let own_uid = unsafe { libc::getuid() };
    tokio::pin!(stop);
    loop {
        tokio::select! {
            _ = &mut stop => break,
            conn = listener.accept() => {
                let Ok((stream, _)) = conn else { continue };
                let allowed = stream.peer_cred().map(|c| peer_allowed(c.uid(), own_uid)).unwrap_or(false);
                if !allowed {
                    continue;
                }
                let h = handle.clone();
                tokio::spawn(async move {
                    let _ = serve_one(h, stream).await;
                });
            }
        }
    }
    let _ = std::fs::remove_file(&path);
    Ok(())
}

async fn write_line(w: &mut tokio::net::unix::OwnedWriteHalf, line: &Line) -> std::io::Result<()> {
    let mut text = serde_json::to_string(line).map_err(std::io::Error::other)?;
    text.push('\n');
    w.write_all(text.as_bytes()).await
}

async fn serve_one(handle: EngineHandle, stream: tokio::net::UnixStream) -> std::io::Result<()> {
    let (r, mut w) = stream.into_split();
    let mut lines = tokio::io::BufReader::new(r).lines();
    let Some(text) = lines.next_line().await? else { return Ok(()) };
    let req: Request = match serde_json::from_str(&text) {
        Ok(r) => r,
        Err(e) => {
            let reply = Reply { ok: false, code: Some("invalid-input".into()), message: Some(format!("bad request: {e}")), ..Default::default() };
            return write_line(&mut w, &Line::Done(reply)).await;
        }
    };
    let reply = match req {
        Request::Status => Reply { ok: true, folders: serde_json::to_value(handle.status()).ok(), ..Default::default() },
        Request::Pause { folder } => handle.pause(folder.as_deref()).map(|_| Reply { ok: true, ..Default::default() }).unwrap_or_else(|e| error_reply(&e)),
        Request::Resume { folder } => handle.resume(folder.as_deref()).map(|_| Reply { ok: true, ..Default::default() }).unwrap_or_else(|e| error_reply(&e)),
        Request::Conflicts { folder } => match handle.journal().lock() {
            Ok(j) => match j.open_conflicts(folder.as_deref()) {
                Ok(c) => Reply { ok: true, conflicts: serde_json::to_value(c).ok(), ..Default::default() },
                Err(e) => error_reply(&e),
            },
            Err(_) => error_reply(&Error::Busy("the journal is unavailable".into())),
        },
        Request::Sync { folder, direction, resync, dry_run, confirm_deletes } => {
            let direction = match direction.as_str() {
                "pull" => SyncDirection::Pull,
                "push" => SyncDirection::Push,
                _ => SyncDirection::Both,
            };
            let opts = SyncOptions { direction, resync, dry_run, confirm_deletes };
            let mut events = handle.subscribe();
            let wanted = folder.clone();
            let h = handle.clone();
            let job = tokio::spawn(async move { h.sync(wanted.as_deref(), opts).await });
            tokio::pin!(job);
            loop {
                tokio::select! {
                    done = &mut job => {
                        break match done {
                            Ok(Ok(reports)) => Reply { ok: true, reports: Some(reports), ..Default::default() },
                            Ok(Err(e)) => error_reply(&e),
                            Err(e) => error_reply(&Error::Busy(format!("the sync task failed: {e}"))),
                        };
                    }
                    ev = events.recv() => {
                        if let Ok(EngineEvent::Sync { event }) = ev {
                            if folder.as_deref().map(|f| event_folder(&event) == f).unwrap_or(true) {
                                if let Ok(v) = serde_json::to_value(&event) {
                                    // A client that went away does not stop the sync.
                                    let _ = write_line(&mut w, &Line::Event(v)).await;
                                }
                            }
                        }
                    }
                }
            }
        }
        Request::Resolve { folder, path, keep } => match Keep::parse(&keep) {
            None => Reply { ok: false, code: Some("invalid-input".into()), message: Some(format!("\"{keep}\" is not a choice; use local, remote or both")), ..Default::default() },
            Some(keep) => match super::record::resolve(&handle, &folder, path.as_deref(), keep).await {
                Ok((n, reports)) => Reply { ok: true, resolved: Some(n), reports: Some(reports), ..Default::default() },
                Err(e) => error_reply(&e),
            },
        },
    };
    write_line(&mut w, &Line::Done(reply)).await
}

fn event_folder(e: &SyncEvent) -> &str {
    match e {
        SyncEvent::Started { folder, .. }
        | SyncEvent::Phase { folder, .. }
        | SyncEvent::Progress { folder, .. }
        | SyncEvent::FileChanged { folder, .. }
        | SyncEvent::ConflictFound { folder, .. }
        | SyncEvent::Warning { folder, .. } => folder,
        SyncEvent::Finished { report } => &report.folder,
    }
}

/// A blocking client for the CLI.
pub struct Client {
    stream: std::os::unix::net::UnixStream,
}

/// Connect to a running host, if there is one.
pub fn connect() -> Option<Client> {
    std::os::unix::net::UnixStream::connect(socket_path()).ok().map(|stream| Client { stream })
}

impl Client {
    /// Send a request; `on_event` gets streamed sync events (as JSON).
    pub fn request(mut self, req: &Request, on_event: &mut dyn FnMut(serde_json::Value)) -> Result<Reply> {
        let mut text = serde_json::to_string(req).map_err(|e| Error::io("encoding the request", std::io::Error::other(e)))?;
        text.push('\n');
        self.stream.write_all(text.as_bytes()).map_err(|e| Error::io("talking to the sync engine", e))?;
        let reader = BufReader::new(&self.stream);
        for line in reader.lines() {
            let line = line.map_err(|e| Error::io("reading from the sync engine", e))?;
            match serde_json::from_str::<Line>(&line) {
                Ok(Line::Event(v)) => on_event(v),
                Ok(Line::Done(reply)) => return Ok(reply),
                Err(_) => continue,
            }
        }
        Err(Error::Busy("the sync engine closed the connection before answering; try again".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_same_user_may_connect() {
        assert!(peer_allowed(1000, 1000));
        assert!(!peer_allowed(0, 1000));
        assert!(!peer_allowed(1001, 1000));
        // The kernel's answer for a real socket pair is this process's uid.
        let (a, _b) = std::os::unix::net::UnixStream::pair().unwrap();
        let mut cred: libc::ucred = unsafe { std::mem::zeroed() };
        let mut len = std::mem::size_of::<libc::ucred>() as libc::socklen_t;
        let rc = unsafe { libc::getsockopt(a.as_raw_fd(), libc::SOL_SOCKET, libc::SO_PEERCRED, &mut cred as *mut _ as *mut libc::c_void, &mut len) };
        assert_eq!(rc, 0);
        assert!(peer_allowed(cred.uid, unsafe { libc::getuid() }));
    }
}
