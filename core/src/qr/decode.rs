//! Images back to text: PNG files and camera luma planes, within fixed memory and CPU bounds
//! (see the module docs of [`crate::qr`]).

use super::binarize;
use super::finder_guard::{count_finder_candidates, MAX_FINDER_PATTERNS};
use crate::error::{ImageError, InputError, InputRule, Result};

/// The largest PNG file [`decode_png`] accepts.
pub const MAX_PNG_BYTES: usize = 8 * 1024 * 1024;
/// The largest image side (width or height) [`decode_png`] accepts, in pixels.
pub const MAX_IMAGE_SIDE: u32 = 4096;
/// The largest image area [`decode_png`] accepts, in pixels (about 16.7 megapixels).
pub const MAX_IMAGE_PIXELS: u64 = 4096 * 4096;
/// The largest image area the QR detector searches, in pixels (1 megapixel): bigger images are
/// shrunk to at most this size first (see the module docs).
pub const MAX_DECODE_PIXELS: usize = 1 << 20;

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
/// [`Error::Image`](crate::Error::Image) with the [`ImageError`]: not a PNG, damaged, too
/// large, too complex, no QR code found (keep scanning), or a code found but unreadable.
pub fn decode_png(png_bytes: &[u8]) -> Result<String> {
    let (width, height, luma) = png_to_luma(png_bytes)?;
    read_first_qr(width, height, &luma)
}

/// Reads the text of the first readable QR code in an 8-bit luma image, row-major,
/// `width * height` bytes (0 = black). This is what a camera gives directly: the Y plane of an
/// Android `YUV_420_888` frame or an iOS `kCVPixelFormatType_420YpCbCr8BiPlanar` buffer
/// ([`decode_luma_with_stride`] takes the rows with their padding, as the camera gives them).
///
/// # Errors
///
/// As [`decode_png`] ([`ImageError::TooLarge`] above [`MAX_IMAGE_SIDE`] / [`MAX_IMAGE_PIXELS`]),
/// and [`Error::InvalidInput`](crate::Error::InvalidInput) (field `luma`) when
/// `luma.len() != width * height` or a side is 0.
pub fn decode_luma(width: u32, height: u32, luma: &[u8]) -> Result<String> {
    if width > MAX_IMAGE_SIDE
        || height > MAX_IMAGE_SIDE
        || u64::from(width) * u64::from(height) > MAX_IMAGE_PIXELS
    {
        return Err(ImageError::TooLarge.into());
    }
    let (w, h) = (width as usize, height as usize);
    if w == 0 || h == 0 || luma.len() != w * h {
        return Err(InputError::new(
            "luma",
            InputRule::Invalid("length must be width x height, both above 0"),
        )
        .into());
    }
    read_first_qr(w, h, luma)
}

/// Reads the text of the first readable QR code in a PNG or JPEG image (told apart by their
/// first bytes): a screenshot, a scan, a camera photo.
///
/// PNG as [`decode_png`]. JPEG: baseline and progressive, grayscale, YCbCr, RGB and CMYK;
/// the same limits on the input length ([`MAX_PNG_BYTES`]) and on the dimensions the header
/// declares ([`MAX_IMAGE_SIDE`], [`MAX_IMAGE_PIXELS`]), checked before any pixel is decoded.
///
/// # Errors
///
/// As [`decode_png`]; [`ImageError::NotAnImage`] for bytes that are neither PNG nor JPEG.
pub fn decode_image(bytes: &[u8]) -> Result<String> {
    let (width, height, luma) = image_to_luma(bytes)?;
    read_first_qr(width, height, &luma)
}

