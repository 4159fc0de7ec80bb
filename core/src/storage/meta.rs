//! The `meta` table: the wallet's non-secret facts (wallet id, creation time), the sealed
//! canary that tells a wrong data key from the right one, and the check that a wallet's
//! creation completed.

use rusqlite::{params, Connection, OptionalExtension};
use subtle::ConstantTimeEq;

use super::cipher::StoreCipher;
use super::sealed::META_CANARY;
use crate::crypto::random;
use crate::{Error, Result};

/// `meta.key` of the random wallet id (32 hex characters).
const WALLET_ID_KEY: &str = "wallet_id";
/// `meta.key` of the creation time (Unix seconds).
const CREATED_AT_KEY: &str = "created_at";
/// `meta.key` of the canary; also the row of its associated data.
const CANARY_KEY: &str = "canary";

/// The plaintext of the canary: a wrong key fails on it before any real value is touched.
const CANARY_PLAINTEXT: &[u8] = b"citizen-wallet canary v1";

const INSERT_SQL: &str = "INSERT INTO meta (key, value) VALUES (?1, ?2)";

/// Writes a new wallet's facts: a random wallet id, `now` as its creation time, and the canary
/// sealed under `cipher`.
pub(super) fn insert_new(conn: &Connection, cipher: &StoreCipher, now: i64) -> Result<()> {
    conn.execute(
        INSERT_SQL,
        params![WALLET_ID_KEY, hex::encode(random::bytes::<16>()?)],
    )?;
    conn.execute(INSERT_SQL, params![CREATED_AT_KEY, now])?;
    conn.execute(
        INSERT_SQL,
        params![
            CANARY_KEY,
            META_CANARY.seal(cipher, CANARY_KEY, CANARY_PLAINTEXT)?
        ],
    )?;
    Ok(())
}

/// Refuses a wallet whose creation did not complete.
///
/// `create` writes the canary, holder key and key slot in its last transaction. Without them
/// the creation was interrupted (a crash or kill): say so, rather than a misleading "no key
/// slot" at unlock. The file is left as it is; it holds no credentials.
pub(super) fn check_complete(conn: &Connection) -> Result<()> {
    let (complete, empty): (bool, bool) = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM meta WHERE key = ?1) AND EXISTS (SELECT 1 FROM holder_key),
                NOT EXISTS (SELECT 1 FROM credentials)",
        [CANARY_KEY],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    match (complete, empty) {
        (true, _) => Ok(()),
        (false, true) => Err(Error::Corrupted(
            "the wallet is incomplete: its creation was interrupted or its -wal file was lost; it holds no credentials".into(),
        )),
        (false, false) => Err(Error::Corrupted("wallet canary or holder key missing".into())),
    }
}

/// Which data key a wallet handle holds, as the file knows it: the sealed canary the key was
/// checked against. Rotating the data key reseals the canary, so a handle whose canary is no
/// longer the file's holds a key that was rotated away (by another handle or process); its
/// writes are refused ([`KeyCheck::verify`]) instead of sealing rows nobody could open.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct KeyCheck(Vec<u8>);

impl KeyCheck {
    /// Refuses with [`Error::Locked`] when the file's canary is no longer this one: the key
    /// was rotated away and the handle must unlock again. Call it in the writing transaction.
    pub(super) fn verify(&self, conn: &Connection) -> Result<()> {
        if read_canary(conn)? == self.0 {
            Ok(())
        } else {
            Err(Error::Locked)
        }
    }
}

impl std::fmt::Debug for KeyCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyCheck")
    }
}

/// The file's current [`KeyCheck`].
pub(super) fn key_check(conn: &Connection) -> Result<KeyCheck> {
    read_canary(conn).map(KeyCheck)
}

/// Checks the canary against `cipher` ([`check_canary`]) and returns it as the handle's
/// [`KeyCheck`].
pub(super) fn checked(cipher: &StoreCipher, sealed: Vec<u8>) -> Result<KeyCheck> {
    check_canary(cipher, &sealed)?;
    Ok(KeyCheck(sealed))
}

/// Reseals the canary under `new` (a data key rotation, inside its transaction); returns the
/// new [`KeyCheck`].
pub(super) fn reseal_canary(conn: &Connection, new: &StoreCipher) -> Result<KeyCheck> {
    let sealed = META_CANARY.seal(new, CANARY_KEY, CANARY_PLAINTEXT)?;
    conn.execute(
        "UPDATE meta SET value = ?2 WHERE key = ?1",
        params![CANARY_KEY, sealed],
    )?;
    Ok(KeyCheck(sealed))
}

/// The sealed canary.
pub(super) fn read_canary(conn: &Connection) -> Result<Vec<u8>> {
    conn.query_row("SELECT value FROM meta WHERE key = ?1", [CANARY_KEY], |r| {
        r.get(0)
    })
    .optional()?
    .ok_or_else(|| Error::Corrupted("wallet canary missing".into()))
}

/// Checks the canary: [`Error::WrongKey`] if `cipher` did not make it.
///
/// The AEAD tag check is constant-time (chacha20poly1305 uses `subtle`); the plaintext
/// comparison is too, by rule: every value derived from a secret is compared with `subtle`.
pub(super) fn check_canary(cipher: &StoreCipher, sealed: &[u8]) -> Result<()> {
    match META_CANARY.open(cipher, CANARY_KEY, sealed) {
        Ok(p) if bool::from(p.as_slice().ct_eq(CANARY_PLAINTEXT)) => Ok(()),
        _ => Err(Error::WrongKey),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::DataKey;

    #[test]
    fn the_canary_is_sealed_for_its_row_and_checked_against_its_key() {
        let c = StoreCipher::new(&DataKey::make().unwrap());
        let sealed = META_CANARY.seal(&c, CANARY_KEY, CANARY_PLAINTEXT).unwrap();
        check_canary(&c, &sealed).unwrap();
        // The associated data existing wallets' canaries were sealed with.
        assert_eq!(
            META_CANARY.aad(CANARY_KEY),
            b"citizen-wallet/v1/meta/value/canary"
        );
        let other = StoreCipher::new(&DataKey::make().unwrap());
        assert!(matches!(check_canary(&other, &sealed), Err(Error::WrongKey)));
        let elsewhere = META_CANARY.seal(&c, "wallet_id", CANARY_PLAINTEXT).unwrap();
        assert!(matches!(check_canary(&c, &elsewhere), Err(Error::WrongKey)));
        let wrong_text = META_CANARY
            .seal(&c, CANARY_KEY, b"citizen-wallet canary v2")
            .unwrap();
        assert!(matches!(check_canary(&c, &wrong_text), Err(Error::WrongKey)));
    }
}
