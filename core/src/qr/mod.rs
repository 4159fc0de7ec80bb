//! QR codes in and out: text to a module matrix (PNG, SVG, terminal) and PNG images back to text.
//!
//! This module owns the *image* side of our QR codes. It knows nothing about what the text
//! means (that is the wire formats' job, `src/format/`); it only guarantees that
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
//!   32 too) with an [`ImageError::TooComplex`] error.
//!
//! Measured (release, 2-core machine; `measure_decode_at_the_size_limit` in `tests/qr_codes.rs`):
//! the 1024x1024 grid of 1024 finder patterns went from 13 s to 28 ms (refused), 4096x4096 noise
//! from over 20 minutes to 0.15 s, 32 patterns placed so that every pair is a candidate group
//! take 0.12 s; the slowest image we know of is 1024x1024 binary noise at 50 % (about 1.2 s,
//! rqrr's region flood fills). A version 20 code at 8 px/module (840 px) decodes in 70 ms, the
//! same code filling 4096x4096 in 0.3 s. Not bounded by these checks: rqrr's region cache
//! (251 entries) and its alignment-pattern spiral, which a crafted image might drive to seconds
//! (SECURITY.md, residual risks); decode off the UI thread.
//!
//! ## The `image` feature (on by default)
//!
//! PNG files and camera frames, in and out: [`decode_png`], [`decode_luma`],
//! [`QrMatrix::to_png`] and [`crate::Verifier::verify_png`] (rqrr and the png crate). An app
//! that scans with the platform's scanner (ML Kit, Vision) and passes the text to
//! [`crate::Verifier::verify_text`], and draws [`QrMatrix`] itself, builds without it
//! (`default-features = false`): about 250 KB less library (bindings/README.md, Size).
//! [`ImageError`] exists either way, so the error type is the same in both builds.
//!
//! ## Files
//!
//! * `encode`: text to [`QrMatrix`] ([`fit`], [`encode`], capacity);
//! * `render`: [`QrMatrix`] to SVG and terminal text; `render_png`: to PNG;
//! * `decode`: PNG and luma images to text ([`decode_png`], [`decode_luma`]), with the size
//!   bounds;
//! * `finder_guard`: the finder-pattern count that bounds rqrr's search.

#[cfg(feature = "image")]
mod binarize;
#[cfg(feature = "image")]
mod decode;
mod encode;
#[cfg(feature = "image")]
mod finder_guard;
mod render;
#[cfg(feature = "image")]
mod render_png;

pub use crate::error::ImageError;
#[cfg(feature = "image")]
#[doc(hidden)]
pub use decode::image_to_luma;
#[cfg(feature = "image")]
pub use decode::{
    decode_image, decode_luma, decode_luma_with_stride, decode_png, MAX_DECODE_PIXELS, MAX_IMAGE_PIXELS,
    MAX_IMAGE_SIDE, MAX_PNG_BYTES,
};
pub use encode::{
    alphanumeric_capacity, encode, fit, is_alphanumeric_text, Ecc, QrMatrix, COUNTER_FRIENDLY_VERSION,
    MAX_READABLE_VERSION, MAX_VERSION, QUIET_ZONE,
};
#[cfg(feature = "image")]
pub use finder_guard::MAX_FINDER_PATTERNS;
pub use render::TerminalTheme;
#[cfg(feature = "image")]
pub use render_png::{MAX_PNG_SCALE, MAX_QUIET_ZONE};
