//! Time, injected: the wallet and verifier never read the system clock directly, so tests (and a
//! counter app with its own trusted time source) can supply it.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// A source of the current time in unix seconds.
pub trait Clock: Send + Sync {
    /// The current time, in seconds since 1970-01-01 00:00 UTC (negative before it).
    fn now_unix(&self) -> i64;
}

/// The operating system's clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_unix(&self) -> i64 {
        match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
        }
    }
}

/// A clock that stands still until moved: for tests and simulations.
#[derive(Debug, Default)]
pub struct FixedClock(AtomicI64);

impl FixedClock {
    /// A clock showing `unix` (seconds since the epoch) until it is set or advanced.
    pub fn new(unix: i64) -> Self {
        Self(AtomicI64::new(unix))
    }
    /// Moves the clock to `unix` (forwards or backwards).
    pub fn set(&self, unix: i64) {
        self.0.store(unix, Ordering::SeqCst);
    }
    /// Moves the clock by `secs` seconds (backwards when negative).
    pub fn advance(&self, secs: i64) {
        self.0.fetch_add(secs, Ordering::SeqCst);
    }
}

impl Clock for FixedClock {
    fn now_unix(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

impl<T: Clock + ?Sized> Clock for std::sync::Arc<T> {
    fn now_unix(&self) -> i64 {
        (**self).now_unix()
    }
}
