//! `wsync openclaw gateway-config FOLDER`: the plugin block (JSON on
//! stdout) that makes an OpenClaw gateway agree with FOLDER; how to fill
//! its `${VAR}` references goes to stderr. Never a secret.

use anyhow::Result;
use wsync_core::openclaw::gateway::for_folder;

pub fn run(config: Option<&std::path::Path>, folder: &str) -> Result<i32> {
    let loaded = crate::commands::load_config(config)?;
    let f = loaded.folder(folder)?;
    let g = for_folder(f)?;
    println!("{}", serde_json::to_string_pretty(&g.block)?);
    eprintln!("Merge this into the gateway's openclaw.json, then set in the gateway's environment:");
    for (var, how) in &g.needs {
        eprintln!("  {var}: {how}");
    }
    Ok(0)
}