/// Reads the text of the first readable QR code in an 8-bit luma plane whose rows are
/// `stride` bytes apart (`stride >= width`; the bytes past `width` in each row are ignored, and
/// the last row may stop at `width`). This is the camera's Y plane as it comes: Android's
/// `Image.Plane` (`getRowStride()`, pixel stride 1) or an iOS `CVPixelBuffer`'s plane 0
/// (`CVPixelBufferGetBytesPerRowOfPlane`), with no copy by the app.
///
/// # Errors
///
/// As [`decode_luma`]; [`Error::InvalidInput`](crate::Error::InvalidInput) (field `luma`) when
/// `stride < width` or the buffer is shorter than `stride * (height - 1) + width`.
pub fn decode_luma_with_stride(width: u32, height: u32, stride: u32, luma: &[u8]) -> Result<String> {
    if width > MAX_IMAGE_SIDE
        || height > MAX_IMAGE_SIDE
        || u64::from(width) * u64::from(height) > MAX_IMAGE_PIXELS
    {
        return Err(ImageError::TooLarge.into());
    }
    let (w, h, s) = (width as usize, height as usize, stride as usize);
    let bad = || {
        InputError::new(
            "luma",
            InputRule::Invalid("stride must be at least width, the buffer stride x (height - 1) + width bytes, both sides above 0"),
        )
    };
    if w == 0 || h == 0 || s < w {
        return Err(bad().into());
    }
    let needed = s
        .checked_mul(h - 1)
        .and_then(|n| n.checked_add(w))
        .ok_or_else(bad)?;
    if luma.len() < needed {
        return Err(bad().into());
    }
    if s == w {
        return read_first_qr(w, h, &luma[..w * h]);
    }
    let mut packed = Vec::with_capacity(w * h);
    for y in 0..h {
        packed.extend_from_slice(luma.get(y * s..y * s + w).ok_or_else(bad)?);
    }
    read_first_qr(w, h, &packed)
}

/// A PNG or JPEG file as an 8-bit luma image `(width, height, luma)`, within the limits of
/// [`decode_image`]. For the repository's tools (`internal::image_to_luma`).
#[doc(hidden)]
pub fn image_to_luma(bytes: &[u8]) -> Result<(usize, usize, Vec<u8>)> {
    if bytes.len() > MAX_PNG_BYTES {
        return Err(ImageError::TooLarge.into());
    }
    if bytes.starts_with(&PNG_SIGNATURE) {
        png_to_luma(bytes)
    } else if bytes.starts_with(&JPEG_SOI) {
        jpeg_to_luma(bytes)
    } else {
        Err(ImageError::NotAnImage.into())
    }
}

const JPEG_SOI: [u8; 3] = [0xff, 0xd8, 0xff];

fn jpeg_to_luma(bytes: &[u8]) -> Result<(usize, usize, Vec<u8>)> {
    // jpeg-decoder is pure Rust; its panics (none known) would still not cross the FFI.
    let decoded = std::panic::catch_unwind(|| -> Result<_, ImageError> {
        let mut decoder = jpeg_decoder::Decoder::new(bytes);
        // Covers a CMYK frame of the largest allowed image.
        decoder.set_max_decoding_buffer_size(MAX_IMAGE_PIXELS as usize * 4);
        decoder.read_info().map_err(|_| ImageError::Damaged)?;
        let info = decoder.info().ok_or(ImageError::Damaged)?;
        let (w, h) = (u32::from(info.width), u32::from(info.height));
        if w == 0 || h == 0 {
            return Err(ImageError::Damaged);
        }
        if w > MAX_IMAGE_SIDE || h > MAX_IMAGE_SIDE || u64::from(w) * u64::from(h) > MAX_IMAGE_PIXELS {
            return Err(ImageError::TooLarge);
        }
        let pixels = decoder.decode().map_err(|_| ImageError::Damaged)?;
        let n = w as usize * h as usize;
        let luma: Vec<u8> = match info.pixel_format {
            jpeg_decoder::PixelFormat::L8 => pixels,
            // Big-endian 16-bit samples: the high byte.
            jpeg_decoder::PixelFormat::L16 => pixels.chunks_exact(2).map(|p| p[0]).collect(),
            jpeg_decoder::PixelFormat::RGB24 => pixels
                .chunks_exact(3)
                .map(|p| gray(p[0], p[1], p[2]).min(255) as u8)
                .collect(),
            // jpeg-decoder gives CMYK as stored (Adobe: inverted); only K matters much here.
            jpeg_decoder::PixelFormat::CMYK32 => pixels
                .chunks_exact(4)
                .map(|p| {
                    let k = u32::from(p[3]);
                    (gray(p[0], p[1], p[2]).min(255) * k / 255) as u8
                })
                .collect(),
        };
        if luma.len() != n {
            return Err(ImageError::Damaged);
        }
        Ok((w as usize, h as usize, luma))
    });
    match decoded {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(e.into()),
        Err(_) => Err(ImageError::Damaged.into()),
    }
}

