//! Value encryption: XChaCha20-Poly1305 with a random 24-byte nonce per value.
//!
//! Two sealed layouts, told apart by their first byte:
//!
//! * **version 1** ([`seal`]): `0x01 || nonce (24) || ciphertext || tag (16)`, the plaintext as
//!   it is, associated data as given. Used for fixed-size key material (a wrapped data key), and
//!   what wallets before padding wrote for every value; [`open`] still reads it.
//! * **version 2** ([`seal_padded`]): `0x02 || nonce (24) || ciphertext || tag (16)`, where the
//!   plaintext is padded before encryption to a size class ([`padded_len`]: [`MIN_PADDED_LEN`]
//!   bytes, then one class per power of two) with ISO/IEC 7816-4 padding (`0x80` then zeros),
//!   so the sealed size tells a file reader only the class. The classes are the writer's
//!   choice: opening only strips the padding, so they can be tuned without a format change. The version byte is bound into the
//!   associated data (`0x02 || aad`), so a value cannot be relabelled as another version.
//!
//! The caller supplies the associated data that binds the value to its place (table, column,
//! row), so a value copied to another row or column fails to open.

use chacha20poly1305::aead::{Aead, AeadInPlace, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::{Zeroize, Zeroizing};

use super::{random, DataKey};
use crate::{Error, Result};

/// Format version byte of unpadded sealed values (key material; values of older wallets).
pub(crate) const SEAL_VERSION: u8 = 1;
/// Format version byte of padded sealed values.
pub(crate) const SEAL_VERSION_PADDED: u8 = 2;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;
/// Bytes a sealed value adds to its (padded, for version 2) plaintext.
pub(crate) const SEAL_OVERHEAD: usize = 1 + NONCE_LEN + TAG_LEN;
/// The smallest padded plaintext: every value of up to `MIN_PADDED_LEN - 1` bytes seals to the
/// same size. 1 KiB holds every sample credential's fields (137-544 bytes of JSON) and every
/// sample issuer-signed credential (221-974 bytes), so none of them tells its type, a
/// conviction or a long address by its size.
pub(crate) const MIN_PADDED_LEN: usize = 1024;
/// Each class above the smallest ends this many bytes short of its power of two (2 KiB - 128,
/// 4 KiB - 128, ...), so that two values of the 2 KiB class fit one 4 KiB SQLite page beside
/// their row's other columns: 1.1 KB records padded to a full 2 KiB took a page each (the
/// 10,000-record benchmark's file grew from 14.5 to 40.5 MB). The same number of classes, so
/// the same information, as plain powers of two.
pub(crate) const PAD_CLASS_RESERVE: usize = 128;
/// The ISO/IEC 7816-4 padding marker that ends the real plaintext.
const PAD_MARKER: u8 = 0x80;

/// The padded length of a plaintext of `len` bytes (it needs `len + 1` with the padding
/// marker): [`MIN_PADDED_LEN`] if that holds it, else the smallest `2^k - PAD_CLASS_RESERVE`
/// that does. At most about twice the plaintext.
#[cfg(test)]
pub(crate) fn padded_len(len: usize) -> usize {
    padded_len_from(len, MIN_PADDED_LEN)
}

/// The smallest padded plaintext of a store's small values (a credential's summary: type,
/// name, issuer, expiry; 30-90 bytes for the samples): every summary of up to 127 bytes seals
/// to the same size, and the classes above are [`padded_len`]'s (384, 896, 1,920...). 128, not
/// 256: a row of a 1 KiB payload and a 128-byte summary is small enough for three rows to a
/// 4 KiB page (two with 256), a third less I/O for the whole store.
pub(crate) const MIN_PADDED_LEN_SMALL: usize = 128;

/// [`padded_len`] with a smallest class of `min` bytes instead of [`MIN_PADDED_LEN`]. Opening
/// only strips the padding, so a column may use a smaller first class without a format change.
pub(crate) fn padded_len_from(len: usize, min: usize) -> usize {
    let needed = len.saturating_add(1);
    if needed <= min {
        return min;
    }
    needed
        .saturating_add(PAD_CLASS_RESERVE)
        .checked_next_power_of_two()
        .map_or(usize::MAX, |p| p - PAD_CLASS_RESERVE)
}

/// Encrypts `plaintext` under `key`, bound to `aad`, unpadded (version 1). For values whose
/// size says nothing (key material); store values go through [`seal_padded`].
pub(crate) fn seal(key: &DataKey, aad: &[u8], plaintext: &[u8]) -> Result<Vec<u8>> {
    seal_with_nonce(SEAL_VERSION, key, aad, plaintext, &random::bytes()?, 0)
}

/// Encrypts `plaintext` under `key`, bound to `aad`, padded to its size bucket (version 2).
pub(crate) fn seal_padded(key: &DataKey, aad: &[u8], plaintext: &[u8]) -> Result<Vec<u8>> {
    seal_padded_from(key, aad, plaintext, MIN_PADDED_LEN)
}

/// [`seal_padded`] with a smallest class of `min` bytes (see [`padded_len_from`]).
pub(crate) fn seal_padded_from(key: &DataKey, aad: &[u8], plaintext: &[u8], min: usize) -> Result<Vec<u8>> {
    seal_with_nonce(SEAL_VERSION_PADDED, key, aad, plaintext, &random::bytes()?, min)
}

/// The associated data the AEAD sees for `version`: version 2 binds its version byte.
fn bound_aad(version: u8, aad: &[u8]) -> Zeroizing<Vec<u8>> {
    let mut out = Vec::with_capacity(aad.len() + 1);
    if version != SEAL_VERSION {
        out.push(version);
    }
    out.extend_from_slice(aad);
    Zeroizing::new(out)
}

fn seal_with_nonce(
    version: u8,
    key: &DataKey,
    aad: &[u8],
    plaintext: &[u8],
    nonce: &[u8; NONCE_LEN],
    min_padded: usize,
) -> Result<Vec<u8>> {
    let body_len = match version {
        SEAL_VERSION_PADDED => padded_len_from(plaintext.len(), min_padded),
        _ => plaintext.len(),
    };
    let cipher = XChaCha20Poly1305::new(key.as_bytes().into());
    // Encrypted in place in the output (one allocation, no copy of the ciphertext).
    let mut out = Vec::with_capacity(SEAL_OVERHEAD + body_len);
    out.push(version);
    out.extend_from_slice(nonce);
    out.extend_from_slice(plaintext);
    if version == SEAL_VERSION_PADDED {
        out.push(PAD_MARKER);
        out.resize(1 + NONCE_LEN + body_len, 0);
    }
    match cipher.encrypt_in_place_detached(
        XNonce::from_slice(nonce),
        &bound_aad(version, aad),
        &mut out[1 + NONCE_LEN..],
    ) {
        Ok(tag) => {
            out.extend_from_slice(&tag);
            Ok(out)
        }
        Err(_) => {
            // Still the plaintext: wipe it before the buffer is freed.
            out.zeroize();
            Err(Error::Crypto("encryption failed"))
        }
    }
}

/// Decrypts a value sealed by [`seal`] or [`seal_padded`] with the same `aad` (and removes the
/// padding of version 2). Any change to the sealed bytes, the key or the AAD gives
/// [`Error::Tampered`].
pub(crate) fn open(key: &DataKey, aad: &[u8], sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    let version = match sealed.first() {
        Some(&v @ (SEAL_VERSION | SEAL_VERSION_PADDED)) if sealed.len() >= SEAL_OVERHEAD => v,
        _ => return Err(Error::Tampered("sealed value has a bad header")),
    };
    let cipher = XChaCha20Poly1305::new(key.as_bytes().into());
    let mut plain = cipher
        .decrypt(
            XNonce::from_slice(&sealed[1..1 + NONCE_LEN]),
            Payload {
                msg: &sealed[1 + NONCE_LEN..],
                aad: &bound_aad(version, aad),
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| Error::Tampered("sealed value failed authentication"))?;
    if version == SEAL_VERSION_PADDED {
        unpad(&mut plain)?;
    }
    Ok(plain)
}

/// Removes ISO/IEC 7816-4 padding in place: trailing zeros, then the `0x80` marker. An
/// authenticated value always has it; its absence means the value was sealed wrongly.
fn unpad(plain: &mut Zeroizing<Vec<u8>>) -> Result<()> {
    let marker = plain
        .iter()
        .rposition(|&b| b != 0)
        .filter(|&i| plain[i] == PAD_MARKER)
        .ok_or(Error::Tampered("sealed value has bad padding"))?;
    // `truncate` leaves the padding bytes in the spare capacity: they are zeros and the marker.
    plain.truncate(marker);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_every_bit_flip_fails() {
        let k = DataKey::make().unwrap();
        for (sealed, version) in [
            (seal(&k, b"t|1", b"hello").unwrap(), SEAL_VERSION),
            (seal_padded(&k, b"t|1", b"hello").unwrap(), SEAL_VERSION_PADDED),
        ] {
            assert_eq!(sealed[0], version);
            assert_eq!(&open(&k, b"t|1", &sealed).unwrap()[..], b"hello");
            assert!(open(&k, b"t|2", &sealed).is_err());
            assert!(open(&DataKey::make().unwrap(), b"t|1", &sealed).is_err());
            // Every bit of the version-2 value is checked: on a 1 KiB body that is 8,000+
            // AEAD opens, still fast.
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
    }

    #[test]
    fn nonces_differ() {
        let k = DataKey::make().unwrap();
        assert_ne!(seal(&k, b"", b"x").unwrap(), seal(&k, b"", b"x").unwrap());
        assert_ne!(
            seal_padded(&k, b"", b"x").unwrap(),
            seal_padded(&k, b"", b"x").unwrap()
        );
    }

    #[test]
    fn padded_sizes_are_buckets() {
        assert_eq!(padded_len(0), MIN_PADDED_LEN);
        assert_eq!(padded_len(MIN_PADDED_LEN - 1), MIN_PADDED_LEN);
        // The marker needs a byte: a plaintext filling a class moves to the next.
        assert_eq!(padded_len(MIN_PADDED_LEN), 2048 - PAD_CLASS_RESERVE);
        assert_eq!(padded_len(1919), 1920);
        assert_eq!(padded_len(1920), 3968);
        assert_eq!(padded_len(3000), 3968);
        assert_eq!(padded_len(3967), 3968);
        assert_eq!(padded_len(3968), 8064);
        assert_eq!(padded_len_from(0, MIN_PADDED_LEN_SMALL), 128);
        assert_eq!(padded_len_from(127, MIN_PADDED_LEN_SMALL), 128);
        assert_eq!(padded_len_from(128, MIN_PADDED_LEN_SMALL), 384);
        assert_eq!(padded_len_from(383, MIN_PADDED_LEN_SMALL), 384);
        assert_eq!(padded_len_from(1000, MIN_PADDED_LEN_SMALL), 1920);
        // One class per power of two, never less than the plaintext and its marker, at most
        // about twice it.
        let mut classes = std::collections::BTreeSet::new();
        for len in 0..70_000 {
            let p = padded_len(len);
            assert!(p > len && (len < MIN_PADDED_LEN || p <= 2 * (len + PAD_CLASS_RESERVE)));
            classes.insert(p);
        }
        assert_eq!(
            classes.into_iter().collect::<Vec<_>>(),
            [1024, 1920, 3968, 8064, 16256, 32640, 65408, 130944]
        );
        let k = DataKey::make().unwrap();
        for len in [0, 1, 100, 543, 974, 1023, 1024, 1500, 1919, 1920, 2048, 5000] {
            let plain: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            let sealed = seal_padded(&k, b"a", &plain).unwrap();
            assert_eq!(sealed.len(), SEAL_OVERHEAD + padded_len(len), "{len}");
            assert_eq!(&open(&k, b"a", &sealed).unwrap()[..], &plain[..], "{len}");
        }
        // Trailing zeros and 0x80 bytes of the plaintext itself survive: only the last 0x80
        // before the zero run is the marker.
        for plain in [&b"\x80"[..], b"\x00", b"a\x80\x00", b"\x80\x80\x00\x00", b""] {
            let sealed = seal_padded(&k, b"a", plain).unwrap();
            assert_eq!(&open(&k, b"a", &sealed).unwrap()[..], plain);
        }
    }

    #[test]
    fn a_value_cannot_be_relabelled_as_the_other_version() {
        let k = DataKey::make().unwrap();
        let mut v2 = seal_padded(&k, b"a", b"hello").unwrap();
        v2[0] = SEAL_VERSION;
        assert!(matches!(open(&k, b"a", &v2), Err(Error::Tampered(_))));
        let mut v1 = seal(&k, b"a", b"hello").unwrap();
        v1[0] = SEAL_VERSION_PADDED;
        assert!(matches!(open(&k, b"a", &v1), Err(Error::Tampered(_))));
        for version in [0u8, 3, 0xff] {
            let mut s = seal(&k, b"a", b"hello").unwrap();
            s[0] = version;
            assert!(matches!(open(&k, b"a", &s), Err(Error::Tampered(_))));
        }
    }

    #[test]
    fn a_padded_value_without_its_marker_is_refused() {
        // Only someone with the key can make one; still never misread.
        let k = DataKey::make().unwrap();
        let nonce = [9u8; NONCE_LEN];
        let cipher = XChaCha20Poly1305::new(k.as_bytes().into());
        let body = vec![0u8; MIN_PADDED_LEN];
        let ct = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: &body,
                    aad: &bound_aad(SEAL_VERSION_PADDED, b"a"),
                },
            )
            .unwrap();
        let mut sealed = vec![SEAL_VERSION_PADDED];
        sealed.extend_from_slice(&nonce);
        sealed.extend_from_slice(&ct);
        assert!(matches!(open(&k, b"a", &sealed), Err(Error::Tampered(_))));
    }

    // ---- frozen vectors: the bytes wallets were and are written with

    const VECTOR_KEY: [u8; 32] = [0x42; 32];
    const VECTOR_NONCE: [u8; NONCE_LEN] = [0x24; NONCE_LEN];
    const VECTOR_AAD: &[u8] =
        b"citizen-wallet/v1/credentials/payload_sealed/0123456789abcdef0123456789abcdef";
    const VECTOR_PLAIN: &[u8] = b"{\"full_name\":\"Nguy\xe1\xbb\x85n V\xc4\x83n A\"}";

    /// Version 1, as every wallet before padding sealed its values (and every PIN slot still
    /// wraps its data key).
    const VECTOR_V1: &str = "01242424242424242424242424242424242424242424242424de7cb110024813c8c3425a1834aa43ad47886f01f97154cbe5e2886d2a32a61ffee62b8998253f13e5e84b3a643e94";
    /// Version 2: padded to 1 KiB, version byte bound into the associated data (1,065 bytes).
    const VECTOR_V2: &str = include_str!("../../tests/data/vector-sealed-v2.hex");

    #[test]
    fn frozen_vectors_open_and_reseal_byte_for_byte() {
        let k = DataKey::from_slice(&VECTOR_KEY).unwrap();
        let cipher = XChaCha20Poly1305::new(k.as_bytes().into());
        let nonce = XNonce::from_slice(&VECTOR_NONCE);

        // Version 1: the layout spelled out with the AEAD alone, as the code before padding
        // wrote it: 0x01 || nonce || AEAD(plaintext, aad).
        let mut v1 = vec![SEAL_VERSION];
        v1.extend_from_slice(&VECTOR_NONCE);
        v1.extend(
            cipher
                .encrypt(
                    nonce,
                    Payload {
                        msg: VECTOR_PLAIN,
                        aad: VECTOR_AAD,
                    },
                )
                .unwrap(),
        );
        assert_eq!(hex::encode(&v1), VECTOR_V1);
        assert_eq!(
            seal_with_nonce(
                SEAL_VERSION,
                &k,
                VECTOR_AAD,
                VECTOR_PLAIN,
                &VECTOR_NONCE,
                MIN_PADDED_LEN
            )
            .unwrap(),
            v1
        );
        assert_eq!(&open(&k, VECTOR_AAD, &v1).unwrap()[..], VECTOR_PLAIN);

        // Version 2: 0x02 || nonce || AEAD(plaintext || 0x80 || zeros to 1 KiB, 0x02 || aad).
        let mut body = VECTOR_PLAIN.to_vec();
        body.push(0x80);
        body.resize(MIN_PADDED_LEN, 0);
        let mut bound = vec![SEAL_VERSION_PADDED];
        bound.extend_from_slice(VECTOR_AAD);
        let mut v2 = vec![SEAL_VERSION_PADDED];
        v2.extend_from_slice(&VECTOR_NONCE);
        v2.extend(
            cipher
                .encrypt(
                    nonce,
                    Payload {
                        msg: &body,
                        aad: &bound,
                    },
                )
                .unwrap(),
        );
        assert_eq!(v2.len(), SEAL_OVERHEAD + MIN_PADDED_LEN);
        assert_eq!(hex::encode(&v2), VECTOR_V2.trim());
        assert_eq!(
            seal_with_nonce(
                SEAL_VERSION_PADDED,
                &k,
                VECTOR_AAD,
                VECTOR_PLAIN,
                &VECTOR_NONCE,
                MIN_PADDED_LEN
            )
            .unwrap(),
            v2
        );
        assert_eq!(&open(&k, VECTOR_AAD, &v2).unwrap()[..], VECTOR_PLAIN);
    }
}
