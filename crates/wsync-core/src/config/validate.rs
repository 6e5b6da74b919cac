//! Validation of the config: strict, with one-line messages that name the
//! field (`folders[0].webdav.url`) and the fix, and that never echo a value
//! that may be a secret.

use std::path::{Path, PathBuf};

use super::{Config, FolderConfig, Provider, DEFAULT_KEEP_VERSIONS_DAYS, DEFAULT_MAX_DELETE_PERCENT, MIN_INTERVAL, SCHEMA_VERSION, WEBDAV_VENDORS};
use crate::error::{Error, Result};
use crate::paths;

/// Options of custom backends that are known to hold no secret; every
/// other option counts as secret (rclone backends name their secrets in
/// many ways: `sas_url`, `service_account_credentials`, `api_key`, ...).
const HARMLESS_OPTIONS: &[&str] = &[
    "account", "acl", "auth_url", "bucket", "bucket_acl", "chunk_size", "client_id", "description", "directory_markers",
    "disable_checksum", "domain", "drive_id", "drive_type", "encoding", "endpoint", "env_auth", "hashes", "host", "location_constraint",
    "max_age", "md5sum_command", "no_check_bucket", "pacer_min_sleep", "port", "provider", "region", "remote", "root_folder_id",
    "scope", "server_side_encryption", "sha1sum_command", "shell_type", "storage_class", "team_drive", "token_url", "upload_cutoff",
    "url", "use_insecure_cipher", "user", "username", "vendor", "versions",
];

/// True unless `key` is an option known to hold no secret: its value may
/// then only be a `${ENV_VAR}` reference (or live in the keychain).
pub fn is_secret_option(key: &str) -> bool {
    !HARMLESS_OPTIONS.contains(&key.to_ascii_lowercase().as_str())
}

/// True if `url` carries `user:password@` (or `user@`) credentials.
pub fn url_has_credentials(url: &str) -> bool {
    let Some((_, rest)) = url.split_once("://") else { return false };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    authority.contains('@')
}

/// Validate one folder as the config file would (and normalise it).
pub fn check_folder(f: FolderConfig) -> Result<FolderConfig> {
    let mut warnings = Vec::new();
    let config = Config { version: SCHEMA_VERSION, folders: vec![f] };
    let mut checked = validate(config, &mut warnings).map_err(Error::InvalidInput)?;
    checked.folders.pop().ok_or_else(|| Error::InvalidInput("no folder to check".into()))
}

/// If `value` is exactly `${NAME}`, the variable name.
pub fn env_reference(value: &str) -> Option<&str> {
    let name = value.strip_prefix("${")?.strip_suffix('}')?;
    let valid = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    valid.then_some(name)
}

fn check_secret(field: &str, value: &Option<String>, folder: &str) -> Result<(), String> {
    match value {
        None => Ok(()),
        Some(v) if env_reference(v).is_some() => Ok(()),
        // Never echo the value: it may be a real secret.
        Some(_) => Err(format!(
            "{field} holds a literal secret, which must not be stored in this file; put it in an environment variable and write \"${{VARIABLE_NAME}}\" instead, or remove the field and run `wsync login {folder}` to keep it in the keychain"
        )),
    }
}

fn check_url(field: &str, url: &str) -> Result<(), String> {
    let rest = url.strip_prefix("http://").or_else(|| url.strip_prefix("https://"));
    if url_has_credentials(url) {
        return Err(format!("{field}: the address carries a user name or password (user:password@...); remove it from the address and give the user and password in their own fields"));
    }
    if let Some(rest) = rest {
        if !rest.is_empty() && !rest.starts_with('/') && !url.contains(char::is_whitespace) {
            return Ok(());
        }
    }
    Err(format!("{field}: \"{url}\" is not an http:// or https:// URL; write the server's full address, e.g. \"https://cloud.example.com/remote.php/dav/files/me\""))
}

