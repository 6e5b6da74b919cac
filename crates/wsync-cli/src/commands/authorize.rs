//! `wsync authorize PROVIDER`: the OAuth flow through `rclone authorize`.

use anyhow::{bail, Result};

pub fn run(provider: &str, _no_browser: bool) -> Result<i32> {
    bail!("`wsync authorize {provider}` needs the keychain, which this build does not have yet; put the token in an environment variable and reference it from the config as \"token\": \"${{VARIABLE}}\"")
}
