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

pub mod clock;
pub mod crypto;
pub mod error;
pub mod format;
pub mod issuer;
pub mod model;
pub mod platform;
pub mod present;
pub mod qr;
pub mod storage;
pub mod trust;
pub mod verify;
pub mod wallet;

pub use clock::{Clock, SystemClock};
pub use error::{Error, ImageError, InputError, InputRule, Result};
pub use platform::{KeyProvider, SoftwareKeyProvider};
pub use trust::{CounterState, ListUpdate, StateError};
pub use trust::{Lang, RejectReason};
pub use verify::{Verdict, VerdictStatus, Verifier, VerifierConfig};
pub use wallet::{StoredCredential, Unlock, Wallet, WalletOptions};

#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!();
