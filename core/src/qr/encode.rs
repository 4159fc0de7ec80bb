//! Text to a QR module matrix: the smallest version that holds the text at an error-correction
//! level, refusing a code larger than the reader can handle ([`Error::QrTooLarge`]).

use qrcode::bits::Bits;
use qrcode::{Color, EcLevel, QrCode, Version};

use crate::error::{Error, InputError, InputRule, Result};

/// The largest version phone cameras read reliably (97 x 97 modules).
pub const MAX_READABLE_VERSION: u8 = 20;
/// The largest version cheap counter imagers and webcams read reliably (77 x 77 modules).
pub const COUNTER_FRIENDLY_VERSION: u8 = 15;
/// The largest version the QR standard defines.
pub const MAX_VERSION: u8 = 40;
/// The quiet zone (light border) the standard requires, in modules.
pub const QUIET_ZONE: u32 = 4;

/// Error-correction level: how much of the code may be damaged and still read.
///
/// Higher levels hold less data. We default to [`Ecc::M`] (about 15 % damage).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Ecc {
    /// About 7 % of the code words can be restored.
    L,
    /// About 15 % (the default).
    #[default]
    M,
    /// About 25 %.
    Q,
    /// About 30 %.
    H,
}

impl Ecc {
    fn level(self) -> EcLevel {
        match self {
            Ecc::L => EcLevel::L,
            Ecc::M => EcLevel::M,
            Ecc::Q => EcLevel::Q,
            Ecc::H => EcLevel::H,
        }
    }
}

/// A QR code as a square grid of modules, for apps that draw it themselves. (Not a uniffi
/// record: the bindings expose it as a packed bitmap with signed sizes, under the same name.)
#[derive(Clone, PartialEq, Eq)]
pub struct QrMatrix {
    /// QR version, 1 to 40.
    pub version: u8,
    /// Modules per side (`17 + 4 * version`), without the quiet zone.
    pub size: u32,
    /// `size * size` modules, row-major, `true` = dark.
    pub modules: Vec<bool>,
}

/// Debug shows the shape only: the modules encode the content, which may be personal data.
impl std::fmt::Debug for QrMatrix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QrMatrix")
            .field("version", &self.version)
            .field("size", &self.size)
            .finish_non_exhaustive()
    }
}

/// Is every byte in the QR alphanumeric alphabet (`0-9 A-Z space $ % * + - . / :`)?
pub fn is_alphanumeric_text(text: &str) -> bool {
    text.bytes().all(|b| {
        b.is_ascii_digit()
            || b.is_ascii_uppercase()
            || matches!(b, b' ' | b'$' | b'%' | b'*' | b'+' | b'-' | b'.' | b'/' | b':')
    })
}

/// The number of characters of alphanumeric text that fit `version` at `ecc`
/// (ISO/IEC 18004 Table 7), or `None` for a version outside 1..=40.
pub fn alphanumeric_capacity(version: u8, ecc: Ecc) -> Option<usize> {
    if !(1..=MAX_VERSION).contains(&version) {
        return None;
    }
    let v = Version::Normal(i16::from(version));
    let data_bits = Bits::new(v).max_len(ecc.level()).ok()?;
    // Mode indicator (4 bits) + character count (9, 11 or 13 bits by version range).
    let count_bits = match version {
        1..=9 => 9,
        10..=26 => 11,
        _ => 13,
    };
    let payload = data_bits.checked_sub(4 + count_bits)?;
    // 11 bits per pair of characters, 6 for a final odd one.
    let pairs = payload / 11;
    let odd = usize::from(payload % 11 >= 6);
    Some(pairs * 2 + odd)
}

