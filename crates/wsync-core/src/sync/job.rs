//! What every run of one folder works with: the folder, its resolved local
//! path and remote, its bisync work dir, the options, and where events go.

use std::path::PathBuf;

use crate::cancel::CancelToken;
use crate::config::{FolderConfig, SyncDirection};
use crate::error::{Error, Result};
use crate::events::{EventSink, SyncEvent};
use crate::redact;
use crate::rclone::Rclone;
use crate::remote::RemoteDef;
use crate::secrets::Secrets;

pub use crate::filter::PARTIAL_SUFFIX;

/// What every sync needs: the rclone binary and the secret resolver.
pub struct Context {
    pub rclone: Rclone,
    pub secrets: Secrets,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SyncOptions {
    pub direction: SyncDirection,
    /// Merge both sides again from scratch (the first-sync path).
    pub resync: bool,
    pub dry_run: bool,
    /// The person confirmed the deletions a safety guard stopped.
    pub confirm_deletes: bool,
    /// The set of deletions the confirmation is for (from the blocked
    /// report); without it, the set last shown.
    pub confirm_token: Option<String>,
    /// Local paths the watcher saw change: a hint that lets a handful of
    /// saves take the fast path. Empty: a full sync.
    pub changed: Vec<String>,
}

/// The two sides as every rclone run of a sync addresses them. Both go
/// through rclone's `hasher` overlay where it is sound, so that no
/// unchanged byte is hashed twice: this computer always (its hashes are
/// computed by reading), the remote where it keeps modification times (a
/// cached hash is reused only while size and time are unchanged). The
/// cache lives in the folder's own directory of the app's data.
#[derive(Clone)]
pub struct Sides {
    /// Path1 (this computer), e.g. `wsyncl:`.
    pub local: String,
    /// Path2 (the cloud folder), e.g. `wsynch:share`.
    pub remote: String,
    /// The remote name that `remote` is on (`wsynch` or `wsync`).
    pub remote_name: &'static str,
    /// The hash type the overlay keeps.
    pub hash: String,
    pub remote_hashed: bool,
    env: Vec<(String, String)>,
    cache_dir: PathBuf,
}

const LOCAL_OVERLAY: &str = "wsyncl";
const REMOTE_OVERLAY: &str = "wsynch";

impl Sides {
    pub fn new(folder: &FolderConfig, local: &std::path::Path, remote: &RemoteDef, comparison: &super::Comparison) -> Sides {
        let hash = comparison.common_hashes.first().cloned().unwrap_or_else(|| "md5".to_string());
        let mut env = Vec::new();
        let mut overlay = |name: &str, wrapped: &str| {
            let key = |k: &str| format!("RCLONE_CONFIG_{}_{k}", name.to_ascii_uppercase());
            env.push((key("TYPE"), "hasher".to_string()));
            env.push((key("REMOTE"), wrapped.to_string()));
            env.push((key("HASHES"), hash.clone()));
            env.push((key("MAX_AGE"), "off".to_string()));
        };
        // Rooted at `/`, so that this computer's versions area (outside the
        // folder) is on the same remote as the folder (bisync wants both
        // on one remote for its backup dir).
        overlay(LOCAL_OVERLAY, "/");
        let remote_hashed = comparison.remote_has_modtime;
        let remote_name = if remote_hashed {
            overlay(REMOTE_OVERLAY, &format!("{}:", crate::remote::REMOTE_NAME));
            REMOTE_OVERLAY
        } else {
            crate::remote::REMOTE_NAME
        };
        Sides {
            local: Sides::local_path(local),
            remote: format!("{remote_name}:{}", remote.path_in_remote),
            remote_name,
            hash,
            remote_hashed,
            env,
            cache_dir: crate::paths::data_dir().join("cache").join(&folder.id),
        }
    }

    /// A local path on the local overlay.
    pub fn local_path(path: &std::path::Path) -> String {
        format!("{LOCAL_OVERLAY}:{}", path.to_string_lossy().trim_start_matches('/'))
    }

