//! `wsync list`: the remote's files (through the folder manager, as the
//! window's remote browser).

use anyhow::{bail, Result};

pub fn run(config: Option<&std::path::Path>, folder: Option<&str>, path: Option<&str>, as_json: bool) -> Result<i32> {
    let manager = super::manager(config)?;
    let loaded = super::load_config(config)?;
    let id = match folder {
        Some(id) => id.to_string(),
        None => match loaded.config.folders.as_slice() {
            [only] => only.id.clone(),
            [] => bail!("no folders in {}; add one with `wsync setup`", loaded.path.display()),
            many => bail!("name the folder to list: {}", many.iter().map(|f| f.id.as_str()).collect::<Vec<_>>().join(", ")),
        },
    };
    let target = manager.target_of(&id)?;
    let items = manager.list_folder(&target, path.unwrap_or(""))?;
    if as_json {
        println!("{}", serde_json::to_string_pretty(&items)?);
        return Ok(0);
    }
    if items.is_empty() {
        println!("(empty)");
    }
    for it in items {
        if it.is_dir {
            println!("{:>12}  {:<25}  {}/", "-", "", it.name);
        } else {
            let time = it
                .modified
                .as_deref()
                .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                .map(|t| t.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M:%S").to_string())
                .unwrap_or_default();
            println!("{:>12}  {:<25}  {}", it.size.unwrap_or(0), time, it.name);
        }
    }
    Ok(0)
}
