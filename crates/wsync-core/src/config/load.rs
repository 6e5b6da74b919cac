//! Reading the config file (strict JSON; every error names the field and
//! the fix) and writing it atomically, readable by this user only.

use std::path::{Path, PathBuf};

use super::{validate, Config, LoadedConfig, SCHEMA_VERSION};
use crate::error::{Error, Result};
use crate::{fsutil, paths};

pub fn config_path(explicit: Option<&Path>) -> PathBuf {
    if let Some(p) = explicit {
        return p.to_path_buf();
    }
    match std::env::var_os("WSYNC_CONFIG") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => paths::default_config_file(),
    }
}

/// Read and validate the config file.
pub fn load(path: &Path) -> Result<LoadedConfig> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::Config(format!(
                "no config file at {}; create one with `wsync setup`, or point --config / WSYNC_CONFIG at yours",
                path.display()
            )))
        }
        Err(e) => {
            return Err(Error::Config(format!("cannot read the config file {}: {e}; check its permissions", path.display())))
        }
    };
    parse(path, &text)
}

/// Parse and validate config text (`path` is only used in messages).
pub fn parse(path: &Path, text: &str) -> Result<LoadedConfig> {
    let shown = path.display();
    let mut de = serde_json::Deserializer::from_str(text);
    let config: Config = match serde_path_to_error::deserialize(&mut de) {
        Ok(c) => c,
        Err(e) => {
            let at = e.path().to_string();
            let inner = e.into_inner();
            return Err(Error::Config(describe_parse_error(&shown.to_string(), &at, &inner)));
        }
    };
    if let Err(e) = de.end() {
        return Err(Error::Config(format!("{shown}: {e}; the file must hold exactly one JSON object")));
    }
    let mut warnings = Vec::new();
    let config = validate::validate(config, &mut warnings).map_err(|m| Error::Config(format!("{shown}: {m}")))?;
    Ok(LoadedConfig { path: path.to_path_buf(), config, warnings })
}

fn describe_parse_error(file: &str, at: &str, e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let pos = format!("line {}, column {}", e.line(), e.column());
    let msg = e.to_string();
    // serde_json appends " at line X column Y"; we give the position ourselves.
    let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
    match e.classify() {
        Category::Syntax | Category::Eof => {
            format!("{file}: not valid JSON at {pos} ({msg}); fix the syntax (no comments or trailing commas in JSON)")
        }
        Category::Io => format!("{file}: cannot read: {msg}"),
        Category::Data => {
            let field = if at.is_empty() || at == "." { "the top level".to_string() } else { at.to_string() };
            let fix = if msg.starts_with("unknown field") {
                "remove it or correct its spelling"
            } else if msg.starts_with("missing field") {
                "add it"
            } else if msg.starts_with("unknown variant") {
                "use one of the listed values"
            } else {
                "correct the value"
            };
            format!("{file}: {field}: {msg} ({pos}); {fix}")
        }
    }
}

/// The config at `path`, or an empty one when the file does not exist yet
/// (the set-up flows start from it).
pub fn load_or_empty(path: &Path) -> Result<LoadedConfig> {
    if !path.exists() {
        return Ok(LoadedConfig {
            path: path.to_path_buf(),
            config: Config { version: SCHEMA_VERSION, folders: Vec::new() },
            warnings: Vec::new(),
        });
    }
    load(path)
}

/// Write the config atomically (temp file + rename, mode 0600), after
/// validating it, so that a crash never leaves a half-written file.
pub fn save(path: &Path, config: &Config) -> Result<()> {
    let text = serde_json::to_string_pretty(config).map_err(|e| Error::Config(format!("cannot serialise the config: {e}")))?;
    // Refuse to write what we would refuse to read.
    parse(path, &text)?;
    fsutil::write_atomic(path, (text + "\n").as_bytes(), 0o600).map_err(|e| Error::io(format!("cannot write {}", path.display()), e))
}
