//! Integration tests of `wsync` against the real bundled rclone and its own
//! loopback servers. One test binary; each test has its own temp dir.

mod harness;

mod incremental;

mod cli_misc;
mod config_errors;
mod engine;
mod keychain;
mod local_sync;
mod model;
mod oauth;
mod oauth_login;
mod openclaw_install;
mod remotes;
mod safety;
mod setup_flows;
