//! Issue #6: a status list of 100,000,000 credentials with 0.1 % revoked at random must compress
//! to at most 1.5 MB and answer a lookup in at most 1 µs.
//!
//! `cargo bench -p citizen-wallet-core --bench status_list` prints the compressed size once,
//! then times a lookup (random index), decompression (what a verifier does when a new list
//! arrives) and compression (what an issuer does when publishing). Also times QR encoding and
//! PNG decoding of a 495-character presentation, the counter's per-scan work.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;

use citizen_wallet_core::qr::{decode_png, fit, Ecc, MAX_READABLE_VERSION};
use citizen_wallet_core::trust::status_bits::StatusBits;
use citizen_wallet_workload::Rng;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};

const LEN: usize = 100_000_000;
const REVOKED: usize = LEN / 1000;

fn list_100m() -> StatusBits {
    let mut rng = Rng(42);
    let mut bits = StatusBits::new(LEN).unwrap();
    let mut n = 0;
    while n < REVOKED {
        let i = rng.below(LEN);
        if !bits.get(i).unwrap() {
            bits.set(i, true).unwrap();
            n += 1;
        }
    }
    bits
}

fn status_list(c: &mut Criterion) {
    let bits = list_100m();
    let compressed = bits.to_compressed();
    println!(
        "status list: {LEN} entries, {REVOKED} revoked (0.1 %): {} bytes compressed ({:.3} MB, target <= 1.5 MB)",
        compressed.len(),
        compressed.len() as f64 / 1e6
    );
    assert!(compressed.len() <= 1_500_000);
    let decoded = StatusBits::from_compressed(&compressed, LEN).unwrap();

    let mut rng = Rng(7);
    c.bench_function("status_list/lookup_random_100m", |b| {
        b.iter_batched(
            || rng.below(LEN),
            |i| black_box(decoded.get(black_box(i)).unwrap()),
            BatchSize::SmallInput,
        )
    });

    let mut group = c.benchmark_group("status_list");
    group.sample_size(10);
    group.bench_function("decompress_100m", |b| {
        b.iter(|| StatusBits::from_compressed(black_box(&compressed), LEN).unwrap())
    });
    group.bench_function("compress_100m", |b| b.iter(|| black_box(&bits).to_compressed()));
    group.finish();
}

fn qr(c: &mut Criterion) {
    // 330 bytes of presentation -> 495 base45 characters behind the prefix.
    let mut rng = Rng(3);
    let alphabet = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    let text: String = std::iter::once("VN1:".to_string())
        .chain((0..495).map(|_| (alphabet[rng.below(45)] as char).to_string()))
        .collect();
    let matrix = fit(&text, Ecc::M, MAX_READABLE_VERSION).unwrap();
    let png = matrix.to_png(4).unwrap();
    println!(
        "qr: {} chars -> version {}, PNG {} bytes at 4 px/module",
        text.len(),
        matrix.version,
        png.len()
    );

    let mut group = c.benchmark_group("qr");
    group.sample_size(20);
    group.bench_function("fit_v14", |b| {
        b.iter(|| fit(black_box(&text), Ecc::M, MAX_READABLE_VERSION).unwrap())
    });
    group.bench_function("to_png_v14", |b| b.iter(|| black_box(&matrix).to_png(4).unwrap()));
    group.bench_function("decode_png_v14", |b| {
        b.iter(|| decode_png(black_box(&png)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, status_list, qr);
criterion_main!(benches);
