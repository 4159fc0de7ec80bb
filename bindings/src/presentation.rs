//! The `Presentation` object: a ready-to-show QR presentation, as text, a packed bitmap, a pixel
//! buffer, PNG or SVG.

use citizen_wallet_core as core;
use core::qr::QUIET_ZONE;
use core::InputRule;

use crate::error::{invalid, signed, unsigned, Result};

/// The largest pixel buffer [`Presentation::pixels`] makes: 16 MiB (2048 x 2048 pixels of 4
/// bytes), far more than any screen needs; a larger `scale` is `InvalidInput` for `scale`.
pub const MAX_PIXEL_BYTES: usize = 16 * 1024 * 1024;

/// A QR code as a packed bitmap, for apps that draw it themselves.
///
/// `bits` holds the `size * size` modules (without the quiet zone) row-major, one bit per
/// module, 1 = dark, most significant bit first, rows not padded: module `(x, y)` is bit
/// `7 - (i % 8)` of byte `i / 8`, where `i = y * size + x`. The last byte's unused low bits are
/// 0. Kotlin: `(bits[i / 8].toInt() shr (7 - i % 8)) and 1 == 1` (`ByteArray`); Swift:
/// `bits[i / 8] >> (7 - i % 8) & 1 == 1` (`Data`). Draw a light quiet zone of 4 modules around
/// it.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct QrMatrix {
    /// QR version, 1 to 40.
    pub version: i32,
    /// Modules per side (`17 + 4 * version`), without the quiet zone.
    pub size: i32,
    /// `ceil(size * size / 8)` bytes: the modules, 1 bit each (see the type's docs).
    pub bits: Vec<u8>,
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

impl From<&core::qr::QrMatrix> for QrMatrix {
    fn from(m: &core::qr::QrMatrix) -> Self {
        let mut bits = vec![0u8; m.modules.len().div_ceil(8)];
        for (i, _) in m.modules.iter().enumerate().filter(|(_, dark)| **dark) {
            bits[i / 8] |= 0x80 >> (i % 8);
        }
        Self {
            version: m.version.into(),
            size: i32::try_from(m.size).unwrap_or(i32::MAX),
            bits,
        }
    }
}

/// The byte order of [`QrPixels::bytes`]: 4 bytes per pixel, opaque black and white.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum PixelFormat {
    /// Bytes A, R, G, B per pixel: read as big-endian 32-bit ints they are Android color ints
    /// (`0xAARRGGBB`), for `Bitmap.createBitmap(IntArray, width, height, ARGB_8888)` (Kotlin:
    /// `ByteBuffer.wrap(bytes).asIntBuffer().get(ints)`; `ByteBuffer` is big-endian by default).
    Argb,
    /// Bytes R, G, B, A per pixel: iOS `CGImage` (8 bits per component, 32 per pixel,
    /// `CGImageAlphaInfo.noneSkipLast` or `.premultipliedLast`, default byte order, `bytesPerRow
    /// = width * 4`), and Android `Bitmap.copyPixelsFromBuffer` of an `ARGB_8888` bitmap (which
    /// stores R, G, B, A in memory).
    Rgba,
}

/// A QR code drawn as pixels, ready for a bitmap: `width * height` pixels, row-major from the
/// top-left, `width * 4` bytes per row, no padding, quiet zone of 4 modules included.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct QrPixels {
    pub width: i32,
    pub height: i32,
    pub format: PixelFormat,
    /// `width * height * 4` bytes in `format`.
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for QrPixels {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QrPixels")
            .field("width", &self.width)
            .field("height", &self.height)
            .field("format", &self.format)
            .finish_non_exhaustive()
    }
}

/// Draws `m` at `scale` pixels per module with the standard quiet zone.
fn draw(m: &core::qr::QrMatrix, scale: u32, format: PixelFormat) -> Result<QrPixels> {
    let too_large = || {
        invalid(
            "scale",
            InputRule::Range("must be at least 1 and keep the image within 16 MiB (4 bytes per pixel)"),
        )
    };
    let size = m.size as usize;
    if scale == 0 || m.modules.len() != size * size {
        return Err(if scale == 0 {
            too_large()
        } else {
            invalid("modules", InputRule::Invalid("must be size x size"))
        });
    }
    let quiet = QUIET_ZONE as usize;
    let side = (size + 2 * quiet)
        .checked_mul(scale as usize)
        .filter(|side| {
            side.checked_mul(4)
                .and_then(|row| row.checked_mul(*side))
                .is_some_and(|n| n <= MAX_PIXEL_BYTES)
        })
        .ok_or_else(too_large)?;
    let (dark, light): ([u8; 4], [u8; 4]) = match format {
        PixelFormat::Argb => ([0xff, 0, 0, 0], [0xff; 4]),
        PixelFormat::Rgba => ([0, 0, 0, 0xff], [0xff; 4]),
    };
    let mut bytes = Vec::with_capacity(side * side * 4);
    let scale = scale as usize;
    for py in 0..side {
        let my = (py / scale).checked_sub(quiet).filter(|y| *y < size);
        for px in 0..side {
            let mx = (px / scale).checked_sub(quiet).filter(|x| *x < size);
            let is_dark = matches!((mx, my), (Some(x), Some(y)) if m.modules[y * size + x]);
            bytes.extend_from_slice(if is_dark { &dark } else { &light });
        }
    }
    // `side` is at most 2048 here (the 16 MiB bound).
    let side = i32::try_from(side).map_err(|_| too_large())?;
    Ok(QrPixels {
        width: side,
        height: side,
        format,
        bytes,
    })
}

