//! The clinic counter's side: a verified `TrustList` and the offline `Verifier`.

use std::sync::Arc;

use citizen_wallet_core as core;
use core::model::CredentialType;
use core::verify::{DisclosedClaim, VerdictStatus};
use core::{InputRule, RejectReason, VerifierConfig};

use crate::error::{invalid, Result};
use crate::issuer::TrustedIssuer;
use crate::platform::{core_clock, TimeSource};

pub(crate) fn key32(bytes: &[u8], what: &'static str) -> Result<[u8; 32]> {
    bytes
        .try_into()
        .map_err(|_| invalid(what, InputRule::Format("expected 32 bytes")))
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

    /// The trusted issuers.
    pub fn issuers(&self) -> Vec<TrustedIssuer> {
        self.0.issuers.iter().map(TrustedIssuer::from).collect()
    }
}

/// A verifier's verdict on one scanned QR code, ready to display.
///
/// Claims and issuer details are filled only when the presentation is valid (possibly stale):
/// an invalid presentation shows nothing but its reason.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Verdict {
    /// `Valid`, `ValidStale { as_of, reason }` or `Invalid { reason }`.
    pub status: VerdictStatus,
    /// Valid or valid-but-stale.
    pub is_valid: bool,
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
            is_valid: v.is_valid(),
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
pub struct Verifier(core::Verifier);

#[uniffi::export]
impl Verifier {
    /// A verifier trusting the issuers of `trust_list` (signed by `root_public_key`), with
    /// `audience` as this counter's id when it has one, and otherwise the default settings:
    /// presentations made for any counter (the `"offline"` audience) accepted only by a counter
    /// without an id, 60 s clock skew.
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
    /// for any counter are accepted, skew tolerance).
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
            config,
            core_clock(clock),
        )?)))
    }

    /// Adds or replaces an issuer's signed status list (an older list never replaces a newer one).
    pub fn update_status_list(&self, status_list: Vec<u8>) -> Result<()> {
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

    /// Reads the QR code in a PNG image and verifies it. An image without a readable code is
    /// an error (`Image`, with `NoCodeFound` or `Unreadable`): ask for another scan.
    pub fn verify_png(&self, png: Vec<u8>) -> Result<Verdict> {
        Ok(self.0.verify_png(&png)?.into())
    }

    /// Reads the QR code in a camera frame's 8-bit luma plane (`width * height` bytes,
    /// row-major, row padding removed) and verifies it.
    pub fn verify_luma(&self, width: u32, height: u32, luma: Vec<u8>) -> Result<Verdict> {
        Ok(self
            .0
            .verify_text(&core::qr::decode_luma(width, height, &luma)?)?
            .into())
    }

    /// The settings in use.
    pub fn config(&self) -> VerifierConfig {
        self.0.config().clone()
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
}
