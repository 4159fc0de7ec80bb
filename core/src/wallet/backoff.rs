//! The failed-PIN policy: how long to wait after some wrong PINs, the cap after which PIN
//! unlock is disabled, and the monotonic floor that keeps a wall clock moved forward from
//! ending a wait early. The count and the time of the last attempt are stored by `storage`
//! (`pin_attempts`), so closing the app does not reset them.

use std::time::{Duration, Instant};

/// Longest wait between PIN attempts.
pub const MAX_BACKOFF_SECS: u64 = 3600;

/// Wrong PINs in a row after which PIN unlock is disabled ([`Error::PinLocked`]) until the
/// platform key provider unlocks the wallet. iOS disables its passcode after 10 failures (and
/// can erase); with the back-off below, 10 guesses take at least 511 s (1 + 2 + ... + 256).
///
/// [`Error::PinLocked`]: crate::Error::PinLocked
pub const MAX_PIN_FAILURES: u32 = 10;

/// Seconds to wait after `failed` consecutive wrong PINs: 1, 2, 4, ... capped at one hour.
pub fn pin_backoff_secs(failed: u32) -> u64 {
    if failed == 0 {
        return 0;
    }
    1u64.checked_shl(failed - 1)
        .unwrap_or(u64::MAX)
        .min(MAX_BACKOFF_SECS)
}

/// Seconds left before the next attempt is allowed, by the wall clock.
pub(super) fn remaining(failed: u32, last_failed_at: i64, now: i64) -> u64 {
    let until = last_failed_at.saturating_add(i64::try_from(pin_backoff_secs(failed)).unwrap_or(i64::MAX));
    // A clock set backwards must not shorten the wait below the full back-off.
    if now < last_failed_at {
        return pin_backoff_secs(failed);
    }
    u64::try_from(until.saturating_sub(now)).unwrap_or(0)
}

/// The wait this wallet handle has seen begin, timed by the monotonic clock, which setting the
/// date does not move. The wall-clock wait ([`remaining`]) survives restarts; this one does
/// not, but within the process a clock moved forward cannot end a wait early.
#[derive(Debug, Clone, Copy)]
pub(super) struct MonotonicWait {
    /// The stored state the wait belongs to: another count or time is another wait.
    failed: u32,
    last_failed_at: i64,
    wait: Duration,
    since: Instant,
}

impl MonotonicWait {
    /// A wait of `wait_secs` for the stored state `(failed, last_failed_at)`, starting `at`.
    pub(super) fn new(failed: u32, last_failed_at: i64, wait_secs: u64, at: Instant) -> Self {
        Self {
            failed,
            last_failed_at,
            wait: Duration::from_secs(wait_secs),
            since: at,
        }
    }

    /// Whole seconds left at `at` (rounded up), if this is the wait of `(failed,
    /// last_failed_at)`; `None` for another state.
    pub(super) fn remaining(&self, failed: u32, last_failed_at: i64, at: Instant) -> Option<u64> {
        if (failed, last_failed_at) != (self.failed, self.last_failed_at) {
            return None;
        }
        let left = self.wait.saturating_sub(at.saturating_duration_since(self.since));
        Some(left.as_secs() + u64::from(left.subsec_nanos() > 0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule() {
        assert_eq!(pin_backoff_secs(0), 0);
        assert_eq!(pin_backoff_secs(1), 1);
        assert_eq!(pin_backoff_secs(5), 16);
        assert_eq!(pin_backoff_secs(13), MAX_BACKOFF_SECS);
        assert_eq!(pin_backoff_secs(200), MAX_BACKOFF_SECS);
        assert_eq!(remaining(3, 100, 102), 2);
        assert_eq!(remaining(3, 100, 110), 0);
        assert_eq!(remaining(3, 100, 50), 4);
        // Before the cap, the waits add up to 511 s.
        let total: u64 = (1..MAX_PIN_FAILURES).map(pin_backoff_secs).sum();
        assert_eq!(total, 511);
    }

    #[test]
    fn the_monotonic_wait_counts_real_time_for_its_own_state_only() {
        let t0 = Instant::now();
        let w = MonotonicWait::new(3, 100, 4, t0);
        assert_eq!(w.remaining(3, 100, t0), Some(4));
        assert_eq!(w.remaining(3, 100, t0 + Duration::from_millis(1500)), Some(3));
        assert_eq!(w.remaining(3, 100, t0 + Duration::from_secs(4)), Some(0));
        assert_eq!(w.remaining(3, 100, t0 + Duration::from_secs(400)), Some(0));
        // Another count or time: another wait, not this one's.
        assert_eq!(w.remaining(4, 100, t0), None);
        assert_eq!(w.remaining(3, 101, t0), None);
    }
}
