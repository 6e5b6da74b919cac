//! `wsync list`: the remote's files.

use anyhow::{bail, Result};
use wsync_core::remote;

pub fn run(config: Option<&std::path::Path>, folder: Option<&str>, path: Option<&str>, as_json: bool) -> Result<i32> {
    let loaded = super::load_config(config)?;
    let f = match folder {
        Some(id) => loaded.folder(id)?,
        None => match loaded.config.folders.as_slice() {
            [only] => only,
            [] => bail!("no folders in {}; add one with `wsync setup`", loaded.path.display()),
            many => bail!(
                "name the folder to list: {}",
                many.iter().map(|f| f.id.as_str()).collect::<Vec<_>>().join(", ")
            ),
        },
    };
    let rel = path.unwrap_or("").trim_matches('/');
    if rel.split('/').any(|s| s == "..") {
        bail!("the path \"{rel}\" contains \"..\"; name a folder inside the remote folder");
    }
    let ctx = super::context()?;
    let r = remote::build(f, &ctx.rclone, &ctx.secrets)?;
    let target = r.join(rel);
    let out = ctx
        .rclone
        .command("lsjson")
        .arg(&target)
        .args(["--no-mimetype", "--retries", "1", "--low-level-retries", "2", "--contimeout", "15s", "--timeout", "30s"])
        .remote(&r)
        .run(None, &mut |_| {})?;
    if !out.success() {
        let err = wsync_core::sync::RemoteCheck::from_error_text(&out.error_text()).into_error(&r);
        return Err(err.into());
    }
    let items: Vec<serde_json::Value> = serde_json::from_str(&out.stdout).unwrap_or_default();
    if as_json {
        println!("{}", serde_json::to_string_pretty(&items)?);
        return Ok(0);
    }
    if items.is_empty() {
        println!("(empty)");
    }
    for it in items {
        let name = it["Name"].as_str().unwrap_or("");
        if it["IsDir"].as_bool().unwrap_or(false) {
            println!("{:>12}  {:<25}  {name}/", "-", "");
        } else {
            let time = it["ModTime"].as_str().unwrap_or("");
            let time = chrono::DateTime::parse_from_rfc3339(time)
                .map(|t| t.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M:%S").to_string())
                .unwrap_or_default();
            println!("{:>12}  {:<25}  {name}", it["Size"].as_i64().unwrap_or(0), time);
        }
    }
    Ok(0)
}
