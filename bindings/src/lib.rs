//! # citizen-wallet-ffi
//!
//! uniffi bindings for `citizen-wallet-core`, for Kotlin (Android), Swift (iOS) and Python.
//! Thin by design (after bitwarden sdk-internal): objects are newtypes whose methods delegate to
//! the core in one line; records here are display-ready views; enums are derived in the core;
//! every error is one flat [`WalletError`]. uniffi catches any panic at the boundary and turns
//! it into an error on the foreign side, and the release profile keeps `panic = "unwind"` so it
//! can.
//!
//! * [`Wallet`] (`wallet.rs`): the citizen's encrypted store, import of issued credentials, and
//!   [`Presentation`]s (`presentation.rs`: QR text, modules, PNG, SVG);
//! * [`KeyProvider`] and [`TimeSource`] (`platform.rs`): the foreign traits the app implements (its
//!   keystore; optionally its own time source, the system clock otherwise);
//! * [`HolderSigner`] (`holder_signer.rs`): a foreign, async signer for a holder key in secure
//!   hardware (ES256), and the calls that use it;
//! * [`TrustList`], [`Verifier`] and its display-ready [`Verdict`] (`verifier.rs`);
//! * the issuer side (`issuer.rs`): keys, issuing, trust lists, status lists, demo data;
//! * records derived in the core where the types live: `QrMatrix`, `VerdictStatus`,
//!   `DisclosedClaim`, `VerifierConfig`, and the enums `Outcome`, `CredentialType`,
//!   `RejectReason`...
//!
//! Generated names per language (`uniffi.toml` here and in `core/`): see `bindings/README.md`.

uniffi::setup_scaffolding!();

mod error;
mod holder_signer;
mod issuer;
mod platform;
mod presentation;
mod records;
mod verifier;
mod wallet;

pub use error::WalletError;
pub use holder_signer::{
    issue_to_holder_key, software_p256_holder_signer, HolderSigner, DEFAULT_SIGNER_TIMEOUT_MS,
};
pub use issuer::{
    credentials_from_people_json, default_sd_claims, sign_trust_list, transfer_text, Issuer, IssuerKey,
    PersonCredential, StatusList, TrustedIssuer,
};
pub use platform::{software_key_provider, KeyProvider, TimeSource};
pub use presentation::Presentation;
pub use records::{Claim, CredentialDetail, CredentialSummary};
pub use verifier::{list_update_message, TrustList, Verdict, Verifier};
pub use wallet::Wallet;

/// The library version, so apps can log which core they run.
#[uniffi::export]
pub fn core_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// The credential type's display name in Vietnamese (e.g. "Thẻ bảo hiểm y tế").
#[uniffi::export]
pub fn credential_type_label_vi(credential_type: citizen_wallet_core::model::CredentialType) -> String {
    credential_type.label_vi().to_string()
}

/// The credential type's display name in English (e.g. "Health insurance card").
#[uniffi::export]
pub fn credential_type_label_en(credential_type: citizen_wallet_core::model::CredentialType) -> String {
    credential_type.label_en().to_string()
}
