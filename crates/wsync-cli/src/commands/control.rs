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
        let reply = client.request(&req, &mut |_| {})?;
        if !reply.ok {
            anyhow::bail!("{}", reply.message.unwrap_or_default());
        }
    } else {
        for f in &folders {
            let mut st = state::load(&f.id);
            st.paused = pause;
            state::save(&f.id, &st)?;
        }
    }
    for f in folders {
        println!("{}: {word}", f.id);
    }
    Ok(0)
}
