//! A verifier's counter state file -> `CounterState::open` with the fixture root key.
//!
//! The file is the counter's own, but whoever can write its directory can plant one: opening it
//! must be a typed error or a state whose every list verifies, never a panic.
#![no_main]
use std::sync::OnceLock;

use citizen_wallet_core::trust::{CounterState, STATE_FILE_NAME};
use citizen_wallet_core::Error;
use citizen_wallet_fuzz::world;
use libfuzzer_sys::fuzz_target;

fn dir() -> &'static tempfile::TempDir {
    static D: OnceLock<tempfile::TempDir> = OnceLock::new();
    D.get_or_init(|| tempfile::tempdir().expect("tempdir"))
}

fuzz_target!(|data: &[u8]| {
    let w = world();
    let path = dir().path().join(STATE_FILE_NAME);
    std::fs::write(&path, data).expect("write");
    match CounterState::open(dir().path(), &w.root.public()) {
        Ok(state) => {
            // A loaded state holds a trust list (every saved state does), and a status list
            // only for an issuer that trust list names.
            let trust = state.trust_list().expect("a loaded state holds a trust list");
            for s in state.status_lists() {
                assert!(trust.find(&s.issuer_kid).is_some());
            }
        }
        Err(Error::CounterState(_)) => {}
        Err(e) => panic!("not a state error: {e}"),
    }
    // Refused or not, the file is never rewritten by opening it.
    assert_eq!(std::fs::read(&path).expect("read"), data);
});
