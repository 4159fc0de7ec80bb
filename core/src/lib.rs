//! # citizen-wallet-core
//!
//! An offline citizen credential wallet. This crate is pure Rust: no FFI, no network, no global
//! state. It owns
//!
//! * the **credential model** ([`model`]): citizen ID (CCCD), health insurance card (BHYT),
//!   electronic health book, judicial record certificate, with validation and vi/en labels;
//! * the **encrypted store** ([`storage`], [`crypto`]): SQLite where every personal value is
//!   sealed with XChaCha20-Poly1305 under a data key wrapped by a platform [`KeyProvider`] and/or
//!   a PIN (Argon2id);
//! * the **formats** ([`format`]): SD-CWT issuer credentials, SD-KBT holder presentations,
//!   base45 QR text;
//! * the **issuer** side ([`issuer`]): keys, issuing credentials;
//! * **trust** ([`trust`]): trust lists and status lists, the one check of an issued credential
//!   against the trust list (used by the wallet's import and by the verifier), the rejection
//!   vocabulary and every sentence a verdict shows (Vietnamese and English);
//! * the **verifier** ([`verify`]): QR text or image to a verdict, offline.
//!
//! The entry points are [`Wallet`] (the citizen's phone) and [`Verifier`] (the clinic counter).

#![warn(missing_docs, unreachable_pub)]

pub mod issuer;
pub mod model;
pub mod qr;
pub mod trust;

mod clock;
mod crypto;
mod error;
mod format;
mod platform;
mod present;
mod storage;
mod verify;
mod wallet;

pub use clock::{Clock, FixedClock, SystemClock};
pub use crypto::kdf::KdfParams;
pub use error::{Error, ImageError, InputError, InputRule, Result};
pub use platform::{KeyProvider, SoftwareKeyProvider};
pub use present::{Presentation, PresentationRequest, DEFAULT_TTL_SECS, OFFLINE_AUDIENCE};
pub use trust::{Lang, RejectReason, StaleReason};
pub use verify::{DisclosedClaim, Verdict, VerdictStatus, Verifier, VerifierConfig};
pub use wallet::{StoredCredential, Unlock, Wallet, WalletOptions};

/// Building blocks for this repository's own tests, benchmarks and fuzz targets: the wire
/// formats, keys, the store schema and cipher, presentations built from a bare holder key.
///
/// **Not part of the public interface and under no stability promise**: anything here may
/// change or go away in any release, patch releases included. Apps, the CLI and the bindings
/// use only the items listed in the crate documentation.
#[doc(hidden)]
pub mod internal {
    pub use crate::crypto::kdf::derive_pin_key;
    pub use crate::crypto::signing::{PublicKey, SigningKey};
    pub use crate::crypto::DataKey;
    pub use crate::format::{base45, cbor, cose, limits, qr_text, sd_cwt};
    pub use crate::present::{build_presentation, present};
    pub use crate::storage::cipher::StoreCipher;
    pub use crate::storage::schema;
}

#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!();
