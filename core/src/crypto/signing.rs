//! Ed25519 signing keys (issuer, root and holder keys).
//!
//! Domain separation: nothing in this crate signs raw bytes. Every signature is over a COSE
//! `Sig_structure` whose protected header carries a `typ` distinct per message kind (issuer
//! credential, holder presentation, trust list, status list), so a signature made for one kind
//! can never verify as another. See `format::cose`.

use std::fmt;

use ed25519_dalek::Signer;
use zeroize::Zeroizing;

use super::random;
use crate::{Error, InputError, InputRule, RejectReason, Result};

/// An Ed25519 signing key. Zeroized on drop (ed25519-dalek's `zeroize` feature); `Debug` shows
/// only the public key.
#[derive(Clone)]
pub struct SigningKey(ed25519_dalek::SigningKey);

impl SigningKey {
    /// A fresh random key.
    pub fn make() -> Result<Self> {
        let seed = Zeroizing::new(random::bytes::<32>()?);
        Ok(Self(ed25519_dalek::SigningKey::from_bytes(&seed)))
    }

    /// From a 32-byte seed.
    pub fn from_seed(seed: &[u8]) -> Result<Self> {
        let seed: Zeroizing<[u8; 32]> = Zeroizing::new(
            seed.try_into()
                .map_err(|_| InputError::new("signing key", InputRule::Format("expected 32 bytes")))?,
        );
        Ok(Self(ed25519_dalek::SigningKey::from_bytes(&seed)))
    }

    /// The 32-byte seed, for sealed storage only.
    pub fn seed(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.0.to_bytes())
    }

    /// The public half of this key.
    pub fn public(&self) -> PublicKey {
        PublicKey(self.0.verifying_key())
    }

    /// Signs `msg`. Callers pass a COSE `Sig_structure`, never application bytes directly.
    pub(crate) fn sign_raw(&self, msg: &[u8]) -> [u8; 64] {
        self.0.sign(msg).to_bytes()
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "SigningKey {{ public: {}, secret: <redacted> }}",
            hex::encode(self.public().to_bytes())
        )
    }
}

/// An Ed25519 public key.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PublicKey(ed25519_dalek::VerifyingKey);

impl PublicKey {
    /// Reads a 32-byte compressed Ed25519 point.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when `b` is not 32 bytes or not a valid point.
    pub fn from_bytes(b: &[u8]) -> Result<Self> {
        let arr: [u8; 32] = b
            .try_into()
            .map_err(|_| InputError::new("public key", InputRule::Format("expected 32 bytes")))?;
        ed25519_dalek::VerifyingKey::from_bytes(&arr)
            .map(Self)
            .map_err(|_| {
                Error::from(InputError::new(
                    "public key",
                    InputRule::Invalid("not a valid Ed25519 point"),
                ))
            })
    }

    /// The 32-byte compressed point, as carried in trust lists and COSE keys.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    /// Strict verification (rejects non-canonical and small-order signatures).
    pub(crate) fn verify_raw(&self, msg: &[u8], sig: &[u8], reason: RejectReason) -> Result<()> {
        let sig = ed25519_dalek::Signature::from_slice(sig).map_err(|_| reason)?;
        self.0.verify_strict(msg, &sig).map_err(|_| reason)?;
        Ok(())
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", hex::encode(self.to_bytes()))
    }
}
