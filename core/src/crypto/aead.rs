//! Value encryption: XChaCha20-Poly1305 with a random 24-byte nonce per value.
//!
//! Sealed layout: `version (1) || nonce (24) || ciphertext+tag`. The caller supplies the
//! associated data that binds the value to its place (table, column, row, format version), so a
//! value copied to another row or column fails to open.

use chacha20poly1305::aead::{Aead, AeadInPlace, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use super::{random, DataKey};
use crate::{Error, Result};

/// Format version byte of sealed values.
pub(crate) const SEAL_VERSION: u8 = 1;
const NONCE_LEN: usize = 24;
/// Bytes a sealed value adds to its plaintext.
pub(crate) const SEAL_OVERHEAD: usize = 1 + NONCE_LEN + 16;

/// Encrypts `plaintext` under `key`, bound to `aad`.
pub(crate) fn seal(key: &DataKey, aad: &[u8], plaintext: &[u8]) -> Result<Vec<u8>> {
    let nonce: [u8; NONCE_LEN] = random::bytes()?;
    let cipher = XChaCha20Poly1305::new(key.as_bytes().into());
    // Encrypted in place in the output (one allocation, no copy of the ciphertext).
    let mut out = Vec::with_capacity(SEAL_OVERHEAD + plaintext.len());
    out.push(SEAL_VERSION);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(plaintext);
    match cipher.encrypt_in_place_detached(XNonce::from_slice(&nonce), aad, &mut out[1 + NONCE_LEN..]) {
        Ok(tag) => {
            out.extend_from_slice(&tag);
            Ok(out)
        }
        Err(_) => {
            // Still the plaintext: wipe it before the buffer is freed.
            zeroize::Zeroize::zeroize(&mut out);
            Err(Error::Crypto("encryption failed"))
        }
    }
}

/// Decrypts a value sealed by [`seal`] with the same `aad`. Any change to the sealed bytes, the
/// key or the AAD gives [`Error::Tampered`].
pub(crate) fn open(key: &DataKey, aad: &[u8], sealed: &[u8]) -> Result<zeroize::Zeroizing<Vec<u8>>> {
    if sealed.len() < SEAL_OVERHEAD || sealed[0] != SEAL_VERSION {
        return Err(Error::Tampered("sealed value has a bad header"));
    }
    let cipher = XChaCha20Poly1305::new(key.as_bytes().into());
    cipher
        .decrypt(
            XNonce::from_slice(&sealed[1..1 + NONCE_LEN]),
            Payload {
                msg: &sealed[1 + NONCE_LEN..],
                aad,
            },
        )
        .map(zeroize::Zeroizing::new)
        .map_err(|_| Error::Tampered("sealed value failed authentication"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_every_bit_flip_fails() {
        let k = DataKey::make().unwrap();
        let sealed = seal(&k, b"t|1", b"hello").unwrap();
        assert_eq!(&open(&k, b"t|1", &sealed).unwrap()[..], b"hello");
        assert!(open(&k, b"t|2", &sealed).is_err());
        assert!(open(&DataKey::make().unwrap(), b"t|1", &sealed).is_err());
        for i in 0..sealed.len() {
            for bit in 0..8 {
                let mut s = sealed.clone();
                s[i] ^= 1 << bit;
                assert!(matches!(open(&k, b"t|1", &s), Err(Error::Tampered(_))));
            }
        }
        for n in 0..sealed.len() {
            assert!(open(&k, b"t|1", &sealed[..n]).is_err());
        }
    }

    #[test]
    fn nonces_differ() {
        let k = DataKey::make().unwrap();
        assert_ne!(seal(&k, b"", b"x").unwrap(), seal(&k, b"", b"x").unwrap());
    }
}
