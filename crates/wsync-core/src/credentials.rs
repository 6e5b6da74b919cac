//! The OS keychain as the store of every folder's secrets (Secret Service
//! on Linux, Keychain on macOS, Credential Manager on Windows, through the
//! `keyring` crate). One entry per folder and secret, service
//! `workspace-sync`, user `FOLDER:KEY` (e.g. `workspace:token`).
//!
//! There is no plaintext fallback: when no keychain is reachable the error
//! says so and how to go on.

use std::sync::Arc;

use crate::error::{Error, Result};
use crate::secrets::SecretStore;

pub const SERVICE: &str = "workspace-sync";

/// Keys a folder may have in the keychain.
pub const KEYS: [&str; 4] = ["token", "password", "secretAccessKey", "clientSecret"];

pub struct Keychain {
    service: String,
}

impl Keychain {
    /// The keychain under the product's service name (`WSYNC_KEYRING_SERVICE`
    /// overrides it, so that separate profiles or tests never share entries).
    pub fn new() -> Keychain {
        let service = std::env::var("WSYNC_KEYRING_SERVICE").ok().filter(|s| !s.is_empty()).unwrap_or_else(|| SERVICE.to_string());
        Keychain { service }
    }

    /// The keychain under an explicit service name.
    pub fn with_service(service: &str) -> Keychain {
        Keychain { service: service.to_string() }
    }

    pub fn shared() -> Arc<dyn SecretStore> {
        Arc::new(Keychain::new())
    }

    fn entry(&self, folder: &str, key: &str) -> Result<keyring::Entry> {
        keyring::Entry::new(&self.service, &format!("{folder}:{key}")).map_err(unavailable)
    }
}

impl Default for Keychain {
    fn default() -> Self {
        Keychain::new()
    }
}

/// The one-line explanation of an unreachable or locked keychain.
fn unavailable(e: keyring::Error) -> Error {
    let cause = match &e {
        keyring::Error::NoDefaultStore => match keyring::Entry::store_status() {
            Err(inner) => inner.to_string(),
            Ok(()) => e.to_string(),
        },
        keyring::Error::NoStorageAccess(_) => "the keyring is locked".to_string(),
        other => other.to_string(),
    };
    let cause = cause.replace('\n', " ");
    Error::Keychain(format!(
        "no keychain is reachable ({cause}); unlock your keyring (log in to your desktop session, or run under a Secret Service such as gnome-keyring), or reference an environment variable in the config instead, e.g. \"token\": \"${{DROPBOX_TOKEN}}\""
    ))
}

impl SecretStore for Keychain {
    fn get(&self, folder: &str, key: &str) -> Result<Option<String>> {
        match self.entry(folder, key)?.get_password() {
            Ok(v) => Ok(Some(v)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(unavailable(e)),
        }
    }

    fn set(&self, folder: &str, key: &str, value: &str) -> Result<()> {
        self.entry(folder, key)?.set_password(value).map_err(unavailable)
    }

    fn delete(&self, folder: &str, key: &str) -> Result<bool> {
        match self.entry(folder, key)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(unavailable(e)),
        }
    }
}

/// An in-memory store: holds a candidate secret while it is checked against
/// the remote, before anything is written to the keychain.
#[derive(Default)]
pub struct MemoryStore {
    values: std::sync::Mutex<Vec<(String, String, String)>>,
}

impl MemoryStore {
    pub fn with(folder: &str, key: &str, value: &str) -> MemoryStore {
        let s = MemoryStore::default();
        let _ = s.set(folder, key, value);
        s
    }
}

impl SecretStore for MemoryStore {
    fn get(&self, folder: &str, key: &str) -> Result<Option<String>> {
        let v = self.values.lock().map_err(|_| Error::Keychain("memory store poisoned".into()))?;
        Ok(v.iter().find(|(f, k, _)| f == folder && k == key).map(|(_, _, s)| s.clone()))
    }

    fn set(&self, folder: &str, key: &str, value: &str) -> Result<()> {
        let mut v = self.values.lock().map_err(|_| Error::Keychain("memory store poisoned".into()))?;
        v.retain(|(f, k, _)| !(f == folder && k == key));
        v.push((folder.into(), key.into(), value.into()));
        Ok(())
    }

    fn delete(&self, folder: &str, key: &str) -> Result<bool> {
        let mut v = self.values.lock().map_err(|_| Error::Keychain("memory store poisoned".into()))?;
        let before = v.len();
        v.retain(|(f, k, _)| !(f == folder && k == key));
        Ok(v.len() != before)
    }
}
