//! Drawing a [`QrMatrix`] as a 1-bit PNG (the `image` feature).

use super::encode::{QrMatrix, QUIET_ZONE};
use crate::error::{InputError, InputRule, Result};

/// The largest scale [`QrMatrix::to_png`] accepts, in pixels per module.
pub const MAX_PNG_SCALE: u32 = 64;
/// The largest quiet zone [`QrMatrix::to_png_with_quiet_zone`] accepts, in modules.
pub const MAX_QUIET_ZONE: u32 = 16;

impl QrMatrix {
    /// A 1-bit grayscale PNG with the standard quiet zone ([`QUIET_ZONE`] modules),
    /// `scale` pixels per module (1..=64). About 2 KB for a version 14 code at scale 8
    /// (648 x 648 px), 1.7 KB at scale 4. Needs the `image` feature (on by default).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a scale outside 1..=64.
    pub fn to_png(&self, scale: u32) -> Result<Vec<u8>> {
        self.to_png_with_quiet_zone(scale, QUIET_ZONE)
    }

    /// [`to_png`](Self::to_png) with a chosen quiet zone (0..=16 modules; the standard asks for 4).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a scale outside 1..=64 or a quiet zone above 16.
    pub fn to_png_with_quiet_zone(&self, scale: u32, quiet: u32) -> Result<Vec<u8>> {
        if !(1..=MAX_PNG_SCALE).contains(&scale) {
            return Err(InputError::new(
                "scale",
                InputRule::Range("must be between 1 and 64 pixels per module"),
            )
            .into());
        }
        if quiet > MAX_QUIET_ZONE {
            return Err(InputError::new("quiet_zone", InputRule::Range("must be at most 16 modules")).into());
        }
        if self.modules.len() != self.size as usize * self.size as usize {
            return Err(InputError::new("modules", InputRule::Invalid("must be size x size")).into());
        }
        let modules = self.size + 2 * quiet;
        let side = modules * scale; // at most (177 + 32) * 64, far below u32::MAX
        let row_bytes = side.div_ceil(8) as usize;
        let mut pixels = vec![0u8; row_bytes * side as usize];
        for (py, row) in pixels.chunks_exact_mut(row_bytes).enumerate() {
            let my = py as u32 / scale;
            for px in 0..side {
                // 1-bit grayscale: 1 = white. Light pixels set their bit.
                if !self.is_dark_padded(px / scale, my, quiet) {
                    row[(px / 8) as usize] |= 0x80 >> (px % 8);
                }
            }
        }
        let mut out = Vec::new();
        {
            let mut enc = png::Encoder::new(&mut out, side, side);
            enc.set_color(png::ColorType::Grayscale);
            enc.set_depth(png::BitDepth::One);
            enc.set_compression(png::Compression::Best);
            enc.set_adaptive_filter(png::AdaptiveFilterType::Adaptive);
            let mut writer = enc
                .write_header()
                .map_err(|_| InputError::new("matrix", InputRule::Invalid("PNG encoding failed")))?;
            writer
                .write_image_data(&pixels)
                .map_err(|_| InputError::new("matrix", InputRule::Invalid("PNG encoding failed")))?;
            writer
                .finish()
                .map_err(|_| InputError::new("matrix", InputRule::Invalid("PNG encoding failed")))?;
        }
        Ok(out)
    }
}
