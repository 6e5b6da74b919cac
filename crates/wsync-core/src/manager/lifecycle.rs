//! Adding, changing and removing folders. Each change of the config is a
//! read-modify-write under the config's own lock, saved atomically; an add
//! that fails leaves nothing behind (no keychain entry, no config entry, no
//! empty folder it made). Removing a folder drops all of its state (bisync
//! records, per-folder state, and, as the person chooses, its login and
//! history), so that adding it again is a fresh first sync.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use super::{draft_to_config, FolderDraft, FolderManager, FolderSettings, TypedSecrets};
use crate::config::{self, Config, FolderConfig};
use crate::credentials::KEYS;
use crate::error::{Error, Result};
use crate::fsutil::{LockError, LockFile};
use crate::journal::Journal;
use crate::{paths, state};

/// How long a config change waits for another writer.
const CONFIG_LOCK_PATIENCE: Duration = Duration::from_secs(10);
/// How long a removal waits for the folder's running sync to end.
const SYNC_PATIENCE: Duration = Duration::from_secs(300);

#[derive(Debug, Clone, Copy, Default)]
pub struct RemoveOptions {
    /// Keep the folder's keychain entries.
    pub keep_login: bool,
    /// Also drop its history (runs, changes, conflicts) from the journal.
    pub forget_history: bool,
}

/// A folder taken out of the config whose state is not cleaned up yet:
/// the caller lets a running engine stop the folder first, then calls
/// [`FolderManager::finish_removal`].
#[derive(Debug)]
pub struct Removal {
    pub folder: FolderConfig,
}

/// What a removal cleaned up.
#[derive(Debug, Default)]
pub struct Removed {
    pub keychain_keys: Vec<String>,
    /// Why the login could not be removed (no keychain): the folder is
    /// removed all the same, and the person is told what stays.
    pub keychain_warning: Option<String>,
    pub history_rows: usize,
    /// Kept versions stay (they are the person's files); where they are.
    pub versions: PathBuf,
}

impl FolderManager {
    /// Change the config in one locked read-modify-write.
    fn change_config<T>(&self, change: impl FnOnce(&mut Config) -> Result<T>) -> Result<T> {
        let lock_path = PathBuf::from(format!("{}.lock", self.config_path.display()));
        if let Some(dir) = lock_path.parent() {
            let _ = paths::create_private_dir(dir);
        }
        let _lock = match LockFile::acquire_within(&lock_path, &format!("process {}", std::process::id()), CONFIG_LOCK_PATIENCE) {
            Ok(l) => l,
            Err(LockError::Held(h)) => {
                return Err(Error::Busy(format!("the config {} is being changed by {h}; try again", self.config_path.display())))
            }
            Err(LockError::Io(e)) => return Err(Error::io(format!("cannot lock {}", lock_path.display()), e)),
        };
        let mut cfg = self.load()?.config;
        let out = change(&mut cfg)?;
        config::save(&self.config_path, &cfg)?;
        Ok(out)
    }

    /// Add the draft's folder: see [`FolderManager::add_folder`].
    pub fn add(&self, d: &FolderDraft) -> Result<FolderConfig> {
        let (f, typed) = draft_to_config(d)?;
        self.add_folder(f, typed)
    }

    /// Add a folder: its local folder is created if missing, its secrets go
    /// to the keychain, the config is saved. On failure nothing stays.
    pub fn add_folder(&self, f: FolderConfig, typed: TypedSecrets) -> Result<FolderConfig> {
        let existing = self.load()?;
        if existing.config.folders.iter().any(|x| x.id == f.id) {
            return Err(Error::InvalidInput(format!("a folder \"{}\" exists already; choose another name", f.id)));
        }
        // The config must accept it (overlaps with other folders and all)
        // before anything is written.
        let mut trial = existing.config.clone();
        trial.folders.push(f.clone());
        config::parse(&self.config_path, &serde_json::to_string(&trial).map_err(|e| Error::Config(e.to_string()))?)
            .map_err(|e| Error::InvalidInput(e.to_string()))?;
        let local = f.local_dir();
        let created = !local.exists();
        if created {
            std::fs::create_dir_all(&local).map_err(|e| {
                Error::LocalFolder(format!("cannot create {}: {e}; choose a folder you can write to", local.display()))
            })?;
        }
        let undo = |stored: &[String]| {
            for key in stored {
                let _ = self.store.delete(&f.id, key);
            }
            if created {
                let _ = std::fs::remove_dir(&local);
            }
        };
        let mut stored = Vec::new();
        for (key, value) in &typed.0 {
            crate::secrets::register_secret(value);
            if let Err(e) = self.store.set(&f.id, key, value) {
                undo(&stored);
                return Err(e);
            }
            stored.push(key.clone());
        }
        // A folder of this name removed earlier left nothing behind: start fresh.
        let _ = std::fs::remove_dir_all(paths::workdir(&f.id));
        let _ = state::remove(&f.id);
        let saved = self.change_config(|cfg| {
            if cfg.folders.iter().any(|x| x.id == f.id) {
                return Err(Error::InvalidInput(format!("a folder \"{}\" exists already; choose another name", f.id)));
            }
            cfg.folders.push(f.clone());
            Ok(())
        });
        if let Err(e) = saved {
            undo(&stored);
            return Err(e);
        }
        Ok(f)
    }

