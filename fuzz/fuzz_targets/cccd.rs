//! The text of the QR printed on a chip ID card -> `parse_cccd_qr`.
#![no_main]
use citizen_wallet_core::model::parse_cccd_qr;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(qr) = parse_cccd_qr(&text) {
        // What the parser accepted is a valid citizen ID card.
        let mut cred = citizen_wallet_core::model::Credential::CitizenId(qr.card);
        cred.normalize_and_validate().expect("accepted card validates");
    }
});
