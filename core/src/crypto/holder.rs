//! Holder keys: what signs a presentation (SD-KBT). Two algorithms:
//!
//! * **Ed25519** (COSE `-19`): the wallet's software key, a seed sealed in the store;
//! * **ES256** (COSE `-7`, ECDSA P-256 with SHA-256): the only curve the Secure Enclave and
//!   Android StrongBox / TEE offer, so a key that never leaves the secure hardware can bind
//!   presentations to the device. The wallet also has a software P-256 key for devices without
//!   secure hardware and for tests ([`SoftwareP256Signer`]).
//!
//! A [`HolderSigner`] is anything that signs for a holder key: the wallet's own keys, or an
//! app's hardware key behind the bindings' foreign signer. Signers sign the COSE
//! `Sig_structure` of an SD-KBT, never application bytes: the `typ` (294) in its protected
//! header keeps a holder signature from ever verifying as another kind of message, whatever the
//! algorithm (domain separation as in [`super::signing`]).
//!
//! Signatures are COSE's fixed-size form: 64 bytes, for ES256 `r || s` big-endian (RFC 9053
//! section 2.1), not DER. A high `s` is accepted on verification (platform keystores do not
//! normalize it, and a presentation is never identified by its signature bytes).

use std::fmt;

use hmac::{Hmac, Mac};
use p256::ecdsa::signature::{Signer, Verifier};
use sha2::Sha256;
use zeroize::Zeroizing;

use super::random;
use super::signing::{PublicKey, SigningKey};
use crate::{Error, InputError, InputRule, RejectReason, Result};

/// COSE `alg` of Ed25519 (RFC 9864).
const COSE_ED25519: i64 = -19;
/// COSE `alg` of ES256 (ECDSA w/ SHA-256; RFC 9053).
const COSE_ES256: i64 = -7;

/// A holder key's signature algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum HolderAlg {
    /// Ed25519 (COSE `-19`): the wallet's software key.
    Ed25519,
    /// ECDSA P-256 with SHA-256 (COSE `-7`): Secure Enclave, StrongBox / TEE, or the wallet's
    /// software P-256 key.
    Es256,
}

impl HolderAlg {
    /// The COSE algorithm number.
    pub fn cose_alg(self) -> i64 {
        match self {
            Self::Ed25519 => COSE_ED25519,
            Self::Es256 => COSE_ES256,
        }
    }
}

/// A holder's public key, as bound into a credential's `cnf`.
///
/// Ed25519: the 32-byte point. P-256: the 33-byte SEC1 **compressed** point (`02`/`03` || x);
/// [`from_bytes`](Self::from_bytes) also takes the 65-byte uncompressed form (`04` || x || y,
/// what Android's and Apple's APIs export) and compresses it. In a credential only the
/// compressed form is accepted (see `format::cose::key`).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum HolderPublicKey {
    /// An Ed25519 public key.
    Ed25519([u8; 32]),
    /// A P-256 public key, SEC1 compressed.
    P256([u8; 33]),
}

impl HolderPublicKey {
    /// Reads a public key of algorithm `alg`: Ed25519, 32 bytes; P-256, SEC1 compressed (33
    /// bytes) or uncompressed (65 bytes). The point is checked.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a wrong length or a point not on the curve.
    pub fn from_bytes(alg: HolderAlg, bytes: &[u8]) -> Result<Self> {
        match alg {
            HolderAlg::Ed25519 => Ok(Self::Ed25519(PublicKey::from_bytes(bytes)?.to_bytes())),
            HolderAlg::Es256 => {
                let sec1_form = matches!((bytes.len(), bytes.first()), (33, Some(2 | 3)) | (65, Some(4)));
                if !sec1_form {
                    return Err(InputError::new(
                        "public key",
                        InputRule::Format("expected a 33- or 65-byte SEC1 P-256 point"),
                    )
                    .into());
                }
                let vk = p256::ecdsa::VerifyingKey::from_sec1_bytes(bytes).map_err(|_| {
                    Error::from(InputError::new(
                        "public key",
                        InputRule::Invalid("not a valid P-256 point"),
                    ))
                })?;
                Ok(Self::from_p256(&vk))
            }
        }
    }

    fn from_p256(vk: &p256::ecdsa::VerifyingKey) -> Self {
        let mut out = [0u8; 33];
        out.copy_from_slice(vk.to_encoded_point(true).as_bytes());
        Self::P256(out)
    }

    /// The algorithm of this key.
    pub fn alg(&self) -> HolderAlg {
        match self {
            Self::Ed25519(_) => HolderAlg::Ed25519,
            Self::P256(_) => HolderAlg::Es256,
        }
    }

