//! The text forms of our signed data: a versioned prefix plus base45 (RFC 9285).
//!
//! * `VN1:` + base45(SD-KBT): a holder presentation, shown as a QR code at the counter.
//! * `VN1C:` + base45(SD-CWT): an issued credential handed by an issuer app to the wallet.
//!
//! No compression: for our payloads (Ed25519 signatures, salts, digests and short claims, all
//! high-entropy) zlib made the check-in presentation larger, and skipping it removes a whole
//! class of decompression-bomb inputs. Lengths are checked before decoding.

use super::{base45, limits};
use crate::{RejectReason, Result};

/// Prefix of a presentation QR (format version 1).
pub const PRESENTATION_PREFIX: &str = "VN1:";
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
    decode_with(text, PRESENTATION_PREFIX, limits::MAX_QR_TEXT_CHARS)
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
        assert!(t.starts_with("VN1:"));
        assert_eq!(decode_presentation(&t).unwrap(), [1, 2, 3]);
        assert_eq!(decode_presentation(&format!("{t}\n")).unwrap(), [1, 2, 3]);
        let c = encode_issued(&[9, 9]);
        assert_eq!(decode_issued(&c).unwrap(), [9, 9]);
        for (bad, why) in [
            (c.as_str(), RejectReason::NotOurFormat),
            ("HC1:NCFOXN%TS3DH", RejectReason::NotOurFormat),
            ("vn1:BB8", RejectReason::NotOurFormat),
            ("VN1:BB", RejectReason::Malformed),
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