/// Checks the signature and the IHDR dimensions by hand, before the png crate sees the data.
fn check_png_header(bytes: &[u8]) -> Result<(u32, u32), ImageError> {
    if bytes.len() > MAX_PNG_BYTES {
        return Err(ImageError::TooLarge);
    }
    if bytes.len() < 8 || bytes[..8] != PNG_SIGNATURE {
        return Err(ImageError::NotAnImage);
    }
    // The first chunk must be IHDR: length (4) "IHDR" (4) width (4) height (4).
    let ihdr = bytes.get(8..24).ok_or(ImageError::Damaged)?;
    if &ihdr[4..8] != b"IHDR" {
        return Err(ImageError::NotAnImage);
    }
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    let (w, h) = (be(&ihdr[8..12]), be(&ihdr[12..16]));
    if w == 0 || h == 0 {
        return Err(ImageError::Damaged);
    }
    if w > MAX_IMAGE_SIDE || h > MAX_IMAGE_SIDE || u64::from(w) * u64::from(h) > MAX_IMAGE_PIXELS {
        return Err(ImageError::TooLarge);
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
        png::DecodingError::LimitsExceeded => ImageError::TooLarge,
        _ => ImageError::Damaged,
    };
    let mut reader = decoder.read_info().map_err(corrupt)?;
    let info = reader.info();
    if info.width != w || info.height != h {
        return Err(ImageError::Damaged.into());
    }
    let interlaced = info.interlaced;
    let (color, _) = reader.output_color_type();
    let channels = match color {
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        // normalize_to_color8 expands palettes; anything else is a decoder surprise.
        png::ColorType::Indexed => return Err(ImageError::Damaged.into()),
    };
    let (w, h) = (w as usize, h as usize);
    let row_len = w * channels;
    let mut luma = Vec::with_capacity(w * h);
    if interlaced {
        let mut frame = vec![0u8; reader.output_buffer_size()];
        let out = reader.next_frame(&mut frame).map_err(corrupt)?;
        let line = out.line_size;
        if line < row_len {
            return Err(ImageError::Damaged.into());
        }
        for row in frame.chunks_exact(line).take(h) {
            push_luma_row(&mut luma, &row[..row_len], channels);
        }
    } else {
        for _ in 0..h {
            let row = reader.next_row().map_err(corrupt)?.ok_or(ImageError::Damaged)?;
            let data = row.data();
            if data.len() < row_len {
                return Err(ImageError::Damaged.into());
            }
            push_luma_row(&mut luma, &data[..row_len], channels);
        }
    }
    if luma.len() != w * h {
        return Err(ImageError::Damaged.into());
    }
    Ok((w, h, luma))
}

/// BT.601 luma of an 8-bit RGB pixel (may round to 256: callers clamp).
fn gray(r: u8, g: u8, b: u8) -> u32 {
    (77 * u32::from(r) + 150 * u32::from(g) + 29 * u32::from(b) + 128) >> 8
}

