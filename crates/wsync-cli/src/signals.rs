//! SIGINT/SIGTERM turn into a cancel request: rclone gets SIGINT and shuts
//! down gracefully, leaving bisync's listings valid.

use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;
use wsync_core::cancel::CancelToken;

/// Cancel `token` on the first SIGINT or SIGTERM.
pub fn cancel_on_signal(token: CancelToken) -> anyhow::Result<()> {
    let mut signals = Signals::new([SIGINT, SIGTERM])?;
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            eprintln!("wsync: stopping: letting rclone finish its current step…");
            token.cancel();
        }
    });
    Ok(())
}
