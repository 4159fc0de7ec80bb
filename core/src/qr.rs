//! QR codes in and out: text to a module matrix (PNG, SVG, terminal) and PNG images back to text.
//!
//! This module owns the *image* side of our QR codes. It knows nothing about what the text
//! means (that is [`crate::format`]); it only guarantees that
//!
//! * our QR text (a `VN1:` prefix plus base45, every character in the QR **alphanumeric**
//!   alphabet) is encoded in alphanumeric mode, so the capacity a developer looks up in the
//!   standard's table (ISO/IEC 18004 Table 7) is the capacity they get;
//! * [`fit`] picks the smallest version and refuses, with [`Error::QrTooLarge`], a code larger
//!   than the reader can handle ([`MAX_READABLE_VERSION`] for phone cameras,
//!   [`COUNTER_FRIENDLY_VERSION`] for cheap counter imagers) instead of producing an unreadable
//!   code;
//! * [`decode_png`] never panics and never allocates more than a fixed bound, whatever the bytes:
//!   the input length and the declared image size are checked before any pixel is decoded.
//!
//! Apps that draw natively use [`QrMatrix`] (row-major, `true` = dark); the CLI uses
//! [`QrMatrix::to_terminal`]; web and print use [`QrMatrix::to_svg`] or [`QrMatrix::to_png`].
//!
//! Error texts never quote the QR content: it may carry personal data.
//!
//! **CPU bound.** rqrr's detection cost grows with the image area times the number of
//! finder-like patterns (it clones the whole image for every candidate group of three), so a
//! crafted image (a grid of finder patterns) took 13 s at 1024x1024 and was unbounded at the
//! 4096x4096 limit. Before rqrr runs, [`decode_png`] and [`decode_luma`] therefore
//!
//! * shrink any image above [`MAX_DECODE_PIXELS`] (1 megapixel) by an integer factor to at
//!   most that size (a 12 MP photo becomes about 1000x750; a phone screenshot of our code at
//!   8 px/module is already under it), and
//! * count the finder-pattern candidates the way rqrr will find them (the 1:1:3:1:1 line scan
//!   plus rqrr's ring/stone region tests, on rqrr's own thresholded image) and refuse an image
//!   with more than [`MAX_FINDER_PATTERNS`] (quirc, the C library rqrr was ported from, stops at
//!   32 too) with an [`ImageProblem::TooComplex`] error.
//!
//! Measured (release, 2-core machine; `measure_decode_at_the_size_limit` in `tests/qr_codes.rs`):
//! the 1024x1024 grid of 1024 finder patterns went from 13 s to 28 ms (refused), 4096x4096 noise
//! from over 20 minutes to 0.15 s, 32 patterns placed so that every pair is a candidate group
//! take 0.12 s; the slowest image we know of is 1024x1024 binary noise at 50 % (about 1.2 s,
//! rqrr's region flood fills). A version 20 code at 8 px/module (840 px) decodes in 70 ms, the
//! same code filling 4096x4096 in 0.3 s. Not bounded by these checks: rqrr's region cache
//! (251 entries) and its alignment-pattern spiral, which a crafted image might drive to seconds
//! (SECURITY.md, residual risks); decode off the UI thread.

use std::fmt::Write as _;

use qrcode::bits::Bits;
use qrcode::{Color, EcLevel, QrCode, Version};

use crate::error::{Error, RejectReason, Result};

/// The largest version phone cameras read reliably (97 x 97 modules).
pub const MAX_READABLE_VERSION: u8 = 20;
/// The largest version cheap counter imagers and webcams read reliably (77 x 77 modules).
pub const COUNTER_FRIENDLY_VERSION: u8 = 15;
/// The largest version the QR standard defines.
pub const MAX_VERSION: u8 = 40;
/// The quiet zone (light border) the standard requires, in modules.
pub const QUIET_ZONE: u32 = 4;
/// The largest PNG file [`decode_png`] accepts.
pub const MAX_PNG_BYTES: usize = 8 * 1024 * 1024;
/// The largest image side (width or height) [`decode_png`] accepts, in pixels.
pub const MAX_IMAGE_SIDE: u32 = 4096;
/// The largest image area [`decode_png`] accepts, in pixels (about 16.7 megapixels).
pub const MAX_IMAGE_PIXELS: u64 = 4096 * 4096;
/// The largest image area the QR detector searches, in pixels (1 megapixel): bigger images are
/// shrunk to at most this size first (see the module docs).
pub const MAX_DECODE_PIXELS: usize = 1 << 20;
/// The most finder-pattern candidates an image may have before the QR detector searches it
/// (a QR code has 3; see the module docs).
pub const MAX_FINDER_PATTERNS: usize = 32;
/// The largest scale [`QrMatrix::to_png`] accepts, in pixels per module.
pub const MAX_PNG_SCALE: u32 = 64;
/// The largest quiet zone [`QrMatrix::to_png_with_quiet_zone`] accepts, in modules.
pub const MAX_QUIET_ZONE: u32 = 16;

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

