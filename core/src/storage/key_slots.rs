//! The `key_slots` table: the data key wrapped once per way of unlocking. A [`Slot`] is a row
//! to write (the PIN slot wraps the data key here, bound to its place; a provider slot holds
//! what the platform provider wrapped); [`PinSlot`] and [`ProviderSlot`] are the rows read back
//! to unlock.

use rusqlite::{params, Connection, OptionalExtension};
use zeroize::Zeroizing;

use super::sealed::KEY_SLOT_WRAPPED;
use crate::crypto::kdf::KdfParams;
use crate::crypto::{aead, DataKey};
use crate::platform::KeyProvider;
use crate::{Error, InputError, InputRule, Result};

/// `key_slots.slot` of the PIN slot; also the row of its wrapped key's associated data.
const PIN: &str = "pin";
/// `key_slots.slot` of the platform key provider slot.
const PROVIDER: &str = "provider";
/// `key_slots.key_id` of a PIN slot.
const PIN_KEY_ID: &str = "argon2id";

/// A key slot to write: the data key wrapped for one way of unlocking.
pub(crate) struct Slot {
    slot: &'static str,
    key_id: String,
    wrapped: Vec<u8>,
    salt: Option<Vec<u8>>,
    kdf_params: Option<String>,
}

impl Slot {
    /// The PIN slot: `dek` wrapped under `kek`, the key Argon2id derived from the PIN with
    /// `salt` and `params` (both stored, so the same key can be derived again).
    pub(crate) fn pin(kek: &DataKey, salt: &[u8], params: KdfParams, dek: &DataKey) -> Result<Self> {
        Ok(Self {
            slot: PIN,
            key_id: PIN_KEY_ID.into(),
            wrapped: aead::seal(kek, &KEY_SLOT_WRAPPED.aad(PIN), dek.as_bytes())?,
            salt: Some(salt.to_vec()),
            kdf_params: Some(serde_json::to_string(&params).map_err(|_| Error::Crypto("kdf params"))?),
        })
    }

    /// `key_slots.slot` of the PIN slot.
    pub(crate) const PIN: &'static str = PIN;
    /// `key_slots.slot` of the provider slot.
    pub(crate) const PROVIDER: &'static str = PROVIDER;

    /// Whether this is the PIN slot.
    pub(crate) fn is_pin(&self) -> bool {
        self.slot == PIN
    }

    /// The platform key provider slot: `dek` wrapped by `provider`.
    pub(crate) fn provider(provider: &dyn KeyProvider, dek: &DataKey) -> Result<Self> {
        Ok(Self {
            slot: PROVIDER,
            key_id: provider.key_id(),
            wrapped: provider.wrap(dek.as_bytes())?,
            salt: None,
            kdf_params: None,
        })
    }
}

/// Adds `slot`, or replaces the slot of its kind.
pub(super) fn upsert(conn: &Connection, slot: &Slot, now: i64) -> Result<()> {
    conn.execute(
        "INSERT INTO key_slots (slot, key_id, wrapped, salt, kdf_params, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (slot) DO UPDATE SET key_id = excluded.key_id, wrapped = excluded.wrapped,
           salt = excluded.salt, kdf_params = excluded.kdf_params, created_at = excluded.created_at",
        params![slot.slot, slot.key_id, slot.wrapped, slot.salt, slot.kdf_params, now],
    )?;
    Ok(())
}

/// The kinds of slot the wallet has (`"pin"`, `"provider"`).
fn kinds(conn: &Connection) -> Result<Vec<String>> {
    Ok(conn
        .prepare("SELECT slot FROM key_slots ORDER BY slot")?
        .query_map([], |r| r.get(0))?
        .collect::<std::result::Result<_, _>>()?)
}

/// Replaces every slot with `slots` (a data key rotation, inside its transaction). Refuses,
/// with the field to supply, when the wallet has a kind of slot that `slots` does not rewrap:
/// no way of unlocking is dropped silently.
pub(super) fn replace_all(conn: &Connection, slots: &[Slot], now: i64) -> Result<()> {
    check_covers(conn, |kind| slots.iter().any(|s| s.slot == kind))?;
    conn.execute("DELETE FROM key_slots", [])?;
    for slot in slots {
        upsert(conn, slot, now)?;
    }
    Ok(())
}

