//! Failed-PIN back-off, persisted in `pin_attempts` so closing the app does not reset it.

use rusqlite::Connection;

use crate::Result;

/// Longest wait between PIN attempts.
pub const MAX_BACKOFF_SECS: u64 = 3600;

/// Seconds to wait after `failed` consecutive wrong PINs: 1, 2, 4, ... capped at one hour.
pub fn pin_backoff_secs(failed: u32) -> u64 {
    if failed == 0 {
        return 0;
    }
    1u64.checked_shl(failed - 1)
        .unwrap_or(u64::MAX)
        .min(MAX_BACKOFF_SECS)
}

pub(super) fn read(conn: &Connection) -> Result<(u32, i64)> {
    Ok(conn.query_row(
        "SELECT failed, last_failed_at FROM pin_attempts WHERE id = 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
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

/// Records a wrong PIN; returns the new count.
pub(super) fn record_failure(conn: &Connection, now: i64) -> Result<u32> {
    Ok(conn.query_row(
        "UPDATE pin_attempts SET failed = failed + 1, last_failed_at = ?1 WHERE id = 1 RETURNING failed",
        [now],
        |r| r.get(0),
    )?)
}

pub(super) fn reset(conn: &Connection) -> Result<()> {
    conn.execute(
        "UPDATE pin_attempts SET failed = 0 WHERE id = 1 AND failed != 0",
        [],
    )?;
    Ok(())
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
