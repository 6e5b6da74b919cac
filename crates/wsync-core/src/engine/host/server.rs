//! Serving the host protocol: the Unix socket (mode 0600, peer uid
//! checked), with every connection bounded: at most [`MAX_CONNECTIONS`] at
//! a time, a request line of at most [`MAX_REQUEST_BYTES`] that must arrive
//! within [`REQUEST_TIMEOUT`].

use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};
use tokio::sync::{mpsc, oneshot, Semaphore};

use super::protocol::{Line, Reply, Request};
use super::{socket_path, HostRole};
use crate::engine::{EngineEvent, EngineHandle, ReloadSummary};
use crate::error::{Error, Result};
use crate::events::SyncEvent;

pub const MAX_CONNECTIONS: usize = 32;
pub const MAX_REQUEST_BYTES: u64 = 64 * 1024;
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// How the server asks its host to read the config again.
pub type ReloadSender = mpsc::Sender<oneshot::Sender<Result<ReloadSummary>>>;

/// Only this user may talk to the engine.
pub fn peer_allowed(peer_uid: u32, own_uid: u32) -> bool {
    peer_uid == own_uid
}

/// Serve the socket until `stop` completes.
pub async fn serve(handle: EngineHandle, reload: ReloadSender, _role: &HostRole, stop: impl std::future::Future<Output = ()>) -> Result<()> {
    let path = socket_path();
    let _ = std::fs::remove_file(&path);
    let listener = tokio::net::UnixListener::bind(&path).map_err(|e| Error::io(format!("cannot listen on {}", path.display()), e))?;
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).map_err(|e| Error::io("cannot protect the socket", e))?;
    }
    let own_uid = unsafe { libc::getuid() };
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
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
                // Over the limit: refused at once, the others are not slowed.
                let Ok(permit) = slots.clone().try_acquire_owned() else {
                    let mut stream = stream;
                    let busy = Reply::error(&Error::Busy("the sync engine has too many connections; try again".into()));
                    let _ = write_line(&mut stream, &Line::Done(busy)).await;
                    continue;
                };
                let (h, r) = (handle.clone(), reload.clone());
                tokio::spawn(async move {
                    let _ = serve_one(h, r, stream).await;
                    drop(permit);
                });
            }
        }
    }
    let _ = std::fs::remove_file(&path);
    Ok(())
}

async fn write_line<W: AsyncWriteExt + Unpin>(w: &mut W, line: &Line) -> std::io::Result<()> {
    let mut text = serde_json::to_string(line).map_err(std::io::Error::other)?;
    text.push('\n');
    w.write_all(text.as_bytes()).await
}

/// Read the one request line, bounded in size and time.
async fn read_request<R: tokio::io::AsyncRead + Unpin>(r: R) -> std::result::Result<Request, Reply> {
    let mut limited = tokio::io::BufReader::new(r.take(MAX_REQUEST_BYTES + 1));
    let mut text = String::new();
    let bad = |m: String| Reply::error(&Error::InvalidInput(m));
    match tokio::time::timeout(REQUEST_TIMEOUT, limited.read_line(&mut text)).await {
        Err(_) => return Err(bad(format!("no request within {} seconds", REQUEST_TIMEOUT.as_secs()))),
        Ok(Err(e)) => return Err(bad(format!("cannot read the request: {e}"))),
        Ok(Ok(_)) => {}
    }
    if text.len() as u64 > MAX_REQUEST_BYTES {
        return Err(bad(format!("the request is longer than {} bytes", MAX_REQUEST_BYTES)));
    }
    serde_json::from_str(text.trim_end()).map_err(|e| bad(format!("bad request: {e}")))
}

async fn serve_one(handle: EngineHandle, reload: ReloadSender, stream: tokio::net::UnixStream) -> std::io::Result<()> {
    let (r, mut w) = stream.into_split();
    let req = match read_request(r).await {
        Ok(req) => req,
        Err(reply) => return write_line(&mut w, &Line::Done(reply)).await,
    };
    let reply = match req {
        Request::Status => Reply { ok: true, folders: Some(handle.status()), ..Default::default() },
        Request::Pause { folder } => handle.pause(folder.as_deref()).map(|_| Reply::ok()).unwrap_or_else(|e| Reply::error(&e)),
        Request::Resume { folder } => handle.resume(folder.as_deref()).map(|_| Reply::ok()).unwrap_or_else(|e| Reply::error(&e)),
        Request::Conflicts { folder } => match handle.journal().lock() {
            Ok(j) => match j.open_conflicts(folder.as_deref()) {
                Ok(c) => Reply { ok: true, conflicts: Some(c), ..Default::default() },
                Err(e) => Reply::error(&e),
            },
            Err(_) => Reply::error(&Error::Busy("the journal is unavailable".into())),
        },
        Request::Reload => {
            let (tx, rx) = oneshot::channel();
            match reload.send(tx).await {
                Err(_) => Reply::error(&Error::Busy("the sync engine is stopping".into())),
                Ok(()) => match rx.await {
                    Ok(Ok(summary)) => Reply { ok: true, reload: Some(summary), ..Default::default() },
                    Ok(Err(e)) => Reply::error(&e),
                    Err(_) => Reply::error(&Error::Busy("the sync engine is stopping".into())),
                },
            }
        }
        Request::Sync(req) => {
            let opts = req.options();
            let mut events = handle.subscribe();
            let wanted = req.folder.clone();
            let h = handle.clone();
            let job = tokio::spawn(async move { h.sync(wanted.as_deref(), opts).await });
            tokio::pin!(job);
            loop {
                tokio::select! {
                    done = &mut job => {
                        break match done {
                            Ok(Ok(reports)) => Reply { ok: true, reports: Some(reports), ..Default::default() },
                            Ok(Err(e)) => Reply::error(&e),
                            Err(e) => Reply::error(&Error::Busy(format!("the sync task failed: {e}"))),
                        };
                    }
                    ev = events.recv() => {
                        if let Ok(EngineEvent::Sync { event }) = ev {
                            if req.folder.as_deref().map(|f| event.folder() == f).unwrap_or(true) {
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
        Request::Resolve { folder, path, keep } => match crate::engine::record::resolve(&handle, &folder, path.as_deref(), keep).await {
            Ok((n, reports)) => Reply { ok: true, resolved: Some(n), reports: Some(reports), ..Default::default() },
            Err(e) => Reply::error(&e),
        },
    };
    write_line(&mut w, &Line::Done(reply)).await
}

impl SyncEvent {
    /// The folder an event is about.
    pub fn folder(&self) -> &str {
        match self {
            SyncEvent::Started { folder, .. }
            | SyncEvent::Phase { folder, .. }
            | SyncEvent::Progress { folder, .. }
            | SyncEvent::FileChanged { folder, .. }
            | SyncEvent::ConflictFound { folder, .. }
            | SyncEvent::Warning { folder, .. } => folder,
            SyncEvent::Finished { report } => &report.folder,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::io::AsRawFd;

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

    #[tokio::test]
    async fn requests_are_bounded_in_size() {
        let long = format!("{{\"cmd\":\"status\",\"x\":\"{}\"}}\n", "a".repeat(MAX_REQUEST_BYTES as usize + 10));
        match read_request(long.as_bytes()).await {
            Err(reply) => assert!(reply.message.unwrap_or_default().contains("longer than"), "refused as too long"),
            Ok(_) => panic!("a request over the limit must be refused"),
        }
        assert!(read_request(&b"{\"cmd\":\"status\"}\n"[..]).await.is_ok());
    }
}