    /// The key bytes: 32 (Ed25519) or 33 (P-256, compressed).
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            Self::Ed25519(b) => b.to_vec(),
            Self::P256(b) => b.to_vec(),
        }
    }

    /// A P-256 key as the 65-byte SEC1 uncompressed point (`04` || x || y); `None` for
    /// Ed25519.
    pub fn to_sec1_uncompressed(&self) -> Option<Vec<u8>> {
        let Self::P256(b) = self else { return None };
        let vk = p256::ecdsa::VerifyingKey::from_sec1_bytes(b).ok()?;
        Some(vk.to_encoded_point(false).as_bytes().to_vec())
    }

    /// The checked key, ready to verify.
    pub(crate) fn verifying(&self) -> Result<HolderVerifyingKey> {
        match self {
            Self::Ed25519(b) => Ok(HolderVerifyingKey::Ed25519(PublicKey::from_bytes(b)?)),
            Self::P256(b) => p256::ecdsa::VerifyingKey::from_sec1_bytes(b)
                .map(|k| HolderVerifyingKey::P256(Box::new(k)))
                .map_err(|_| RejectReason::Malformed.into()),
        }
    }

    /// The P-256 point's affine `y`, for the RFC 9679 thumbprint (which takes `y` in full).
    pub(crate) fn p256_y(&self) -> Option<[u8; 32]> {
        let Self::P256(b) = self else { return None };
        let vk = p256::ecdsa::VerifyingKey::from_sec1_bytes(b).ok()?;
        let point = vk.to_encoded_point(false);
        point.y().map(|y| {
            let mut out = [0u8; 32];
            out.copy_from_slice(y);
            out
        })
    }
}

impl fmt::Debug for HolderPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "HolderPublicKey::{:?}({})",
            self.alg(),
            hex::encode(self.to_bytes())
        )
    }
}

/// A decoded holder key (point checked once).
#[derive(Clone)]
pub(crate) enum HolderVerifyingKey {
    Ed25519(PublicKey),
    P256(Box<p256::ecdsa::VerifyingKey>),
}

impl HolderVerifyingKey {
    /// The algorithm this key verifies.
    pub(crate) fn alg(&self) -> HolderAlg {
        match self {
            Self::Ed25519(_) => HolderAlg::Ed25519,
            Self::P256(_) => HolderAlg::Es256,
        }
    }

    /// Verifies `sig` over `msg` (a `Sig_structure`); any failure is `reason`. Ed25519 is
    /// verified strictly; ES256 takes the 64-byte `r || s` form only.
    pub(crate) fn verify(&self, msg: &[u8], sig: &[u8], reason: RejectReason) -> Result<()> {
        match self {
            Self::Ed25519(k) => k.verify_raw(msg, sig, reason),
            Self::P256(k) => {
                let sig = p256::ecdsa::Signature::from_slice(sig).map_err(|_| reason)?;
                k.verify(msg, &sig).map_err(|_| reason.into())
            }
        }
    }
}

/// Signs presentations for one holder key.
///
/// Implemented by the wallet's software keys (Ed25519 [`SigningKey`], [`SoftwareP256Signer`])
/// and, in the bindings, by a foreign signer whose key stays in the Secure Enclave or StrongBox.
/// `sign` receives the COSE `Sig_structure` of an SD-KBT (about 300 bytes) and returns the
/// 64-byte COSE signature (ES256: `r || s`, **not** DER); the message is hashed by the signer
/// (ES256: SHA-256, as `SHA256withECDSA` / `ecdsaSignatureMessageX962SHA256` do).
pub trait HolderSigner: Send + Sync {
    /// The public key this signer signs for.
    ///
    /// # Errors
    /// Whatever keeps the signer from answering (a foreign keystore's failure).
    fn public_key(&self) -> Result<HolderPublicKey>;

    /// Signs `message`.
    ///
    /// # Errors
    /// Whatever keeps the signer from signing (a refused biometric prompt, a keystore failure).
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>>;
}

impl HolderSigner for SigningKey {
    fn public_key(&self) -> Result<HolderPublicKey> {
        Ok(HolderPublicKey::Ed25519(self.public().to_bytes()))
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        Ok(self.sign_raw(message).to_vec())
    }
}

/// A software ES256 (P-256) holder key: for devices without secure hardware, and for tests.
///
/// The wallet's own software P-256 key is **derived** from its sealed holder seed
/// ([`Wallet::holder_signer`](crate::Wallet::holder_signer)): it is stored exactly as
/// protected as the Ed25519 key (sealed under the data key, resealed by a rotation), with no new
/// table. Like any software key it can be copied once the wallet is unlocked; a key in the
/// Secure Enclave or StrongBox cannot (the bindings' foreign signer).
///
/// The secret scalar is zeroized on drop (p256's `SigningKey`); `Debug` shows only the public
/// key. Signatures are deterministic (RFC 6979).
#[derive(Clone)]
pub struct SoftwareP256Signer(p256::ecdsa::SigningKey);

impl SoftwareP256Signer {
    /// A fresh random key.
    ///
    /// # Errors
    /// [`Error::Crypto`] when the OS random number generator fails.
    pub fn generate() -> Result<Self> {
        loop {
            let bytes = Zeroizing::new(random::bytes::<32>()?);
            if let Ok(k) = p256::ecdsa::SigningKey::from_slice(bytes.as_ref()) {
                return Ok(Self(k));
            }
        }
    }