/// Converts one 8-bit row to luma (BT.601 weights), compositing alpha over white paper.
fn push_luma_row(luma: &mut Vec<u8>, row: &[u8], channels: usize) {
    let over_white = |v: u32, a: u32| ((v * a + 255 * (255 - a) + 127) / 255) as u8;
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
/// within the CPU bound of the module docs: shrunk to [`MAX_DECODE_PIXELS`] (block means), and
/// refused with [`ImageError::TooComplex`] above [`MAX_FINDER_PATTERNS`] candidates of either
/// polarity in the detector's own binarization.
///
/// The detector is rxing's QR reader (a port of ZXing's C++ reader; chosen on the camera set,
/// docs/PERFORMANCE.md): hybrid binarization, "try harder" finder search, light-on-dark as
/// well. Before it, a quick scan for anything finder-like, so that a frame with none is "no
/// code found" in about a millisecond; after it, a small image (a low-resolution view) gets a
/// second look at twice the size, a large frame one at full resolution around its finder-like
/// patterns, and any view one sharpened and one smoothed, unless [`ATTEMPT_BUDGET`] has passed.
///
/// rxing is third-party code fed with camera input we do not control, and our contract is "no
/// panics across the FFI" (rqrr, the detector before it, panicked on some degenerate images),
/// so each call is wrapped in `catch_unwind` and a panic becomes [`ImageError::Unreadable`].
/// The closure owns or only reads its buffers, so no broken state can be observed after an
/// unwind.
fn read_first_qr(width: usize, height: usize, luma: &[u8]) -> Result<String> {
    if luma.len() != width * height {
        return Err(ImageError::Damaged.into());
    }
    let started = std::time::Instant::now();
    let k = shrink_factor(width, height);
    let (w, h, img) = if k > 1 {
        let small = binarize::shrink_mean(width, height, luma, k);
        (
            width.div_ceil(k),
            height.div_ceil(k),
            std::borrow::Cow::Owned(small),
        )
    } else {
        (width, height, std::borrow::Cow::Borrowed(luma))
    };
    if !binarize::finder_hint(w, h, &img) {
        return Err(ImageError::NoCodeFound.into());
    }
    let first = detect(w, h, &img);
    // Low resolution (under ~1.5 px/module a finder pattern is a blur of a few pixels): the
    // same view at twice the size, when that stays within the budget.
    if matches!(first, Err(ImageError::NoCodeFound | ImageError::Unreadable))
        && w * h * 4 <= MAX_DECODE_PIXELS
        && w.max(h) <= 800
        && started.elapsed() < ATTEMPT_BUDGET
    {
        let big = binarize::upscale2(w, h, &img);
        if let Ok(text) = detect(w * 2, h * 2, &big) {
            return Ok(text);
        }
    }
    // A frame above the budget was searched shrunk, where a small code may be too small to
    // read (a code a tenth of a 4000x3000 photo): search the 1 MP window at full resolution
    // around the finder-like patterns of the full frame.
    if k > 1
        && matches!(first, Err(ImageError::NoCodeFound | ImageError::Unreadable))
        && started.elapsed() < ATTEMPT_BUDGET * 2
    {
        if let Some((cx, cy)) = binarize::finder_centre(width, height, luma, 4096) {
            let (cw, ch) = (width.min(1024), height.min(1024));
            let x0 = cx.saturating_sub(cw / 2).min(width - cw);
            let y0 = cy.saturating_sub(ch / 2).min(height - ch);
            let mut crop = Vec::with_capacity(cw * ch);
            for y in y0..y0 + ch {
                crop.extend_from_slice(luma.get(y * width + x0..y * width + x0 + cw).unwrap_or(&[]));
            }
            if crop.len() == cw * ch {
                if let Ok(text) = detect(cw, ch, &crop) {
                    return Ok(text);
                }
            }
        }
    }
    // Blur (focus, motion): the same view sharpened once (unsharp mask).
    if matches!(first, Err(ImageError::NoCodeFound | ImageError::Unreadable))
        && started.elapsed() < ATTEMPT_BUDGET
    {
        let sharp = binarize::sharpen(w, h, &img, 2);
        if let Ok(text) = detect(w, h, &sharp) {
            return Ok(text);
        }
    }
    // Heavy sensor noise: the same view smoothed (3x3 mean).
    if matches!(first, Err(ImageError::NoCodeFound | ImageError::Unreadable))
        && started.elapsed() < ATTEMPT_BUDGET
    {
        let smooth = binarize::sharpen(w, h, &img, -1);
        if let Ok(text) = detect(w, h, &smooth) {
            return Ok(text);
        }
    }
    first.map_err(Into::into)
}

/// No second look starts after this much time in [`read_first_qr`] (the full-resolution window
/// of a large frame: twice this). With each look bounded by the size limit and the finder
/// guard (about 0.3 s at most, measured), a decode stays under a second.
pub(crate) const ATTEMPT_BUDGET: std::time::Duration = std::time::Duration::from_millis(150);

/// The detector's binarization as one byte per pixel (1 = black), row by row from its packed
/// words: the guard reads each pixel several times.
fn expand_bits(matrix: &rxing::common::BitMatrix, width: usize, height: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(width * height);
    for y in 0..height {
        let row = matrix.getRow(y as u32);
        let words = row.getBitArray();
        let per = words.first().map_or(32, |w| std::mem::size_of_val(w) * 8);
        let start = out.len();
        for &word in words {
            let word = word as u64;
            out.extend((0..per).map(|b| ((word >> b) & 1) as u8));
        }
        out.truncate(start + width);
        out.resize(start + width, 0);
    }
    out
}

/// One rxing pass over a luma image, behind the finder guard and `catch_unwind`.
fn detect(width: usize, height: usize, luma: &[u8]) -> Result<String, ImageError> {
    use rxing::{BarcodeFormat, BinaryBitmap, DecodeHints, Exceptions, Luma8LuminanceSource};
    use rxing::{MultiFormatReader, Reader};

    let (Ok(w32), Ok(h32)) = (u32::try_from(width), u32::try_from(height)) else {
        return Err(ImageError::TooLarge);
    };
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let source = Luma8LuminanceSource::new(luma.to_vec(), w32, h32).map_err(|_| ImageError::Damaged)?;
        let mut bitmap = BinaryBitmap::new(rxing::common::HybridBinarizer::new(source));
        let hints = DecodeHints {
            TryHarder: Some(true),
            PossibleFormats: Some(std::collections::HashSet::from([BarcodeFormat::QR_CODE])),
            ..Default::default()
        };
        // Dark on light, then light on dark (a phone in dark mode, a negative), each behind the
        // guard for its polarity.
        let mut outcome = ImageError::NoCodeFound;
        let black = expand_bits(bitmap.get_black_matrix(), width, height);
        for dark in [true, false] {
            let want = u8::from(dark);
            let candidates = count_finder_candidates(
                width,
                height,
                |x, y| black.get(y * width + x) == Some(&want),
                MAX_FINDER_PATTERNS,
            );
            if candidates > MAX_FINDER_PATTERNS {
                outcome = ImageError::TooComplex;
                continue;
            }
            if !dark {
                bitmap.invert();
            }
            match MultiFormatReader::default().decode_with_hints(&mut bitmap, &hints) {
                Ok(result) => return Ok(result.getText().to_owned()),
                // rxing reports a code it located but could not correct as "not found" too:
                // three finder patterns in the image say a code is there.
                Err(Exceptions::NotFoundException(_)) if candidates < 3 => {}
                Err(_) if outcome != ImageError::TooComplex => outcome = ImageError::Unreadable,
                Err(_) => {}
            }
            if !dark {
                bitmap.invert();
            }
        }
        Err(outcome)
    }));
    outcome.unwrap_or(Err(ImageError::Unreadable))
}

