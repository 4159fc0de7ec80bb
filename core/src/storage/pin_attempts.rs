//! The `pin_attempts` table: how many PINs in a row were wrong and when the last attempt was,
//! in its one row (`id = 1`), so the back-off survives closing the app; and [`PinAttempt`], one
//! PIN try from its claim to its outcome. The policy that turns the count into a wait or a
//! refusal is the wallet's (`wallet/backoff.rs`).
//!
//! An attempt is **claimed before the PIN is tested**: in one `BEGIN IMMEDIATE` transaction the
//! back-off state is read and checked, and the attempt is counted as failed at the current time
//! ([`claim`]). Argon2id then runs without the database; a right PIN clears the count
//! ([`reset`]), a wrong one leaves the claim as it is. So concurrent tries (threads of one
//! wallet, several wallet handles, several processes: `BEGIN IMMEDIATE` makes writers take the
//! file's write lock in turn) each see the claims made before them, and a process killed while
//! Argon2id runs has its attempt counted.

use rusqlite::Connection;

use super::key_slots::PinSlot;
use crate::Result;

/// The back-off state as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PinAttempts {
    /// Consecutive PIN attempts not (yet) proven right: wrong PINs, and the one in progress.
    pub(crate) failed: u32,
    /// Unix seconds of the last wrong PIN (while an attempt is in progress: of its claim).
    pub(crate) last_failed_at: i64,
}

/// One PIN try: made by [`WalletDb::begin_pin_attempt`](super::WalletDb::begin_pin_attempt)
/// once the back-off allowed it, already counted as a failure, and consumed by its outcome:
/// [`WalletDb::pin_accepted`](super::WalletDb::pin_accepted) clears the count,
/// [`WalletDb::pin_rejected`](super::WalletDb::pin_rejected) keeps it.
#[must_use = "a PIN attempt ends with pin_accepted or pin_rejected"]
pub(crate) struct PinAttempt {
    slot: PinSlot,
    /// The state before the claim: a right PIN puts back the time of the last wrong one.
    before: PinAttempts,
    claimed: PinAttempts,
}

impl PinAttempt {
    pub(super) fn new(slot: PinSlot, before: PinAttempts, claimed: PinAttempts) -> Self {
        Self {
            slot,
            before,
            claimed,
        }
    }

    /// The state before this attempt was claimed.
    pub(super) fn before(&self) -> PinAttempts {
        self.before
    }

    /// The PIN slot to try the PIN's key on.
    pub(crate) fn slot(&self) -> &PinSlot {
        &self.slot
    }

    /// The state this attempt's claim wrote (its count includes this attempt).
    pub(crate) fn claimed(&self) -> PinAttempts {
        self.claimed
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

/// Claims an attempt at `now`: counts it as failed until it is proven right. Returns the new
/// state. Call it in the transaction that checked the back-off.
pub(super) fn claim(conn: &Connection, now: i64) -> Result<PinAttempts> {
    Ok(conn.query_row(
        "UPDATE pin_attempts SET failed = failed + 1, last_failed_at = ?1 WHERE id = 1
         RETURNING failed, last_failed_at",
        [now],
        |r| {
            Ok(PinAttempts {
                failed: r.get(0)?,
                last_failed_at: r.get(1)?,
            })
        },
    )?)
}

/// Clears the count after a right PIN, and puts back `last_failed_at`, the time of the last
/// wrong PIN before it: the file keeps no trace of when the PIN was last used successfully.
pub(super) fn accepted(conn: &Connection, last_failed_at: i64) -> Result<()> {
    conn.execute(
        "UPDATE pin_attempts SET failed = 0, last_failed_at = ?1 WHERE id = 1",
        [last_failed_at],
    )?;
    Ok(())
}

/// Clears the count after a platform key unlock or a new PIN (writes nothing when it is
/// already 0).
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
    fn claims_count_up_and_reset() {
        let mut conn = Connection::open_in_memory().unwrap();
        schema::migrate(&mut conn).unwrap();
        let zero = PinAttempts {
            failed: 0,
            last_failed_at: 0,
        };
        assert_eq!(read(&conn).unwrap(), zero);
        let first = PinAttempts {
            failed: 1,
            last_failed_at: 100,
        };
        assert_eq!(claim(&conn, 100).unwrap(), first);
        assert_eq!(claim(&conn, 105).unwrap().failed, 2);
        assert_eq!(
            read(&conn).unwrap(),
            PinAttempts {
                failed: 2,
                last_failed_at: 105
            }
        );
        reset(&conn).unwrap();
        // The time of the last attempt stays; with no failures it means no wait.
        assert_eq!(
            read(&conn).unwrap(),
            PinAttempts {
                failed: 0,
                last_failed_at: 105
            }
        );
        // A right PIN claimed at 200 leaves the time of the last wrong one, not its own.
        assert_eq!(claim(&conn, 200).unwrap().last_failed_at, 200);
        accepted(&conn, 105).unwrap();
        assert_eq!(
            read(&conn).unwrap(),
            PinAttempts {
                failed: 0,
                last_failed_at: 105
            }
        );
    }
}