/// A holder-signed presentation, valid for a short time (see `expires_at`). Show it as a QR code:
/// `pixels()` for a bitmap, `matrix()` to draw it yourself, or `png()` / `svg()`.
#[derive(uniffi::Object)]
pub struct Presentation(pub(crate) core::Presentation);

#[uniffi::export]
impl Presentation {
    /// `VN2:` + base45 (presentation format 2): the text the QR code carries.
    pub fn qr_text(&self) -> String {
        self.0.qr_text.clone()
    }

    /// Size of the signed presentation in bytes (before base45).
    pub fn byte_count(&self) -> i64 {
        signed(self.0.bytes as u64)
    }

    /// The smallest QR version (1..=40) holding the text at ECC M.
    pub fn qr_version(&self) -> i32 {
        self.0.qr_version.into()
    }

    /// The QR modules as a packed bitmap (row-major, 1 bit per module, most significant bit
    /// first, 1 = dark), without the quiet zone: see [`QrMatrix`].
    pub fn matrix(&self) -> QrMatrix {
        QrMatrix::from(&self.0.qr)
    }

    /// The QR code as a pixel buffer ready for a bitmap, `scale` pixels per module (at least 1),
    /// with the standard 4-module quiet zone: `(size + 8) * scale` pixels per side, in `format`
    /// (`Argb` for Android's `Bitmap.createBitmap(IntArray, ...)`, `Rgba` for iOS `CGImage`).
    /// `InvalidInput` for `scale` when it is below 1 or the buffer would exceed 16 MiB.
    pub fn pixels(&self, scale: i32, format: PixelFormat) -> Result<QrPixels> {
        draw(&self.0.qr, unsigned(scale, "scale")?, format)
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

/// PNG out: needs the `image` feature (on by default). Without it, draw `pixels()` or `matrix()`.
#[cfg(feature = "image")]
#[uniffi::export]
impl Presentation {
    /// A 1-bit PNG with the standard 4-module quiet zone, `scale` pixels per module (1..=64).
    pub fn png(&self, scale: i32) -> Result<Vec<u8>> {
        Ok(self.0.qr.to_png(unsigned(scale, "scale")?)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 21 x 21 matrix with only module (x, y) = (1, 0) and the last one dark.
    fn sample() -> core::qr::QrMatrix {
        let mut modules = vec![false; 21 * 21];
        modules[1] = true;
        modules[21 * 21 - 1] = true;
        core::qr::QrMatrix {
            version: 1,
            size: 21,
            modules,
        }
    }

    #[test]
    fn the_bitmap_is_row_major_msb_first() {
        let m = QrMatrix::from(&sample());
        assert_eq!((m.version, m.size), (1, 21));
        assert_eq!(m.bits.len(), (21 * 21_usize).div_ceil(8)); // 56
        assert_eq!(m.bits[0], 0b0100_0000);
        // i = 440: byte 55, bit 7 - 0.
        assert_eq!(m.bits[55], 0b1000_0000);
        assert_eq!(m.bits.iter().map(|b| b.count_ones()).sum::<u32>(), 2);
    }

    #[test]
    fn pixels_have_the_quiet_zone_and_the_byte_order_of_each_format() {
        for (format, dark) in [
            (PixelFormat::Argb, [0xff, 0, 0, 0]),
            (PixelFormat::Rgba, [0, 0, 0, 0xff]),
        ] {
            let p = draw(&sample(), 2, format).unwrap();
            let side = (21 + 8) * 2;
            assert_eq!((p.width, p.height), (side, side));
            assert_eq!(p.bytes.len(), (side * side * 4) as usize);
            let at = |x: i32, y: i32| &p.bytes[((y * side + x) * 4) as usize..][..4];
            assert_eq!(at(0, 0), [0xff; 4]); // quiet zone
            assert_eq!(at(8, 8), [0xff; 4]); // module (0, 0): light
            assert_eq!(at(10, 8), dark); // module (1, 0)
            assert_eq!(at(11, 9), dark);
            assert_eq!(at(12, 8), [0xff; 4]);
        }
    }

    #[test]
    fn a_scale_too_large_or_below_one_is_invalid_input() {
        use crate::WalletError;
        for scale in [0, 100_000, u32::MAX] {
            assert!(matches!(
                draw(&sample(), scale, PixelFormat::Rgba),
                Err(WalletError::InvalidInput { field, .. }) if field == "scale"
            ));
        }
        // 2048 pixels per side is the largest: (21 + 8) * 70 = 2030 fits, * 71 = 2059 does not.
        assert!(draw(&sample(), 70, PixelFormat::Rgba).is_ok());
        assert!(draw(&sample(), 71, PixelFormat::Argb).is_err());
        assert!(matches!(
            unsigned::<u32>(-1, "scale"),
            Err(WalletError::InvalidInput { field, .. }) if field == "scale"
        ));
    }
}
