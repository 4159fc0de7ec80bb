//! PNG bytes -> QR text -> verdict. Images above 320x320 are skipped to keep executions fast:
//! the size limits and the CPU bound of larger images are tested in `core/tests/qr_codes.rs`.
#![no_main]
use citizen_wallet_fuzz::{check_verdict, tolerate_decoder_panics, verifier};
use libfuzzer_sys::fuzz_target;

const MAX_SIDE: u32 = 320;

fuzz_target!(|data: &[u8]| {
    tolerate_decoder_panics();
    if let Some(ihdr) = data.get(16..24) {
        let w = u32::from_be_bytes([ihdr[0], ihdr[1], ihdr[2], ihdr[3]]);
        let h = u32::from_be_bytes([ihdr[4], ihdr[5], ihdr[6], ihdr[7]]);
        if w > MAX_SIDE || h > MAX_SIDE {
            return;
        }
    }
    if let Ok(v) = verifier().verify_png(data) {
        check_verdict(&v);
    }
});