    /// From a 32-byte big-endian secret scalar.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a wrong length, zero or a value not below the group order.
    pub fn from_secret(secret: &[u8]) -> Result<Self> {
        if secret.len() != 32 {
            return Err(InputError::new("signing key", InputRule::Format("expected 32 bytes")).into());
        }
        p256::ecdsa::SigningKey::from_slice(secret)
            .map(Self)
            .map_err(|_| InputError::new("signing key", InputRule::Invalid("not a P-256 scalar")).into())
    }

    /// Derives the wallet's software P-256 key from its holder seed (deterministic):
    /// HMAC-SHA256(seed, "citizen-wallet/v1/holder-p256/" || counter), the first counter whose
    /// output is a valid scalar (all but about 2^-32 of seeds take the first).
    pub(crate) fn derive_from_seed(seed: &[u8]) -> Result<Self> {
        for counter in 0u8..=255 {
            let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(seed).map_err(|_| Error::WrongKey)?;
            mac.update(b"citizen-wallet/v1/holder-p256/");
            mac.update(&[counter]);
            let bytes = Zeroizing::new(<[u8; 32]>::from(mac.finalize().into_bytes()));
            if let Ok(k) = p256::ecdsa::SigningKey::from_slice(bytes.as_ref()) {
                return Ok(Self(k));
            }
        }
        // 256 invalid scalars in a row: probability ~2^-8000.
        Err(Error::WrongKey)
    }

    /// The public key (compressed).
    pub fn public(&self) -> HolderPublicKey {
        HolderPublicKey::from_p256(self.0.verifying_key())
    }
}

impl HolderSigner for SoftwareP256Signer {
    fn public_key(&self) -> Result<HolderPublicKey> {
        Ok(self.public())
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        let sig: p256::ecdsa::Signature = self.0.sign(message);
        let sig = sig.normalize_s().unwrap_or(sig);
        Ok(sig.to_bytes().to_vec())
    }
}

impl fmt::Debug for SoftwareP256Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "SoftwareP256Signer {{ public: {}, secret: <redacted> }}",
            hex::encode(self.public().to_bytes())
        )
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn es256_signs_verifies_and_rejects() {
        let s = SoftwareP256Signer::generate().unwrap();
        let pk = s.public_key().unwrap();
        assert_eq!(pk.alg(), HolderAlg::Es256);
        assert!(matches!(pk.to_bytes()[0], 2 | 3));
        let sig = s.sign(b"msg").unwrap();
        assert_eq!(sig.len(), 64);
        let vk = pk.verifying().unwrap();
        vk.verify(b"msg", &sig, RejectReason::BadHolderSignature).unwrap();
        assert!(vk.verify(b"msh", &sig, RejectReason::BadHolderSignature).is_err());
        let mut bad = sig.clone();
        bad[10] ^= 1;
        assert!(vk.verify(b"msg", &bad, RejectReason::BadHolderSignature).is_err());
        assert!(vk
            .verify(b"msg", &sig[..63], RejectReason::BadHolderSignature)
            .is_err());
        // Uncompressed input is compressed; the Debug form shows no secret.
        let Some(y) = pk.p256_y() else { panic!() };
        let mut unc = vec![4u8];
        unc.extend_from_slice(&pk.to_bytes()[1..]);
        unc.extend_from_slice(&y);
        assert_eq!(HolderPublicKey::from_bytes(HolderAlg::Es256, &unc).unwrap(), pk);
        assert!(format!("{s:?}").contains("<redacted>"));
    }

    #[test]
    fn the_secret_zeroizes_and_debug_shows_none_of_it() {
        fn zeroizes_on_drop<T: zeroize::ZeroizeOnDrop>() {}
        zeroizes_on_drop::<p256::ecdsa::SigningKey>();
        let s = SoftwareP256Signer::from_secret(&[0x5a; 32]).unwrap();
        let debug = format!("{s:?}");
        assert!(
            !debug.contains(&hex::encode([0x5a; 32])) && !debug.contains("90, 90"),
            "{debug}"
        );
    }

    #[test]
    fn derivation_is_deterministic_and_separate() {
        let a = SoftwareP256Signer::derive_from_seed(&[7; 32]).unwrap();
        let b = SoftwareP256Signer::derive_from_seed(&[7; 32]).unwrap();
        let c = SoftwareP256Signer::derive_from_seed(&[8; 32]).unwrap();
        assert_eq!(a.public(), b.public());
        assert_ne!(a.public(), c.public());
    }

    #[test]
    fn bad_points_are_refused() {
        assert!(HolderPublicKey::from_bytes(HolderAlg::Es256, &[5; 33]).is_err());
        // Some x has no point on the curve.
        assert!((0u8..=255).any(|b| {
            let mut p = [b; 33];
            p[0] = 2;
            HolderPublicKey::from_bytes(HolderAlg::Es256, &p).is_err()
        }));
        assert!(HolderPublicKey::from_bytes(HolderAlg::Es256, &[4; 65]).is_err());
        assert!(HolderPublicKey::from_bytes(HolderAlg::Es256, &[2; 32]).is_err());
    }
}
