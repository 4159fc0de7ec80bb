//! The clinic counter's side: a verified `TrustList` and the offline `Verifier`.

use std::sync::Arc;

use citizen_wallet_core as core;
use core::model::CredentialType;
use core::{
    Clock, CounterState, DisclosedClaim, InputRule, Lang, ListUpdate, Outcome, RejectReason, VerdictStatus,
};

use crate::error::{invalid, signed, unsigned, Result};
use crate::issuer::TrustedIssuer;
use crate::platform::{core_clock, TimeSource};

pub(crate) fn key32(bytes: &[u8], what: &'static str) -> Result<[u8; 32]> {
    bytes
        .try_into()
        .map_err(|_| invalid(what, InputRule::Format("expected 32 bytes")))
}

/// Verifier settings (the core's `VerifierConfig`, with a signed `clock_skew_secs`: the public
/// API has no unsigned types).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct VerifierConfig {
    /// This counter's id. Presentations addressed to another id are rejected.
    #[uniffi(default = None)]
    pub audience: Option<String>,
    /// Whether presentations made for any counter (the fixed `"offline"` audience) are
    /// accepted. `None` (the default): only when `audience` is `None`. See SECURITY.md.
    #[uniffi(default = None)]
    pub accept_offline_audience: Option<bool>,
    /// Tolerance for clock differences between phone, issuer and counter, in seconds (default
    /// 60, at most 300; negative or more is `InvalidInput`).
    #[uniffi(default = 60)]
    pub clock_skew_secs: i32,
}

impl Default for VerifierConfig {
    fn default() -> Self {
        core::VerifierConfig::default().into()
    }
}

impl From<core::VerifierConfig> for VerifierConfig {
    fn from(c: core::VerifierConfig) -> Self {
        Self {
            audience: c.audience,
            accept_offline_audience: c.accept_offline_audience,
            clock_skew_secs: i32::try_from(c.clock_skew_secs).unwrap_or(i32::MAX),
        }
    }
}

impl TryFrom<VerifierConfig> for core::VerifierConfig {
    type Error = crate::WalletError;
    fn try_from(c: VerifierConfig) -> Result<Self> {
        Ok(Self {
            audience: c.audience,
            accept_offline_audience: c.accept_offline_audience,
            clock_skew_secs: unsigned(c.clock_skew_secs, "clock_skew_secs")?,
        })
    }
}

/// A root-signed trust list, checked: which issuers may issue which credential types, and when.
/// A wallet needs it to import issued credentials.
#[derive(Debug, uniffi::Object)]
pub struct TrustList(pub(crate) core::trust::TrustList);

#[uniffi::export]
impl TrustList {
    /// Reads a signed trust list and checks its signature against the root public key.
    /// Fails with `Rejected(BadTrustData)` when it does not verify.
    #[uniffi::constructor]
    pub fn from_signed(trust_list: Vec<u8>, root_public_key: Vec<u8>) -> Result<Arc<Self>> {
        let root = key32(&root_public_key, "root public key")?;
        Ok(Arc::new(Self(core::trust::TrustList::parse_verify(
            &trust_list,
            &root,
        )?)))
    }

    /// When the list was issued (unix seconds).
    pub fn issued_at(&self) -> i64 {
        self.0.issued_at
    }

    /// Its number in the root's series of lists (a counter refuses lists numbered lower than
    /// the one it holds).
    pub fn sequence(&self) -> i64 {
        signed(self.0.sequence)
    }

    /// When it is due to be replaced (unix seconds); past it, verdicts are stale.
    pub fn next_update(&self) -> i64 {
        self.0.next_update
    }

    /// The trusted issuers.
    pub fn issuers(&self) -> Vec<TrustedIssuer> {
        self.0.issuers.iter().map(TrustedIssuer::from).collect()
    }
}