/// A QR code as a square grid of modules, for apps that draw it themselves.
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
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
/// Text entirely in the alphanumeric alphabet (our `VN1:` + base45 text) is encoded in
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
        return Err(Error::InvalidInput(
            "QR max_version must be between 1 and 40".into(),
        ));
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
        .map_err(|_| Error::InvalidInput("QR encoding failed for this text".into()))?;
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
    fn is_dark_padded(&self, x: u32, y: u32, quiet: u32) -> bool {
        match (x.checked_sub(quiet), y.checked_sub(quiet)) {
            (Some(x), Some(y)) => self.is_dark(x, y),
            _ => false,
        }
    }

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
            return Err(Error::InvalidInput(
                "PNG scale must be between 1 and 64 pixels per module".into(),
            ));
        }
        if quiet > MAX_QUIET_ZONE {
            return Err(Error::InvalidInput(
                "PNG quiet zone must be at most 16 modules".into(),
            ));
        }
        if self.modules.len() != self.size as usize * self.size as usize {
            return Err(Error::InvalidInput(
                "QR matrix has the wrong number of modules".into(),
            ));
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
                .map_err(|_| Error::InvalidInput("PNG encoding failed".into()))?;
            writer
                .write_image_data(&pixels)
                .map_err(|_| Error::InvalidInput("PNG encoding failed".into()))?;
            writer
                .finish()
                .map_err(|_| Error::InvalidInput("PNG encoding failed".into()))?;
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

/// Why [`decode_png`] could not return text. Each maps to an [`Error`] (see the variants).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageProblem {
    /// Not a PNG file (wrong signature or header): [`Error::InvalidInput`].
    NotPng,
    /// A PNG whose data is damaged or truncated: [`Error::InvalidInput`].
    CorruptPng,
    /// File or declared dimensions above the limits: [`Error::Rejected`] with
    /// [`RejectReason::TooLarge`].
    TooLarge,
    /// No QR code was found in the picture: [`Error::InvalidInput`].
    NoQrFound,
    /// A QR code was found but could not be read (damaged, blurred, not text):
    /// [`Error::Rejected`] with [`RejectReason::Malformed`].
    Unreadable,
    /// More than [`MAX_FINDER_PATTERNS`] finder-like patterns: searching them all would take too
    /// long (a crafted or very busy picture): [`Error::InvalidInput`].
    TooComplex,
}

impl ImageProblem {
    /// The text carried by [`Error::InvalidInput`] for this problem.
    pub fn message(self) -> &'static str {
        match self {
            Self::NotPng => "image: not a PNG file",
            Self::CorruptPng => "image: the PNG data is damaged or truncated",
            Self::TooLarge => "image: too large",
            Self::NoQrFound => "image: no QR code found; hold the code flat, in focus and fully in view",
            Self::Unreadable => "image: the QR code could not be read",
            Self::TooComplex => {
                "image: too many QR-like patterns to search; crop the picture to the one QR code"
            }
        }
    }

    /// The typed [`Error`] for this problem.
    pub fn into_error(self) -> Error {
        match self {
            Self::TooLarge => Error::Rejected(RejectReason::TooLarge),
            Self::Unreadable => Error::Rejected(RejectReason::Malformed),
            other => Error::InvalidInput(other.message().into()),
        }
    }
}

impl From<ImageProblem> for Error {
    fn from(p: ImageProblem) -> Self {
        p.into_error()
    }
}

const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];

