//! `wsync daemon`: host the sync engine for this user (timed and watched
//! syncs of every folder, the control socket for other `wsync` commands)
//! until SIGTERM/SIGINT, then stop gracefully: running syncs are
//! interrupted cleanly (rclone gets SIGINT and leaves its listings valid),
//! the journal is flushed and the socket removed.

use anyhow::Result;
use wsync_core::engine::{host, Engine, EngineEvent, Timing};
use wsync_core::events::SyncEvent;
use wsync_core::journal::Journal;

use crate::output::summary;

pub fn run(config: Option<&std::path::Path>) -> Result<i32> {
    let loaded = super::load_config(config)?;
    let role = host::claim("wsync daemon")?;
    let ctx = super::context()?;
    let journal = Journal::open_default()?;
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    runtime.block_on(async move {
        let engine = Engine::start(&loaded, ctx, journal, Timing::default())?;
        let handle = engine.handle();
        log(&format!("daemon started: {} folder(s); socket {}", loaded.config.folders.len(), host::socket_path().display()));
        let mut events = handle.subscribe();
        let logger = tokio::spawn(async move {
            while let Ok(ev) = events.recv().await {
                match ev {
                    EngineEvent::Sync { event: SyncEvent::Finished { report } } => log(&summary(&report)),
                    EngineEvent::Sync { event: SyncEvent::Warning { folder, message } } => log(&format!("{folder}: warning: {message}")),
                    _ => {}
                }
            }
        });
        let stop = async {
            let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => return,
            };
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
        };
        host::serve(handle, &role, stop).await?;
        log("stopping: letting running syncs finish their current step…");
        engine.shutdown().await;
        logger.abort();
        log("daemon stopped");
        drop(role);
        Ok::<i32, anyhow::Error>(0)
    })
}

fn log(text: &str) {
    let now = chrono::Local::now().format("%Y-%m-%d %H:%M:%S");
    for line in text.lines() {
        eprintln!("{now} {}", wsync_core::redact::redact(line));
    }
}
