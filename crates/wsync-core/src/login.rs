//! Logging a folder in: OAuth in the browser through `rclone authorize`
//! (the token goes straight to the keychain), or a password/secret key that
//! is checked against the remote before it is stored; and logging out.

use std::sync::Arc;
use std::time::Duration;

use crate::cancel::CancelToken;
use crate::config::{env_reference, FolderConfig, Provider};
use crate::credentials::{MemoryStore, KEYS};
use crate::error::{Error, ErrorCode, Result};
use crate::rclone::{ExitKind, Rclone};
use crate::remote::{self, check_remote, rclone_type, uses_oauth, RemoteCheck};
use crate::secrets::{register_secret, SecretStore, Secrets};

/// The OAuth app settings handed to `rclone authorize` (never on its argv).
#[derive(Default, Clone)]
pub struct OAuthApp {
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    pub auth_url: Option<String>,
    pub token_url: Option<String>,
}

impl OAuthApp {
    /// The folder's bring-your-own app, its secret resolved.
    pub fn of(folder: &FolderConfig, secrets: &Secrets) -> Result<OAuthApp> {
        if let Some(c) = &folder.custom {
            // A custom OAuth backend names them as rclone does.
            let opt = |k: &str| c.options.get(k).cloned();
            let client_secret = secrets.resolve(folder, "custom.options.client_secret", "clientSecret", opt("client_secret").as_deref())?;
            return Ok(OAuthApp { client_id: opt("client_id"), client_secret, auth_url: opt("auth_url"), token_url: opt("token_url") });
        }
        let Some(o) = folder.oauth() else { return Ok(OAuthApp::default()) };
        let configured = o.app_secret.as_deref().or(o.client_secret.as_deref());
        let client_secret = secrets.resolve(folder, "clientSecret", "clientSecret", configured)?;
        Ok(OAuthApp {
            client_id: o.client_id.clone().or_else(|| o.app_key.clone()),
            client_secret,
            auth_url: o.auth_url.clone(),
            token_url: o.token_url.clone(),
        })
    }

    fn env(&self, backend: &str) -> Vec<(String, String)> {
        let prefix = format!("RCLONE_{}_", backend.to_ascii_uppercase());
        let mut env = Vec::new();
        for (k, v) in [("CLIENT_ID", &self.client_id), ("CLIENT_SECRET", &self.client_secret), ("AUTH_URL", &self.auth_url), ("TOKEN_URL", &self.token_url)] {
            if let Some(v) = v {
                env.push((format!("{prefix}{k}"), v.clone()));
            }
        }
        env
    }
}

/// Run `rclone authorize BACKEND`: `on_url` gets the link to open in the
/// browser; returns the token JSON. Bounded by `timeout`, stopped by `cancel`.
pub fn authorize(
    rclone: &Rclone,
    backend: &str,
    app: &OAuthApp,
    timeout: Duration,
    cancel: &CancelToken,
    on_url: &mut dyn FnMut(&str),
) -> Result<String> {
    if let Some(s) = &app.client_secret {
        register_secret(s);
    }
    let mut seen_url = false;
    let out = rclone
        .command("authorize")
        .arg(backend)
        .arg("--auth-no-open-browser")
        .envs(&app.env(backend))
        .timeout(timeout)
        .run(Some(cancel), &mut |line| {
            if seen_url {
                return;
            }
            if let Some(i) = line.msg.find("http://127.0.0.1:") {
                let url: String = line.msg[i..].split_whitespace().next().unwrap_or("").to_string();
                seen_url = true;
                on_url(&url);
            }
        })?;
    if out.timed_out {
        return Err(Error::coded(
            ErrorCode::NeedsLogin,
            format!("no login was completed within {} seconds; run the login again and finish it in the browser", timeout.as_secs()),
        ));
    }
    if out.kind == ExitKind::Interrupted {
        return Err(Error::Interrupted);
    }
    let token = token_from_authorize_output(&out.stdout);
    match (out.kind, token) {
        (ExitKind::Success, Some(t)) => {
            register_secret(&t);
            Ok(t)
        }
        _ => {
            let detail = out.error_text();
            let why = if out.mentions("address already in use") {
                "another login is in progress (rclone's callback port 53682 is taken); finish or cancel it first".to_string()
            } else {
                detail
            };
            Err(Error::coded(ErrorCode::NeedsLogin, format!("the login did not complete: {why}")))
        }
    }
}

/// The token JSON between rclone's paste markers.
pub fn token_from_authorize_output(stdout: &str) -> Option<String> {
    let mut inside = false;
    let mut token = String::new();
    for line in stdout.lines() {
        if line.contains("--->") {
            inside = true;
            continue;
        }
        if line.contains("<---End paste") {
            break;
        }
        if inside {
            token.push_str(line.trim());
        }
    }
    let t = token.trim().to_string();
    serde_json::from_str::<serde_json::Value>(&t).ok().filter(|v| v.get("access_token").is_some()).map(|_| t)
}

