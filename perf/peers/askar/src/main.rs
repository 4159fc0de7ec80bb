//! aries-askar 0.4.6 on the same work as our store: insert 10,000 records in one transaction,
//! fetch one by id, fetch all ~1,000 of one category.
//!
//! Usage: `askar-bench RECORDS_FILE WORK_DIR [--quick]`. `RECORDS_FILE` is written by
//! `peers export-records` (perf/peers/ours): for each record a kind byte (1 = the listed type),
//! a 32-byte id, a little-endian u32 length and the credential's stored payload, the exact
//! bytes our wallet seals (compact CBOR since issue 16). Prints one JSON object (times in ms / µs, medians).
//!
//! Askar is opened with a raw 32-byte store key (`StoreKeyMethod::RawKey`: no KDF, like our
//! `open_ms`), journal WAL and synchronous FULL (its defaults, and ours). Category = the
//! credential type, name = the id, value = the payload: askar encrypts the three per field with
//! ChaCha20-Poly1305 (category and name deterministically, for lookups).

use std::time::{Duration, Instant};

use aries_askar::future::block_on;
use aries_askar::{Store, StoreKeyMethod};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

struct Record {
    listed: bool,
    id: String,
    value: Vec<u8>,
}

const CAT_LISTED: &str = "judicial_record";
const CAT_OTHER: &str = "health_book";

fn read_records(path: &str) -> Res<Vec<Record>> {
    let b = std::fs::read(path)?;
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let head = b.get(i..i + 37).ok_or("records file truncated")?;
        let listed = head[0] == 1;
        let id = String::from_utf8(head[1..33].to_vec())?;
        let len = u32::from_le_bytes([head[33], head[34], head[35], head[36]]) as usize;
        let value = b
            .get(i + 37..i + 37 + len)
            .ok_or("records file truncated")?
            .to_vec();
        out.push(Record { listed, id, value });
        i += 37 + len;
    }
    Ok(out)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn url(dir: &std::path::Path, n: usize) -> String {
    format!(
        "sqlite://{}?journal_mode=WAL&synchronous=FULL",
        dir.join(format!("askar-{n}.db")).display()
    )
}

async fn provision(url: &str) -> Res<Store> {
    let key = Store::new_raw_key(Some(&[0x42; 32]))?;
    Ok(Store::provision(url, StoreKeyMethod::RawKey, key, Some("bench".into()), true).await?)
}

async fn insert_all(store: &Store, records: &[Record]) -> Res<()> {
    let mut tx = store.transaction(None).await?;
    for r in records {
        let cat = if r.listed { CAT_LISTED } else { CAT_OTHER };
        tx.insert(cat, &r.id, &r.value, None, None).await?;
    }
    tx.commit().await?;
    Ok(())
}

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(records_path), Some(work)) = (args.get(1), args.get(2)) else {
        return Err("usage: askar-bench RECORDS_FILE WORK_DIR [--quick]".into());
    };
    let quick = args.iter().any(|a| a == "--quick");
    let records = read_records(records_path)?;
    let listed = records.iter().filter(|r| r.listed).count();
    let work = std::path::PathBuf::from(work);
    std::fs::create_dir_all(&work)?;
    let (insert_reps, get_ops, list_reps) = if quick { (2, 500, 5) } else { (5, 3000, 15) };

    block_on(async {
        // insert: a fresh store each repetition.
        let mut insert = Vec::new();
        let mut last = None;
        for n in 0..insert_reps {
            let u = url(&work, n);
            let store = provision(&u).await?;
            let t = Instant::now();
            insert_all(&store, &records).await?;
            insert.push(ms(t.elapsed()));
            if let Some((s, old)) = last.replace((store, u)) {
                let s: Store = s;
                s.close().await?;
                let _ = Store::remove(&old).await;
            }
        }
        let (store, u) = last.ok_or("no repetition")?;

        // fetch by id: random ids (a fixed LCG order), one session as a wallet app would keep.
        let mut session = store.session(None).await?;
        let mut fetch = Vec::new();
        let mut x: u64 = 12345;
        for _ in 0..get_ops {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let r = &records[(x >> 33) as usize % records.len()];
            let cat = if r.listed { CAT_LISTED } else { CAT_OTHER };
            let t = Instant::now();
            let e = session.fetch(cat, &r.id, false).await?.ok_or("record missing")?;
            fetch.push(t.elapsed().as_secs_f64() * 1e6);
            if e.value.len() != r.value.len() {
                return Err("fetched value differs".into());
            }
        }

        // fetch_all of the listed category (~1,000 of 10,000).
        let mut list = Vec::new();
        for _ in 0..list_reps {
            let t = Instant::now();
            let all = session
                .fetch_all(Some(CAT_LISTED), None, None, None, false, false)
                .await?;
            list.push(ms(t.elapsed()));
            if all.len() != listed {
                return Err(format!("fetch_all returned {} of {listed}", all.len()).into());
            }
        }
        drop(session);

        // open with the raw key (no KDF).
        store.close().await?;
        let mut open = Vec::new();
        for _ in 0..if quick { 3 } else { 7 } {
            let key = Store::new_raw_key(Some(&[0x42; 32]))?;
            let t = Instant::now();
            let s = Store::open(&u, Some(StoreKeyMethod::RawKey), key, None).await?;
            let mut sess = s.session(None).await?;
            sess.count(Some(CAT_LISTED), None).await?;
            open.push(ms(t.elapsed()));
            drop(sess);
            s.close().await?;
        }
        let _ = Store::remove(&u).await;

        let out = serde_json::json!({
            "peer": "aries-askar 0.4.6 (sqlite, RawKey, WAL, synchronous FULL)",
            "records": records.len(),
            "listed": listed,
            "value_bytes_avg": records.iter().map(|r| r.value.len()).sum::<usize>() / records.len().max(1),
            "insert_reps": insert_reps,
            "askar_insert_10k_ms": median(insert),
            "askar_get_us": median(fetch),
            "askar_list_by_type_ms": median(list),
            "askar_open_ms": median(open),
        });
        println!("{out}");
        Ok(())
    })
}
