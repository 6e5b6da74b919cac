//! The provider catalogue: every kind of remote a folder can sync with, the
//! fields of its set-up form (the same for the window and the terminal
//! wizard), which of them are secrets and under which keychain key they
//! live, and the rclone backend behind it.

use serde::Serialize;

use crate::config::{FolderConfig, Provider, WEBDAV_VENDORS};

/// One field of a provider's set-up form (the keys of a draft's `fields`).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FieldInfo {
    pub key: &'static str,
    pub label: &'static str,
    /// text | url | number | secret | select
    pub kind: &'static str,
    pub required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub options: Option<Vec<&'static str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub placeholder: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub help: Option<&'static str>,
}

/// One provider of the catalogue.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProviderInfo {
    pub key: &'static str,
    pub name: &'static str,
    /// One sentence on what it is, for the provider picker.
    pub description: &'static str,
    /// Logs in through the browser (OAuth).
    pub oauth: bool,
    pub fields: Vec<FieldInfo>,
}

fn field(key: &'static str, label: &'static str, kind: &'static str, required: bool) -> FieldInfo {
    FieldInfo { key, label, kind, required, options: None, placeholder: None, help: None }
}

impl FieldInfo {
    fn placeholder(mut self, p: &'static str) -> Self {
        self.placeholder = Some(p);
        self
    }
    fn help(mut self, h: &'static str) -> Self {
        self.help = Some(h);
        self
    }
    fn options(mut self, o: &[&'static str]) -> Self {
        self.options = Some(o.to_vec());
        self
    }
}

const SECRET_HELP: &str = "Kept in your system keychain, never in the config file. Or write ${VARIABLE} to take it from the environment.";

fn oauth_fields() -> Vec<FieldInfo> {
    vec![
        field("clientId", "Your own OAuth client id", "text", false).help("Optional: leave empty to use rclone's."),
        field("clientSecret", "Your own OAuth client secret", "secret", false).help(SECRET_HELP),
        field("authUrl", "Your own OAuth authorization URL", "url", false).help("Optional: leave empty to use the provider's."),
        field("tokenUrl", "Your own OAuth token URL", "url", false).help("Optional: leave empty to use the provider's."),
    ]
}

/// The catalogue, in the order the set-up flows offer it.
pub fn catalogue() -> Vec<ProviderInfo> {
    vec![
        ProviderInfo { key: "dropbox", name: "Dropbox", description: "Log in with your Dropbox account.", oauth: true, fields: oauth_fields() },
        ProviderInfo { key: "gdrive", name: "Google Drive", description: "Log in with your Google account.", oauth: true, fields: oauth_fields() },
        ProviderInfo {
            key: "onedrive",
            name: "OneDrive",
            description: "Log in with your Microsoft account.",
            oauth: true,
            fields: {
                // rclone needs the drive's id and kind; they are shown in
                // OneDrive's web settings or by Graph Explorer (/me/drive).
                let mut f = vec![
                    field("driveId", "Drive id", "text", true).help("The id of your drive: GET https://graph.microsoft.com/v1.0/me/drive in Graph Explorer shows it as \"id\"."),
                    field("driveType", "Drive kind", "select", true).options(&["personal", "business", "documentLibrary"]),
                ];
                f.extend(oauth_fields());
                f
            },
        },
        ProviderInfo {
            key: "webdav",
            name: "WebDAV (Nextcloud, ownCloud, ...)",
            description: "Nextcloud, ownCloud and other WebDAV servers.",
            oauth: false,
            fields: vec![
                field("url", "Server address", "url", true).placeholder("https://cloud.example.com/remote.php/dav/files/me"),
                field("vendor", "Server kind", "select", false).options(&WEBDAV_VENDORS),
                field("user", "User name", "text", false),
                field("password", "Password or app password", "secret", false).help(SECRET_HELP),
            ],
        },
        ProviderInfo {
            key: "s3",
            name: "S3 / R2 / MinIO",
            description: "Amazon S3, Cloudflare R2, MinIO, Backblaze B2 and other S3-compatible storage.",
            oauth: false,
            fields: vec![
                field("provider", "Service", "select", false).options(&["AWS", "Cloudflare", "Minio", "Wasabi", "DigitalOcean", "Ceph", "Rclone", "Other"]),
                field("endpoint", "Endpoint", "url", false).placeholder("https://<account>.r2.cloudflarestorage.com"),
                field("region", "Region", "text", false).placeholder("us-east-1"),
                field("bucket", "Bucket", "text", true),
                field("accessKeyId", "Access key id", "text", false).help("Leave empty to use the AWS credentials of this computer."),
                field("secretAccessKey", "Secret access key", "secret", false).help(SECRET_HELP),
            ],
        },
        ProviderInfo {
            key: "sftp",
            name: "SFTP",
            description: "Any server you can reach over SSH.",
            oauth: false,
            fields: vec![
                field("host", "Server", "text", true).placeholder("files.example.com"),
                field("port", "Port", "number", false).placeholder("22"),
                field("user", "User name", "text", true),
                field("password", "Password (or key passphrase)", "secret", false).help(SECRET_HELP),
                field("keyFile", "Private key file", "text", false).placeholder("~/.ssh/id_ed25519"),
            ],
        },
        ProviderInfo {
            key: "local",
            name: "A local or network folder",
            description: "Another folder on this computer or a network drive.",
            oauth: false,
            fields: vec![field("path", "Folder", "text", true).placeholder("/mnt/nas/share")],
        },
        ProviderInfo {
            key: "custom",
            name: "Another rclone backend",
            description: "Any other storage that rclone supports.",
            oauth: false,
            fields: vec![
                field("rcloneType", "rclone backend", "text", true).placeholder("b2"),
                field("options", "Options (key=value, one per line)", "text", false)
                    .help("Secret options are kept in the keychain (or write ${VARIABLE})."),
            ],
        },
    ]
}

/// The secret fields of a provider: (draft field key, keychain key).
pub fn secret_fields(p: Provider) -> &'static [(&'static str, &'static str)] {
    match p {
        Provider::Webdav | Provider::Sftp => &[("password", "password")],
        Provider::S3 => &[("secretAccessKey", "secretAccessKey")],
        Provider::Dropbox | Provider::Gdrive | Provider::Onedrive => &[("clientSecret", "clientSecret"), ("token", "token")],
        Provider::Local | Provider::Custom => &[],
    }
}

