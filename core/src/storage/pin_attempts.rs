//! The `pin_attempts` table: how many PINs in a row were wrong and when the last one was, in
//! its one row (`id = 1`), so the back-off survives closing the app; and [`PinAttempt`], one
//! PIN try from the back-off check to its outcome. The schedule that turns the count into a
//! wait is the wallet's (`wallet/backoff.rs`).

use rusqlite::Connection;

use super::key_slots::PinSlot;
use crate::Result;

/// The back-off state as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PinAttempts {
    /// Consecutive wrong PINs (0 after a right one).
    pub(crate) failed: u32,
    /// Unix seconds of the last wrong PIN.
    pub(crate) last_failed_at: i64,
}

/// One PIN try: made by [`WalletDb::begin_pin_attempt`](super::WalletDb::begin_pin_attempt)
/// once the back-off allowed it, and consumed by its outcome,
/// [`WalletDb::pin_accepted`](super::WalletDb::pin_accepted) or
/// [`WalletDb::pin_rejected`](super::WalletDb::pin_rejected).
///
/// Today the failure is recorded at the outcome, after Argon2id, so concurrent tries all pass
/// the back-off check before any of them is counted. The shape lets a later change claim the
/// attempt when it begins (count it as failed in the same transaction as the check) and have
/// the outcome only reset or keep that count, without changing the callers.
#[must_use = "a PIN attempt ends with pin_accepted or pin_rejected"]
pub(crate) struct PinAttempt {
    slot: PinSlot,
}

impl PinAttempt {
    pub(super) fn new(slot: PinSlot) -> Self {
        Self { slot }
    }

    /// The PIN slot to try the PIN's key on.
    pub(crate) fn slot(&self) -> &PinSlot {
        &self.slot
    }
}

pub(super) fn read(conn: &Connection) -> Result<PinAttempts> {
    Ok(conn.query_row(
        "SELECT failed, last_failed_at FROM pin_attempts WHERE id = 1",
        [],
        |r| {
            Ok(PinAttempts {
                failed: r.get(0)?,
                last_failed_at: r.get(1)?,
            })
        },
    )?)
}

/// Records a wrong PIN at `now`; returns the new count.
pub(super) fn record_failure(conn: &Connection, now: i64) -> Result<u32> {
    Ok(conn.query_row(
        "UPDATE pin_attempts SET failed = failed + 1, last_failed_at = ?1 WHERE id = 1 RETURNING failed",
        [now],
        |r| r.get(0),
    )?)
}

/// Clears the count after a right PIN (writes nothing when it is already 0).
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
    use crate::storage::schema;

    #[test]
    fn failures_count_up_and_reset() {
        let mut conn = Connection::open_in_memory().unwrap();
        schema::migrate(&mut conn).unwrap();
        let zero = PinAttempts {
            failed: 0,
            last_failed_at: 0,
        };
        assert_eq!(read(&conn).unwrap(), zero);
        assert_eq!(record_failure(&conn, 100).unwrap(), 1);
        assert_eq!(record_failure(&conn, 105).unwrap(), 2);
        assert_eq!(
            read(&conn).unwrap(),
            PinAttempts {
                failed: 2,
                last_failed_at: 105
            }
        );
        reset(&conn).unwrap();
        // The time of the last failure stays; with no failures it means no wait.
        assert_eq!(
            read(&conn).unwrap(),
            PinAttempts {
                failed: 0,
                last_failed_at: 105
            }
        );
    }
}
