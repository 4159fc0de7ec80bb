//! PNG or JPEG bytes -> QR text -> verdict (`Verifier::verify_image`'s path: `qr::decode_image`).
//! Images above 320x320 are skipped to keep executions fast: the size limits and the CPU bound
//! of larger images are tested in `core/tests/qr_codes.rs`.
#![no_main]
use citizen_wallet_core::qr;
use citizen_wallet_fuzz::{check_verdict, tolerate_decoder_panics, verifier};
use libfuzzer_sys::fuzz_target;

const MAX_SIDE: usize = 320;

fuzz_target!(|data: &[u8]| {
    tolerate_decoder_panics();
    match qr::image_to_luma(data) {
        Ok((w, h, _)) if w <= MAX_SIDE && h <= MAX_SIDE => {}
        _ => return,
    }
    if let Ok(text) = qr::decode_image(data) {
        if let Ok(v) = verifier().verify_text(&text) {
            check_verdict(&v);
        }
    }
});
