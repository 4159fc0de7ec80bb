//! The `Presentation` object: a ready-to-show QR presentation, as text, modules, PNG or SVG.

use citizen_wallet_core as core;
use core::qr::QrMatrix;

use crate::error::Result;

/// A holder-signed presentation, valid for a short time (see `expires_at`). Show it as a QR code:
/// draw `matrix()` natively, or use `png()` / `svg()`.
#[derive(uniffi::Object)]
pub struct Presentation(pub(crate) core::Presentation);

#[uniffi::export]
impl Presentation {
    /// `VN2:` + base45 (presentation format 2): the text the QR code carries.
    pub fn qr_text(&self) -> String {
        self.0.qr_text.clone()
    }

    /// Size of the signed presentation in bytes (before base45).
    pub fn byte_count(&self) -> u64 {
        self.0.bytes as u64
    }

    /// The smallest QR version (1..=40) holding the text at ECC M.
    pub fn qr_version(&self) -> u8 {
        self.0.qr_version
    }

    /// The QR modules (row-major, `true` = dark), without the quiet zone.
    pub fn matrix(&self) -> QrMatrix {
        self.0.qr.clone()
    }

    /// A 1-bit PNG with the standard 4-module quiet zone, `scale` pixels per module (1..=64).
    pub fn png(&self, scale: u32) -> Result<Vec<u8>> {
        Ok(self.0.qr.to_png(scale)?)
    }

    /// A compact, scalable SVG (module units, quiet zone included).
    pub fn svg(&self) -> String {
        self.0.qr.to_svg()
    }

    /// Names of the selectively disclosable claims shown.
    pub fn disclosed(&self) -> Vec<String> {
        self.0.disclosed.clone()
    }

    /// Names of the claims the issuer signed in clear: shown in every presentation.
    pub fn always_visible(&self) -> Vec<String> {
        self.0.always_visible.clone()
    }

    /// The counter id the presentation is bound to (`"offline"` when none was given).
    pub fn audience(&self) -> String {
        self.0.audience.clone()
    }

    /// Unix seconds after which verifiers reject it.
    pub fn expires_at(&self) -> i64 {
        self.0.expires_at
    }
}

impl std::fmt::Debug for Presentation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}
