//! Cooperative cancellation of a sync: a flag plus the pid of the rclone
//! child that is running, so that a stop request (SIGTERM to the daemon,
//! Ctrl-C, pause) reaches rclone as SIGINT and rclone shuts down gracefully,
//! leaving bisync's listings valid.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
pub struct CancelToken {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    cancelled: AtomicBool,
    children: Mutex<Vec<u32>>,
}

impl CancelToken {
    pub fn new() -> Self {
        Self::default()
    }

    /// Ask the running operation to stop: rclone children get SIGINT.
    pub fn cancel(&self) {
        self.inner.cancelled.store(true, Ordering::SeqCst);
        let children = self.inner.children.lock().map(|c| c.clone()).unwrap_or_default();
        for pid in children {
            // SIGINT makes rclone finish the current step and save its listings.
            unsafe {
                libc::kill(pid as libc::pid_t, libc::SIGINT);
            }
        }
    }

    pub fn is_cancelled(&self) -> bool {
        self.inner.cancelled.load(Ordering::SeqCst)
    }

    pub(crate) fn register(&self, pid: u32) {
        if let Ok(mut c) = self.inner.children.lock() {
            c.push(pid);
        }
        // A cancel that raced with the spawn still reaches the child.
        if self.is_cancelled() {
            unsafe {
                libc::kill(pid as libc::pid_t, libc::SIGINT);
            }
        }
    }

    pub(crate) fn unregister(&self, pid: u32) {
        if let Ok(mut c) = self.inner.children.lock() {
            c.retain(|p| *p != pid);
        }
    }
}