/// A verifier's verdict on one scanned QR code, ready to display.
///
/// Show it by `outcome`: green `Valid`, amber `StatusNotCurrent` (every check passed but the
/// revocation status is not current: show `status_as_of` and the reason in `status`), red
/// `Invalid`. Claims and issuer details are filled only for the first two: an invalid
/// presentation shows nothing but its reason.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Verdict {
    /// Green, amber or red. Amber is not valid: a revoked credential reads amber at a counter
    /// without its issuer's current status list.
    pub outcome: Outcome,
    /// The details: `Valid`, `ValidStale { as_of, reason }` or `Invalid { reason }`.
    pub status: VerdictStatus,
    /// The rejection reason when invalid.
    pub reject_reason: Option<RejectReason>,
    /// One line for the officer, English: "VALID (status verified as of 2026-01-15)",
    /// "INVALID: the QR code has expired; ...".
    pub message_en: String,
    /// The same line in Vietnamese.
    pub message_vi: String,
    pub credential_type: Option<CredentialType>,
    pub issuer_name_vi: Option<String>,
    pub issuer_name_en: Option<String>,
    /// The claims shown, labelled in Vietnamese and English.
    pub claims: Vec<DisclosedClaim>,
    /// The verifier's clock at verification (unix seconds).
    pub verified_at: i64,
    /// `issued_at` of the issuer's status list used, if any ("verified as of").
    pub status_as_of: Option<i64>,
    /// RFC 9679 COSE key thumbprint (hex) of the holder key that signed the presentation.
    pub holder_thumbprint: Option<String>,
    /// When the holder made the presentation.
    pub presented_at: Option<i64>,
    /// When the credential expires.
    pub credential_expires_at: Option<i64>,
}

impl From<core::Verdict> for Verdict {
    fn from(v: core::Verdict) -> Self {
        Self {
            outcome: v.outcome(),
            reject_reason: v.reject_reason(),
            message_en: v.summary(),
            message_vi: v.summary_vi(),
            status: v.status,
            credential_type: v.credential_type,
            issuer_name_vi: v.issuer_name_vi,
            issuer_name_en: v.issuer_name_en,
            claims: v.claims,
            verified_at: v.verified_at,
            status_as_of: v.status_as_of,
            holder_thumbprint: v.holder_thumbprint,
            presented_at: v.presented_at,
            credential_expires_at: v.credential_expires_at,
        }
    }
}

/// The offline verifier of a clinic counter. Thread-safe: share one instance.
///
/// A bad code (foreign, damaged, forged, expired, revoked, for another counter...) is a
/// `Verdict` with status `Invalid`, not an error. Errors are for the verifier's own inputs: a
/// trust or status list that does not verify, or an image with no readable QR code.
#[derive(Debug, uniffi::Object)]
pub struct Verifier(pub(crate) core::Verifier);

#[uniffi::export]
impl Verifier {
    /// A verifier trusting the issuers of `trust_list` (signed by `root_public_key`), with
    /// `audience` as this counter's id when it has one, and otherwise the default settings:
    /// presentations made for any counter (the `"offline"` audience) accepted only by a counter
    /// without an id, 60 s clock skew. Lists are held in memory only.
    #[uniffi::constructor(default(audience = None))]
    pub fn new(trust_list: Vec<u8>, root_public_key: Vec<u8>, audience: Option<String>) -> Result<Arc<Self>> {
        Self::with_config(
            trust_list,
            root_public_key,
            Vec::new(),
            VerifierConfig {
                audience,
                ..VerifierConfig::default()
            },
            None,
        )
    }

    /// A verifier with status lists and settings (this counter's id, whether presentations made
    /// for any counter are accepted, skew tolerance), lists held in memory only.
    /// `clock`: the counter's own time source; the system clock when absent.
    #[uniffi::constructor(default(clock = None))]
    pub fn with_config(
        trust_list: Vec<u8>,
        root_public_key: Vec<u8>,
        status_lists: Vec<Vec<u8>>,
        config: VerifierConfig,
        clock: Option<Arc<dyn TimeSource>>,
    ) -> Result<Arc<Self>> {
        let root = key32(&root_public_key, "root public key")?;
        Ok(Arc::new(Self(core::Verifier::new(
            &trust_list,
            &root,
            &status_lists,
            config.try_into()?,
            core_clock(clock),
        )?)))
    }

