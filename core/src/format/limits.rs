//! Every size limit the format layer enforces, in one place.
//!
//! Limits are checked **before** work: the text length before base45 decoding (or UTF-8
//! checking), the byte length before CBOR decoding, the number of disclosures before any is
//! parsed or hashed, and depth, item counts and string lengths while decoding (the decoder
//! never allocates more than the input length allows). A value past a limit is rejected with
//! [`RejectReason::TooLarge`](crate::RejectReason::TooLarge) (trust and status lists: their
//! byte limits too; what is inside them is checked after the signature, as
//! [`RejectReason::BadTrustData`](crate::RejectReason::BadTrustData)).
//!
//! Image limits (file size, dimensions, the QR detector's pixel and finder-pattern budgets) are
//! in [`crate::qr`]. One test per limit: `tests/limits.rs`.

/// The most characters a QR code can carry in alphanumeric mode (version 40, ECC L).
pub const MAX_QR_TEXT_CHARS: usize = 4_296;

/// The largest presentation (SD-KBT) in bytes: what base45 text of [`MAX_QR_TEXT_CHARS`] holds.
pub const MAX_PRESENTATION_BYTES: usize = MAX_QR_TEXT_CHARS / 3 * 2 + 1;

/// The largest issuer-signed credential (SD-CWT with all disclosures) the wallet imports.
/// A health book with a long visit history is the big case; 64 KiB is far above it.
pub const MAX_ISSUED_BYTES: usize = 64 * 1024;

/// The longest `VN1C:` transfer text: base45 of [`MAX_ISSUED_BYTES`] plus the prefix.
pub const MAX_ISSUED_TEXT_CHARS: usize = MAX_ISSUED_BYTES / 2 * 3 + 2 + 8;

/// The largest signed trust list.
pub const MAX_TRUST_LIST_BYTES: usize = 1024 * 1024;

/// The largest signed status list (the compressed bits of 100 M entries are about 0.24 MB).
pub const MAX_STATUS_LIST_BYTES: usize = 4 * 1024 * 1024;

/// The most entries a status list may inflate to (bomb limit passed to `StatusBits`).
pub const MAX_STATUS_LIST_ENTRIES: usize = 1 << 30;

/// The deepest nesting of arrays, maps and tags (a presentation nests about 6 levels).
pub const MAX_CBOR_DEPTH: usize = 16;

/// The most entries in one array or map.
pub const MAX_CBOR_CONTAINER_LEN: usize = 1_024;

/// The most data items in one decoded document (bounds work on hostile input).
pub const MAX_CBOR_ITEMS: usize = 65_536;

/// The most disclosures one credential or presentation may carry.
pub const MAX_DISCLOSURES: usize = 64;

/// The most Redacted Claim Hashes (`simple(59)` entries) in one credential: every one needs a
/// disclosure in an issued credential, so no more than [`MAX_DISCLOSURES`].
pub const MAX_REDACTED_CLAIMS: usize = MAX_DISCLOSURES;

/// The most issuers in one trust list.
pub const MAX_TRUSTED_ISSUERS: usize = 1_000;

/// The longest issuer name (`iss`, display names) in bytes.
pub const MAX_NAME_BYTES: usize = 256;

/// The longest audience or nonce in bytes.
pub const MAX_AUDIENCE_BYTES: usize = 128;
/// See [`MAX_AUDIENCE_BYTES`].
pub const MAX_NONCE_BYTES: usize = 64;

/// The longest CCCD (chip ID card) QR text [`parse_cccd_qr`](crate::model::parse_cccd_qr) reads,
/// in bytes (the real payloads are under 300).
pub const MAX_CCCD_QR_BYTES: usize = 2_048;

/// The longest presentation validity a holder may ask for (10 minutes).
pub const MAX_PRESENTATION_TTL_SECS: u32 = 600;
/// A presentation's default lifetime: two minutes. A format-2 KBT whose `exp` is `iat` plus this
/// omits `exp` (6 bytes less in the QR); a verifier reads it back as `iat` plus this.
pub const DEFAULT_PRESENTATION_TTL_SECS: u32 = 120;

/// The longest credential lifetime an issuer signs, `iat` to `exp`: 100 years (36,525 days).
/// Nothing a citizen carries is valid longer, and the bound keeps the times a verifier computes
/// from a credential far from `i64` overflow ([`crate::issuer::Issuer::issue`]).
pub const MAX_CREDENTIAL_LIFETIME_SECS: i64 = 36_525 * 86_400;

/// The largest clock-skew tolerance a verifier accepts ([`crate::VerifierConfig::clock_skew_secs`],
/// refused above by [`crate::Verifier::new`]): five minutes. A larger one would stretch the
/// two-minute presentation window (a replayed screenshot) and every credential's validity by
/// as much.
pub const MAX_CLOCK_SKEW_SECS: u32 = 300;

/// The largest signed request (a reader's request QR) read, in bytes.
pub const MAX_REQUEST_BYTES: usize = 512;
/// The longest request QR text read (`VN1R:` + base45 of [`MAX_REQUEST_BYTES`]).
pub const MAX_REQUEST_TEXT_CHARS: usize = MAX_REQUEST_BYTES / 2 * 3 + 2 + 5;
/// The longest lifetime of a reader's request (10 minutes): the citizen scans it, chooses and
/// answers at the counter; a longer one only widens the window for a photographed request.
pub const MAX_REQUEST_TTL_SECS: u32 = 600;
