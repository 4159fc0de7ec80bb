//! The text forms of our signed data: a versioned prefix plus base45 (RFC 9285).
//!
//! * `VN2:` + base45(SD-KBT): a holder presentation, shown as a QR code at the counter
//!   (format version 2, see below); `VN1:` is version 1, still verified.
//! * `VN1C:` + base45(SD-CWT): an issued credential handed by an issuer app to the wallet.
//!
//! ## Presentation format versions
//!
//! The digit is the presentation format version ([`PresentationFormat`]); it says how the
//! SD-KBT is laid out (`format::sd_cwt::kbt`):
//!
//! * **1** (`VN1:`): the KBT's protected header carries `alg`; `exp` is always present.
//! * **2** (`VN2:`, what wallets make now): no `alg` in the KBT (the holder key in the
//!   credential's `cnf` fixes it: OKP Ed25519 is EdDSA, EC2 P-256 is ES256, so it is never a
//!   choice an attacker makes), and `exp` is omitted when it is `iat` plus the default two
//!   minutes. Credentials inside may use the compact claim encodings (dates as days, ID numbers
//!   as integers) and omit the issuer `kid` (see `format::sd_cwt`): those are told apart by
//!   their CBOR types, whatever the version.
//!
//! A counter keeps verifying version 1 (codes made by wallets not yet updated; the frozen
//! vectors in `core/tests/data/vector-checkin-v1-*`). `VN3:` to `VN9:` are ours but newer than
//! this code: [`RejectReason::UnsupportedVersion`], so an officer hears "update the counter
//! app", not "damaged".
//!
//! No compression: for our payloads (Ed25519 signatures, salts, digests and short claims, all
//! high-entropy) zlib made the check-in presentation larger, and skipping it removes a whole
//! class of decompression-bomb inputs. Lengths are checked before decoding.

use super::{base45, limits};
use crate::{RejectReason, Result};

/// Prefix of a presentation QR made now (format version 2).
pub const PRESENTATION_PREFIX: &str = "VN2:";
/// Prefix of a format-version-1 presentation QR (still verified).
pub const PRESENTATION_PREFIX_V1: &str = "VN1:";

/// The format version of a presentation QR (the digit of its prefix).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PresentationFormat {
    /// `VN1:`: `alg` in the KBT, `exp` always present.
    V1,
    /// `VN2:`: no `alg` in the KBT (fixed by the `cnf` key), `exp` only when not the default.
    V2,
}
/// Prefix of an issued-credential transfer text (format version 1).
pub const ISSUED_PREFIX: &str = "VN1C:";

/// Known foreign prefixes, so the officer hears "not ours" rather than "damaged".
const FOREIGN_PREFIXES: &[&str] = &["HC1:", "HC2:", "shc:/", "DGC1:", "NZCP:/", "LT1:"];

/// The QR text of a presentation.
pub fn encode_presentation(kbt: &[u8]) -> String {
    format!("{PRESENTATION_PREFIX}{}", base45::encode(kbt))
}

/// The transfer text of an issued credential.
pub fn encode_issued(sd_cwt: &[u8]) -> String {
    format!("{ISSUED_PREFIX}{}", base45::encode(sd_cwt))
}

/// The presentation bytes inside a QR text.
///
/// Leading and trailing whitespace (some scanners append a newline) is ignored.
///
/// # Errors
/// [`RejectReason::TooLarge`] past [`limits::MAX_QR_TEXT_CHARS`]; [`RejectReason::NotOurFormat`]
/// for another prefix (EU DCC `HC1:`, SMART Health Card, our own `VN1C:` transfer text, or
/// anything else); [`RejectReason::Malformed`] for bad base45.
pub fn decode_presentation(text: &str) -> Result<Vec<u8>> {
    decode_presentation_format(text).map(|(_, b)| b)
}