/// rclone backends that log in through OAuth, beyond the named providers.
const OAUTH_BACKENDS: [&str; 10] =
    ["dropbox", "drive", "onedrive", "box", "pcloud", "yandex", "zoho", "hidrive", "putio", "jottacloud"];

/// rclone's backend type name for a folder.
pub fn rclone_type(folder: &FolderConfig) -> String {
    match folder.provider {
        Provider::Dropbox => "dropbox".into(),
        Provider::Gdrive => "drive".into(),
        Provider::Onedrive => "onedrive".into(),
        Provider::S3 => "s3".into(),
        Provider::Webdav => "webdav".into(),
        Provider::Sftp => "sftp".into(),
        Provider::Local => "local".into(),
        Provider::Custom => folder.custom.as_ref().map(|c| c.rclone_type.clone()).unwrap_or_default(),
    }
}

/// Does this folder log in through the browser?
pub fn uses_oauth(folder: &FolderConfig) -> bool {
    folder.provider.uses_oauth() || OAUTH_BACKENDS.contains(&rclone_type(folder).as_str())
}

/// The name people see for a folder's provider ("Dropbox", "rclone b2").
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_provider_is_listed_once() {
        let keys: Vec<&str> = catalogue().iter().map(|p| p.key).collect();
        for p in Provider::ALL {
            assert_eq!(keys.iter().filter(|k| **k == p.key()).count(), 1, "{}", p.key());
        }
        assert!(catalogue().iter().all(|p| !p.description.is_empty()));
    }
}
