//! The status list at national scale: `entries` credentials (100,000,000 in the full run), 0.1 %
//! revoked at random, signed by the issuer; its size, how long signing (compression) and
//! loading (verify + decompression) take, and a lookup by random index.

use std::hint::black_box;
use std::time::Instant;

use citizen_wallet_core::issuer::IssuerKey;
use citizen_wallet_core::trust::StatusList;
use serde_json::json;

use crate::store::T0;
use crate::timing::{median_ns, round3, Plan};
use crate::{Res, Rng};

pub const FULL_ENTRIES: usize = 100_000_000;

pub fn run(entries: usize, lookup: Plan) -> Res<serde_json::Value> {
    let issuer = IssuerKey::from_seed(&[3; 32])?;
    let mut list = StatusList::new(issuer.kid(), entries, T0, 24 * 3600)?;
    let revoked = entries / 1000;
    let mut rng = Rng(42);
    let mut n = 0;
    while n < revoked {
        let i = rng.below(entries) as u64;
        if !list.is_revoked(i)? {
            list.revoke(i)?;
            n += 1;
        }
    }
    let t = Instant::now();
    let signed = list.sign(&issuer)?;
    let sign_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let loaded = StatusList::parse_verify_with_key(&signed, &issuer.public())?;
    let load_ms = t.elapsed().as_secs_f64() * 1e3;
    if loaded.bits.count_revoked() != revoked {
        return Err("status list: revoked count changed in transit".into());
    }
    let mut rng = Rng(7);
    let mut hits = 0u64;
    let lookup_ns = median_ns(lookup, || {
        let i = rng.below(entries) as u64;
        hits += u64::from(black_box(loaded.is_revoked(black_box(i))?));
        Ok(())
    })?;
    black_box(hits);
    Ok(json!({
        "status_list_entries": entries,
        "status_list_revoked": revoked,
        "status_list_bytes": signed.len(),
        "status_lookup_ns": round3(lookup_ns),
        "status_list_sign_ms": round3(sign_ms),
        "status_list_load_ms": round3(load_ms),
    }))
}
