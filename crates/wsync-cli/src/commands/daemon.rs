//! `wsync daemon`: host the sync engine for this user (timed and watched
//! syncs of every folder, the control socket for other `wsync` commands,
//! following config.json as it changes) until SIGTERM/SIGINT, then stop
//! gracefully: running syncs are interrupted cleanly (rclone gets SIGINT
//! and leaves its listings valid), the journal is flushed and the socket
//! removed.

use anyhow::Result;
use wsync_core::engine::hosting::Host;
use wsync_core::engine::{host, EngineEvent, Timing};
use wsync_core::events::SyncEvent;
use wsync_core::journal::Journal;

use crate::output::summary;

pub fn run(config: Option<&std::path::Path>) -> Result<i32> {
    // A config that does not load is reported at once (exit 2); later
    // changes that do not load keep the last good config running.
    let loaded = super::load_config(config)?;
    let role = host::claim("wsync daemon")?;
    let ctx = super::context()?;
    let journal = Journal::open_default()?;
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    runtime.block_on(async move {
        let host = Host::start(loaded.path.clone(), ctx, journal, Timing::default(), role);
        let handle = host.handle();
        tracing::info!("daemon started: {} folder(s); socket {}", loaded.config.folders.len(), host::socket_path().display());
        let mut events = handle.subscribe();
        let logger = tokio::spawn(async move {
            while let Ok(ev) = events.recv().await {
                match ev {
                    EngineEvent::Sync { event: SyncEvent::Finished { report } } => tracing::info!("{}", summary(&report)),
                    EngineEvent::Sync { event: SyncEvent::Warning { folder, message } } => tracing::warn!("{folder}: {message}"),
                    EngineEvent::Removed { folder } => tracing::info!("{folder}: stopped (removed from the config)"),
                    _ => {}
                }
            }
        });
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        tokio::select! {
            _ = term.recv() => {}
            _ = tokio::signal::ctrl_c() => {}
        }
        tracing::info!("stopping: letting running syncs finish their current step…");
        host.shutdown().await;
        logger.abort();
        tracing::info!("daemon stopped");
        Ok::<i32, anyhow::Error>(0)
    })
}