/// Reads the text of the first readable QR code in a PNG image.
///
/// Accepts every PNG colour type and bit depth (grayscale, gray + alpha, RGB, RGBA, palette;
/// 1 to 16 bits); transparent pixels count as white paper. Before decoding any pixel it checks
/// the input length ([`MAX_PNG_BYTES`]) and the dimensions the header declares
/// ([`MAX_IMAGE_SIDE`], [`MAX_IMAGE_PIXELS`]), so the memory used is bounded (about 16 MiB of
/// luma plus, for interlaced images only, the decoded frame) whatever the bytes say.
///
/// # Errors
///
/// See [`ImageProblem`] for the mapping: not a PNG / damaged PNG / no QR found ->
/// [`Error::InvalidInput`]; too large -> [`RejectReason::TooLarge`]; QR found but unreadable ->
/// [`RejectReason::Malformed`].
pub fn decode_png(png_bytes: &[u8]) -> Result<String> {
    let (width, height, luma) = png_to_luma(png_bytes)?;
    read_first_qr(width, height, &luma)
}

/// Reads the text of the first readable QR code in an 8-bit luma image, row-major,
/// `width * height` bytes (0 = black). This is what a camera gives directly: the Y plane of an
/// Android `YUV_420_888` frame or an iOS `kCVPixelFormatType_420YpCbCr8BiPlanar` buffer (copy
/// out the row padding first).
///
/// # Errors
///
/// As [`decode_png`]: [`ImageProblem::TooLarge`] above [`MAX_IMAGE_SIDE`] /
/// [`MAX_IMAGE_PIXELS`], [`Error::InvalidInput`] when `luma.len() != width * height` or no code
/// is found, [`RejectReason::Malformed`] when a code is found but unreadable.
pub fn decode_luma(width: u32, height: u32, luma: &[u8]) -> Result<String> {
    if width > MAX_IMAGE_SIDE
        || height > MAX_IMAGE_SIDE
        || u64::from(width) * u64::from(height) > MAX_IMAGE_PIXELS
    {
        return Err(ImageProblem::TooLarge.into());
    }
    let (w, h) = (width as usize, height as usize);
    if w == 0 || h == 0 || luma.len() != w * h {
        return Err(Error::InvalidInput(
            "image: luma buffer length is not width x height".into(),
        ));
    }
    read_first_qr(w, h, luma)
}

/// Checks the signature and the IHDR dimensions by hand, before the png crate sees the data.
fn check_png_header(bytes: &[u8]) -> Result<(u32, u32), ImageProblem> {
    if bytes.len() > MAX_PNG_BYTES {
        return Err(ImageProblem::TooLarge);
    }
    if bytes.len() < 8 || bytes[..8] != PNG_SIGNATURE {
        return Err(ImageProblem::NotPng);
    }
    // The first chunk must be IHDR: length (4) "IHDR" (4) width (4) height (4).
    let ihdr = bytes.get(8..24).ok_or(ImageProblem::CorruptPng)?;
    if &ihdr[4..8] != b"IHDR" {
        return Err(ImageProblem::NotPng);
    }
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    let (w, h) = (be(&ihdr[8..12]), be(&ihdr[12..16]));
    if w == 0 || h == 0 {
        return Err(ImageProblem::CorruptPng);
    }
    if w > MAX_IMAGE_SIDE || h > MAX_IMAGE_SIDE || u64::from(w) * u64::from(h) > MAX_IMAGE_PIXELS {
        return Err(ImageProblem::TooLarge);
    }
    Ok((w, h))
}

