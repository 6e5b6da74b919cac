//! Conflicts as a person reviews them: each open conflict with both
//! copies' sizes and times, its kind (text, image, other), and a preview:
//! a line diff (the `similar` crate) for text, both images for pictures.
//! Previews read regular files only, and at most [`PREVIEW_MAX`] bytes.

use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::journal::ConflictRecord;

/// The largest copy a preview reads.
pub const PREVIEW_MAX: u64 = 2 * 1024 * 1024;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SideInfo {
    pub size: u64,
    pub modified: String,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum FileKind {
    Text,
    Image,
    Other,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
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

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum DiffOp {
    Same,
    Add,
    Del,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, ts_rs::TS)]
#[ts(export)]
pub struct DiffLine {
    pub op: DiffOp,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ConflictPreview {
    pub kind: FileKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub diff: Option<Vec<DiffLine>>,
    /// Images as `data:` URLs.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub local_image: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub remote_image: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub mime: Option<String>,
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

fn ext(path: &str) -> String {
    Path::new(path).extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase()
}

/// Text, image or something else, by name (and, for unknown names, by content).
pub fn file_kind(path: &str, sample: Option<&[u8]>) -> FileKind {
    let ext = ext(path);
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

/// A line diff, local → remote: `Del` lines are only in this computer's
/// version, `Add` only in the cloud's.
pub fn diff_lines(local: &str, remote: &str) -> Vec<DiffLine> {
    let diff = similar::TextDiff::configure().timeout(std::time::Duration::from_secs(2)).diff_lines(local, remote);
    diff.iter_all_changes()
        .map(|c| DiffLine {
            op: match c.tag() {
                similar::ChangeTag::Equal => DiffOp::Same,
                similar::ChangeTag::Insert => DiffOp::Add,
                similar::ChangeTag::Delete => DiffOp::Del,
            },
            text: c.value().trim_end_matches(['\n', '\r']).to_string(),
        })
        .collect()
}

/// The metadata of `root/rel` if it is a regular file (never a device,
/// fifo or socket a preview could hang on).
fn regular(root: &Path, rel: &str) -> Option<std::fs::Metadata> {
    std::fs::symlink_metadata(root.join(rel)).ok().filter(|m| m.file_type().is_file())
}

pub fn conflict_view(c: &ConflictRecord, local_root: &Path) -> ConflictView {
    let side = |rel: &str, size: Option<u64>, mtime: &Option<String>| {
        let meta = regular(local_root, rel);
        let size = meta.as_ref().map(|m| m.len()).or(size).unwrap_or(0);
        let modified = meta
            .and_then(|m| m.modified().ok())
            .map(|t| chrono::DateTime::<chrono::Utc>::from(t).to_rfc3339())
            .or_else(|| mtime.clone())
            .unwrap_or_default();
        SideInfo { size, modified }
    };
    let sample = regular(local_root, &c.local_copy).and_then(|_| {
        let mut f = std::fs::File::open(local_root.join(&c.local_copy)).ok()?;
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

fn read_copy(root: &Path, rel: &str) -> Result<Vec<u8>> {
    let p = root.join(rel);
    let meta = regular(root, rel).ok_or_else(|| Error::LocalFolder(format!("{} is not a regular file; open it to compare", p.display())))?;
    if meta.len() > PREVIEW_MAX {
        return Err(Error::LocalFolder(format!("{} is too large to preview ({} bytes); open it to compare", p.display(), meta.len())));
    }
    std::fs::read(&p).map_err(|e| Error::io(format!("cannot read {}", p.display()), e))
}

/// The preview of conflict `c` of the folder at `local_root`.
pub fn preview(c: &ConflictRecord, local_root: &Path) -> Result<ConflictPreview> {
    let view = conflict_view(c, local_root);
    let none = ConflictPreview { kind: view.kind, diff: None, local_image: None, remote_image: None, mime: None };
    match view.kind {
        FileKind::Text => {
            let (l, r) = (read_copy(local_root, &c.local_copy)?, read_copy(local_root, &c.remote_copy)?);
            Ok(ConflictPreview { diff: Some(diff_lines(&String::from_utf8_lossy(&l), &String::from_utf8_lossy(&r))), ..none })
        }
        FileKind::Image => {
            let mime = image_mime(&ext(&c.path)).unwrap_or("application/octet-stream");
            use base64::Engine as _;
            let url = |b: Vec<u8>| format!("data:{mime};base64,{}", base64::engine::general_purpose::STANDARD.encode(b));
            Ok(ConflictPreview {
                local_image: Some(url(read_copy(local_root, &c.local_copy)?)),
                remote_image: Some(url(read_copy(local_root, &c.remote_copy)?)),
                mime: Some(mime.to_string()),
                ..none
            })
        }
        FileKind::Other => Ok(none),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_marks_changed_lines() {
        let d = diff_lines("a\nb\nc\n", "a\nB\nc\nd\n");
        let ops: Vec<(DiffOp, &str)> = d.iter().map(|l| (l.op, l.text.as_str())).collect();
        assert_eq!(ops, [(DiffOp::Same, "a"), (DiffOp::Del, "b"), (DiffOp::Add, "B"), (DiffOp::Same, "c"), (DiffOp::Add, "d")]);
        assert!(diff_lines("", "").is_empty());
        assert_eq!(diff_lines("x", "").len(), 1);
    }

    #[test]
    fn kinds_and_non_regular_files() {
        assert_eq!(file_kind("notes.md", None), FileKind::Text);
        assert_eq!(file_kind("a/b.PNG", None), FileKind::Image);
        assert_eq!(file_kind("blob.bin", Some(&[0, 1, 2])), FileKind::Other);
        assert_eq!(file_kind("noext", Some(b"hello")), FileKind::Text);
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub.md")).unwrap();
        assert!(read_copy(dir.path(), "sub.md").is_err(), "a directory is not previewed");
    }
}
