//! The IPC types of docs/ipc.md and how they are made from the core's
//! config, engine status and journal records. Field names are camelCase.

use serde::{Deserialize, Serialize};
use wsync_core::config::{FolderConfig, Provider};
use wsync_core::engine::{FolderState, FolderStatus, Progress};
use wsync_core::journal::{ChangeRecord, ConflictRecord};
use wsync_core::report::SyncResult;

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct BlockedView {
    pub reason: String,
    pub message: String,
    pub fix: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub would_delete: Option<u64>,
    pub files: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct FolderView {
    pub id: String,
    pub provider: String,
    pub provider_name: String,
    pub local_path: String,
    pub remote_path: String,
    pub state: FolderState,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_sync: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_result: Option<SyncResult>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_sync: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress: Option<Progress>,
    pub conflicts: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blocked: Option<BlockedView>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppSettingsView {
    pub notifications: bool,
    pub autostart: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Overview {
    pub folders: Vec<FolderView>,
    pub app: AppSettingsView,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SideInfo {
    pub size: u64,
    pub modified: String,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    Text,
    Image,
    Other,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConflictView {
    pub id: i64,
    pub folder: String,
    pub path: String,
    pub local_copy: String,
    pub remote_copy: String,
    pub local: SideInfo,
    pub remote: SideInfo,
    pub found_at: String,
    pub kind: FileKind,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DiffLine {
    pub op: &'static str,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConflictPreview {
    pub kind: FileKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<Vec<DiffLine>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub local_image: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remote_image: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mime: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivityItem {
    pub folder: String,
    pub path: String,
    pub direction: wsync_core::events::Direction,
    pub action: wsync_core::events::FileAction,
    pub at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<i64>,
}

impl From<ChangeRecord> for ActivityItem {
    fn from(c: ChangeRecord) -> Self {
        ActivityItem { folder: c.folder, path: c.path, direction: c.direction, action: c.action, at: c.at, size: c.size }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FolderSettings {
    pub interval: u64,
    pub watch: bool,
    pub exclude: Vec<String>,
    pub conflict_resolve: String,
    pub max_delete_percent: u8,
    pub keep_versions_days: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct FolderDraft {
    pub id: String,
    pub provider: String,
    #[serde(default)]
    pub local_path: String,
    #[serde(default)]
    pub remote_path: String,
    #[serde(default)]
    pub fields: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub conflict_resolve: String,
    #[serde(default)]
    pub interval: Option<u64>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RemoteEntry {
    pub name: String,
    pub is_dir: bool,
}

#[derive(Debug, Clone, Serialize, Default, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct FirstSyncPreview {
    pub to_local: u64,
    pub to_remote: u64,
    pub conflicts: u64,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NavigateEvent {
    pub page: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub folder: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConflictsChanged {
    pub folder: String,
}

/// The name people see for a provider ("Dropbox", "WebDAV", ...).
pub fn provider_name(f: &FolderConfig) -> String {
    match f.provider {
        Provider::Local => "Local folder".into(),
        Provider::Custom => match &f.custom {
            Some(c) => format!("rclone {}", c.rclone_type),
            None => "Remote".into(),
        },
        p => p.display_name().into(),
    }
}

/// "workspace" → "Workspace", "my-notes" → "My notes".
pub fn display_name(id: &str) -> String {
    let text = id.replace('-', " ");
    let mut c = text.chars();
    match c.next() {
        Some(first) => first.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// When the folder last synced successfully.
pub fn last_success(status: Option<&FolderStatus>, id: &str) -> Option<String> {
    let from_report = status
        .and_then(|s| s.last_report.as_ref())
        .filter(|r| matches!(r.result, SyncResult::Ok | SyncResult::Conflicts) && !r.dry_run && !r.finished_at.is_empty())
        .map(|r| r.finished_at.clone());
    from_report.or_else(|| wsync_core::state::load(id).last_success)
}

pub fn folder_view(cfg: &FolderConfig, status: Option<&FolderStatus>) -> FolderView {
    let report = status.and_then(|s| s.last_report.as_ref());
    let blocked = match status.map(|s| s.state) {
        Some(FolderState::Blocked) => report.and_then(|r| r.blocked.as_ref()).map(|b| BlockedView {
            reason: b.reason.clone(),
            message: b.message.clone(),
            fix: b.fix.clone(),
            would_delete: b.would_delete,
            files: b.files.clone(),
        }),
        _ => None,
    };
    let last_error = report.filter(|r| r.result == SyncResult::Failed).and_then(|r| r.error.clone());
    FolderView {
        id: cfg.id.clone(),
        provider: cfg.provider.key().to_string(),
        provider_name: provider_name(cfg),
        local_path: cfg.local_path.clone(),
        remote_path: cfg.remote_path.clone(),
        state: status.map(|s| s.state).unwrap_or(if wsync_core::state::load(&cfg.id).paused { FolderState::Paused } else { FolderState::Idle }),
        last_sync: last_success(status, &cfg.id),
        last_result: report.map(|r| r.result),
        last_error,
        next_sync: status.and_then(|s| s.next_sync.clone()),
        progress: status.and_then(|s| s.progress.clone()),
        conflicts: status.map(|s| s.conflicts).unwrap_or(0),
        blocked,
    }
}

/// Text, image or something else, by name (and, for unknown names, by content).
pub fn file_kind(path: &str, sample: Option<&[u8]>) -> FileKind {
    let ext = std::path::Path::new(path).extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    if image_mime(&ext).is_some() {
        return FileKind::Image;
    }
    const TEXT: [&str; 24] = [
        "txt", "md", "markdown", "json", "yaml", "yml", "toml", "csv", "tsv", "html", "htm", "css", "js", "ts", "tsx", "py", "rs", "sh",
        "xml", "ini", "cfg", "conf", "log", "org",
    ];
    if TEXT.contains(&ext.as_str()) {
        return FileKind::Text;
    }
    match sample {
        Some(bytes) if !bytes.contains(&0) && std::str::from_utf8(bytes).is_ok() => FileKind::Text,
        _ => FileKind::Other,
    }
}

pub fn image_mime(ext: &str) -> Option<&'static str> {
    Some(match ext {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "bmp" => "image/bmp",
        _ => return None,
    })
}

/// A line diff (longest common subsequence), local → remote:
/// "del" lines are only in this computer's version, "add" only in the cloud's.
pub fn diff_lines(local: &str, remote: &str) -> Vec<DiffLine> {
    let a: Vec<&str> = local.lines().collect();
    let b: Vec<&str> = remote.lines().collect();
    // Common prefix and suffix first: most conflicts differ in a few lines.
    let mut pre = 0;
    while pre < a.len() && pre < b.len() && a[pre] == b[pre] {
        pre += 1;
    }
    let mut suf = 0;
    while suf < a.len() - pre && suf < b.len() - pre && a[a.len() - 1 - suf] == b[b.len() - 1 - suf] {
        suf += 1;
    }
    let (am, bm) = (&a[pre..a.len() - suf], &b[pre..b.len() - suf]);
    let mut out: Vec<DiffLine> = a[..pre].iter().map(|t| DiffLine { op: "same", text: t.to_string() }).collect();
    if am.len() * bm.len() > 4_000_000 {
        // Too large for a table: show it as replaced.
        out.extend(am.iter().map(|t| DiffLine { op: "del", text: t.to_string() }));
        out.extend(bm.iter().map(|t| DiffLine { op: "add", text: t.to_string() }));
    } else {
        let (n, m) = (am.len(), bm.len());
        let mut lcs = vec![0u32; (n + 1) * (m + 1)];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i * (m + 1) + j] = if am[i] == bm[j] {
                    lcs[(i + 1) * (m + 1) + j + 1] + 1
                } else {
                    lcs[(i + 1) * (m + 1) + j].max(lcs[i * (m + 1) + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && am[i] == bm[j] {
                out.push(DiffLine { op: "same", text: am[i].to_string() });
                i += 1;
                j += 1;
            } else if j < m && (i == n || lcs[i * (m + 1) + j + 1] >= lcs[(i + 1) * (m + 1) + j]) {
                out.push(DiffLine { op: "add", text: bm[j].to_string() });
                j += 1;
            } else {
                out.push(DiffLine { op: "del", text: am[i].to_string() });
                i += 1;
            }
        }
    }
    out.extend(a[a.len() - suf..].iter().map(|t| DiffLine { op: "same", text: t.to_string() }));
    out
}

pub fn conflict_view(c: &ConflictRecord, local_root: &std::path::Path) -> ConflictView {
    let side = |rel: &str, size: Option<u64>, mtime: &Option<String>| {
        let meta = std::fs::metadata(local_root.join(rel)).ok();
        let size = meta.as_ref().map(|m| m.len()).or(size).unwrap_or(0);
        let modified = meta
            .and_then(|m| m.modified().ok())
            .map(|t| chrono::DateTime::<chrono::Utc>::from(t).to_rfc3339())
            .or_else(|| mtime.clone())
            .unwrap_or_default();
        SideInfo { size, modified }
    };
    let sample = std::fs::File::open(local_root.join(&c.local_copy)).ok().and_then(|mut f| {
        use std::io::Read;
        let mut buf = vec![0u8; 4096];
        let n = f.read(&mut buf).ok()?;
        buf.truncate(n);
        Some(buf)
    });
    ConflictView {
        id: c.id,
        folder: c.folder.clone(),
        path: c.path.clone(),
        local_copy: c.local_copy.clone(),
        remote_copy: c.remote_copy.clone(),
        local: side(&c.local_copy, c.local_size, &c.local_mtime),
        remote: side(&c.remote_copy, c.remote_size, &c.remote_mtime),
        found_at: c.found_at.clone(),
        kind: file_kind(&c.path, sample.as_deref()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_marks_changed_lines() {
        let d = diff_lines("a\nb\nc\n", "a\nB\nc\nd\n");
        let ops: Vec<(&str, &str)> = d.iter().map(|l| (l.op, l.text.as_str())).collect();
        assert_eq!(ops, [("same", "a"), ("add", "B"), ("del", "b"), ("same", "c"), ("add", "d")]);
        assert!(diff_lines("", "").is_empty());
        assert_eq!(diff_lines("x", "").len(), 1);
    }

    #[test]
    fn kinds_and_names() {
        assert_eq!(file_kind("notes.md", None), FileKind::Text);
        assert_eq!(file_kind("a/b.PNG", None), FileKind::Image);
        assert_eq!(file_kind("blob.bin", Some(&[0, 1, 2])), FileKind::Other);
        assert_eq!(file_kind("noext", Some(b"hello")), FileKind::Text);
        assert_eq!(display_name("my-notes"), "My notes");
    }
}
