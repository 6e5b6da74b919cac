//! Resolving a folder's secrets: a `${VAR}` reference in the config (the
//! variable must be set), else the credential store (the OS keychain), else
//! "not logged in". Every resolved value is registered for redaction.

use std::sync::Arc;

use crate::config::{env_reference, FolderConfig};
use crate::error::{Error, Result};
use crate::redact;

/// Where secrets that are not in the environment are kept (the OS keychain).
pub trait SecretStore: Send + Sync {
    /// The secret `key` of `folder`, or None if there is none.
    fn get(&self, folder: &str, key: &str) -> Result<Option<String>>;
    fn set(&self, folder: &str, key: &str, value: &str) -> Result<()>;
    /// Remove it; Ok(false) if there was none.
    fn delete(&self, folder: &str, key: &str) -> Result<bool>;
}

/// The secret resolver used for every run.
#[derive(Default, Clone)]
pub struct Secrets {
    store: Option<Arc<dyn SecretStore>>,
}

impl Secrets {
    /// Environment references only (no keychain).
    pub fn env_only() -> Self {
        Secrets { store: None }
    }

    pub fn with_store(store: Arc<dyn SecretStore>) -> Self {
        Secrets { store: Some(store) }
    }

    pub fn store(&self) -> Option<&Arc<dyn SecretStore>> {
        self.store.as_ref()
    }

    /// Resolve one secret. `field` is its place in the config, for messages
    /// ("webdav.password"); `key` its name in the keychain ("password").
    pub fn resolve(&self, folder: &FolderConfig, field: &str, key: &str, configured: Option<&str>) -> Result<Option<String>> {
        if let Some(value) = configured {
            let Some(var) = env_reference(value) else {
                // Validation rejects literals; never use one if it slipped through.
                return Err(Error::Config(format!(
                    "folder \"{}\": {field} must be a ${{VARIABLE}} reference; move the secret into an environment variable or the keychain",
                    folder.id
                )));
            };
            return match std::env::var(var) {
                Ok(v) if !v.is_empty() => {
                    register_secret(&v);
                    Ok(Some(v))
                }
                _ => Err(Error::Secret(format!(
                    "folder \"{}\": {field} refers to the environment variable {var}, which is not set; export {var} before running, or remove the reference and run `wsync login {}`",
                    folder.id, folder.id
                ))),
            };
        }
        match &self.store {
            Some(store) => {
                let v = store.get(&folder.id, key)?;
                if let Some(v) = &v {
                    register_secret(v);
                }
                Ok(v)
            }
            None => Ok(None),
        }
    }
}

/// Mask a secret wherever it may appear, including the parts of an OAuth
/// token JSON that rclone may log on their own.
pub fn register_secret(value: &str) {
    redact::register(value);
    if let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(value) {
        for key in ["access_token", "refresh_token", "id_token"] {
            if let Some(serde_json::Value::String(s)) = map.get(key) {
                redact::register(s);
            }
        }
    }
}
