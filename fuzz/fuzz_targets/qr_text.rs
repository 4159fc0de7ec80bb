//! Scanned QR text -> verdict: prefix, base45, CBOR, COSE, SD-CWT, SD-KBT, every check.
#![no_main]
use citizen_wallet_fuzz::{check_verdict, verifier};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let v = verifier()
        .verify_text(&text)
        .expect("text verification never fails");
    check_verdict(&v);
    let v = verifier()
        .verify_text_with_nonce(&text, b"counter-nonce")
        .expect("text verification never fails");
    check_verdict(&v);
});