pub(super) fn validate(mut config: Config, warnings: &mut Vec<String>) -> Result<Config, String> {
    if config.version != SCHEMA_VERSION {
        return Err(format!(
            "version: {} is not a config version this program understands; set \"version\": {SCHEMA_VERSION}",
            config.version
        ));
    }
    let home = std::env::var_os("HOME").map(PathBuf::from).map(|h| paths::normalize(&h));
    let mut seen: Vec<(String, PathBuf)> = Vec::new();
    for (i, f) in config.folders.iter_mut().enumerate() {
        let at = format!("folders[{i}]");
        validate_folder(&at, f, warnings)?;
        let local = paths::normalize(&paths::expand_tilde(&f.local_path));
        if !local.is_absolute() {
            return Err(format!(
                "{at}.localPath: \"{}\" is relative; write an absolute path or one starting with ~/",
                f.local_path
            ));
        }
        if local == Path::new("/") {
            return Err(format!("{at}.localPath: the root folder / cannot be synced; choose a folder of its own such as ~/Workspace"));
        }
        if home.as_deref() == Some(local.as_path()) {
            return Err(format!("{at}.localPath: your whole home folder cannot be synced; choose a folder inside it such as ~/Workspace"));
        }
        for (other_id, other) in &seen {
            if other_id == &f.id {
                return Err(format!("{at}.id: \"{}\" is used by two folders; give each folder its own id", f.id));
            }
            if local.starts_with(other) || other.starts_with(&local) {
                return Err(format!(
                    "{at}.localPath: {} overlaps the local folder of \"{other_id}\" ({}); folders must not lie inside one another",
                    local.display(),
                    other.display()
                ));
            }
        }
        seen.push((f.id.clone(), local));
    }
    Ok(config)
}

