//! The `holder_key` table: the holder's Ed25519 seed, sealed under the value key, in its one
//! row (`id = 1`).

use rusqlite::{params, Connection, OptionalExtension};
use zeroize::Zeroizing;

use super::cipher::StoreCipher;
use super::sealed::HOLDER_SEED;
use crate::{Error, Result};

/// The table's only row id (`CHECK (id = 1)`); as text, the row of the seed's associated data.
const ROW_ID: i64 = 1;

fn row() -> String {
    ROW_ID.to_string()
}

/// Seals `seed` under `cipher` and stores it (a new wallet).
pub(super) fn insert(conn: &Connection, cipher: &StoreCipher, seed: &[u8]) -> Result<()> {
    let sealed = HOLDER_SEED.seal(cipher, &row(), seed)?;
    conn.execute(
        "INSERT INTO holder_key (id, seed_sealed) VALUES (?1, ?2)",
        params![ROW_ID, sealed],
    )?;
    Ok(())
}

/// The sealed seed.
pub(super) fn read(conn: &Connection) -> Result<Vec<u8>> {
    conn.query_row(
        "SELECT seed_sealed FROM holder_key WHERE id = ?1",
        [ROW_ID],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| Error::Corrupted("holder key missing".into()))
}

/// Opens the sealed seed; anything not sealed for this row under `cipher` is
/// [`Error::Tampered`].
pub(super) fn open(cipher: &StoreCipher, sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    HOLDER_SEED.open(cipher, &row(), sealed)
}

/// Reseals the seed from `old` to `new` (a data key rotation, inside its transaction).
pub(super) fn reseal(conn: &Connection, old: &StoreCipher, new: &StoreCipher) -> Result<()> {
    let seed = open(old, &read(conn)?)?;
    conn.execute(
        "UPDATE holder_key SET seed_sealed = ?2 WHERE id = ?1",
        params![ROW_ID, HOLDER_SEED.seal(new, &row(), &seed)?],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_is_bound_to_row_one() {
        // The associated data existing wallets' holder seeds were sealed with.
        assert_eq!(
            HOLDER_SEED.aad(&row()),
            b"citizen-wallet/v1/holder_key/seed_sealed/1"
        );
    }
}
