//! The failed-PIN back-off schedule: how long to wait after some wrong PINs. The count and
//! the time of the last failure are stored by `storage` (`pin_attempts`), so closing the app
//! does not reset them.

/// Longest wait between PIN attempts.
pub(crate) const MAX_BACKOFF_SECS: u64 = 3600;

/// Seconds to wait after `failed` consecutive wrong PINs: 1, 2, 4, ... capped at one hour.
pub(crate) fn pin_backoff_secs(failed: u32) -> u64 {
    if failed == 0 {
        return 0;
    }
    1u64.checked_shl(failed - 1)
        .unwrap_or(u64::MAX)
        .min(MAX_BACKOFF_SECS)
}

/// Seconds left before the next attempt is allowed.
pub(super) fn remaining(failed: u32, last_failed_at: i64, now: i64) -> u64 {
    let until = last_failed_at.saturating_add(i64::try_from(pin_backoff_secs(failed)).unwrap_or(i64::MAX));
    // A clock set backwards must not shorten the wait below the full back-off.
    if now < last_failed_at {
        return pin_backoff_secs(failed);
    }
    u64::try_from(until.saturating_sub(now)).unwrap_or(0)
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
    }
}
