//! Shared set-up for the fuzz targets: the same trust world as the core tests
//! (`citizen-wallet-test-support`: fixed seeds, so the seeds written by
//! `core/tests/fuzz_seeds.rs` verify here), built once per process.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::{Once, OnceLock};

use citizen_wallet_core::{Outcome, Verdict, Verifier};
use citizen_wallet_core::{Unlock, Wallet, WalletOptions};
use citizen_wallet_test_support::PIN;

pub use citizen_wallet_test_support::World;

/// The fixture world (root, four issuers, trust list, status lists, clock at `T0`).
pub fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(World::new)
}

/// A verifier over [`world`], at `T0`.
pub fn verifier() -> &'static Verifier {
    static V: OnceLock<Verifier> = OnceLock::new();
    V.get_or_init(|| world().verifier())
}

/// An unlocked wallet in a temporary directory, created once (Argon2 runs once).
pub fn wallet() -> &'static Wallet {
    static W: OnceLock<(tempfile::TempDir, Wallet)> = OnceLock::new();
    &W.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let opts = WalletOptions {
            clock: world().clock.clone(),
            ..WalletOptions::default()
        };
        let w = Wallet::create(dir.path().join("fuzz.db"), Unlock::Pin(PIN), opts).unwrap();
        (dir, w)
    })
    .1
}

/// What every verdict must satisfy: a rejected presentation shows nothing but its reason.
pub fn check_verdict(v: &Verdict) {
    if v.outcome() == Outcome::Invalid {
        assert!(v.claims.is_empty() && v.credential_type.is_none() && v.holder_thumbprint.is_none());
    } else {
        assert!(v.credential_type.is_some() && v.holder_thumbprint.is_some());
    }
}

/// libfuzzer-sys turns every panic into an abort. `qr::decode_png` / `decode_image`
/// deliberately catch panics inside the third-party decoders (rxing, jpeg-decoder; see
/// `read_first_qr`), so those, and only those, are let through to their `catch_unwind`.
pub fn tolerate_decoder_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if info
                .location()
                .is_some_and(|l| l.file().contains("rxing") || l.file().contains("jpeg-decoder"))
            {
                return;
            }
            previous(info);
        }));
    });
}
