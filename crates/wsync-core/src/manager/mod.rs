//! The folder manager: everything the set-up flows do with folders, shared
//! by the window and the terminal (like Maestral's manager beside its
//! engine). It knows the provider catalogue, turns drafts into folders,
//! talks to a remote before syncing it ([`connect`]), and adds, changes and
//! removes folders with full cleanup and rollback ([`lifecycle`]). The
//! config is written only through it, atomically.

pub mod connect;
pub mod draft;
pub mod lifecycle;

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use connect::{clean, AccountInfo, FirstSyncPreview, RemoteEntry};
pub use draft::{draft_to_config, FolderDraft, FolderSettings, TypedSecrets};
pub use lifecycle::{Removal, RemoveOptions, Removed};

use crate::config::{self, FolderConfig, LoadedConfig};
use crate::error::Result;
use crate::rclone::Rclone;
use crate::remote::providers::{catalogue, secret_fields, ProviderInfo};
use crate::secrets::SecretStore;

pub struct FolderManager {
    config_path: PathBuf,
    rclone: Rclone,
    store: Arc<dyn SecretStore>,
}

/// A folder a flow works on: a configured one (logging in again: only the
/// typed secrets are new) or a new one from a draft.
#[derive(Debug, Clone)]
pub struct Target {
    pub folder: FolderConfig,
    pub typed: TypedSecrets,
    pub existing: bool,
}

impl FolderManager {
    pub fn new(config_path: PathBuf, rclone: Rclone, store: Arc<dyn SecretStore>) -> FolderManager {
        FolderManager { config_path, rclone, store }
    }

    pub fn config_path(&self) -> &Path {
        &self.config_path
    }

    pub fn rclone(&self) -> &Rclone {
        &self.rclone
    }

    pub fn store(&self) -> &Arc<dyn SecretStore> {
        &self.store
    }

    /// The provider catalogue with the fields of each set-up form.
    pub fn providers() -> Vec<ProviderInfo> {
        catalogue()
    }

    /// The config on disk (empty when there is no file yet).
    pub fn load(&self) -> Result<LoadedConfig> {
        config::load_or_empty(&self.config_path)
    }

    pub fn folder(&self, id: &str) -> Result<FolderConfig> {
        self.load()?.folder(id).cloned()
    }

    /// The folder a draft describes: the configured one when the draft
    /// names an existing folder, else the draft itself.
    pub fn target(&self, d: &FolderDraft) -> Result<Target> {
        if let Ok(existing) = self.folder(d.id.trim()) {
            let mut typed = TypedSecrets::default();
            for (field, key) in secret_fields(existing.provider) {
                if let Some(v) = d.fields.get(*field).filter(|v| !v.is_empty()) {
                    typed.0.push((key.to_string(), v.clone()));
                }
            }
            return Ok(Target { folder: existing, typed, existing: true });
        }
        let (folder, typed) = draft_to_config(d)?;
        Ok(Target { folder, typed, existing: false })
    }

    /// A configured folder as a target (no typed secrets).
    pub fn target_of(&self, id: &str) -> Result<Target> {
        Ok(Target { folder: self.folder(id)?, typed: TypedSecrets::default(), existing: true })
    }

    /// Store secrets in the keychain (no plaintext fallback).
    pub fn store_secrets(&self, folder: &str, typed: &TypedSecrets) -> Result<()> {
        for (key, value) in &typed.0 {
            crate::secrets::register_secret(value);
            self.store.set(folder, key, value)?;
        }
        Ok(())
    }
}