/// Who is logged in, where the backend can tell (best effort, bounded).
/// With a custom token URL (a proxy or a test server) the provider's own
/// account API is not asked: it belongs to the provider's OAuth server.
pub fn account_of(rclone: &Rclone, folder: &FolderConfig, secrets: &Secrets) -> Option<String> {
    let custom_server = folder.oauth().map(|o| o.token_url.is_some()).unwrap_or(false)
        || folder.custom.as_ref().map(|c| c.options.contains_key("token_url")).unwrap_or(false);
    if custom_server {
        return None;
    }
    let r = remote::build(folder, rclone, secrets).ok()?;
    let out = rclone
        .command("config")
        .args(["userinfo", &format!("{}:", remote::REMOTE_NAME), "--json"])
        .remote(&r)
        .timeout(Duration::from_secs(20))
        .run(None, &mut |_| {})
        .ok()?;
    if !out.success() {
        return None;
    }
    let v: serde_json::Value = serde_json::from_str(&out.stdout).ok()?;
    ["Email", "Login", "Name", "email", "user"].iter().find_map(|k| v.get(*k).and_then(|x| x.as_str()).map(String::from))
}

/// Log a folder in through the browser and store its token in `store`.
pub fn login_oauth(
    rclone: &Rclone,
    folder: &FolderConfig,
    secrets: &Secrets,
    store: &Arc<dyn SecretStore>,
    timeout: Duration,
    cancel: &CancelToken,
    on_url: &mut dyn FnMut(&str),
) -> Result<()> {
    if let Some(o) = folder.oauth() {
        if let Some(var) = o.token.as_deref().and_then(env_reference) {
            return Err(Error::Config(format!(
                "folder \"{}\" takes its token from the environment variable {var}; remove \"token\" from its {} block to keep the login in the keychain instead",
                folder.id,
                folder.provider.key()
            )));
        }
    }
    // Check the keychain before sending the person to the browser.
    store.get(&folder.id, "token")?;
    let app = OAuthApp::of(folder, secrets)?;
    let token = authorize(rclone, &rclone_type(folder), &app, timeout, cancel, on_url)?;
    store.set(&folder.id, "token", &token)
}

/// The keychain key of a folder's password-like secret.
pub fn password_key(folder: &FolderConfig) -> Result<(&'static str, Option<&str>)> {
    Ok(match folder.provider {
        Provider::Webdav => ("password", folder.webdav.as_ref().and_then(|w| w.password.as_deref())),
        Provider::Sftp => ("password", folder.sftp.as_ref().and_then(|s| s.password.as_deref())),
        Provider::S3 => ("secretAccessKey", folder.s3.as_ref().and_then(|s| s.secret_access_key.as_deref())),
        other => {
            return Err(Error::Config(format!(
                "folder \"{}\" ({}) does not log in with a password; {}",
                folder.id,
                other.key(),
                if uses_oauth(folder) { "run `wsync login` without --password-stdin to log in in the browser" } else { "it needs no login" }
            )))
        }
    })
}

/// Check a password (or S3 secret key) against the remote; store it only
/// if the remote accepts it.
pub fn login_password(rclone: &Rclone, folder: &FolderConfig, store: &Arc<dyn SecretStore>, secret: &str) -> Result<()> {
    let (key, configured) = password_key(folder)?;
    if let Some(var) = configured.and_then(env_reference) {
        return Err(Error::Config(format!(
            "folder \"{}\" takes its {key} from the environment variable {var}; remove that field from the config to keep it in the keychain instead",
            folder.id
        )));
    }
    if secret.is_empty() {
        return Err(Error::Secret("the password is empty; nothing was stored".into()));
    }
    register_secret(secret);
    // Reach the keychain first, so that a locked keychain is reported before the check.
    store.get(&folder.id, key)?;
    let candidate = Secrets::with_store(Arc::new(MemoryStore::with(&folder.id, key, secret)));
    let r = remote::build(folder, rclone, &candidate)?;
    match check_remote(rclone, &r, None) {
        RemoteCheck::Reachable { .. } | RemoteCheck::Missing => store.set(&folder.id, key, secret),
        RemoteCheck::AuthFailed(detail) => Err(Error::Remote(format!(
            "{} refused this {key} ({detail}); nothing was stored: check it and try again",
            r.display
        ))),
        other => Err(Error::Remote(format!("{}; nothing was stored", other.into_error(&r)))),
    }
}

/// Remove every keychain entry of a folder; returns the keys removed.
pub fn logout(store: &Arc<dyn SecretStore>, folder_id: &str) -> Result<Vec<&'static str>> {
    let mut removed = Vec::new();
    for key in KEYS {
        if store.delete(folder_id, key)? {
            removed.push(key);
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_between_markers() {
        let out = "Paste the following into your remote machine --->\n{\"access_token\":\"a\",\"token_type\":\"bearer\"}\n<---End paste\n";
        assert_eq!(token_from_authorize_output(out).as_deref(), Some("{\"access_token\":\"a\",\"token_type\":\"bearer\"}"));
        assert_eq!(token_from_authorize_output("nothing"), None);
    }
}