/// The smallest integer factor `k` with `ceil(w / k) * ceil(h / k) <= MAX_DECODE_PIXELS`.
fn shrink_factor(width: usize, height: usize) -> usize {
    let mut k = 1;
    while width.div_ceil(k) * height.div_ceil(k) > MAX_DECODE_PIXELS {
        k += 1;
    }
    k
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn shrinking_keeps_within_the_budget_by_block_means() {
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
        // Factor 2 on 1030 x 1024: 515 x 512, each pixel its block's mean.
        let (w, h) = (1030usize, 1024usize);
        let luma: Vec<u8> = (0..w * h).map(|i| ((i % w) * 7 + (i / w) * 13) as u8).collect();
        let small = binarize::shrink_mean(w, h, &luma, 2);
        assert_eq!(small.len(), 515 * 512);
        for (oy, ox) in [(0usize, 0usize), (100, 200), (511, 514)] {
            let sum: u32 = [(0, 0), (1, 0), (0, 1), (1, 1)]
                .iter()
                .map(|(dx, dy)| u32::from(luma[(oy * 2 + dy) * w + ox * 2 + dx]))
                .sum();
            assert_eq!(u32::from(small[oy * 515 + ox]), sum / 4, "({ox}, {oy})");
        }
        // Factor 3 on 3001 x 2999: 1001 x 1000; the partial last block averages what it has.
        let (w, h) = (3001usize, 2999usize);
        let luma = vec![200u8; w * h];
        let small = binarize::shrink_mean(w, h, &luma, 3);
        assert_eq!(small.len(), 1001 * 1000);
        assert!(small.iter().all(|&p| p == 200));
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
