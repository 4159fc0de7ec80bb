//! PIN stretching with Argon2id.
//!
//! Defaults meet OWASP's minimum for Argon2id (19 MiB memory, 2 passes, 1 lane). Parameters are
//! stored beside each wrapped key so they can be raised later without breaking old wallets.

use argon2::{Algorithm, Argon2, Params, Version};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::{DataKey, KEY_LEN};
use crate::{Error, InputError, InputRule, Result};

/// Argon2id cost parameters for stretching a PIN ([`WalletOptions::kdf`](crate::WalletOptions::kdf)).
///
/// The default is [`KdfParams::OWASP_MIN`]; [`KdfParams::check`] refuses anything below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    /// Memory cost in KiB (at least 19 MiB, at most 1 GiB).
    pub memory_kib: u32,
    /// Number of passes over the memory (2 to 64).
    pub iterations: u32,
    /// Number of lanes (1 to 16).
    pub parallelism: u32,
}

impl KdfParams {
    /// OWASP minimum for Argon2id: m = 19 MiB, t = 2, p = 1.
    pub const OWASP_MIN: KdfParams = KdfParams {
        memory_kib: 19 * 1024,
        iterations: 2,
        parallelism: 1,
    };

    /// Rejects parameters below the OWASP minimum or absurdly high (a hostile database could
    /// otherwise ask for terabytes of memory).
    pub fn check(&self) -> Result<()> {
        let min = Self::OWASP_MIN;
        if self.memory_kib < min.memory_kib || self.iterations < min.iterations || self.parallelism < 1 {
            return Err(Error::Corrupted("PIN key parameters below the minimum".into()));
        }
        if self.memory_kib > 1024 * 1024 || self.iterations > 64 || self.parallelism > 16 {
            return Err(Error::Corrupted("PIN key parameters out of range".into()));
        }
        Ok(())
    }
}

impl Default for KdfParams {
    fn default() -> Self {
        Self::OWASP_MIN
    }
}

/// Longest PIN or passphrase accepted, in bytes.
pub(crate) const MAX_PIN_LEN: usize = 256;

/// Derives a key-encryption key from a PIN and a 16-byte salt.
pub fn derive_pin_key(pin: &str, salt: &[u8], params: KdfParams) -> Result<DataKey> {
    derive_pin_key_bytes(pin.as_bytes(), salt, params)
}

/// [`derive_pin_key`] for a PIN given as its UTF-8 bytes (the same PIN as text or as bytes
/// derives the same key).
pub(crate) fn derive_pin_key_bytes(pin: &[u8], salt: &[u8], params: KdfParams) -> Result<DataKey> {
    params.check()?;
    check_pin_len(pin)?;
    let p = Params::new(
        params.memory_kib,
        params.iterations,
        params.parallelism,
        Some(KEY_LEN),
    )
    .map_err(|_| Error::Corrupted("PIN key parameters invalid".into()))?;
    let mut out = Zeroizing::new([0u8; KEY_LEN]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, p)
        .hash_password_into(pin, salt, out.as_mut())
        .map_err(|_| Error::Crypto("Argon2id failed"))?;
    DataKey::from_slice(out.as_ref())
}

/// Refuses a PIN longer than [`MAX_PIN_LEN`] bytes (no wallet's PIN can be).
pub(crate) fn check_pin_len(pin: &[u8]) -> Result<()> {
    if pin.len() > MAX_PIN_LEN {
        return Err(InputError::new("PIN", InputRule::TooLong { max: MAX_PIN_LEN }).into());
    }
    Ok(())
}

/// Checks a new PIN's shape: UTF-8 text (so that it is the same PIN whether an app passes it as
/// text or as bytes, and "6 characters" means characters), at least 6 characters (the
/// phone-PIN norm), at most [`MAX_PIN_LEN`] bytes.
pub(crate) fn check_new_pin_bytes(pin: &[u8]) -> Result<()> {
    check_pin_len(pin)?;
    let text = std::str::from_utf8(pin)
        .map_err(|_| InputError::new("PIN", InputRule::Format("must be UTF-8 text")))?;
    if text.chars().count() < 6 {
        return Err(InputError::new("PIN", InputRule::TooShort { min: 6 }).into());
    }
    Ok(())
}
