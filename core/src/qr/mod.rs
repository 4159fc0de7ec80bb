//! QR codes in and out: text to a module matrix (PNG, SVG, terminal) and PNG images back to text.
//!
//! This module owns the *image* side of our QR codes. It knows nothing about what the text
//! means (that is the wire formats' job, `src/format/`); it only guarantees that
//!
//! * our QR text (a `VN2:` prefix plus base45, every character in the QR **alphanumeric**
//!   alphabet) is encoded in alphanumeric mode, so the capacity a developer looks up in the
//!   standard's table (ISO/IEC 18004 Table 7) is the capacity they get;
//! * [`fit`] picks the smallest version and refuses, with [`Error::QrTooLarge`], a code larger
//!   than the reader can handle ([`MAX_READABLE_VERSION`] for phone cameras,
//!   [`COUNTER_FRIENDLY_VERSION`] for cheap counter imagers) instead of producing an unreadable
//!   code;
//! * [`decode_image`] (PNG or JPEG), [`decode_png`], [`decode_luma`] and
//!   [`decode_luma_with_stride`] never panic and never allocate more than a fixed bound,
//!   whatever the bytes: the input length and the declared image size are checked before any
//!   pixel is decoded.
//!
//! Apps that draw natively use [`QrMatrix`] (row-major, `true` = dark); the CLI uses
//! [`QrMatrix::to_terminal`]; web and print use [`QrMatrix::to_svg`] or [`QrMatrix::to_png`].
//!
//! Error texts never quote the QR content: it may carry personal data.
//!
//! **Reading camera views.** The detector is rxing (a pure-Rust port of ZXing's C++ reader),
//! chosen on a camera set of 86 views against rqrr (the detector before), rqrr with our own
//! binarization, and zxing-cpp as the reference (docs/PERFORMANCE.md, "Camera set": rotation,
//! perspective, blur, JPEG, noise, uneven light, glare, shadow, light-on-dark, moiré, low
//! resolution, small codes in large frames). `decode::read_first_qr` gives it the frame at
//! most 1 MP (block means), a full-resolution 1 MP window around the finder-like patterns of a
//! larger frame, and twice the size for small low-resolution views.
//!
//! **CPU bound.** A QR detector's cost grows with the image area and with the number of
//! finder-like patterns it has to combine: rqrr took 13 s on a crafted 1024x1024 grid of finder
//! patterns, rxing 4 to 8 s. Before the detector runs, the decoders therefore
//!
//! * shrink any image above [`MAX_DECODE_PIXELS`] (1 megapixel) by an integer factor to at
//!   most that size (a 12 MP photo becomes about 1000x750);
//! * look for any finder-like run pattern in every second row (a frame with none is "no code
//!   found" at once: about a millisecond at 1280x720);
//! * count the finder-pattern candidates (the 1:1:3:1:1 line scan plus ring/stone region tests,
//!   `finder_guard`) in the detector's own binarization, for dark-on-light and for
//!   light-on-dark, and refuse a polarity with more than [`MAX_FINDER_PATTERNS`] with
//!   [`ImageError::TooComplex`].
//!
//! Measured (release, 2-core machine; `measure_decode_at_the_size_limit` in `tests/qr_codes.rs`
//! and the camera set's crafted images): see docs/PERFORMANCE.md and SECURITY.md (residual
//! risks) for the slowest images known; decode off the UI thread all the same.
//!
//! ## The `image` feature (on by default)
//!
//! PNG/JPEG files and camera frames, in and out: [`decode_image`], [`decode_png`],
//! [`decode_luma`], [`decode_luma_with_stride`], [`QrMatrix::to_png`],
//! [`crate::Verifier::verify_image`] and [`crate::Verifier::verify_png`] (rxing, png and
//! jpeg-decoder). An app
//! that scans with the platform's scanner (ML Kit, Vision) and passes the text to
//! [`crate::Verifier::verify_text`], and draws [`QrMatrix`] itself, builds without it
//! (`default-features = false`): about 250 KB less library (bindings/README.md, Size).
//! [`ImageError`] exists either way, so the error type is the same in both builds.
//!
//! ## Files
//!
//! * `encode`: text to [`QrMatrix`] ([`fit`], [`encode`], capacity);
//! * `render`: [`QrMatrix`] to SVG and terminal text; `render_png`: to PNG;
//! * `decode`: PNG, JPEG and luma images to text ([`decode_image`], [`decode_png`],
//!   [`decode_luma`], [`decode_luma_with_stride`]), with the size bounds;
//! * `binarize`: the finder-like row scan, the block-mean shrink, the 2x enlargement;
//! * `finder_guard`: the finder-pattern count that bounds the detector's search.

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
