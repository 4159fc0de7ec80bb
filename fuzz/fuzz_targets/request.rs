//! Scanned request QR text -> `ReaderRequest::read` against the fixture trust list plus one
//! certified clinic reader (seed `[21; 32]`, as in `core/tests/request_qr.rs`).
#![no_main]
use std::sync::OnceLock;

use citizen_wallet_core::issuer::IssuerKey;
use citizen_wallet_core::trust::{ReaderRole, TrustList, TrustedReader};
use citizen_wallet_core::ReaderRequest;
use citizen_wallet_fuzz::world;
use libfuzzer_sys::fuzz_target;

fn trust() -> &'static TrustList {
    static T: OnceLock<TrustList> = OnceLock::new();
    T.get_or_init(|| {
        let w = world();
        let clinic = IssuerKey::from_seed(&[21; 32]).expect("seed");
        let t0 = citizen_wallet_core::Clock::now_unix(w.clock.as_ref());
        w.trust.clone().with_reader(TrustedReader::new(
            clinic.public(),
            "BM-TIEPDON-1",
            "Bệnh viện Bạch Mai",
            "Bach Mai Hospital",
            t0 - 86_400,
            t0 + 86_400,
            ReaderRole::Clinic,
        ))
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let now = citizen_wallet_core::Clock::now_unix(world().clock.as_ref());
    if let Ok(r) = ReaderRequest::read(&text, trust(), now) {
        // Only the reader can sign: whatever reads is within its role and its lifetime.
        assert!(r.role.may_ask(r.credential_type, r.purpose));
        assert!(!r.claims.is_empty() && r.nonce.len() == 16);
        assert!(r.expires_at > r.issued_at);
    }
});
