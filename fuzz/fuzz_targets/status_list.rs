//! Signed status list bytes -> `StatusList::parse_verify` against the fixture trust list.
#![no_main]
use citizen_wallet_core::trust::StatusList;
use citizen_wallet_fuzz::world;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let w = world();
    if let Ok(list) = StatusList::parse_verify(data, &w.trust) {
        let _ = list.is_revoked(0);
        let _ = list.is_revoked(u64::MAX);
        let _ = list.is_stale(i64::MAX);
    }
    let _ = StatusList::parse_verify_with_key(data, &w.bca.key.public());
});