fn validate_folder(at: &str, f: &mut FolderConfig, warnings: &mut Vec<String>) -> Result<(), String> {
    let id_ok = !f.id.is_empty()
        && f.id.len() <= 32
        && f.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !id_ok {
        return Err(format!(
            "{at}.id: \"{}\" is not a valid id; use 1 to 32 lowercase letters, digits or dashes, e.g. \"workspace\"",
            f.id
        ));
    }
    if f.local_path.trim().is_empty() {
        return Err(format!("{at}.localPath is empty; set it to the folder on this computer, e.g. \"~/Workspace\""));
    }
    let rp = f.remote_path.trim_matches('/').to_string();
    if rp.split('/').any(|seg| seg == "..") {
        return Err(format!(
            "{at}.remotePath: \"{}\" contains a \"..\" segment; name a folder inside the remote without \"..\"",
            f.remote_path
        ));
    }
    if rp.split('/').any(|seg| seg.is_empty() || seg == ".") && !rp.is_empty() {
        return Err(format!("{at}.remotePath: \"{}\" has an empty or \".\" segment; write it like \"folder/sub\"", f.remote_path));
    }
    f.remote_path = rp;
    if (1..MIN_INTERVAL).contains(&f.interval) {
        warnings.push(format!(
            "{at}.interval: {} seconds is below the minimum; using {MIN_INTERVAL} seconds (0 turns the timer off)",
            f.interval
        ));
        f.interval = MIN_INTERVAL;
    }
    if f.max_delete_percent == 0 || f.max_delete_percent > 100 {
        return Err(format!(
            "{at}.maxDeletePercent: {} is out of range; use a percentage from 1 to 100 (default {DEFAULT_MAX_DELETE_PERCENT})",
            f.max_delete_percent
        ));
    }
    if f.keep_versions_days == 0 {
        return Err(format!(
            "{at}.keepVersionsDays: 0 would delete kept versions at once; use a number of days such as {DEFAULT_KEEP_VERSIONS_DAYS}"
        ));
    }
    for (j, pat) in f.exclude.iter().enumerate() {
        if pat.trim().is_empty() {
            return Err(format!("{at}.exclude[{j}] is empty; remove it or write a pattern such as \"*.tmp\""));
        }
    }

    // Only the block of the folder's own provider is allowed.
    let present: [(&str, bool); 8] = [
        ("webdav", f.webdav.is_some()),
        ("s3", f.s3.is_some()),
        ("sftp", f.sftp.is_some()),
        ("dropbox", f.dropbox.is_some()),
        ("gdrive", f.gdrive.is_some()),
        ("onedrive", f.onedrive.is_some()),
        ("local", f.local.is_some()),
        ("custom", f.custom.is_some()),
    ];
    let own = f.provider.key();
    for (key, is_there) in present {
        if is_there && key != own {
            return Err(format!(
                "{at}.{key}: this folder's provider is \"{own}\", so a \"{key}\" block does not belong here; remove it or change \"provider\""
            ));
        }
    }

    let id = f.id.clone();
    match f.provider {
        Provider::Webdav => {
            let w = f.webdav.as_ref().ok_or_else(|| missing_block(at, "webdav", "{ \"url\": \"https://...\" }"))?;
            check_url(&format!("{at}.webdav.url"), &w.url)?;
            if let Some(v) = &w.vendor {
                if !WEBDAV_VENDORS.contains(&v.as_str()) {
                    return Err(format!("{at}.webdav.vendor: \"{v}\" is not known; use one of {}", WEBDAV_VENDORS.join(", ")));
                }
            }
            check_secret(&format!("{at}.webdav.password"), &w.password, &id)?;
        }
        Provider::S3 => {
            let s = f.s3.as_ref().ok_or_else(|| missing_block(at, "s3", "{ \"bucket\": \"...\" }"))?;
            if s.bucket.trim().is_empty() || s.bucket.contains('/') {
                return Err(format!("{at}.s3.bucket: \"{}\" is not a bucket name; write the bucket alone, and the folder inside it in remotePath", s.bucket));
            }
            if let Some(e) = &s.endpoint {
                check_url(&format!("{at}.s3.endpoint"), e)?;
            }
            check_secret(&format!("{at}.s3.secretAccessKey"), &s.secret_access_key, &id)?;
        }
        Provider::Sftp => {
            let s = f.sftp.as_ref().ok_or_else(|| missing_block(at, "sftp", "{ \"host\": \"...\", \"user\": \"...\" }"))?;
            if s.host.trim().is_empty() || s.host.contains(char::is_whitespace) {
                return Err(format!("{at}.sftp.host is empty or malformed; write the server's host name, e.g. \"files.example.com\""));
            }
            if s.user.trim().is_empty() {
                return Err(format!("{at}.sftp.user is empty; write the login name on the server"));
            }
            if s.port == Some(0) {
                return Err(format!("{at}.sftp.port: 0 is not a port; leave it out for 22"));
            }
            check_secret(&format!("{at}.sftp.password"), &s.password, &id)?;
        }
        Provider::Dropbox | Provider::Gdrive | Provider::Onedrive => {
            let key = f.provider.key();
            let block = match f.provider {
                Provider::Dropbox => &f.dropbox,
                Provider::Gdrive => &f.gdrive,
                _ => &f.onedrive,
            };
            if let Some(o) = block {
                check_secret(&format!("{at}.{key}.token"), &o.token, &id)?;
                check_secret(&format!("{at}.{key}.appSecret"), &o.app_secret, &id)?;
                check_secret(&format!("{at}.{key}.clientSecret"), &o.client_secret, &id)?;
                for (name, url) in [("authUrl", &o.auth_url), ("tokenUrl", &o.token_url)] {
                    if let Some(u) = url {
                        check_url(&format!("{at}.{key}.{name}"), u)?;
                    }
                }
                if o.app_key.is_some() && o.client_id.is_some() {
                    return Err(format!("{at}.{key}: appKey and clientId name the same thing; keep one of them"));
                }
                if let Some(t) = &o.drive_type {
                    if !["personal", "business", "documentLibrary"].contains(&t.as_str()) {
                        return Err(format!("{at}.{key}.driveType: \"{t}\" is not known; use personal, business or documentLibrary"));
                    }
                }
            }
        }
        Provider::Local => {
            let l = f.local.as_ref().ok_or_else(|| missing_block(at, "local", "{ \"path\": \"/mnt/nas/share\" }"))?;
            if !paths::expand_tilde(&l.path).is_absolute() {
                return Err(format!("{at}.local.path: \"{}\" is relative; write the absolute path of the network or local folder", l.path));
            }
        }
        Provider::Custom => {
            let c = f.custom.as_ref().ok_or_else(|| missing_block(at, "custom", "{ \"rcloneType\": \"b2\", \"options\": {} }"))?;
            let t = c.rclone_type.as_str();
            if t.is_empty() || !t.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '-') {
                return Err(format!("{at}.custom.rcloneType: \"{t}\" is not an rclone backend name; use one such as \"b2\" or \"pcloud\" (see `rclone help backends`)"));
            }
            let option_name_ok = |k: &str| !k.is_empty() && k.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '-');
            for (k, v) in &c.options {
                if !option_name_ok(k) {
                    return Err(format!("{at}.custom.options: \"{k}\" is not an rclone option name; use the backend's option names such as \"account\""));
                }
                if is_secret_option(k) {
                    check_secret(&format!("{at}.custom.options.{k}"), &Some(v.clone()), &id)?;
                } else if url_has_credentials(v) {
                    return Err(format!("{at}.custom.options.{k}: the address carries a user name or password (user:password@...); remove it and give the secret its own option"));
                }
            }
            for k in &c.keychain_options {
                if !option_name_ok(k) {
                    return Err(format!("{at}.custom.keychainOptions: \"{k}\" is not an rclone option name; list option names such as \"key\""));
                }
                if c.options.contains_key(k) {
                    return Err(format!("{at}.custom: the option \"{k}\" is both in options and in keychainOptions; keep it in one place"));
                }
            }
        }
    }
    Ok(())
}