/// The presentation bytes inside a QR text, with its format version. `VN3:` to `VN9:` are
/// [`RejectReason::UnsupportedVersion`]; otherwise as [`decode_presentation`].
pub fn decode_presentation_format(text: &str) -> Result<(PresentationFormat, Vec<u8>)> {
    let trimmed = text.trim_start();
    let b = trimmed.as_bytes();
    if text.len() <= limits::MAX_QR_TEXT_CHARS + 16
        && b.len() >= 4
        && b.starts_with(b"VN")
        && (b'3'..=b'9').contains(&b[2])
        && b[3] == b':'
    {
        return Err(RejectReason::UnsupportedVersion.into());
    }
    if trimmed.starts_with(PRESENTATION_PREFIX_V1) {
        let bytes = decode_with(text, PRESENTATION_PREFIX_V1, limits::MAX_QR_TEXT_CHARS)?;
        return Ok((PresentationFormat::V1, bytes));
    }
    let bytes = decode_with(text, PRESENTATION_PREFIX, limits::MAX_QR_TEXT_CHARS)?;
    Ok((PresentationFormat::V2, bytes))
}

/// The issued credential bytes inside a `VN1C:` text.
pub fn decode_issued(text: &str) -> Result<Vec<u8>> {
    decode_with(text, ISSUED_PREFIX, limits::MAX_ISSUED_TEXT_CHARS)
}

fn decode_with(text: &str, prefix: &str, max_chars: usize) -> Result<Vec<u8>> {
    if text.len() > max_chars + 16 {
        return Err(RejectReason::TooLarge.into());
    }
    let text = text.trim();
    if text.len() > max_chars {
        return Err(RejectReason::TooLarge.into());
    }
    let Some(body) = text.strip_prefix(prefix) else {
        // `VN1C:` starts with "VN1" but not with "VN1:": the check is exact.
        return Err(RejectReason::NotOurFormat.into());
    };
    base45::decode(body)
}

/// Whether `text` looks like one of the foreign health-certificate formats we know of (for
/// counter apps that want to say "this is an EU COVID certificate" rather than "unknown").
pub fn is_known_foreign(text: &str) -> bool {
    let t = text.trim_start();
    FOREIGN_PREFIXES.iter().any(|p| t.starts_with(p))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::Error;

    #[test]
    fn prefixes_are_exact() {
        let t = encode_presentation(&[1, 2, 3]);
        assert!(t.starts_with("VN2:"));
        let (v1, bytes) = decode_presentation_format("VN1:BB8").unwrap();
        assert_eq!(v1, PresentationFormat::V1);
        assert_eq!(bytes, decode_presentation("VN2:BB8").unwrap());
        assert!(matches!(
            decode_presentation("VN3:BB8"),
            Err(Error::Rejected(RejectReason::UnsupportedVersion))
        ));
        assert_eq!(decode_presentation(&t).unwrap(), [1, 2, 3]);
        assert_eq!(decode_presentation(&format!("{t}\n")).unwrap(), [1, 2, 3]);
        let c = encode_issued(&[9, 9]);
        assert_eq!(decode_issued(&c).unwrap(), [9, 9]);
        for (bad, why) in [
            (c.as_str(), RejectReason::NotOurFormat),
            ("HC1:NCFOXN%TS3DH", RejectReason::NotOurFormat),
            ("vn1:BB8", RejectReason::NotOurFormat),
            ("VN1:BB", RejectReason::Malformed),
            ("VN2:BB", RejectReason::Malformed),
            ("VN2", RejectReason::NotOurFormat),
        ] {
            assert!(
                matches!(decode_presentation(bad), Err(Error::Rejected(r)) if r == why),
                "{bad}"
            );
        }
        assert!(matches!(
            decode_issued(&t),
            Err(Error::Rejected(RejectReason::NotOurFormat))
        ));
        assert!(is_known_foreign("HC1:xyz"));
        let long = format!("VN1:{}", "0".repeat(limits::MAX_QR_TEXT_CHARS));
        assert!(matches!(
            decode_presentation(&long),
            Err(Error::Rejected(RejectReason::TooLarge))
        ));
    }
}
