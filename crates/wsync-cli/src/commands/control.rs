//! `wsync pause` / `wsync resume`: through the engine host when one runs,
//! else by marking the folder in its state (a host started later honours it).

use anyhow::Result;
use wsync_core::engine::host::{self, Request};
use wsync_core::state;

pub fn pause_resume(config: Option<&std::path::Path>, folder: Option<&str>, pause: bool) -> Result<i32> {
    let loaded = super::load_config(config)?;
    let folders = loaded.select(folder)?;
    let word = if pause { "paused" } else { "resumed" };
    if let Some(client) = host::connect() {
        let req = if pause { Request::Pause { folder: folder.map(String::from) } } else { Request::Resume { folder: folder.map(String::from) } };
        client.request(&req, &mut |_| {})?.into_result()?;
    } else {
        for f in &folders {
            state::update(&f.id, |st| st.paused = pause)?;
        }
    }
    for f in folders {
        println!("{}: {word}", f.id);
    }
    Ok(0)
}

/// `wsync reload`: the running engine reads the config again now.
pub fn reload() -> Result<i32> {
    let Some(client) = host::connect() else {
        println!("no engine is running; the config is read when the app or `wsync daemon` starts");
        return Ok(0);
    };
    let reply = client.request(&Request::Reload, &mut |_| {})?.into_result()?;
    let s = reply.reload.unwrap_or_default();
    let list = |v: &[String]| if v.is_empty() { "none".to_string() } else { v.join(", ") };
    println!("config applied: added {}, removed {}, changed {}", list(&s.added), list(&s.removed), list(&s.changed));
    Ok(0)
}
