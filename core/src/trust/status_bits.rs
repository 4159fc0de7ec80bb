//! The revocation bitstring inside a status list: one bit per credential index, set = revoked.
//!
//! This module owns the bits and their compressed form only; signing, issued-at and maximum age
//! belong to the status list token that carries them.
//!
//! The layout is the IETF Token Status List one (draft-ietf-oauth-status-list, `bits` = 1): the
//! status of index `i` is bit `i % 8` (least significant first) of byte `i / 8`, and the byte
//! array is compressed with zlib (RFC 1950) at the highest level. An independent tool can read
//! our lists with any zlib.
//!
//! Reading a list is hardened against hostile or damaged input: the caller states the largest
//! list it accepts (`max_len_bits`) and decompression stops, with [`RejectReason::TooLarge`],
//! as soon as the output would exceed it, so a tiny "zip bomb" cannot exhaust memory.
//!
//! Size, measured (see the ignored test `measure_100m` and `benches/status_list.rs`): 100,000,000
//! entries with 0.1 % revoked at random compress to 0.24 MB (240,827 bytes), well under the
//! 1.5 MB target of issue #6; decompressing them takes about 12 ms and a lookup is one shift and
//! mask on the decoded 12.5 MB (tens of nanoseconds at worst, a cache miss). Plain zlib is within
//! 1.7x of the information-theoretic bound for that density (0.143 MB), so no second encoding
//! (e.g. delta-coded indices) is used and the format stays plain IETF.

use miniz_oxide::inflate::TINFLStatus;

use crate::{InputError, InputRule, RejectReason, Result};

/// The largest list this module will build or read: 2^30 entries (128 MiB of bits).
pub const MAX_STATUS_BITS: usize = 1 << 30;

/// zlib level 10 is miniz's "uber" level: the smallest output.
const COMPRESSION_LEVEL: u8 = 10;

/// A fixed-length set of revocation bits.
#[derive(Clone, PartialEq, Eq)]
pub struct StatusBits {
    len: usize,
    bytes: Vec<u8>,
}

/// Debug shows the length and the number of revoked entries, not which ones.
impl std::fmt::Debug for StatusBits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StatusBits")
            .field("len", &self.len)
            .field("revoked", &self.count_revoked())
            .finish()
    }
}

