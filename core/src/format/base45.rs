//! Base45 (RFC 9285): bytes to text in the QR alphanumeric alphabet.
//!
//! Two bytes become three characters (`c + d*45 + e*45^2`, least significant first), a final
//! single byte two characters. Decoding is strict: a character outside the 45-character
//! alphabet, a triplet worth more than 65535, a pair worth more than 255, or a dangling single
//! character is rejected (RFC 9285 section 4.2: "the decoding MUST fail").

use crate::{RejectReason, Result};

const ALPHABET: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/// The value of each byte as a base45 character, 255 outside the alphabet: a table, because a
/// search of the alphabet for each of a presentation's ~500 characters was 5% of a verification.
const VALUES: [u8; 256] = {
    let mut t = [255u8; 256];
    let mut i = 0;
    while i < ALPHABET.len() {
        t[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    t
};

fn value_of(c: u8) -> Option<u32> {
    match VALUES[usize::from(c)] {
        255 => None,
        v => Some(u32::from(v)),
    }
}

fn char_of(v: u32) -> char {
    ALPHABET.get(v as usize).map_or('0', |&b| char::from(b))
}

/// Encodes `bytes` as base45 text.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(2) * 3);
    for chunk in bytes.chunks(2) {
        match *chunk {
            [a, b] => {
                let n = u32::from(a) * 256 + u32::from(b);
                out.push(char_of(n % 45));
                out.push(char_of(n / 45 % 45));
                out.push(char_of(n / 2025));
            }
            [a] => {
                let n = u32::from(a);
                out.push(char_of(n % 45));
                out.push(char_of(n / 45));
            }
            _ => {}
        }
    }
    out
}

/// Decodes base45 text. Errors are [`RejectReason::Malformed`].
pub fn decode(text: &str) -> Result<Vec<u8>> {
    let t = text.as_bytes();
    let mut out = Vec::with_capacity(t.len() / 3 * 2 + 1);
    for chunk in t.chunks(3) {
        let mut vals = [0u32; 3];
        for (slot, &c) in vals.iter_mut().zip(chunk) {
            *slot = value_of(c).ok_or(RejectReason::Malformed)?;
        }
        match chunk.len() {
            3 => {
                let n = vals[0] + vals[1] * 45 + vals[2] * 2025;
                let n = u16::try_from(n).map_err(|_| RejectReason::Malformed)?;
                out.extend_from_slice(&n.to_be_bytes());
            }
            2 => {
                let n = vals[0] + vals[1] * 45;
                out.push(u8::try_from(n).map_err(|_| RejectReason::Malformed)?);
            }
            _ => return Err(RejectReason::Malformed.into()),
        }
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::Error;

    #[test]
    fn rfc9285_examples() {
        assert_eq!(encode(b"AB"), "BB8");
        assert_eq!(encode(b"Hello!!"), "%69 VD92EX0");
        assert_eq!(encode(b"base-45"), "UJCLQE7W581");
        assert_eq!(encode(b"ietf!"), "QED8WEX0");
        assert_eq!(decode("QED8WEX0").unwrap(), b"ietf!");
        assert_eq!(decode("%69 VD92EX0").unwrap(), b"Hello!!");
        assert_eq!(decode("").unwrap(), b"");
    }

    #[test]
    fn round_trips_every_pair_edge() {
        let data: Vec<u8> = (0..=255u8).chain((0..=255u8).rev()).collect();
        for n in 0..data.len() {
            assert_eq!(decode(&encode(&data[..n])).unwrap(), &data[..n]);
        }
        assert_eq!(decode(&encode(&[0xff, 0xff])).unwrap(), [0xff, 0xff]);
    }

    #[test]
    fn value_table_is_the_alphabet() {
        for c in 0..=255u8 {
            let want = ALPHABET.iter().position(|&a| a == c).map(|p| p as u32);
            assert_eq!(value_of(c), want, "byte {c}");
        }
    }

    #[test]
    fn strict_decoding() {
        for bad in ["GGW", ":::", "A", "ABCD", "ab", "BB8\n", "BB8é", "::"] {
            assert!(
                matches!(decode(bad), Err(Error::Rejected(RejectReason::Malformed))),
                "{bad}"
            );
        }
        // 65535 is the largest triplet ("FGW"), 65536 ("GGW") is rejected above.
        assert_eq!(decode("FGW").unwrap(), [0xff, 0xff]);
    }
}