    /// `path` inside the remote, on the remote name the sides use.
    pub fn on_remote(&self, path: &str) -> String {
        format!("{}:{path}", self.remote_name)
    }

    /// The `--cache-dir` the overlays keep their hashes in.
    pub fn cache_dir(&self) -> &std::path::Path {
        &self.cache_dir
    }

    /// The overlays' definitions and the folder's own cache.
    pub fn apply(&self, inv: crate::rclone::Invocation) -> crate::rclone::Invocation {
        inv.envs(&self.env).arg("--cache-dir").arg(self.cache_dir.to_string_lossy().to_string())
    }
}

/// Everything a run of one folder works with.
pub(crate) struct Job<'a> {
    pub ctx: &'a Context,
    pub folder: &'a FolderConfig,
    pub local: PathBuf,
    pub remote: RemoteDef,
    pub workdir: PathBuf,
    pub opts: SyncOptions,
    pub sink: &'a dyn EventSink,
    pub cancel: &'a CancelToken,
    pub comparison: super::Comparison,
    pub sides: Sides,
    /// The STAMP directories this run keeps replaced files in (made on
    /// first use): this computer's, the cloud's.
    pub local_versions: PathBuf,
    pub cloud_versions: String,
}

impl<'a> Job<'a> {
    /// The same job with the hash cache in `cache_dir` (a staged copy).
    pub fn with_cache_dir(&self, cache_dir: PathBuf) -> Job<'a> {
        Job {
            ctx: self.ctx,
            folder: self.folder,
            local: self.local.clone(),
            remote: self.remote.clone(),
            workdir: self.workdir.clone(),
            opts: self.opts.clone(),
            sink: self.sink,
            cancel: self.cancel,
            comparison: self.comparison.clone(),
            sides: Sides { cache_dir, ..self.sides.clone() },
            local_versions: self.local_versions.clone(),
            cloud_versions: self.cloud_versions.clone(),
        }
    }

    /// `--exclude` flags: the folder's list, our partial files, and the
    /// cloud versions area when it lies inside the folder.
    pub fn filter_flags(&self) -> Vec<String> {
        let mut out = Vec::new();
        for pat in &self.folder.exclude {
            out.push("--exclude".to_string());
            out.push(pat.clone());
        }
        out.push("--exclude".into());
        out.push(format!("*{PARTIAL_SUFFIX}"));
        if let Some(x) = &self.remote.versions_exclude {
            out.push("--exclude".into());
            out.push(x.clone());
        }
        out
    }

    pub fn local_arg(&self) -> String {
        self.local.to_string_lossy().into_owned()
    }

    pub fn phase(&self, text: &str) {
        self.sink.emit(SyncEvent::Phase { folder: self.folder.id.clone(), phase: text.to_string() });
    }

    pub fn warn(&self, text: String) {
        self.sink.emit(SyncEvent::Warning { folder: self.folder.id.clone(), message: redact::redact(&text) });
    }

    /// An rclone command of this folder's run: the remote defined, the
    /// child owned (so a later run can end it if we are killed).
    pub fn rclone(&self, sub: &str) -> crate::rclone::Invocation {
        self.ctx
            .rclone
            .command(sub)
            .remote(&self.remote)
            .for_folder(&self.folder.id)
            .owned_by(super::lock::owner_file(&self.workdir))
    }

    /// Create the remote folder (or bucket path).
    pub fn create_remote_dir(&self) -> Result<()> {
        self.phase("Creating the remote folder");
        let out = self.rclone("mkdir").arg(&self.remote.root).run(Some(self.cancel), &mut |_| {})?;
        if out.success() {
            Ok(())
        } else {
            Err(Error::Remote(format!("cannot create the folder {} on {}: {}", self.remote.root, self.remote.display, out.error_text())))
        }
    }

    /// The cloud versions directory of this run, on the sides' remote.
    pub fn cloud_versions_arg(&self) -> String {
        self.sides.on_remote(&self.cloud_versions)
    }
}
