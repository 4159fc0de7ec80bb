//! Issued credential bytes (raw SD-CWT or `VN1C:` text) -> `Wallet::import_issued`, and the
//! SD-CWT parse / disclosure / claims / model path it runs after the holder-key check (which a
//! fuzzer cannot pass: the seeds are bound to other holder keys).
#![no_main]
use citizen_wallet_core::internal::qr_text;
use citizen_wallet_core::internal::sd_cwt::SdCwt;
use citizen_wallet_core::model::Credential;
use citizen_wallet_fuzz::{wallet, world};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let w = wallet();
    if let Ok(id) = w.import_issued(data, &world().trust) {
        // Keep the wallet the same size run after run.
        w.delete(&id).expect("delete what was just imported");
    }
    let owned;
    let bytes = if data.starts_with(qr_text::ISSUED_PREFIX.as_bytes()) {
        match std::str::from_utf8(data)
            .ok()
            .and_then(|t| qr_text::decode_issued(t).ok())
        {
            Some(b) => {
                owned = b;
                &owned[..]
            }
            None => return,
        }
    } else {
        data
    };
    let Ok(cwt) = SdCwt::parse(bytes) else { return };
    let _ = cwt.kid();
    let _ = cwt.iss();
    let _ = cwt.holder_key();
    let _ = cwt.status_index();
    if cwt.check_disclosures().is_err() {
        return;
    }
    if let (Ok(ty), Ok(claims)) = (cwt.credential_type(), cwt.claims()) {
        let _ = Credential::from_claims(ty, claims.into_iter().map(|c| c.claim).collect());
    }
});