/// Encodes `text` in the smallest QR version at `ecc`, up to `max_version`.
///
/// Text entirely in the alphanumeric alphabet (our `VN2:` + base45 text) is encoded in
/// alphanumeric mode, so [`alphanumeric_capacity`] is exactly what fits; other text (and
/// digit-heavy text, when that is smaller) goes through the qrcode crate's optimal segmentation.
///
/// # Errors
///
/// * [`Error::QrTooLarge`] when the text needs a version above `max_version`;
///   `needed_version` is then the version it would need, or 41 when even version 40 is too small.
/// * [`Error::InvalidInput`] when `max_version` is not in 1..=40.
pub fn fit(text: &str, ecc: Ecc, max_version: u8) -> Result<QrMatrix> {
    if !(1..=MAX_VERSION).contains(&max_version) {
        return Err(InputError::new("max_version", InputRule::Range("must be between 1 and 40")).into());
    }
    let data = text.as_bytes();
    let level = ecc.level();

    // Candidate 1: one alphanumeric segment in the smallest version that holds it.
    let alnum = if is_alphanumeric_text(text) {
        (1..=MAX_VERSION)
            .find(|&v| alphanumeric_capacity(v, ecc).is_some_and(|cap| cap >= data.len()))
            .and_then(|v| {
                let mut bits = Bits::new(Version::Normal(i16::from(v)));
                bits.push_alphanumeric_data(data).ok()?;
                bits.push_terminator(level).ok()?;
                Some(bits)
            })
    } else {
        None
    };
    // Candidate 2: the crate's optimal segmentation (byte mode for text outside the alphabet).
    let optimal = qrcode::bits::encode_auto(data, level).ok();

    let bits = match (alnum, optimal) {
        (Some(a), Some(o)) => {
            if version_number(o.version()) < version_number(a.version()) {
                o
            } else {
                a
            }
        }
        (Some(a), None) => a,
        (None, Some(o)) => o,
        (None, None) => {
            return Err(Error::QrTooLarge {
                bytes: data.len(),
                needed_version: MAX_VERSION + 1,
                max_version,
            })
        }
    };
    let needed = version_number(bits.version());
    if needed > max_version {
        return Err(Error::QrTooLarge {
            bytes: data.len(),
            needed_version: needed,
            max_version,
        });
    }
    let code = QrCode::with_bits(bits, level)
        .map_err(|_| InputError::new("text", InputRule::Invalid("QR encoding failed for this text")))?;
    Ok(QrMatrix::from_code(&code))
}

/// [`fit`] at the default level ([`Ecc::M`]) for phone cameras ([`MAX_READABLE_VERSION`]).
pub fn encode(text: &str) -> Result<QrMatrix> {
    fit(text, Ecc::M, MAX_READABLE_VERSION)
}

fn version_number(v: Version) -> u8 {
    match v {
        Version::Normal(n) | Version::Micro(n) => u8::try_from(n).unwrap_or(u8::MAX),
    }
}

impl QrMatrix {
    fn from_code(code: &QrCode) -> Self {
        let size = code.width();
        Self {
            version: version_number(code.version()),
            size: u32::try_from(size).unwrap_or(0),
            modules: code.to_colors().into_iter().map(|c| c == Color::Dark).collect(),
        }
    }

    /// Is the module at column `x`, row `y` dark? Outside the grid (the quiet zone) is light.
    pub fn is_dark(&self, x: u32, y: u32) -> bool {
        if x >= self.size || y >= self.size {
            return false;
        }
        let idx = y as usize * self.size as usize + x as usize;
        self.modules.get(idx).copied().unwrap_or(false)
    }

    /// Like [`is_dark`](Self::is_dark) with coordinates that include a quiet zone of `quiet` modules.
    pub(super) fn is_dark_padded(&self, x: u32, y: u32, quiet: u32) -> bool {
        match (x.checked_sub(quiet), y.checked_sub(quiet)) {
            (Some(x), Some(y)) => self.is_dark(x, y),
            _ => false,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn alphanumeric_alphabet_is_the_qr_one() {
        assert!(is_alphanumeric_text(
            "VN1:0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./"
        ));
        assert!(!is_alphanumeric_text("vn1:"));
        assert!(!is_alphanumeric_text("A_B"));
        assert!(!is_alphanumeric_text("Đ"));
    }

    #[test]
    fn capacity_outside_versions_is_none() {
        assert_eq!(alphanumeric_capacity(0, Ecc::M), None);
        assert_eq!(alphanumeric_capacity(41, Ecc::M), None);
    }

    #[test]
    fn debug_shows_no_modules() {
        let m = fit("VN1:ABC", Ecc::M, 40).unwrap();
        let dbg = format!("{m:?}");
        assert!(dbg.contains("version: 1"));
        assert!(!dbg.contains("true"));
    }
}