fn png_to_luma(bytes: &[u8]) -> Result<(usize, usize, Vec<u8>)> {
    let (w, h) = check_png_header(bytes)?;
    let mut decoder = png::Decoder::new(bytes);
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    // Covers the interlaced path's full 8-bit RGBA frame of the largest allowed image, and
    // bounds the metadata chunks (text, ICC) the decoder may buffer.
    decoder.set_limits(png::Limits {
        bytes: (MAX_IMAGE_PIXELS as usize) * 4 + 1024 * 1024,
    });
    let corrupt = |e: png::DecodingError| match e {
        png::DecodingError::LimitsExceeded => ImageProblem::TooLarge,
        _ => ImageProblem::CorruptPng,
    };
    let mut reader = decoder.read_info().map_err(corrupt)?;
    let info = reader.info();
    if info.width != w || info.height != h {
        return Err(ImageProblem::CorruptPng.into());
    }
    let interlaced = info.interlaced;
    let (color, _) = reader.output_color_type();
    let channels = match color {
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        // normalize_to_color8 expands palettes; anything else is a decoder surprise.
        png::ColorType::Indexed => return Err(ImageProblem::CorruptPng.into()),
    };
    let (w, h) = (w as usize, h as usize);
    let row_len = w * channels;
    let mut luma = Vec::with_capacity(w * h);
    if interlaced {
        let mut frame = vec![0u8; reader.output_buffer_size()];
        let out = reader.next_frame(&mut frame).map_err(corrupt)?;
        let line = out.line_size;
        if line < row_len {
            return Err(ImageProblem::CorruptPng.into());
        }
        for row in frame.chunks_exact(line).take(h) {
            push_luma_row(&mut luma, &row[..row_len], channels);
        }
    } else {
        for _ in 0..h {
            let row = reader
                .next_row()
                .map_err(corrupt)?
                .ok_or(ImageProblem::CorruptPng)?;
            let data = row.data();
            if data.len() < row_len {
                return Err(ImageProblem::CorruptPng.into());
            }
            push_luma_row(&mut luma, &data[..row_len], channels);
        }
    }
    if luma.len() != w * h {
        return Err(ImageProblem::CorruptPng.into());
    }
    Ok((w, h, luma))
}

/// Converts one 8-bit row to luma (BT.601 weights), compositing alpha over white paper.
fn push_luma_row(luma: &mut Vec<u8>, row: &[u8], channels: usize) {
    let over_white = |v: u32, a: u32| ((v * a + 255 * (255 - a) + 127) / 255) as u8;
    let gray = |r: u8, g: u8, b: u8| (77 * u32::from(r) + 150 * u32::from(g) + 29 * u32::from(b) + 128) >> 8;
    for px in row.chunks_exact(channels) {
        let v = match *px {
            [g] => g,
            [g, a] => over_white(u32::from(g), u32::from(a)),
            [r, g, b] => gray(r, g, b).min(255) as u8,
            [r, g, b, a] => over_white(gray(r, g, b).min(255), u32::from(a)),
            _ => 255,
        };
        luma.push(v);
    }
}

/// Finds and reads the first QR code in a luma image (row-major, `width * height` bytes),
/// within the CPU bound of the module docs: shrunk to [`MAX_DECODE_PIXELS`], and refused with
/// [`ImageProblem::TooComplex`] above [`MAX_FINDER_PATTERNS`] candidates.
///
/// rqrr is known to panic on some degenerate images (e.g. a perspective assertion in
/// `detect_grids`, upstream issue WanzenBug/rqrr#54, still open for 0.10), and our contract is
/// "no panics across the FFI" for camera input we do not control. So the call is wrapped in
/// `catch_unwind` and a panic becomes [`ImageProblem::Unreadable`]. The closure only reads the
/// borrowed luma buffer, so no broken state can be observed after an unwind.
fn read_first_qr(width: usize, height: usize, luma: &[u8]) -> Result<String> {
    if luma.len() != width * height {
        return Err(ImageProblem::CorruptPng.into());
    }
    let shrunk;
    let (width, height, luma) = match shrink_to_budget(width, height, luma) {
        Some((w, h, l)) => {
            shrunk = l;
            (w, h, shrunk.as_slice())
        }
        None => (width, height, luma),
    };
    let outcome = std::panic::catch_unwind(|| {
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| {
            luma.get(y * width + x).copied().unwrap_or(255)
        });
        // rqrr marks black pixels 1 (and white 0) in its thresholded image.
        let candidates = count_finder_candidates(
            width,
            height,
            |x, y| img.get_pixel_at(x, y) == 1u8,
            MAX_FINDER_PATTERNS,
        );
        if candidates > MAX_FINDER_PATTERNS {
            return Err(ImageProblem::TooComplex);
        }
        let grids = img.detect_grids();
        if grids.is_empty() {
            return Err(ImageProblem::NoQrFound);
        }
        grids
            .iter()
            .find_map(|g| g.decode().ok().map(|(_, text)| text))
            .ok_or(ImageProblem::Unreadable)
    });
    match outcome {
        Ok(Ok(text)) => Ok(text),
        Ok(Err(p)) => Err(p.into()),
        Err(_) => Err(ImageProblem::Unreadable.into()),
    }
}

