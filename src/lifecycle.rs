//! Process-wide state that readiness, shutdown and the Discord handler share.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::Notify;

/// Whether the gateway is up, whether we are stopping, and how many interactions are being handled.
#[derive(Debug)]
pub struct Lifecycle {
    started: Instant,
    gateway_connected: AtomicBool,
    shutting_down: AtomicBool,
    in_flight: AtomicUsize,
    idle: Notify,
}

impl Default for Lifecycle {
    fn default() -> Self {
        Lifecycle {
            started: Instant::now(),
            gateway_connected: AtomicBool::new(false),
            shutting_down: AtomicBool::new(false),
            in_flight: AtomicUsize::new(0),
            idle: Notify::new(),
        }
    }
}

impl Lifecycle {
    pub fn new() -> Arc<Lifecycle> {
        Arc::new(Lifecycle::default())
    }

    pub fn uptime(&self) -> Duration {
        self.started.elapsed()
    }

    pub fn set_gateway_connected(&self, connected: bool) {
        self.gateway_connected.store(connected, Ordering::SeqCst);
    }

    pub fn gateway_connected(&self) -> bool {
        self.gateway_connected.load(Ordering::SeqCst)
    }

    /// From now on, new interactions are turned away politely.
    pub fn begin_shutdown(&self) {
        self.shutting_down.store(true, Ordering::SeqCst);
    }

    pub fn shutting_down(&self) -> bool {
        self.shutting_down.load(Ordering::SeqCst)
    }

    /// Counts an interaction as in flight until the returned guard is dropped.
    pub fn track(self: &Arc<Self>) -> InFlightInteraction {
        self.in_flight.fetch_add(1, Ordering::SeqCst);
        InFlightInteraction {
            lifecycle: Arc::clone(self),
        }
    }

    pub fn in_flight(&self) -> usize {
        self.in_flight.load(Ordering::SeqCst)
    }

    /// Waits until no interaction is in flight, or `limit` passes; true when drained.
    pub async fn drained(&self, limit: Duration) -> bool {
        let wait = async {
            loop {
                let notified = self.idle.notified();
                if self.in_flight() == 0 {
                    return;
                }
                notified.await;
            }
        };
        tokio::time::timeout(limit, wait).await.is_ok()
    }
}

/// Guard of one interaction being handled.
#[derive(Debug)]
pub struct InFlightInteraction {
    lifecycle: Arc<Lifecycle>,
}

impl Drop for InFlightInteraction {
    fn drop(&mut self) {
        if self.lifecycle.in_flight.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.lifecycle.idle.notify_waiters();
        }
    }
}
