//! Signed trust list bytes -> `TrustList::parse_verify` with the fixture root key.
#![no_main]
use citizen_wallet_core::trust::TrustList;
use citizen_wallet_fuzz::world;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let w = world();
    if let Ok(list) = TrustList::parse_verify(data, &w.root.public()) {
        // Only the root can sign: anything accepted is one of the seeds' lists, and signing it
        // again (Ed25519 is deterministic, the encoding canonical) gives the same bytes.
        assert_eq!(list.sign(&w.root).expect("re-sign"), data);
    }
});