/// The smallest integer factor `k` with `ceil(w / k) * ceil(h / k) <= MAX_DECODE_PIXELS`.
fn shrink_factor(width: usize, height: usize) -> usize {
    let mut k = 1;
    while width.div_ceil(k) * height.div_ceil(k) > MAX_DECODE_PIXELS {
        k += 1;
    }
    k
}

/// Shrinks an image above [`MAX_DECODE_PIXELS`] by an integer factor `k`, keeping the centre
/// pixel of each `k` x `k` block (blocks at the right and bottom edges may be smaller). `None`
/// when the image is already within the budget.
///
/// Sampling, not averaging: rqrr thresholds a pixel as dark only below about half its
/// neighbourhood's mean, so the grey pixels an average makes on every module edge that falls
/// inside a block turn light and shift the 1:1:3:1:1 ratios. Measured on version 20 codes at 7
/// to 11 px/module, placed off the block grid and halved: block means decoded 0 of 60, centre
/// samples 60 of 60.
fn shrink_to_budget(width: usize, height: usize, luma: &[u8]) -> Option<(usize, usize, Vec<u8>)> {
    let k = shrink_factor(width, height);
    if k == 1 {
        return None;
    }
    let (w, h) = (width.div_ceil(k), height.div_ceil(k));
    let mut out = Vec::with_capacity(w * h);
    for by in 0..h {
        let y = (by * k + k / 2).min(height - 1);
        let row = luma.get(y * width..(y + 1) * width)?;
        out.extend((0..w).map(|bx| row.get((bx * k + k / 2).min(width - 1)).copied().unwrap_or(255)));
    }
    Some((w, h, out))
}

/// One horizontal run of black pixels in the component labelling of
/// [`count_finder_candidates`].
#[derive(Clone, Copy)]
struct Run {
    start: usize,
    /// Exclusive.
    end: usize,
    /// Union-find node.
    node: usize,
}

fn find_root(parent: &mut [usize], mut n: usize) -> usize {
    while let Some(&p) = parent.get(n) {
        if p == n {
            break;
        }
        // Path halving.
        let gp = parent.get(p).copied().unwrap_or(p);
        if let Some(slot) = parent.get_mut(n) {
            *slot = gp;
        }
        n = gp;
    }
    n
}

