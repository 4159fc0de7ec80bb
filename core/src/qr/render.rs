//! Drawing a [`QrMatrix`]: a 1-bit PNG, a compact SVG, and Unicode half blocks for a terminal.

use std::fmt::Write as _;

use super::encode::{QrMatrix, QUIET_ZONE};
use crate::error::{InputError, InputRule, Result};

/// The largest scale [`QrMatrix::to_png`] accepts, in pixels per module.
pub const MAX_PNG_SCALE: u32 = 64;
/// The largest quiet zone [`QrMatrix::to_png_with_quiet_zone`] accepts, in modules.
pub const MAX_QUIET_ZONE: u32 = 16;

/// Which terminal background [`QrMatrix::to_terminal_for`] draws for.
///
/// A terminal draws characters in its foreground colour. On a dark background the light
/// modules must be the drawn blocks; on a light background the dark modules must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TerminalTheme {
    /// Light text on a dark background (most terminals): light modules are drawn.
    #[default]
    DarkBackground,
    /// Dark text on a light background: dark modules are drawn.
    LightBackground,
}

impl QrMatrix {
    /// A 1-bit grayscale PNG with the standard quiet zone ([`QUIET_ZONE`] modules),
    /// `scale` pixels per module (1..=64). About 2 KB for a version 14 code at scale 8
    /// (648 x 648 px), 1.7 KB at scale 4.
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

    /// A compact SVG: one white background rectangle and **one** path of dark runs, in module
    /// units (`viewBox="0 0 N N"` with N = size + 8 for the quiet zone). Scale it freely; it
    /// stays crisp (`shape-rendering="crispEdges"`).
    pub fn to_svg(&self) -> String {
        let n = self.size + 2 * QUIET_ZONE;
        let mut d = String::new();
        for y in 0..self.size {
            let mut x = 0;
            while x < self.size {
                if self.is_dark(x, y) {
                    let start = x;
                    while x < self.size && self.is_dark(x, y) {
                        x += 1;
                    }
                    let run = x - start;
                    // Writing to a String cannot fail.
                    let _ = write!(d, "M{} {}h{run}v1h-{run}z", start + QUIET_ZONE, y + QUIET_ZONE);
                } else {
                    x += 1;
                }
            }
        }
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {n} {n}\" shape-rendering=\"crispEdges\">\
             <rect width=\"{n}\" height=\"{n}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{d}\"/></svg>"
        )
    }

    /// The code drawn with Unicode half blocks for a terminal with a dark background
    /// (see [`to_terminal_for`](Self::to_terminal_for)).
    pub fn to_terminal(&self) -> String {
        self.to_terminal_for(TerminalTheme::DarkBackground)
    }

    /// The code drawn with Unicode half blocks (`▀ ▄ █` and space), two module rows per line,
    /// with the [`QUIET_ZONE`] on all sides, for the given terminal background.
    ///
    /// Returns `(size + 9) / 2` lines (size is odd, plus 8 quiet-zone modules; the last line's
    /// lower half is extra quiet zone), each `size + 8` characters wide and ending in `\n`.
    pub fn to_terminal_for(&self, theme: TerminalTheme) -> String {
        let n = self.size + 2 * QUIET_ZONE;
        // A module is "drawn" (foreground) when it must look light on a dark background,
        // or dark on a light background.
        let drawn = |x: u32, y: u32| {
            let dark = self.is_dark_padded(x, y, QUIET_ZONE);
            match theme {
                TerminalTheme::DarkBackground => !dark,
                TerminalTheme::LightBackground => dark,
            }
        };
        let lines = n.div_ceil(2);
        let mut out = String::with_capacity((lines * (n * 3 + 1)) as usize);
        for line in 0..lines {
            let top_y = line * 2;
            for x in 0..n {
                let top = drawn(x, top_y);
                // Below the last row is more quiet zone (light).
                let bottom = if top_y + 1 < n {
                    drawn(x, top_y + 1)
                } else {
                    theme == TerminalTheme::DarkBackground
                };
                out.push(match (top, bottom) {
                    (true, true) => '█',
                    (true, false) => '▀',
                    (false, true) => '▄',
                    (false, false) => ' ',
                });
            }
            out.push('\n');
        }
        out
    }
}
