//! A quick look at the remote before a sync, bounded in time: is it
//! reachable, does the login work, does the folder exist and is it empty.
//! It turns rclone's low-level errors into messages a person can act on.

use std::time::Duration;

use super::RemoteDef;
use crate::cancel::CancelToken;
use crate::error::{Error, ErrorCode};
use crate::rclone::{ExitKind, Rclone};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RemoteCheck {
    /// The folder exists; `entries` is how many names its top level holds.
    Reachable { entries: usize },
    /// The server answered but the folder (or bucket) does not exist.
    Missing,
    /// The server refused the credentials.
    AuthFailed(String),
    /// The OAuth login was revoked or expired.
    NeedsLogin(String),
    /// The server could not be reached.
    Unreachable(String),
    /// The server asked us to slow down (HTTP 429, too_many_requests).
    RateLimited(String),
    Failed(String),
}

impl RemoteCheck {
    /// Classify an rclone error text (see [`classify_error`]).
    pub fn from_error_text(text: &str) -> RemoteCheck {
        classify_error(text)
    }

    pub fn into_error(self, remote: &RemoteDef) -> Error {
        let d = &remote.display;
        match self {
            RemoteCheck::Reachable { .. } => Error::Remote(format!("{d} is reachable")),
            RemoteCheck::Missing => Error::Remote(format!("the folder {} does not exist on {d}; check remotePath", remote.root)),
            RemoteCheck::AuthFailed(detail) => Error::coded(
                ErrorCode::AuthFailed,
                format!("{d} refused the login ({detail}); check the user name and password (or keys), then log in again"),
            ),
            RemoteCheck::NeedsLogin(detail) => {
                Error::needs_login(&remote.folder, format!("the login to {d} has expired or was revoked ({detail})"))
            }
            RemoteCheck::Unreachable(detail) => Error::coded(
                ErrorCode::Offline,
                format!("cannot reach {d} ({detail}); check that the server is running, the address is right and this computer is online"),
            ),
            RemoteCheck::RateLimited(detail) => Error::coded(
                ErrorCode::RateLimited,
                format!("{d} asked to slow down ({detail}); the sync is retried in a while"),
            ),
            RemoteCheck::Failed(detail) => Error::Remote(format!("{d} answered with an error: {detail}")),
        }
    }
}

/// Does `t` hold the HTTP status `code` as a number of its own (not part of
/// a port such as `127.0.0.1:40153`, nor of a longer number)?
pub(crate) fn has_status(t: &str, code: &str) -> bool {
    t.match_indices(code).any(|(i, _)| {
        let before = t[..i].chars().next_back();
        let after = t[i + code.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_digit() || c == ':' || c == '.') && !after.is_some_and(|c| c.is_ascii_digit())
    })
}

/// Classify an rclone error text.
pub fn classify_error(text: &str) -> RemoteCheck {
    let t = text.to_ascii_lowercase();
    let short = shorten(text);
    if has_status(&t, "429") || t.contains("too_many_requests") || t.contains("too many requests") || t.contains("rate limit") {
        RemoteCheck::RateLimited(short)
    } else if t.contains("invalid_grant") || t.contains("token expired") || t.contains("expired_access_token") || t.contains("refresh token") {
        RemoteCheck::NeedsLogin(short)
    } else if has_status(&t, "401")
        || t.contains("403 forbidden")
        || t.contains("unauthorized")
        || t.contains("unable to authenticate")
        || t.contains("signaturedoesnotmatch")
        || t.contains("invalidaccesskeyid")
        || t.contains("accessdenied")
        || t.contains("permission denied (")
        || t.contains("ssh: handshake failed")
    {
        RemoteCheck::AuthFailed(short)
    } else if t.contains("connection refused")
        || t.contains("no such host")
        || t.contains("i/o timeout")
        || t.contains("network is unreachable")
        || t.contains("connection reset")
        || t.contains("context deadline exceeded")
        || t.contains("timed out")
        || t.contains("no route to host")
    {
        RemoteCheck::Unreachable(short)
    } else if t.contains("directory not found") || t.contains("nosuchbucket") || t.contains("not found") {
        RemoteCheck::Missing
    } else {
        RemoteCheck::Failed(short)
    }
}

/// The most telling part of an rclone error, short enough for one line.
fn shorten(text: &str) -> String {
    let t = text.trim();
    for key in ["connection refused", "no such host", "i/o timeout", "401 Unauthorized", "403 Forbidden", "unable to authenticate", "SignatureDoesNotMatch", "InvalidAccessKeyId", "invalid_grant"] {
        if t.contains(key) {
            return key.to_string();
        }
    }
    let mut s: String = t.chars().take(200).collect();
    if t.chars().count() > 200 {
        s.push('…');
    }
    s
}

/// List the top level of the remote folder, within about a minute.
pub fn check_remote(rclone: &Rclone, remote: &RemoteDef, cancel: Option<&CancelToken>) -> RemoteCheck {
    let out = rclone
        .command("lsf")
        .arg(&remote.root)
        .args(["--max-depth", "1", "--retries", "1", "--low-level-retries", "1", "--contimeout", "15s", "--timeout", "30s"])
        .remote(remote)
        .timeout(Duration::from_secs(60))
        .run(cancel, &mut |_| {});
    let out = match out {
        Ok(o) => o,
        Err(e) => return RemoteCheck::Failed(e.to_string()),
    };
    if out.timed_out {
        return RemoteCheck::Unreachable("no answer within 60 seconds".into());
    }
    match out.kind {
        ExitKind::Success => RemoteCheck::Reachable { entries: out.stdout.lines().filter(|l| !l.is_empty()).count() },
        ExitKind::NotFound => RemoteCheck::Missing,
        _ => classify_error(&out.error_text()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_common_failures() {
        assert!(matches!(classify_error("dial tcp 127.0.0.1:1: connect: connection refused"), RemoteCheck::Unreachable(_)));
        // A port that holds a status code's digits is not that status.
        let refused = "Propfind \"http://127.0.0.1:40153/share/\": dial tcp 127.0.0.1:40153: connect: connection refused";
        assert!(matches!(classify_error(refused), RemoteCheck::Unreachable(_)), "{:?}", classify_error(refused));
        assert!(matches!(classify_error("dial tcp 127.0.0.1:42913: connection refused"), RemoteCheck::Unreachable(_)));
        assert!(matches!(classify_error("401 Unauthorized"), RemoteCheck::AuthFailed(_)));
        assert!(matches!(classify_error("HTTP error 429 (429 Too Many Requests)"), RemoteCheck::RateLimited(_)));
        assert!(matches!(classify_error("401 Unauthorized"), RemoteCheck::AuthFailed(_)));
        assert!(matches!(classify_error("oauth2: \"invalid_grant\""), RemoteCheck::NeedsLogin(_)));
        assert_eq!(classify_error("error listing: directory not found"), RemoteCheck::Missing);
    }
}
