//! # citizen-wallet-core
//!
//! An offline citizen credential wallet. A citizen's credentials — citizen ID (CCCD), health
//! insurance card (BHYT), electronic health book, judicial record certificate, clinic check-in —
//! are kept encrypted in SQLite on the phone and shown as signed QR presentations that a clinic
//! counter verifies with no network. This crate is pure Rust: no FFI, no network, no global
//! state; `citizen-wallet-ffi` exposes it to Kotlin and Swift, `cwallet` to the command line.
//!
//! Inside, it owns the encrypted store (every personal value sealed with XChaCha20-Poly1305
//! under a data key that a platform [`KeyProvider`] and/or a PIN stretched with Argon2id wrap;
//! see `src/storage/README.md`), the wire formats (SD-CWT issuer credentials, SD-KBT holder
//! presentations, base45 QR text), trust lists and status lists, and the verifier. Only what is
//! listed below is public.
//!
//! ## From issuer to counter
//!
//! An authority signs a trust list naming an issuer; the issuer issues a check-in credential to
//! the wallet's holder key; the wallet imports it, checked against the trust list, and presents
//! it as QR text; the counter verifies that text offline.
//!
//! ```
//! use std::sync::Arc;
//!
//! use citizen_wallet_core::issuer::{Issuer, IssuerKey};
//! use citizen_wallet_core::model::{ClinicCheckin, Credential, CredentialType, Date};
//! use citizen_wallet_core::trust::{StatusList, TrustList, TrustedIssuer};
//! use citizen_wallet_core::{
//!     FixedClock, PresentationRequest, Unlock, VerdictStatus, Verifier, VerifierConfig, Wallet,
//!     WalletOptions,
//! };
//!
//! const NOW: i64 = 1_767_225_600; // 2026-01-01, unix seconds
//! const YEAR: i64 = 365 * 86_400;
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//!
//! // The authority: a root key signs the trust list; the issuer may issue check-in credentials.
//! let root = IssuerKey::generate()?;
//! let issuer = Issuer::new(IssuerKey::generate()?, "BHXH");
//! let entry = TrustedIssuer::new(
//!     issuer.key.public(),
//!     "BHXH",
//!     "Bảo hiểm xã hội Việt Nam",
//!     "Vietnam Social Security",
//!     NOW - YEAR,
//!     NOW + 5 * YEAR,
//!     &[CredentialType::ClinicCheckin],
//! );
//! let trust_list = TrustList::new(NOW).with(entry).sign(&root)?;
//! // The issuer's status list: nothing revoked.
//! let status_list = StatusList::new(issuer.key.kid(), 1024, NOW, 86_400)?.sign(&issuer.key)?;
//!
//! // The citizen's wallet, protected by a PIN.
//! let dir = tempfile::tempdir()?;
//! let options = WalletOptions {
//!     clock: Arc::new(FixedClock::new(NOW)),
//!     ..WalletOptions::default()
//! };
//! let wallet = Wallet::create(dir.path().join("wallet.db"), Unlock::Pin("135790"), options)?;
//!
//! // The issuer signs a credential for the wallet's holder key, with status list index 7.
//! let checkin = Credential::ClinicCheckin(ClinicCheckin {
//!     full_name: "Nguyễn Văn An".into(),
//!     dob: Date::new(1990, 5, 17)?,
//!     citizen_id: "001090012345".into(),
//!     bhyt_code: "DN4010115283746".into(),
//! });
//! let issued = issuer.issue_default(&checkin, &wallet.holder_public_key()?, NOW, NOW + YEAR, 7)?;
//!
//! // The wallet imports it only if the trust list vouches for its issuer, then presents it.
//! let id = wallet.import_issued(&issued, &TrustList::parse_verify(&trust_list, &root.public())?)?;
//! let presentation = wallet.present(&PresentationRequest {
//!     credential_id: id,
//!     claims: vec!["full_name".into(), "dob".into()],
//!     audience: None,
//!     nonce: None,
//!     ttl_secs: None,
//! })?;
//!
//! // The counter, a minute later, offline.
//! let verifier = Verifier::new(
//!     &trust_list,
//!     &root.public(),
//!     &[status_list],
//!     VerifierConfig::default(),
//!     Arc::new(FixedClock::new(NOW + 60)),
//! )?;
//! let verdict = verifier.verify_text(&presentation.qr_text)?;
//! assert_eq!(verdict.status, VerdictStatus::Valid);
//! assert_eq!(verdict.claim("full_name"), Some("Nguyễn Văn An"));
//! # Ok(())
//! # }
//! ```
//!
//! ## The public interface is
//!
//! **Entry points**
//!
//! * [`Wallet`]: the citizen's phone. [`Wallet::create`] / [`Wallet::open`] a file with an
//!   [`Unlock`] (a PIN or a [`KeyProvider`]) and [`WalletOptions`] ([`KdfParams`], the clock);
//!   add, list, get and delete [`StoredCredential`]s; list their [`CredentialSummary`]s (what a
//!   list screen shows, without opening each credential); import issued ones; present them.
//! * [`Verifier`]: the clinic counter. Built from a signed trust list, the issuers' status lists
//!   and a [`VerifierConfig`]; turns QR text or a PNG into a [`Verdict`] ([`VerdictStatus`],
//!   the [`DisclosedClaim`]s, [`Verdict::summary_in`] for the officer).
//!   [`Verifier::scan_text`] reads either a presentation or a chip ID card's printed QR, which
//!   is shown as unverified card data ([`Scan`], [`IdCardData`]): one scanner at the counter.
//!
//! **Presenting**: [`Wallet::present`] takes a [`PresentationRequest`] and gives a
//! [`Presentation`] (QR text and matrix). The verifier sees the claims the citizen chose among
//! those the issuer made selectively disclosable ([`Wallet::disclosable_claims`]) and every
//! claim the issuer signed in clear ([`Presentation::always_visible`]). A presentation is bound
//! to the holder key, to a counter id or [`OFFLINE_AUDIENCE`], and to a short lifetime
//! ([`DEFAULT_TTL_SECS`]), so a photographed code cannot be replayed for long.
//!
//! **Two-way requests**, for a counter with a screen: the counter signs a request QR with its
//! reader key ([`Verifier::make_request`] → [`CounterRequest`]); the wallet checks it against
//! the trust list and shows who asks for what and why ([`Wallet::read_request`] →
//! [`ReaderRequest`]), then answers bound to it ([`Wallet::answer_request`]); the counter
//! accepts the answer once ([`Verifier::verify_response`]). Readers and their roles are in the
//! trust list ([`trust::TrustedReader`], [`trust::ReaderRole`], [`trust::RequestPurpose`]).
//!
//! **Trust** ([`trust`]): [`trust::TrustList`] and [`trust::TrustedIssuer`] (who may issue what,
//! and when), [`trust::StatusList`] and its [`trust::status_bits`] (revocation); why a
//! credential is rejected ([`RejectReason`]) or its revocation status is not current
//! ([`StaleReason`]), and the language of every sentence a verdict shows ([`Lang`]).
//!
//! **Issuing** ([`issuer`]): [`issuer::IssuerKey`] (issuer and root keys), [`issuer::Issuer`]
//! (issuing SD-CWT credentials), [`issuer::transfer_text`] (the `VN1C:` text an issuer app hands
//! to the wallet, for [`Wallet::import_issued`]).
//!
//! **The credential model** ([`model`]): [`model::Credential`] and [`model::CredentialType`],
//! one struct per type ([`model::CitizenIdCard`], [`model::HealthInsuranceCard`],
//! [`model::HealthBook`], [`model::JudicialRecord`], [`model::ClinicCheckin`]), the claim
//! registry with vi/en labels ([`model::CLAIMS`], [`model::ClaimDef`], [`model::claim_names`]),
//! [`model::Date`], name normalization, identifier checks, the CCCD card QR
//! ([`model::parse_cccd_qr`]) and whole-person records ([`model::PersonRecord`]).
//!
//! **QR images** ([`qr`]): [`qr::QrMatrix`] (PNG, SVG, terminal), [`qr::fit`] and
//! [`qr::encode`] (text to the smallest readable code), [`qr::decode_image`] (PNG or JPEG),
//! [`qr::decode_png`], [`qr::decode_luma`] and [`qr::decode_luma_with_stride`] (images and
//! camera planes back to text, bounded in memory and time).
//!
//! **Platform traits**: [`Clock`] ([`SystemClock`], [`FixedClock`] for tests and simulations)
//! and [`KeyProvider`] (Android Keystore, iOS Keychain; [`SoftwareKeyProvider`] for tests, the
//! CLI and demos).
//!
//! **Holder keys**: Ed25519 or ES256 ([`HolderAlg`], [`HolderPublicKey`]: P-256 travels
//! compressed in `cnf`). The wallet has one of each ([`Wallet::holder_key_for`]: its software
//! P-256 key is derived from its sealed seed, [`SoftwareP256Signer`]); a key in the Secure
//! Enclave or StrongBox signs through a [`HolderSigner`] ([`Wallet::import_issued_for`],
//! [`Wallet::present_with`], or [`Wallet::prepare_presentation`] and
//! [`PendingPresentation::finish`] around a signer that must be awaited).
//!
//! **Errors**: one [`Error`] (and [`Result`]) for everything; [`InputError`] names the field and
//! the [`InputRule`] it broke, [`ImageError`] why an image gave no QR text. No error message
//! carries personal data.
//!
//! Everything else — the store, the cryptography, the wire formats — is private. The hidden
//! `internal` module serves this repository's tests, benchmarks and fuzz targets and is not part
//! of this interface.

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
mod request;
mod storage;
mod verify;
mod wallet;