    /// Change one folder's settings.
    pub fn update_settings(&self, id: &str, s: &FolderSettings) -> Result<FolderConfig> {
        self.change_config(|cfg| {
            let f = cfg.folders.iter_mut().find(|f| f.id == id).ok_or_else(|| unknown(id, &self.config_path))?;
            *f = s.apply(f)?;
            Ok(f.clone())
        })
    }

    /// Take a folder out of the config (its files stay on both sides).
    pub fn remove(&self, id: &str) -> Result<Removal> {
        let folder = self.change_config(|cfg| {
            let i = cfg.folders.iter().position(|f| f.id == id).ok_or_else(|| unknown(id, &self.config_path))?;
            Ok(cfg.folders.remove(i))
        })?;
        Ok(Removal { folder })
    }

    /// Drop the removed folder's state once its running sync (if any) has
    /// ended: bisync records, state, and as chosen its login and history.
    pub fn finish_removal(&self, r: Removal, opts: RemoveOptions, journal: Option<&Mutex<Journal>>) -> Result<Removed> {
        let id = r.folder.id.clone();
        let workdir = paths::workdir(&id);
        {
            // Waits for a running sync; the workdir goes with the lock held.
            let _lock = crate::folder_lock::FolderLock::acquire_within(&workdir, &id, SYNC_PATIENCE)?;
            match std::fs::remove_dir_all(&workdir) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(Error::io(format!("cannot remove {}", workdir.display()), e)),
            }
            state::remove(&id)?;
            // The hash cache of its sides.
            let cache = paths::data_dir().join("cache").join(&id);
            let _ = std::fs::remove_dir_all(&cache);
            crate::sync::sweep_staged_hashes(&cache);
        }
        let mut removed = Removed { versions: crate::versions::root(&id), ..Default::default() };
        if !opts.keep_login {
            match self.logout(&r.folder) {
                Ok(keys) => removed.keychain_keys = keys,
                // The folder is already out of the config: a keychain that
                // cannot be reached must not fail the removal halfway.
                Err(e) => removed.keychain_warning = Some(e.to_string()),
            }
        }
        if opts.forget_history {
            if let Some(j) = journal {
                let j = j.lock().map_err(|_| Error::Busy("the journal is unavailable".into()))?;
                removed.history_rows = j.forget_folder(&id)?;
            }
        }
        Ok(removed)
    }

    /// Remove every keychain entry of a folder; returns the keys removed.
    pub fn logout(&self, f: &FolderConfig) -> Result<Vec<String>> {
        let mut keys: Vec<String> = KEYS.iter().map(|k| k.to_string()).collect();
        if let Some(c) = &f.custom {
            keys.extend(c.keychain_options.iter().cloned());
        }
        let mut removed = Vec::new();
        for key in keys {
            if self.store.delete(&f.id, &key)? {
                removed.push(key);
            }
        }
        Ok(removed)
    }
}

fn unknown(id: &str, path: &std::path::Path) -> Error {
    Error::UnknownFolder { id: id.to_string(), config: path.to_path_buf(), known: String::from("see `wsync status`") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::MemoryStore;
    use crate::secrets::SecretStore;
    use std::sync::Arc;

    #[test]
    fn an_add_that_fails_leaves_no_keychain_entry() {
        crate::versions::tests::data_home();
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join("config.json");
        let store = Arc::new(MemoryStore::default());
        let rclone = crate::rclone::Rclone { path: "/bin/false".into(), version: "v1.75.2".into() };
        let m = FolderManager::new(cfg.clone(), rclone, store.clone());
        let draft = |id: &str, local: &str| FolderDraft {
            id: id.into(),
            provider: "webdav".into(),
            local_path: dir.path().join(local).to_string_lossy().into(),
            remote_path: "share".into(),
            fields: [("url", "http://127.0.0.1:9"), ("user", "u"), ("password", "pw-123")].iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            ..Default::default()
        };
        m.add(&draft("one", "a")).unwrap();
        assert_eq!(store.get("one", "password").unwrap().as_deref(), Some("pw-123"));
        // Overlaps the first folder: refused, and nothing stored or made.
        let e = m.add(&draft("two", "a/inner")).unwrap_err();
        assert!(e.to_string().contains("overlaps"), "{e}");
        assert_eq!(store.get("two", "password").unwrap(), None);
        assert!(!dir.path().join("a/inner").exists());
        let r = m.remove("one").unwrap();
        let done = m.finish_removal(r, RemoveOptions::default(), None).unwrap();
        assert_eq!(done.keychain_keys, ["password"]);
        assert!(m.load().unwrap().config.folders.is_empty());
    }
}
