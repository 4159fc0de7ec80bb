//! Issue #6: the encrypted store on 10,000 realistic credentials (~1.1 KB of JSON each), beside
//! plain rusqlite storing the same bytes unencrypted with the same schema, pragmas and
//! statements, and beside the AEAD + tag work alone. Issue #16: beside the naive encrypted
//! floor (`floor`: the stored payload bytes sealed once per row in plain rusqlite), and
//! listing summaries only (`list_by_type/ours_summaries`).
//!
//! `cargo bench -p citizen-wallet-core --bench store`. The workload is the one `cwallet bench`
//! measures (perf/workload/src/store.rs). Target: (ours - plain) / crypto_only <= 1.25 for
//! insert, get and list; the ratios themselves are computed by `cwallet bench`, which measures
//! all three in one run.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::time::Duration;

use citizen_wallet_core::internal::derive_pin_key;
use citizen_wallet_core::model::{Credential, CredentialType};
use citizen_wallet_core::KdfParams;
use citizen_wallet_core::SoftwareKeyProvider;
use citizen_wallet_workload as workload;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use workload::records::LISTED_TYPE;
use workload::store::{
    aad_for, create_wallet, open_wallet, stored_payloads, CryptoOnly, NaiveStore, PlainStore,
};
use workload::PEOPLE_JSON;

const N: usize = 10_000;

fn store(c: &mut Criterion) {
    let dir = workload::WorkDir::new(None).unwrap();
    let records = workload::records::make(PEOPLE_JSON, N).unwrap();
    let jsons = workload::records::json_bytes(&records).unwrap();
    let listed = records
        .iter()
        .filter(|r| r.credential_type() == LISTED_TYPE)
        .count();
    let provider = SoftwareKeyProvider::make("bench").unwrap();
    let (ours, plain) = (dir.path().join("ours.db"), dir.path().join("plain.db"));
    let naive = dir.path().join("naive.db");
    let payloads = stored_payloads(&records);

    let mut g = c.benchmark_group("store/insert_10k");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.bench_function("ours", |b| {
        b.iter_batched(
            || create_wallet(&ours, &provider).unwrap(),
            |w| black_box(w.add_all(&records).unwrap()),
            BatchSize::PerIteration,
        )
    });
    g.bench_function("plain", |b| {
        b.iter_batched(
            || PlainStore::create(&plain).unwrap(),
            |mut p| black_box(p.add_all(&records).unwrap()),
            BatchSize::PerIteration,
        )
    });
    let crypto = CryptoOnly::new().unwrap();
    let ids: Vec<String> = (0..N).map(|i| format!("{i:032x}")).collect();
    let aads: Vec<Vec<u8>> = ids.iter().map(|id| aad_for(id)).collect();
    let types: Vec<CredentialType> = records.iter().map(Credential::credential_type).collect();
    g.bench_function("floor", |b| {
        b.iter_batched(
            || NaiveStore::create(&naive).unwrap(),
            |mut s| black_box(s.add_all(&crypto, &payloads, &types).unwrap()),
            BatchSize::PerIteration,
        )
    });
    g.bench_function("crypto_only", |b| {
        b.iter(|| {
            for ((json, aad), ty) in jsons.iter().zip(&aads).zip(&types) {
                black_box(crypto.seal(aad, json).unwrap());
                black_box(crypto.tag(*ty).unwrap());
            }
        })
    });
    g.finish();

    // Filled databases for the reads.
    let ids = create_wallet(&ours, &provider)
        .unwrap()
        .add_all(&records)
        .unwrap();
    PlainStore::create(&plain).unwrap().add_all(&records).unwrap();
    let mut naive_store = NaiveStore::create(&naive).unwrap();
    let naive_ids = naive_store.add_all(&crypto, &payloads, &types).unwrap();
    let wallet = open_wallet(&ours, &provider).unwrap();
    let plain_store = PlainStore::open(&plain).unwrap();
    let plain_ids: Vec<String> = plain_store
        .list(None)
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect();
    let sealed: Vec<Vec<u8>> = jsons
        .iter()
        .zip(&aads)
        .map(|(j, a)| crypto.seal(a, j).unwrap())
        .collect();

    let mut g = c.benchmark_group("store/get");
    g.measurement_time(Duration::from_secs(3));
    let mut rng = workload::Rng(1);
    g.bench_function("ours", |b| {
        b.iter(|| black_box(wallet.get(&ids[rng.below(N)]).unwrap()))
    });
    let mut rng = workload::Rng(1);
    g.bench_function("plain", |b| {
        b.iter(|| black_box(plain_store.get(&plain_ids[rng.below(N)]).unwrap()))
    });
    let mut rng = workload::Rng(1);
    g.bench_function("floor", |b| {
        b.iter(|| black_box(naive_store.get(&crypto, &naive_ids[rng.below(N)]).unwrap()))
    });
    let mut rng = workload::Rng(1);
    g.bench_function("crypto_only", |b| {
        b.iter(|| {
            let i = rng.below(N);
            black_box(crypto.open(&aads[i], &sealed[i]).unwrap());
            black_box(crypto.tag(types[i]).unwrap());
        })
    });
    g.finish();

    let mut g = c.benchmark_group("store/list_by_type");
    g.sample_size(20).measurement_time(Duration::from_secs(4));
    g.bench_function("ours", |b| {
        b.iter(|| assert_eq!(wallet.list(Some(LISTED_TYPE)).unwrap().len(), listed))
    });
    g.bench_function("ours_summaries", |b| {
        b.iter(|| assert_eq!(wallet.list_summaries(Some(LISTED_TYPE)).unwrap().len(), listed))
    });
    g.bench_function("plain", |b| {
        b.iter(|| assert_eq!(plain_store.list(Some(LISTED_TYPE)).unwrap().len(), listed))
    });
    g.bench_function("floor", |b| {
        b.iter(|| assert_eq!(naive_store.list(&crypto, LISTED_TYPE).unwrap().len(), listed))
    });
    let listed_idx: Vec<usize> = (0..N).filter(|&i| types[i] == LISTED_TYPE).collect();
    g.bench_function("crypto_only", |b| {
        b.iter(|| {
            black_box(crypto.tag(LISTED_TYPE).unwrap());
            for &i in &listed_idx {
                black_box(crypto.open(&aads[i], &sealed[i]).unwrap());
                black_box(crypto.tag(types[i]).unwrap());
            }
        })
    });
    g.finish();
    drop(wallet);
    drop(plain_store);
    drop(naive_store);

    let mut g = c.benchmark_group("store/open");
    g.sample_size(20).measurement_time(Duration::from_secs(4));
    g.bench_function("ours", |b| {
        b.iter(|| black_box(open_wallet(&ours, &provider).unwrap()))
    });
    g.bench_function("plain", |b| {
        b.iter(|| black_box(PlainStore::open(&plain).unwrap()))
    });
    g.finish();

    let mut g = c.benchmark_group("store/kdf");
    g.sample_size(10).measurement_time(Duration::from_secs(4));
    g.bench_function("argon2id_19mib_2passes", |b| {
        b.iter(|| black_box(derive_pin_key("246810", &[7u8; 16], KdfParams::OWASP_MIN).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, store);
criterion_main!(benches);
