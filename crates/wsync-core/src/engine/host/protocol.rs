//! The host protocol: JSON lines over the engine's Unix socket. A client
//! sends one [`Request`], then reads streamed [`Line::Event`]s and one final
//! [`Line::Done`] with the [`Reply`]. Every field is typed: an unknown
//! command, direction or choice is a bad request, never a default.

use serde::{Deserialize, Serialize};

use crate::config::SyncDirection;
use crate::engine::ReloadSummary;
use crate::error::{Error, ErrorCode, Surface};
use crate::journal::ConflictRecord;
use crate::report::SyncReport;
use crate::resolve::Keep;
use crate::status::FolderStatus;
use crate::sync::SyncOptions;

/// A sync as a client asks for it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SyncRequest {
    #[serde(default)]
    pub folder: Option<String>,
    #[serde(default)]
    pub direction: SyncDirection,
    #[serde(default)]
    pub resync: bool,
    #[serde(default)]
    pub dry_run: bool,
    #[serde(default)]
    pub confirm_deletes: bool,
    #[serde(default)]
    pub confirm_token: Option<String>,
    /// Paths that changed (a hint for the fast path).
    #[serde(default)]
    pub changed: Vec<String>,
}

impl SyncRequest {
    pub fn options(&self) -> SyncOptions {
        SyncOptions {
            direction: self.direction,
            resync: self.resync,
            dry_run: self.dry_run,
            confirm_deletes: self.confirm_deletes,
            confirm_token: self.confirm_token.clone(),
            changed: self.changed.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "cmd", rename_all = "camelCase", deny_unknown_fields)]
pub enum Request {
    Status,
    Sync(SyncRequest),
    Pause {
        #[serde(default)]
        folder: Option<String>,
    },
    Resume {
        #[serde(default)]
        folder: Option<String>,
    },
    Conflicts {
        #[serde(default)]
        folder: Option<String>,
    },
    Resolve {
        folder: String,
        #[serde(default)]
        path: Option<String>,
        keep: Keep,
    },
    /// Read the config file again now (the host also watches it).
    Reload,
}

/// The final reply to a request.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reply {
    pub ok: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<ErrorCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folders: Option<Vec<FolderStatus>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reports: Option<Vec<SyncReport>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflicts: Option<Vec<ConflictRecord>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reload: Option<ReloadSummary>,
}

impl Reply {
    pub fn ok() -> Reply {
        Reply { ok: true, ..Default::default() }
    }

    pub fn error(e: &Error) -> Reply {
        Reply { ok: false, code: Some(e.code()), message: Some(e.message_for(Surface::Cli)), ..Default::default() }
    }

    /// The reply as a result: a refusal becomes an error with its code.
    pub fn into_result(self) -> Result<Reply, Error> {
        if self.ok {
            return Ok(self);
        }
        let message = self.message.clone().unwrap_or_else(|| "the sync engine refused the request".into());
        Err(Error::coded(self.code.unwrap_or(ErrorCode::Busy), message))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Line {
    Event(serde_json::Value),
    Done(Reply),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_directions_and_fields_are_bad_requests() {
        let ok: Request = serde_json::from_str(r#"{"cmd":"sync","folder":"ws","direction":"pull"}"#).unwrap();
        assert_eq!(ok, Request::Sync(SyncRequest { folder: Some("ws".into()), direction: SyncDirection::Pull, ..Default::default() }));
        assert!(serde_json::from_str::<Request>(r#"{"cmd":"sync","direction":"sideways"}"#).is_err());
        assert!(serde_json::from_str::<Request>(r#"{"cmd":"sync","directon":"pull"}"#).is_err());
        assert!(serde_json::from_str::<Request>(r#"{"cmd":"resolve","folder":"ws","keep":"mine"}"#).is_err());
        assert!(serde_json::from_str::<Request>(r#"{"cmd":"reload"}"#).is_ok());
    }
}
