//! Issue #6: presenting and verifying the clinic check-in QR, each beside its floor.
//!
//! `cargo bench -p citizen-wallet-core --bench present_verify`. The workload is the one
//! `cwallet bench` measures (perf/workload/src/codec.rs): the same credential, world and floors.
//!
//! * `present/ours`: `Wallet::present` (read + open the stored SD-CWT, sign the SD-KBT, base45,
//!   QR matrix); `present/floor`: one Ed25519 signature + the QR matrix of the same text.
//!   Target: ours / floor <= 1.2.
//! * `verify/ours`: `Verifier::verify_text` to a `Valid` verdict; `verify/floor`: two Ed25519
//!   verifications + a base45 decode of the same text. Target: ours / floor <= 1.5, and at
//!   least 6,000 verifications per second on one thread.
//! * `verify/png`: `Verifier::verify_png` of the code drawn at 4 pixels per module.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::time::Duration;

use citizen_wallet_core::internal::qr_text;
use citizen_wallet_workload as workload;
use criterion::{criterion_group, criterion_main, Criterion};
use workload::codec::{Floors, World};
use workload::PEOPLE_JSON;

fn present_verify(c: &mut Criterion) {
    let dir = workload::WorkDir::new(None).unwrap();
    let world = World::new(dir.path(), PEOPLE_JSON).unwrap();
    let p = world.present().unwrap();
    world.verify(&p.qr_text).unwrap();
    let kbt = qr_text::decode_presentation(&p.qr_text).unwrap();
    let (_, issued) = world.standalone_holder().unwrap();
    let floors = Floors::new(&kbt, &issued, &p.qr_text, p.qr_version);
    println!(
        "check-in presentation: {} bytes, {} characters, QR version {} (target <= 14)",
        p.bytes,
        p.qr_text.len(),
        p.qr_version
    );

    let mut g = c.benchmark_group("present");
    g.sample_size(20).measurement_time(Duration::from_secs(4));
    g.bench_function("ours", |b| b.iter(|| black_box(world.present().unwrap())));
    g.bench_function("floor", |b| b.iter(|| floors.present().unwrap()));
    g.finish();

    let mut g = c.benchmark_group("verify");
    g.measurement_time(Duration::from_secs(3));
    g.bench_function("ours", |b| {
        b.iter(|| world.verify(black_box(&p.qr_text)).unwrap())
    });
    let mut buf = Vec::with_capacity(kbt.len());
    g.bench_function("floor", |b| b.iter(|| floors.verify(&mut buf).unwrap()));
    let png = p.qr.to_png(4).unwrap();
    g.sample_size(20);
    g.bench_function("png", |b| {
        b.iter(|| black_box(world.verifier.verify_png(black_box(&png)).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, present_verify);
criterion_main!(benches);
