//! The gateway's side of one of our folders: the plugin block that makes
//! an OpenClaw gateway sync the same cloud folder with settings that agree
//! with ours (mode bisync, the same remote folder and excludes, a
//! compatible conflict policy). Secrets appear only as `${VAR}` references
//! for the gateway's environment: never a value.

use serde_json::{json, Map, Value};

use crate::config::{ConflictPolicy, FolderConfig, Provider};
use crate::error::{Error, Result};

/// The block, and how to get what its references need.
#[derive(Debug, Clone)]
pub struct GatewayConfig {
    pub block: Value,
    /// Environment variables the gateway must set, with how to get each.
    pub needs: Vec<(String, String)>,
}

/// Our policy seen from the gateway: the version a side wins with must
/// reach the cloud first, so "this computer wins" is "the cloud wins"
/// there, and the reverse.
fn gateway_policy(p: ConflictPolicy) -> &'static str {
    match p {
        ConflictPolicy::Newer | ConflictPolicy::Ask => "newer",
        ConflictPolicy::Local => "remote",
        ConflictPolicy::Remote => "local",
    }
}

pub fn for_folder(f: &FolderConfig) -> Result<GatewayConfig> {
    let mut sync = Map::new();
    let mut needs = Vec::new();
    let var = |name: &str| format!("${{{name}}}");
    let mut remote_path = f.remote_path.clone();
    match f.provider {
        Provider::Dropbox | Provider::Gdrive | Provider::Onedrive => {
            let key = f.provider.key();
            let env = format!("{}_TOKEN", key.to_ascii_uppercase());
            let mut b = Map::new();
            b.insert("token".into(), json!(var(&env)));
            if let Some(o) = f.oauth() {
                if let Some(k) = o.app_key.as_ref().or(o.client_id.as_ref()) {
                    b.insert(if f.provider == Provider::Dropbox { "appKey" } else { "clientId" }.into(), json!(k));
                }
                if o.app_secret.is_some() || o.client_secret.is_some() {
                    let name = format!("{}_APP_SECRET", key.to_ascii_uppercase());
                    b.insert(if f.provider == Provider::Dropbox { "appSecret" } else { "clientSecret" }.into(), json!(var(&name)));
                    needs.push((name, "the OAuth app's secret (the same one this folder uses)".into()));
                }
                if let Some(v) = &o.team_drive {
                    b.insert("teamDrive".into(), json!(v));
                }
                if let Some(v) = &o.root_folder_id {
                    b.insert("rootFolderId".into(), json!(v));
                }
                if let Some(v) = &o.drive_id {
                    b.insert("driveId".into(), json!(v));
                }
                if let Some(v) = &o.drive_type {
                    b.insert("driveType".into(), json!(if v == "documentLibrary" { "sharepoint" } else { v }));
                }
                if o.app_folder == Some(true) {
                    b.insert("appFolder".into(), json!(true));
                }
            }
            needs.push((env, format!("a token for the gateway: run `wsync authorize {key}` and paste what it prints")));
            sync.insert(key.into(), Value::Object(b));
        }
        Provider::S3 => {
            let s = f.s3.as_ref().ok_or_else(|| Error::Config(format!("folder \"{}\" has no s3 block", f.id)))?;
            let mut b = Map::new();
            if let Some(e) = &s.endpoint {
                b.insert("endpoint".into(), json!(e));
            }
            if let Some(r) = &s.region {
                b.insert("region".into(), json!(r));
            }
            b.insert("bucket".into(), json!(s.bucket));
            if let Some(id) = &s.access_key_id {
                b.insert("accessKeyId".into(), json!(id));
                b.insert("secretAccessKey".into(), json!(var("S3_SECRET_ACCESS_KEY")));
                needs.push(("S3_SECRET_ACCESS_KEY".into(), "the secret access key of that key id".into()));
            }
            sync.insert("s3".into(), Value::Object(b));
            // The plugin addresses the bucket through remotePath too.
            remote_path = if remote_path.is_empty() { s.bucket.clone() } else { format!("{}/{remote_path}", s.bucket) };
        }
        Provider::Custom => {
            let c = f.custom.as_ref().ok_or_else(|| Error::Config(format!("folder \"{}\" has no custom block", f.id)))?;
            let mut opts = Map::new();
            for (k, v) in &c.options {
                opts.insert(k.clone(), json!(v));
            }
            for k in &c.keychain_options {
                let name = format!("RCLONE_{}", k.to_ascii_uppercase());
                opts.insert(k.clone(), json!(var(&name)));
                needs.push((name, format!("the value of the backend option {k}")));
            }
            sync.insert("custom".into(), json!({ "rcloneType": c.rclone_type, "rcloneOptions": opts }));
        }
        Provider::Webdav | Provider::Sftp | Provider::Local => {
            return Err(Error::InvalidInput(format!(
                "the OpenClaw plugin cannot sync this kind of folder ({}) directly; use provider custom with rcloneType {} on the gateway",
                f.provider.display_name(),
                crate::remote::rclone_type(f)
            )))
        }
    }
    let provider = if f.provider == Provider::Custom { "custom" } else { f.provider.key() };
    let mut block = Map::new();
    block.insert("provider".into(), json!(provider));
    block.insert("mode".into(), json!("bisync"));
    block.insert("remotePath".into(), json!(remote_path));
    block.insert("interval".into(), json!(if f.interval == 0 { 300 } else { f.interval }));
    block.insert("conflictResolve".into(), json!(gateway_policy(f.conflict_resolve)));
    block.insert("exclude".into(), json!(f.exclude));
    block.insert("onSessionStart".into(), json!(true));
    block.insert("onSessionEnd".into(), json!(true));
    for (k, v) in sync {
        block.insert(k, v);
    }
    let doc = json!({ "plugins": { "entries": { super::PLUGIN_ID: { "enabled": true, "config": { "sync": Value::Object(block) } } } } });
    Ok(GatewayConfig { block: doc, needs })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_block_agrees_and_holds_no_secret() {
        let mut f = FolderConfig::new("ws", "/tmp/x", Provider::Dropbox, "openclaw-share");
        f.conflict_resolve = ConflictPolicy::Local;
        let g = for_folder(&f).unwrap();
        let sync = &g.block["plugins"]["entries"][super::super::PLUGIN_ID]["config"]["sync"];
        assert_eq!(sync["mode"], "bisync");
        assert_eq!(sync["remotePath"], "openclaw-share");
        assert_eq!(sync["conflictResolve"], "remote");
        assert_eq!(sync["dropbox"]["token"], "${DROPBOX_TOKEN}");
        assert!(g.needs.iter().any(|(k, how)| k == "DROPBOX_TOKEN" && how.contains("wsync authorize dropbox")));
    }
}