impl StatusBits {
    /// A list of `len` entries, none revoked.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when `len` exceeds [`MAX_STATUS_BITS`].
    pub fn new(len: usize) -> Result<Self> {
        if len > MAX_STATUS_BITS {
            return Err(InputError::new(
                "status list length",
                InputRule::Range("must be at most 2^30 entries"),
            )
            .into());
        }
        Ok(Self {
            len,
            bytes: vec![0; len.div_ceil(8)],
        })
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the list has no entries.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn check(&self, idx: usize) -> Result<()> {
        if idx < self.len {
            Ok(())
        } else {
            // The index is not quoted: it identifies a credential.
            Err(InputError::new("status index", InputRule::Range("must be inside the status list")).into())
        }
    }

    /// Marks entry `idx` revoked (`true`) or valid (`false`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when `idx >= len()`.
    pub fn set(&mut self, idx: usize, revoked: bool) -> Result<()> {
        self.check(idx)?;
        let mask = 1u8 << (idx % 8);
        if let Some(byte) = self.bytes.get_mut(idx / 8) {
            if revoked {
                *byte |= mask;
            } else {
                *byte &= !mask;
            }
        }
        Ok(())
    }

    /// Is entry `idx` revoked?
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when `idx >= len()`: a credential pointing past the end of its
    /// issuer's list is not "valid", it is unknown.
    #[inline]
    pub fn get(&self, idx: usize) -> Result<bool> {
        self.check(idx)?;
        Ok(self.bytes.get(idx / 8).is_some_and(|b| b & (1 << (idx % 8)) != 0))
    }

    /// How many entries are revoked.
    pub fn count_revoked(&self) -> usize {
        self.bytes.iter().map(|b| b.count_ones() as usize).sum()
    }

    /// The raw bytes (IETF layout, `ceil(len / 8)` bytes; unused high bits of the last byte are 0).
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The zlib-compressed bytes (highest compression), as carried in a status list token.
    ///
    /// The compressed form holds whole bytes: read back with [`from_compressed`](Self::from_compressed)
    /// the list has `len()` rounded up to a multiple of 8, the extra entries not revoked.
    pub fn to_compressed(&self) -> Vec<u8> {
        miniz_oxide::deflate::compress_to_vec_zlib(&self.bytes, COMPRESSION_LEVEL)
    }

    /// Reads a zlib-compressed list of at most `max_len_bits` entries.
    ///
    /// Decompression stops as soon as the output would pass `ceil(max_len_bits / 8)` bytes, so
    /// memory use is bounded by the caller's limit whatever the input claims.
    ///
    /// Strict: the input must be exactly one zlib stream (header, DEFLATE data, Adler-32) with
    /// nothing after it, so that one list has one encoding. The list has `8 * bytes` entries:
    /// the format carries whole bytes and no length (see [`to_compressed`](Self::to_compressed)).
    ///
    /// # Errors
    ///
    /// * [`RejectReason::TooLarge`] when the list inflates past `max_len_bits` (or
    ///   [`MAX_STATUS_BITS`]);
    /// * [`RejectReason::BadTrustData`] when the bytes are not a complete, intact zlib stream
    ///   (truncated, garbage, checksum mismatch) or bytes follow the end of the stream.
    pub fn from_compressed(compressed: &[u8], max_len_bits: usize) -> Result<Self> {
        let max_bytes = max_len_bits.min(MAX_STATUS_BITS).div_ceil(8);
        let bytes = inflate_exact(compressed, max_bytes)?;
        Ok(Self {
            len: bytes.len() * 8,
            bytes,
        })
    }
}

/// Inflates exactly one zlib stream filling all of `input`, to at most `max_bytes` bytes.
fn inflate_exact(mut input: &[u8], max_bytes: usize) -> Result<Vec<u8>> {
    use miniz_oxide::inflate::core::{decompress, inflate_flags, DecompressorOxide};
    let flags =
        inflate_flags::TINFL_FLAG_PARSE_ZLIB_HEADER | inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
    // One byte of headroom: the inflater reports "more output" when its buffer is exactly full
    // even if the stream ends there, so a list of exactly the limit must not be refused.
    let cap = max_bytes.saturating_add(1);
    let mut out = vec![0u8; input.len().saturating_mul(4).max(64).min(cap)];
    let mut state = Box::<DecompressorOxide>::default();
    let mut pos = 0;
    loop {
        let (status, consumed, produced) = decompress(&mut state, input, &mut out, pos, flags);
        pos += produced;
        match status {
            TINFLStatus::Done => {
                // Bytes after the Adler-32 checksum: a second encoding of the same list.
                if consumed != input.len() || pos > max_bytes {
                    return Err(if pos > max_bytes {
                        RejectReason::TooLarge
                    } else {
                        RejectReason::BadTrustData
                    }
                    .into());
                }
                out.truncate(pos);
                return Ok(out);
            }
            TINFLStatus::HasMoreOutput => {
                if out.len() >= cap {
                    return Err(RejectReason::TooLarge.into());
                }
                input = input.get(consumed..).unwrap_or_default();
                let grown = out.len().saturating_mul(2).min(cap);
                out.resize(grown, 0);
            }
            _ => return Err(RejectReason::BadTrustData.into()),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::Error;

    /// splitmix64: deterministic test randomness without a dependency.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    fn random_list(len: usize, revoked: usize, seed: u64) -> (StatusBits, Vec<usize>) {
        let mut rng = Rng(seed);
        let mut bits = StatusBits::new(len).unwrap();
        let mut set = Vec::with_capacity(revoked);
        while set.len() < revoked {
            let i = rng.below(len);
            if !bits.get(i).unwrap() {
                bits.set(i, true).unwrap();
                set.push(i);
            }
        }
        set.sort_unstable();
        (bits, set)
    }

    #[test]
    fn set_get_and_clear() {
        let mut b = StatusBits::new(21).unwrap();
        assert_eq!(b.len(), 21);
        assert!(!b.is_empty());
        assert_eq!(b.as_bytes().len(), 3);
        for i in 0..21 {
            assert!(!b.get(i).unwrap());
        }
        b.set(0, true).unwrap();
        b.set(9, true).unwrap();
        b.set(20, true).unwrap();
        assert!(b.get(0).unwrap() && b.get(9).unwrap() && b.get(20).unwrap());
        assert!(!b.get(1).unwrap() && !b.get(8).unwrap() && !b.get(10).unwrap());
        assert_eq!(b.count_revoked(), 3);
        // IETF layout: index 0 is the least significant bit of byte 0; 9 is bit 1 of byte 1.
        assert_eq!(b.as_bytes(), &[0b0000_0001, 0b0000_0010, 0b0001_0000]);
        // Setting twice is idempotent; clearing restores.
        b.set(9, true).unwrap();
        b.set(9, false).unwrap();
        assert!(!b.get(9).unwrap());
        assert_eq!(b.count_revoked(), 2);
        assert_eq!(format!("{b:?}"), "StatusBits { len: 21, revoked: 2 }");
    }

    #[test]
    fn ietf_status_list_example_bytes() {
        // draft-ietf-oauth-status-list, section 4.1 example: statuses of indices 0..16 with
        // bits = 1 give bytes [0xB9, 0xA3].
        let revoked = [0, 3, 4, 5, 7, 8, 9, 13, 15];
        let mut b = StatusBits::new(16).unwrap();
        for i in revoked {
            b.set(i, true).unwrap();
        }
        assert_eq!(b.as_bytes(), &[0xB9, 0xA3]);
    }

    #[test]
    fn out_of_range_is_a_typed_error() {
        let mut b = StatusBits::new(10).unwrap();
        assert!(matches!(b.get(10), Err(Error::InvalidInput(_))));
        assert!(matches!(b.get(usize::MAX), Err(Error::InvalidInput(_))));
        assert!(matches!(b.set(10, true), Err(Error::InvalidInput(_))));
        // The failed set changed nothing.
        assert_eq!(b.count_revoked(), 0);
        let empty = StatusBits::new(0).unwrap();
        assert!(empty.is_empty());
        assert!(matches!(empty.get(0), Err(Error::InvalidInput(_))));
        assert!(matches!(
            StatusBits::new(MAX_STATUS_BITS + 1),
            Err(Error::InvalidInput(_))
        ));
    }

    #[test]
    fn round_trip_sparse_and_dense() {
        for (len, revoked, seed) in [
            (8, 0, 1),
            (1000, 1, 2),
            (100_000, 100, 3),     // 0.1 %
            (100_000, 50_000, 4),  // half
            (100_003, 99_000, 5),  // nearly all, odd length
            (1_000_000, 1_000, 6), // 0.1 %
        ] {
            let (bits, set) = random_list(len, revoked, seed);
            let packed = bits.to_compressed();
            let back = StatusBits::from_compressed(&packed, len.div_ceil(8) * 8).unwrap();
            assert_eq!(back.len(), len.div_ceil(8) * 8);
            assert_eq!(back.count_revoked(), revoked);
            for &i in &set {
                assert!(back.get(i).unwrap());
            }
            assert_eq!(back.as_bytes(), bits.as_bytes());
            // The padding entries exist and are not revoked.
            for i in len..back.len() {
                assert!(!back.get(i).unwrap());
            }
        }
    }

    #[test]
    fn compressed_is_standard_zlib() {
        let (bits, _) = random_list(10_000, 10, 7);
        let z = bits.to_compressed();
        // zlib header: CM = 8 (deflate), header checksum.
        assert_eq!(z[0] & 0x0F, 8);
        assert_eq!((u16::from(z[0]) << 8 | u16::from(z[1])) % 31, 0);
        let raw = miniz_oxide::inflate::decompress_to_vec_zlib(&z).unwrap();
        assert_eq!(raw, bits.as_bytes());
        // Sparse lists compress well: 10,000 entries (1,250 bytes) with 10 revoked.
        assert!(z.len() < 100, "{} bytes", z.len());
    }

    #[test]
    fn exactly_the_limit_is_accepted_one_byte_more_is_too_large() {
        let (bits, _) = random_list(80_000, 80, 8);
        let z = bits.to_compressed();
        assert!(StatusBits::from_compressed(&z, 80_000).is_ok());
        assert!(matches!(
            StatusBits::from_compressed(&z, 79_992),
            Err(Error::Rejected(RejectReason::TooLarge))
        ));
        // A non-multiple-of-8 limit rounds up to whole bytes.
        assert!(StatusBits::from_compressed(&z, 79_993).is_ok());
    }

    #[test]
    fn decompression_bomb_is_rejected_early() {
        // 64 MiB of zeros compress to about 64 KB; the caller allows 1,000,000 entries (125 KB).
        let zeros = vec![0u8; 64 << 20];
        let bomb = miniz_oxide::deflate::compress_to_vec_zlib(&zeros, 10);
        drop(zeros);
        assert!(bomb.len() < 100_000, "{}", bomb.len());
        assert!(matches!(
            StatusBits::from_compressed(&bomb, 1_000_000),
            Err(Error::Rejected(RejectReason::TooLarge))
        ));
        // Even with a huge caller limit, the hard cap (2^30 entries = 128 MiB) holds.
        let zeros = vec![0u8; (MAX_STATUS_BITS / 8) + 1];
        let bomb = miniz_oxide::deflate::compress_to_vec_zlib(&zeros, 1);
        drop(zeros);
        assert!(matches!(
            StatusBits::from_compressed(&bomb, usize::MAX),
            Err(Error::Rejected(RejectReason::TooLarge))
        ));
    }

    #[test]
    fn truncated_and_garbage_input_is_bad_trust_data() {
        let (bits, _) = random_list(100_000, 100, 9);
        let z = bits.to_compressed();
        for cut in [0, 1, 2, 5, z.len() / 2, z.len() - 4, z.len() - 1] {
            assert!(
                matches!(
                    StatusBits::from_compressed(&z[..cut], 100_000),
                    Err(Error::Rejected(RejectReason::BadTrustData))
                ),
                "cut at {cut}"
            );
        }
        // Checksum (Adler-32) mismatch.
        let mut bad = z.clone();
        let last = bad.len() - 1;
        bad[last] ^= 0x01;
        assert!(matches!(
            StatusBits::from_compressed(&bad, 100_000),
            Err(Error::Rejected(RejectReason::BadTrustData))
        ));
        // Raw DEFLATE without the zlib header, and random bytes.
        let raw = miniz_oxide::deflate::compress_to_vec(bits.as_bytes(), 6);
        assert!(StatusBits::from_compressed(&raw, 100_000).is_err());
        let mut rng = Rng(10);
        for len in [1usize, 2, 3, 16, 1000] {
            let junk: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            assert!(StatusBits::from_compressed(&junk, 100_000).is_err());
        }
        // Every single-bit flip gives an error or a list (never a panic).
        for i in 0..z.len() {
            let mut f = z.clone();
            f[i] ^= 0x40;
            let _ = StatusBits::from_compressed(&f, 100_000);
        }
    }

    #[test]
    fn bytes_after_the_zlib_stream_are_refused() {
        let (bits, _) = random_list(10_000, 10, 11);
        let z = bits.to_compressed();
        assert_eq!(StatusBits::from_compressed(&z, 10_000).unwrap(), bits);
        for tail in [&[0u8][..], &[0, 0, 0, 0], b"x", &z[..]] {
            let mut t = z.clone();
            t.extend_from_slice(tail);
            assert!(
                matches!(
                    StatusBits::from_compressed(&t, 10_000),
                    Err(Error::Rejected(RejectReason::BadTrustData))
                ),
                "{} trailing bytes",
                tail.len()
            );
        }
        // An empty stream is a list of no entries; an empty input is not a stream.
        let empty = miniz_oxide::deflate::compress_to_vec_zlib(&[], 6);
        assert!(StatusBits::from_compressed(&empty, 8).unwrap().is_empty());
        assert!(StatusBits::from_compressed(&[], 8).is_err());
        // Stored (uncompressed) blocks and big outputs that grow the buffer several times.
        let stored = miniz_oxide::deflate::compress_to_vec_zlib(bits.as_bytes(), 0);
        assert_eq!(StatusBits::from_compressed(&stored, 10_000).unwrap(), bits);
        let (big, _) = random_list(1 << 20, 1 << 19, 12);
        let z = big.to_compressed();
        assert_eq!(StatusBits::from_compressed(&z, 1 << 20).unwrap(), big);
        let mut t = z.clone();
        t.push(0);
        assert!(StatusBits::from_compressed(&t, 1 << 20).is_err());
    }

    /// Issue #6 numbers: `cargo test -p citizen-wallet-core --release --lib measure_100m -- --ignored --nocapture`.
    #[test]
    #[ignore = "measurement, ~10 s in release"]
    fn measure_100m() {
        let len = 100_000_000;
        let (bits, set) = random_list(len, len / 1000, 42);
        let t = std::time::Instant::now();
        let z = bits.to_compressed();
        let compress = t.elapsed();
        let t = std::time::Instant::now();
        let back = StatusBits::from_compressed(&z, len).unwrap();
        let decompress = t.elapsed();
        let mut rng = Rng(43);
        let probes: Vec<usize> = (0..1_000_000).map(|_| rng.below(len)).collect();
        let t = std::time::Instant::now();
        let mut hits = 0usize;
        for &p in &probes {
            hits += usize::from(std::hint::black_box(&back).get(p).unwrap());
        }
        let lookup = t.elapsed();
        // Entropy bound: log2(C(n, k)) bits.
        let (n, k) = (len as f64, set.len() as f64);
        let bound_bits = k * (n / k).log2() + k * std::f64::consts::LOG2_E;
        println!(
            "100M entries, {} revoked: zlib {} bytes ({:.3} MB; bound ~{:.3} MB), compress {compress:?}, \
             decompress {decompress:?}, lookup {:.1} ns ({hits} hits in 1M random probes)",
            set.len(),
            z.len(),
            z.len() as f64 / 1e6,
            bound_bits / 8e6,
            lookup.as_nanos() as f64 / probes.len() as f64,
        );
        assert!(z.len() <= 1_500_000);
    }
}
