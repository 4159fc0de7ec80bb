//! Shared test helpers: sample people, temporary wallets, unlock methods.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use citizen_wallet_core::clock::FixedClock;
use citizen_wallet_core::model::{Credential, PersonRecord};
use citizen_wallet_core::{SoftwareKeyProvider, Unlock, Wallet, WalletOptions};

pub const PIN: &str = "246810";
/// 2026-01-15T00:00:00Z: inside the sample BHYT cards' validity.
pub const T0: i64 = 1_768_435_200;

pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

pub fn people() -> Vec<PersonRecord> {
    let json = std::fs::read_to_string(data_dir().join("people.json")).unwrap();
    PersonRecord::parse_list(&json).unwrap()
}

pub fn all_credentials() -> Vec<Credential> {
    people().iter().flat_map(|p| p.credentials().unwrap()).collect()
}

/// How a test wallet is unlocked: the same store suite runs with each.
pub enum Method {
    Pin,
    Provider(SoftwareKeyProvider),
}

impl Method {
    pub fn pin() -> Self {
        Method::Pin
    }
    pub fn provider() -> Self {
        Method::Provider(SoftwareKeyProvider::make("test-keystore").unwrap())
    }
    pub fn unlock(&self) -> Unlock<'_> {
        match self {
            Method::Pin => Unlock::Pin(PIN),
            Method::Provider(p) => Unlock::Provider(p),
        }
    }
}

pub struct TestWallet {
    pub dir: tempfile::TempDir,
    pub clock: Arc<FixedClock>,
    pub method: Method,
    pub wallet: Wallet,
}

impl TestWallet {
    pub fn new(method: Method) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(FixedClock::new(T0));
        let wallet = Wallet::create(dir.path().join("wallet.db"), method.unlock(), options(&clock)).unwrap();
        Self {
            dir,
            clock,
            method,
            wallet,
        }
    }

    pub fn db_path(&self) -> PathBuf {
        self.dir.path().join("wallet.db")
    }

    /// Closes and reopens the wallet (same files, same unlock method).
    pub fn reopen(&mut self) {
        let w = Wallet::open(self.db_path(), self.method.unlock(), options(&self.clock)).unwrap();
        self.wallet = w;
    }
}

pub fn options(clock: &Arc<FixedClock>) -> WalletOptions {
    WalletOptions {
        clock: clock.clone(),
        ..WalletOptions::default()
    }
}

/// Every file of the database (main, -wal, -shm), concatenated.
pub fn all_db_bytes(db: &Path) -> Vec<u8> {
    let mut out = Vec::new();
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let p = PathBuf::from(format!("{}{suffix}", db.display()));
        if let Ok(b) = std::fs::read(&p) {
            out.extend(b);
        }
    }
    out
}

pub fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}