/// An upper bound on the number of finder patterns ("capstones") rqrr 0.9 finds in a
/// thresholded image, computed in time linear in the area. Stops counting past `stop_after`.
///
/// rqrr scans every row for black/white runs in the ratio 1:1:3:1:1 (its `LineScanner`), and
/// accepts a hit as a capstone when the outer black runs belong to one 4-connected black region
/// (the ring), the middle run to another (the stone), the stone has 10 % to 70 % of the ring's
/// pixels, and the ring has not been used yet. This function labels the 4-connected black
/// regions (union-find over runs), replays the same scan with the same integer arithmetic, and
/// counts the distinct rings of the hits that pass those tests: every capstone rqrr creates has
/// its own ring among them.
fn count_finder_candidates(
    width: usize,
    height: usize,
    is_black: impl Fn(usize, usize) -> bool,
    stop_after: usize,
) -> usize {
    // 1. Black runs per row, 4-connected components over them.
    let mut runs: Vec<Run> = Vec::new();
    let mut row_start = Vec::with_capacity(height + 1);
    let mut parent: Vec<usize> = Vec::new();
    let mut size: Vec<usize> = Vec::new();
    for y in 0..height {
        row_start.push(runs.len());
        let mut x = 0;
        while x < width {
            if !is_black(x, y) {
                x += 1;
                continue;
            }
            let start = x;
            while x < width && is_black(x, y) {
                x += 1;
            }
            let node = parent.len();
            parent.push(node);
            size.push(x - start);
            runs.push(Run { start, end: x, node });
        }
    }
    row_start.push(runs.len());
    for y in 1..height {
        let (Some(&a0), Some(&a1), Some(&b1)) =
            (row_start.get(y - 1), row_start.get(y), row_start.get(y + 1))
        else {
            continue;
        };
        // Two-pointer walk over the sorted runs of rows y-1 and y.
        let (mut i, mut j) = (a0, a1);
        while i < a1 && j < b1 {
            let (Some(&up), Some(&cur)) = (runs.get(i), runs.get(j)) else {
                break;
            };
            if up.start < cur.end && cur.start < up.end {
                let (ru, rc) = (find_root(&mut parent, up.node), find_root(&mut parent, cur.node));
                if ru != rc {
                    let merged = size.get(ru).copied().unwrap_or(0) + size.get(rc).copied().unwrap_or(0);
                    if let Some(p) = parent.get_mut(rc) {
                        *p = ru;
                    }
                    if let Some(s) = size.get_mut(ru) {
                        *s = merged;
                    }
                }
            }
            if up.end <= cur.end {
                i += 1;
            } else {
                j += 1;
            }
        }
    }
    // The region (root) of the black pixel at (x, y), if it is black.
    let region_at = |x: usize, y: usize, parent: &mut Vec<usize>| -> Option<usize> {
        let (a, b) = (*row_start.get(y)?, *row_start.get(y + 1)?);
        let row = runs.get(a..b)?;
        let i = row.partition_point(|r| r.end <= x);
        let r = row.get(i).filter(|r| r.start <= x)?;
        Some(find_root(parent, r.node))
    };

    // 2. rqrr's line scan, with its ring/stone tests on the regions.
    let mut rings: Vec<usize> = Vec::new();
    for y in 0..height {
        // Run lengths of the last five runs (oldest first), as rqrr's `lookbehind_buf`.
        let mut buf = [0usize; 5];
        let mut last_black = is_black(0, y);
        let mut run = 1usize;
        let mut changes = 0usize;
        for x in 1..=width {
            // Position `width` is rqrr's virtual white pixel at the end of the row.
            let black = x < width && is_black(x, y);
            if black == last_black {
                run += 1;
                continue;
            }
            last_black = black;
            buf.rotate_left(1);
            buf[4] = run;
            run = 1;
            changes += 1;
            if black || changes < 5 || !is_finder_ratio(&buf) {
                continue;
            }
            let left = x - buf.iter().sum::<usize>();
            let stone = x - buf[2..].iter().sum::<usize>();
            let right = x - buf[4];
            let (Some(ring), Some(stone), Some(left)) = (
                region_at(right, y, &mut parent),
                region_at(stone, y, &mut parent),
                region_at(left, y, &mut parent),
            ) else {
                continue;
            };
            if ring == stone || left != ring || rings.contains(&ring) {
                continue;
            }
            let (rs, ss) = (
                size.get(ring).copied().unwrap_or(0),
                size.get(stone).copied().unwrap_or(0),
            );
            let ratio = ss * 100 / rs.max(1);
            if 10 < ratio && ratio < 70 {
                rings.push(ring);
                if rings.len() > stop_after {
                    return rings.len();
                }
            }
        }
    }
    rings.len()
}

