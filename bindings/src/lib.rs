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
//!   [`Presentation`]s (`presentation.rs`: QR text, a packed [`QrMatrix`] bitmap, a ready
//!   [`QrPixels`] buffer in ARGB (Android) or RGBA (iOS `CGImage`), PNG, SVG);
//! * [`KeyProvider`] and [`TimeSource`] (`platform.rs`): the foreign traits the app implements (its
//!   keystore; optionally its own time source, the system clock otherwise);
//! * [`HolderSigner`] (`holder_signer.rs`): a foreign, async signer for a holder key in secure
//!   hardware (ES256), and the calls that use it;
//! * [`TrustList`], [`Verifier`] and its display-ready [`Verdict`] (`verifier.rs`);
//!   `Verifier::scan_text`'s [`ScanResult`]: a verdict or a chip ID card's [`IdCardData`],
//!   unverified (`scan.rs`);
//! * the two-way request QR (`request.rs`): certified readers, [`Verifier`] making requests and
//!   verifying answers, [`Wallet`] reading and answering them ([`ReaderRequest`],
//!   [`CounterRequest`]);
//! * the issuer side (`issuer.rs`): keys, issuing, trust lists, status lists, demo data;
//! * records derived in the core where the types live: `VerdictStatus`, `DisclosedClaim`, and
//!   the enums `Outcome`, `CredentialType`, `RejectReason`... (`QrMatrix` and `VerifierConfig`
//!   are this crate's: their core forms have unsigned fields).
//!
//! The public API has **no unsigned integers** (awkward in Kotlin and Swift): arguments are
//! `i32`/`i64`, converted at the boundary (negative or too large: `InvalidInput` naming the
//! argument), and `bindings/scripts/check-api-types.sh` checks the generated Kotlin and Swift.
//!
//! **Slow calls and threads.** Every object is `Send + Sync` and any call may come from any
//! thread. The jobs that can take longer than a frame have async calls (Kotlin `suspend`, Swift
//! `async`, Python coroutines) that run the blocking work on a thread of the library's own
//! (`blocking.rs`, no async runtime) and complete on the caller's executor: `Wallet::create_async`
//! / `open_async` / `unlock_async` (Argon2id for a PIN, or the app's key provider, which may wait
//! for a biometric prompt and is called on that library thread), `set_pin_async`,
//! `rotate_data_key_async`, `import_issued_async`, `Verifier::verify_luma_async`, `Verifier::verify_image_async`. The rest (list,
//! get, `verify_text`, the presentation accessors...) is fast enough for a UI thread; `present`
//! and `verify_png` take milliseconds. The table is in `bindings/README.md`, "Slow calls, async
//! variants, threads".
//!
//! Generated names per language (`uniffi.toml` here and in `core/`): see `bindings/README.md`.

uniffi::setup_scaffolding!();

mod blocking;
mod error;
mod holder_signer;
mod issuer;
mod platform;
mod presentation;
mod records;
mod request;
mod scan;
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
pub use presentation::{PixelFormat, Presentation, QrMatrix, QrPixels, MAX_PIXEL_BYTES};
pub use records::{Claim, CredentialDetail, CredentialSummary};
pub use request::{
    reader_role_allowed_types, reader_role_label, request_purpose_message, sign_trust_list_with_readers,
    CounterRequest, ReaderRequest, TrustedReader,
};
pub use scan::{IdCardData, ScanResult};
#[cfg(feature = "image")]
pub use verifier::read_qr_luma;
pub use verifier::{list_update_message, TrustList, Verdict, Verifier, VerifierConfig};
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