    /// A verifier whose trust list and status lists are kept in `state_dir`, a directory of
    /// this counter's own (created if missing), so that after a restart it still refuses older
    /// lists than those it has accepted. `trust_list`, when given, is offered first (an older
    /// one than the list kept is ignored: the kept one is used); a directory that holds no
    /// trust list yet needs one. Offer status lists, and later trust lists, with
    /// `update_status_list` / `update_trust_list` to see what happened to each.
    ///
    /// Errors: `CounterState` when the state file is foreign, damaged, newer or made for another
    /// root key (it is left untouched); `NotFound` without any trust list; `Rejected` for a
    /// trust list that does not verify; `Storage` when the directory cannot be used.
    #[uniffi::constructor(default(trust_list = None, clock = None))]
    pub fn with_state(
        state_dir: String,
        root_public_key: Vec<u8>,
        config: VerifierConfig,
        trust_list: Option<Vec<u8>>,
        clock: Option<Arc<dyn TimeSource>>,
    ) -> Result<Arc<Self>> {
        let root = key32(&root_public_key, "root public key")?;
        let config = core::VerifierConfig::try_from(config)?;
        let clock = core_clock(clock);
        let mut state = CounterState::open(std::path::Path::new(&state_dir), &root)?;
        if let Some(t) = trust_list {
            // Refused (older, conflicting, from the future): the kept list stays in use.
            let _ = state.update_trust_list(&t, clock.now_unix(), config.clock_skew_secs)?;
        }
        Ok(Arc::new(Self(core::Verifier::from_state(state, config, clock)?)))
    }

    /// Offers a newer signed trust list; the answer says whether it is now in use or why it
    /// was refused (older, conflicting, dated in the future). `Rejected(BadTrustData)` when it
    /// does not verify; nothing changes then.
    pub fn update_trust_list(&self, trust_list: Vec<u8>) -> Result<ListUpdate> {
        Ok(self.0.update_trust_list(&trust_list)?)
    }

    /// Offers an issuer's signed status list; the answer says whether it is now in use or why
    /// it was refused (older than the one held, conflicting with it, dated in the future).
    pub fn update_status_list(&self, status_list: Vec<u8>) -> Result<ListUpdate> {
        Ok(self.0.update_status_list(&status_list)?)
    }

    /// Verifies scanned QR text.
    pub fn verify_text(&self, text: String) -> Result<Verdict> {
        Ok(self.0.verify_text(&text)?.into())
    }

    /// Verifies scanned QR text that must answer this counter's challenge `nonce`.
    pub fn verify_text_with_nonce(&self, text: String, nonce: Vec<u8>) -> Result<Verdict> {
        Ok(self.0.verify_text_with_nonce(&text, &nonce)?.into())
    }

    /// The settings in use.
    pub fn config(&self) -> VerifierConfig {
        self.0.config().clone().into()
    }

    /// The trusted issuers.
    pub fn issuers(&self) -> Vec<TrustedIssuer> {
        self.0
            .trust_list()
            .issuers
            .iter()
            .map(TrustedIssuer::from)
            .collect()
    }

    /// The sequence number of the trust list in use.
    pub fn trust_list_sequence(&self) -> i64 {
        signed(self.0.trust_list().sequence)
    }
}

/// The verifier's slow call as an async call (Kotlin `suspend`, Swift `async`, Python
/// coroutines): reading a QR code from a picture takes tens of milliseconds, more than a frame.
/// It runs on a thread of its own (`blocking.rs`). `verify_text` is fast (well under a
/// millisecond); for a PNG file, decode it to luma or call `verify_png` off the UI thread.
/// Needs the `image` feature, as `verify_luma` does.
#[cfg(feature = "image")]
#[uniffi::export]
impl Verifier {
    /// [`Verifier::verify_luma`], off the calling thread.
    pub async fn verify_luma_async(
        self: Arc<Self>,
        width: i32,
        height: i32,
        luma: Vec<u8>,
    ) -> Result<Verdict> {
        crate::blocking::run("verify", move || self.verify_luma(width, height, luma)).await
    }