/// rqrr's 1:1:3:1:1 test on five run lengths, with its integer arithmetic.
fn is_finder_ratio(buf: &[usize; 5]) -> bool {
    const CHECK: [usize; 5] = [1, 1, 3, 1, 1];
    let avg = (buf[0] + buf[1] + buf[3] + buf[4]) / 4;
    let err = avg * 3 / 4;
    buf.iter()
        .zip(CHECK)
        .all(|(&run, c)| run + err >= c * avg && run <= c * avg + err)
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

    /// A finder pattern (7x7 modules of `unit` px) with its top-left corner at (x0, y0).
    fn draw_finder(img: &mut [u8], side: usize, x0: usize, y0: usize, unit: usize) {
        for y in 0..7 * unit {
            for x in 0..7 * unit {
                let (mx, my) = ((x / unit) as i32, (y / unit) as i32);
                let d = (mx - 3).abs().max((my - 3).abs());
                img[(y0 + y) * side + x0 + x] = if d == 3 || d <= 1 { 0 } else { 255 };
            }
        }
    }

    fn count(side: usize, img: &[u8]) -> usize {
        count_finder_candidates(side, side, |x, y| img[y * side + x] < 128, usize::MAX)
    }

    #[test]
    fn finder_candidates_are_counted_once_per_pattern() {
        // Our own code has exactly its three finder patterns, at any scale.
        let m = fit("VN1:0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", Ecc::M, 40).unwrap();
        for scale in [1usize, 3, 8] {
            let side = (m.size as usize + 8) * scale;
            let img: Vec<u8> = (0..side * side)
                .map(|i| {
                    let (x, y) = ((i % side) / scale, (i / side) / scale);
                    if m.is_dark_padded(x as u32, y as u32, QUIET_ZONE) {
                        0
                    } else {
                        255
                    }
                })
                .collect();
            assert_eq!(count(side, &img), 3, "scale {scale}");
        }
        // A grid of n x n patterns counts n^2, with 1 px modules too; the count stops early.
        for (n, unit) in [(2usize, 5usize), (5, 2), (12, 1)] {
            let side = n * 10 * unit;
            let mut img = vec![255u8; side * side];
            for gy in 0..n {
                for gx in 0..n {
                    draw_finder(&mut img, side, gx * 10 * unit + unit, gy * 10 * unit + unit, unit);
                }
            }
            assert_eq!(count(side, &img), n * n, "{n}x{n} of unit {unit}");
            assert_eq!(
                count_finder_candidates(side, side, |x, y| img[y * side + x] < 128, 3),
                4.min(n * n)
            );
        }
        // Not finder patterns: a ring whose core touches it, a filled square, stripes, nothing.
        let side = 40;
        let mut img = vec![255u8; side * side];
        draw_finder(&mut img, side, 5, 5, 4);
        for x in 5 + 4..5 + 12 {
            img[(5 + 14) * side + x] = 0; // a bridge from the ring to the core's row
        }
        assert_eq!(count(side, &img), 0);
        assert_eq!(count(side, &[0; 1600]), 0);
        let stripes: Vec<u8> = (0..1600)
            .map(|i| if (i % 40) % 6 < 3 { 0 } else { 255 })
            .collect();
        assert_eq!(count(40, &stripes), 0);
        assert_eq!(count(40, &[255; 1600]), 0);
    }

    #[test]
    fn shrinking_keeps_within_the_budget_by_sampling() {
        assert_eq!(shrink_factor(1024, 1024), 1);
        assert_eq!(shrink_factor(1025, 1024), 2);
        assert_eq!(shrink_factor(4096, 4096), 4);
        assert_eq!(shrink_factor(4000, 3000), 4);
        assert_eq!(shrink_factor(1_048_577, 1), 2);
        for (w, h) in [
            (1025usize, 1024usize),
            (4096, 4096),
            (3001, 2999),
            (1_048_577, 1),
            (1, 2_000_000),
        ] {
            let k = shrink_factor(w, h);
            assert!(w.div_ceil(k) * h.div_ceil(k) <= MAX_DECODE_PIXELS, "{w}x{h}");
            assert!(
                w.div_ceil(k - 1) * h.div_ceil(k - 1) > MAX_DECODE_PIXELS,
                "{w}x{h}"
            );
        }
        assert!(shrink_to_budget(1024, 1024, &[0; 1024 * 1024]).is_none());
        // 1030 x 1024, factor 2: 515 x 512; each output pixel is its block's centre pixel.
        let (w, h) = (1030usize, 1024usize);
        let luma: Vec<u8> = (0..w * h).map(|i| ((i % w) * 7 + (i / w) * 13) as u8).collect();
        let (sw, sh, small) = shrink_to_budget(w, h, &luma).unwrap();
        assert_eq!((sw, sh, small.len()), (515, 512, 515 * 512));
        for (oy, ox) in [(0usize, 0usize), (100, 200), (511, 514)] {
            assert_eq!(
                small[oy * sw + ox],
                luma[(oy * 2 + 1) * w + ox * 2 + 1],
                "({ox}, {oy})"
            );
        }
        // Factor 3 on 3001 x 2999 (9 MP): 1001 x 1000; the partial last block samples inside.
        let (w, h) = (3001usize, 2999usize);
        let luma: Vec<u8> = (0..w * h)
            .map(|i| ((i % w) % 251) as u8 ^ ((i / w) % 7) as u8)
            .collect();
        let (sw, sh, small) = shrink_to_budget(w, h, &luma).unwrap();
        assert_eq!((sw, sh), (1001, 1000));
        assert_eq!(small[999 * sw + 1000], luma[2998 * w + 3000]);
        assert_eq!(small[0], luma[w + 1]);
    }

    #[test]
    fn luma_composites_alpha_over_white() {
        let mut l = Vec::new();
        push_luma_row(&mut l, &[0, 0, 0, 255, 0, 0, 0, 0, 255, 255, 255, 255], 4);
        assert_eq!(l, vec![0, 255, 255]);
        let mut l = Vec::new();
        push_luma_row(&mut l, &[0, 255, 0, 0, 128, 255], 2);
        assert_eq!(l, vec![0, 255, 128]);
    }
}
