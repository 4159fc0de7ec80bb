//! Drawing a [`QrMatrix`]: a compact SVG and Unicode half blocks for a terminal (PNG: `render_png`).

use std::fmt::Write as _;

use super::encode::{QrMatrix, QUIET_ZONE};

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