pub use clock::{Clock, FixedClock, SystemClock};
pub use crypto::holder::{HolderAlg, HolderPublicKey, HolderSigner, SoftwareP256Signer};
pub use crypto::kdf::KdfParams;
pub use crypto::secret::{wipe, wipe_after};
pub use error::{Error, ImageError, InputError, InputRule, Result};
pub use platform::{KeyProvider, SoftwareKeyProvider};
pub use present::{
    PendingPresentation, Presentation, PresentationRequest, DEFAULT_TTL_SECS, OFFLINE_AUDIENCE,
};
pub use request::{
    CounterRequest, ReaderRequest, DEFAULT_REQUEST_TTL_SECS, MAX_REQUEST_QR_VERSION, REQUEST_CLOCK_SKEW_SECS,
};
pub use trust::{CounterState, Lang, ListUpdate, RejectReason, StaleReason, StateError};
pub use verify::{
    DisclosedClaim, IdCardData, Outcome, Scan, Verdict, VerdictStatus, Verifier, VerifierConfig,
};
pub use wallet::{
    pin_backoff_secs, CredentialSummary, StoredCredential, Unlock, Wallet, WalletOptions, MAX_BACKOFF_SECS,
    MAX_PIN_FAILURES,
};

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
    pub use crate::format::{base45, cbor, cose, cwt, limits, qr_text, request, sd_cwt};
    pub use crate::present::build_presentation_with;
    pub use crate::present::{build_presentation, present};
    #[cfg(feature = "image")]
    pub use crate::qr::image_to_luma;
    pub use crate::storage::cipher::StoreCipher;
    pub use crate::storage::payload::encode as encode_stored_payload;
    pub use crate::storage::schema;
}

#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!();