fn missing_block(at: &str, key: &str, example: &str) -> String {
    format!("{at}.{key} is missing; a \"{key}\" folder needs a \"{key}\" block such as {example}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{default_excludes, ConflictPolicy, LoadedConfig};

    fn parse_str(s: &str) -> Result<LoadedConfig> {
        super::super::parse(Path::new("config.json"), s)
    }

    fn folder(extra: &str) -> String {
        format!(
            r#"{{"version":1,"folders":[{{"id":"ws","localPath":"/tmp/wsync-a","provider":"local","local":{{"path":"/tmp/wsync-b"}}{extra}}}]}}"#
        )
    }

    fn err(s: &str) -> String {
        parse_str(s).expect_err("should be rejected").to_string()
    }

    #[test]
    fn defaults_are_filled_in() {
        let c = parse_str(&folder("")).unwrap();
        let f = &c.config.folders[0];
        assert_eq!(f.interval, 300);
        assert!(f.watch);
        assert_eq!(f.conflict_resolve, ConflictPolicy::Ask);
        assert_eq!(f.exclude, default_excludes());
        assert_eq!(f.max_delete_percent, 50);
    }

    #[test]
    fn unknown_key_names_the_field() {
        let e = err(&folder(r#","intervall":5"#));
        assert!(e.contains("folders[0]") && e.contains("intervall") && e.contains("remove it"), "{e}");
    }

    #[test]
    fn malformed_json_gives_position() {
        let e = err("{\"version\":1,");
        assert!(e.contains("not valid JSON") && e.contains("line 1"), "{e}");
    }

    #[test]
    fn literal_secret_is_rejected_without_echo() {
        let s = r#"{"version":1,"folders":[{"id":"ws","localPath":"/tmp/a","provider":"webdav","webdav":{"url":"http://h","password":"hunter2"}}]}"#;
        let e = err(s);
        assert!(e.contains("folders[0].webdav.password") && e.contains("${"), "{e}");
        assert!(!e.contains("hunter2"), "{e}");
    }

    #[test]
    fn env_reference_is_accepted() {
        let s = r#"{"version":1,"folders":[{"id":"ws","localPath":"/tmp/a","provider":"webdav","webdav":{"url":"http://h","password":"${WEBDAV_PASS}"}}]}"#;
        assert!(parse_str(s).is_ok());
    }

    #[test]
    fn foreign_block_rejected() {
        let e = err(&folder(r#","s3":{"bucket":"b"}"#));
        assert!(e.contains("folders[0].s3") && e.contains("\"local\""), "{e}");
    }

    #[test]
    fn ids_paths_and_ranges() {
        assert!(err(&folder("").replace("\"ws\"", "\"Bad Id\"")).contains("folders[0].id"));
        assert!(err(&folder("").replace("/tmp/wsync-a", "/")).contains("root folder"));
        assert!(err(&folder("").replace("/tmp/wsync-a", "rel/dir")).contains("relative"));
        assert!(err(&folder(r#","remotePath":"a/../b""#)).contains(".."));
        assert!(err(&folder(r#","maxDeletePercent":0"#)).contains("maxDeletePercent"));
        assert!(err(&folder(r#","conflictResolve":"mine""#)).contains("conflictResolve"));
        assert!(err(&folder(r#","provider":"ftp""#)).contains("provider") || err(&folder("").replace("\"local\",", "\"ftp\",")).contains("provider"));
    }

    #[test]
    fn short_interval_is_raised_with_warning() {
        let c = parse_str(&folder(r#","interval":5"#)).unwrap();
        assert_eq!(c.config.folders[0].interval, 60);
        assert_eq!(c.warnings.len(), 1);
    }

    #[test]
    fn nested_and_duplicate_folders_rejected() {
        let two = |a: &str, b: &str, id2: &str| {
            format!(
                r#"{{"version":1,"folders":[{{"id":"a","localPath":"{a}","provider":"local","local":{{"path":"/srv/x"}}}},{{"id":"{id2}","localPath":"{b}","provider":"local","local":{{"path":"/srv/y"}}}}]}}"#
            )
        };
        assert!(err(&two("/tmp/x", "/tmp/x/sub", "b")).contains("overlaps"));
        assert!(err(&two("/tmp/x/sub", "/tmp/x", "b")).contains("overlaps"));
        assert!(err(&two("/tmp/x", "/tmp/y", "a")).contains("two folders"));
        assert!(parse_str(&two("/tmp/x", "/tmp/xy", "b")).is_ok());
    }

    #[test]
    fn version_must_be_one() {
        assert!(err(r#"{"version":2,"folders":[]}"#).contains("version"));
    }

    #[test]
    fn custom_secret_options_need_references() {
        let s = r#"{"version":1,"folders":[{"id":"ws","localPath":"/tmp/a","provider":"custom","custom":{"rcloneType":"b2","options":{"account":"x","key":"abc"}}}]}"#;
        assert!(err(s).contains("custom.options.key"));
    }

    #[test]
    fn custom_options_are_secret_unless_known_harmless() {
        for name in ["sas_url", "service_account_credentials", "api_key", "key", "password"] {
            assert!(is_secret_option(name), "{name}");
            let s = format!(r#"{{"version":1,"folders":[{{"id":"ws","localPath":"/tmp/a","provider":"custom","custom":{{"rcloneType":"azureblob","options":{{"{name}":"literal-value-9"}}}}}}]}}"#);
            let e = err(&s);
            assert!(e.contains(&format!("custom.options.{name}")) && !e.contains("literal-value-9"), "{e}");
        }
        for name in ["account", "endpoint", "region"] {
            assert!(!is_secret_option(name), "{name}");
        }
        let s = r#"{"version":1,"folders":[{"id":"ws","localPath":"/tmp/a","provider":"custom","custom":{"rcloneType":"b2","options":{"account":"x"},"keychainOptions":["key"]}}]}"#;
        assert!(parse_str(s).is_ok());
    }

    #[test]
    fn credentials_in_urls_are_refused() {
        assert!(url_has_credentials("https://me:pw@cloud.example.com/dav"));
        assert!(!url_has_credentials("https://cloud.example.com/dav?x=a@b"));
        let s = r#"{"version":1,"folders":[{"id":"ws","localPath":"/tmp/a","provider":"webdav","webdav":{"url":"https://me:hunter2@h/dav"}}]}"#;
        let e = err(s);
        assert!(e.contains("webdav.url") && !e.contains("hunter2"), "{e}");
    }
}
