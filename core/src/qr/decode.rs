//! Images back to text: PNG files and camera luma planes, within fixed memory and CPU bounds
//! (see the module docs of [`crate::qr`]).

use super::finder_guard::{count_finder_candidates, MAX_FINDER_PATTERNS};
use crate::error::{Error, Result};
use crate::RejectReason;

/// The largest PNG file [`decode_png`] accepts.
pub const MAX_PNG_BYTES: usize = 8 * 1024 * 1024;
/// The largest image side (width or height) [`decode_png`] accepts, in pixels.
pub const MAX_IMAGE_SIDE: u32 = 4096;
/// The largest image area [`decode_png`] accepts, in pixels (about 16.7 megapixels).
pub const MAX_IMAGE_PIXELS: u64 = 4096 * 4096;
/// The largest image area the QR detector searches, in pixels (1 megapixel): bigger images are
/// shrunk to at most this size first (see the module docs).
pub const MAX_DECODE_PIXELS: usize = 1 << 20;

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
            Self::TooLarge => RejectReason::TooLarge.into(),
            Self::Unreadable => RejectReason::Malformed.into(),
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

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