/// Refuses, naming the field to supply, unless `given` covers every kind of slot the wallet
/// has (`given("pin")`, `given("provider")`).
pub(super) fn check_covers(conn: &Connection, given: impl Fn(&str) -> bool) -> Result<()> {
    for kind in kinds(conn)? {
        if !given(&kind) {
            let field = if kind == PIN { "PIN" } else { "key provider" };
            return Err(InputError::new(
                field,
                InputRule::Invalid("the wallet unlocks with it: give it to rewrap its slot"),
            )
            .into());
        }
    }
    Ok(())
}

/// The PIN slot as stored: what Argon2id needs to derive the PIN's key, and the wrapped key.
pub(crate) struct PinSlot {
    /// The 16-byte Argon2 salt.
    pub(crate) salt: Vec<u8>,
    /// The slot's own Argon2id parameters (checked by the KDF before it runs).
    pub(crate) params: KdfParams,
    wrapped: Vec<u8>,
}

impl PinSlot {
    /// Unwraps the data key with `kek` (derived from a PIN): an error means a wrong PIN (or a
    /// tampered slot; the two are indistinguishable).
    pub(crate) fn unwrap(&self, kek: &DataKey) -> Result<Zeroizing<Vec<u8>>> {
        aead::open(kek, &KEY_SLOT_WRAPPED.aad(PIN), &self.wrapped)
    }
}

/// `key_slots` row of the PIN slot: wrapped key, Argon2 salt, KDF parameters (JSON).
type PinSlotRow = (Vec<u8>, Option<Vec<u8>>, Option<String>);

/// The PIN slot. [`Error::NotFound`] if the wallet has none.
pub(super) fn read_pin(conn: &Connection) -> Result<PinSlot> {
    let row: Option<PinSlotRow> = conn
        .query_row(
            "SELECT wrapped, salt, kdf_params FROM key_slots WHERE slot = ?1",
            [PIN],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let (wrapped, salt, params) = row.ok_or(Error::NotFound("PIN slot (this wallet has no PIN)"))?;
    let salt = salt.ok_or_else(|| Error::Corrupted("PIN slot has no salt".into()))?;
    let params: KdfParams = params
        .and_then(|p| serde_json::from_str(&p).ok())
        .ok_or_else(|| Error::Corrupted("PIN slot parameters unreadable".into()))?;
    Ok(PinSlot {
        salt,
        params,
        wrapped,
    })
}

/// The platform key provider slot as stored.
pub(crate) struct ProviderSlot {
    wrapped: Vec<u8>,
}

impl ProviderSlot {
    /// Asks `provider` to unwrap the data key.
    pub(crate) fn unwrap(&self, provider: &dyn KeyProvider) -> Result<Zeroizing<Vec<u8>>> {
        provider.unwrap(&self.wrapped)
    }
}

/// The provider slot. [`Error::NotFound`] if the wallet has none.
pub(super) fn read_provider(conn: &Connection) -> Result<ProviderSlot> {
    let wrapped: Vec<u8> = conn
        .query_row("SELECT wrapped FROM key_slots WHERE slot = ?1", [PROVIDER], |r| {
            r.get(0)
        })
        .optional()?
        .ok_or(Error::NotFound(
            "key provider slot (this wallet has no platform key)",
        ))?;
    Ok(ProviderSlot { wrapped })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pin_slot_wraps_with_its_place_and_unwraps_with_its_key_only() {
        // The associated data existing wallets' PIN slots were wrapped with.
        assert_eq!(
            KEY_SLOT_WRAPPED.aad(PIN),
            b"citizen-wallet/v1/key_slots/wrapped/pin"
        );
        let (kek, dek) = (DataKey::make().unwrap(), DataKey::make().unwrap());
        let slot = Slot::pin(&kek, &[7; 16], KdfParams::default(), &dek).unwrap();
        let read = PinSlot {
            salt: slot.salt.clone().unwrap(),
            params: serde_json::from_str(slot.kdf_params.as_deref().unwrap()).unwrap(),
            wrapped: slot.wrapped.clone(),
        };
        assert_eq!(read.params, KdfParams::default());
        assert_eq!(&read.unwrap(&kek).unwrap()[..], dek.as_bytes());
        assert!(read.unwrap(&DataKey::make().unwrap()).is_err());
        assert_eq!(
            &aead::open(&kek, b"citizen-wallet/v1/key_slots/wrapped/pin", &slot.wrapped).unwrap()[..],
            dek.as_bytes()
        );
    }
}