    /// [`Verifier::verify_image`] (a PNG or JPEG file, e.g. a picked photo), off the calling
    /// thread.
    pub async fn verify_image_async(self: Arc<Self>, image: Vec<u8>) -> Result<Verdict> {
        crate::blocking::run("verify", move || self.verify_image(image)).await
    }
}

/// Images in: needs the `image` feature (on by default). Without it, scan with the platform's
/// scanner and pass the text to `verify_text`.
#[cfg(feature = "image")]
#[uniffi::export]
impl Verifier {
    /// Reads the QR code in a PNG image and verifies it. An image without a readable code is
    /// an error (`Image`, with `NoCodeFound` or `Unreadable`): ask for another scan.
    pub fn verify_png(&self, png: Vec<u8>) -> Result<Verdict> {
        Ok(self.0.verify_png(&png)?.into())
    }

    /// Reads the QR code in a PNG or JPEG image (told apart by their first bytes) and verifies
    /// it. Errors as `verify_png`.
    pub fn verify_image(&self, image: Vec<u8>) -> Result<Verdict> {
        Ok(self.0.verify_image(&image)?.into())
    }

    /// Reads the QR code in a camera frame's 8-bit luma plane whose rows are `row_stride` bytes
    /// apart (Android `Image.Plane.rowStride` of the Y plane, iOS
    /// `CVPixelBufferGetBytesPerRowOfPlane(buffer, 0)`; `row_stride >= width`, the padding is
    /// ignored) and verifies it. No copy of the frame is needed to drop the padding.
    pub fn verify_luma_with_stride(
        &self,
        width: i32,
        height: i32,
        row_stride: i32,
        luma: Vec<u8>,
    ) -> Result<Verdict> {
        let (width, height) = (unsigned(width, "width")?, unsigned(height, "height")?);
        let stride = unsigned(row_stride, "row_stride")?;
        let text = core::qr::decode_luma_with_stride(width, height, stride, &luma)?;
        Ok(self.0.verify_text(&text)?.into())
    }

    /// Reads the QR code in a camera frame's 8-bit luma plane (`width * height` bytes,
    /// row-major, row padding removed) and verifies it.
    pub fn verify_luma(&self, width: i32, height: i32, luma: Vec<u8>) -> Result<Verdict> {
        let (width, height) = (unsigned(width, "width")?, unsigned(height, "height")?);
        Ok(self
            .0
            .verify_text(&core::qr::decode_luma(width, height, &luma)?)?
            .into())
    }
}

/// The text of the first QR code in a camera frame's 8-bit luma plane (rows `row_stride` bytes
/// apart, as `verifyLumaWithStride` takes them), without verifying anything: for what is not a
/// presentation, e.g. a counter's request QR the citizen's wallet scans (`Wallet.readRequest`)
/// or any code to pass to `Verifier.scanText`. Needs the `image` feature. Errors: `Image`
/// (`NoCodeFound`: keep scanning), `InvalidInput` for sizes that do not fit the buffer.
#[cfg(feature = "image")]
#[uniffi::export]
pub fn read_qr_luma(width: i32, height: i32, row_stride: i32, luma: Vec<u8>) -> Result<String> {
    let (width, height) = (unsigned(width, "width")?, unsigned(height, "height")?);
    let stride = unsigned(row_stride, "row_stride")?;
    Ok(core::qr::decode_luma_with_stride(width, height, stride, &luma)?)
}

/// A sentence for the counter's operator about a list update, in `lang`.
#[uniffi::export]
pub fn list_update_message(update: ListUpdate, lang: Lang) -> String {
    update.message(lang).to_owned()
}
