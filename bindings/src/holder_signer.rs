//! Holder keys in secure hardware: a foreign [`HolderSigner`] whose key never leaves the Secure
//! Enclave or Android StrongBox / TEE (both are P-256 only, so ES256), and the calls that use
//! it.
//!
//! * The app implements [`HolderSigner`] (Kotlin, Swift, Python). Its `sign` is **async**, so
//!   it can await a biometric prompt. Ready-made implementations ship as library code:
//!   `bindings/android/src/main/kotlin/.../AndroidKeystoreHolderSigner.kt` and
//!   `bindings/apple/Sources/CitizenWalletPlatform/SecureEnclaveHolderSigner.swift`
//!   (**unverified here**: no device; see bindings/README.md).
//! * [`software_p256_holder_signer`]: a software P-256 signer in Rust, for tests and devices
//!   without secure hardware; [`Wallet::holder_public_key_for`]: the wallet's own keys (its
//!   software P-256 key is derived from its sealed holder seed).
//! * [`Wallet::import_issued_for_signer`], [`Wallet::present_with_signer`] (async),
//!   [`issue_to_holder_key`].
//!
//! ## Errors, slowness, cancellation
//!
//! * A signer that throws: its `WalletError` reaches the caller unchanged (throw
//!   `WalletError.KeyProvider` for a refused prompt); an exception of another type arrives as
//!   `WalletError.KeyProvider` ("unexpected callback error").
//! * A signature that is not 64 bytes (`r || s`, not DER) or does not verify with the
//!   credential's key: `WalletError.InvalidInput` (field "holder signature"); no QR is made.
//! * A signer slower than `timeout_ms` (default [`DEFAULT_SIGNER_TIMEOUT_MS`], 60 s, half the
//!   presentation's two-minute lifetime, which runs from before the prompt):
//!   `WalletError.HolderSignerTimedOut`; the foreign `sign` call is then cancelled (its future
//!   dropped: uniffi cancels the Kotlin coroutine / Swift task behind it).
//! * Cancelling the caller's coroutine / task drops the presentation future the same way.
//! * Nothing is locked while the signer runs: the wallet lays the presentation out first
//!   (`Wallet::prepare_presentation` in the core), awaits the signature holding no lock, and
//!   only checks and encodes afterwards. A signer that never answers blocks no other call, and
//!   other calls may run (even on the same wallet) while a prompt is shown.
//!
//! The timer is a thread that sleeps until the deadline or until the signature arrives,
//! whichever is first; no async runtime is required, so any executor (Kotlin coroutines, Swift
//! concurrency, Python asyncio) can poll the future.

use std::future::Future;
use std::sync::{Arc, Condvar, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use citizen_wallet_core as core;
use core::model::{Credential, CredentialType};
use core::{HolderAlg, HolderPublicKey, PresentationRequest};

use crate::error::{Result, WalletError};
use crate::issuer::Issuer;
use crate::presentation::Presentation;
use crate::verifier::TrustList;
use crate::wallet::Wallet;

/// How long [`Wallet::present_with_signer`] waits for a signature by default: 60 s.
pub const DEFAULT_SIGNER_TIMEOUT_MS: i32 = 60_000;

/// A signed argument (the public API has no unsigned types) as the unsigned type the core
/// takes: negative or too large is `InvalidInput` naming `field`.
fn unsigned<T: TryFrom<i64>>(value: i64, field: &'static str) -> Result<T> {
    T::try_from(value).map_err(|_| {
        core::Error::from(core::InputError::new(
            field,
            core::InputRule::Range("out of range (negative or too large)"),
        ))
        .into()
    })
}

/// Signs presentations with a holder key the app keeps (Secure Enclave, StrongBox / TEE).
///
/// * `algorithm`: `Es256` for P-256 keys (what secure hardware offers), `Ed25519` otherwise.
/// * `public_key`: P-256 as SEC1, compressed (33 bytes) or uncompressed (65 bytes, what
///   Android's `ECPublicKey` and Apple's `SecKeyCopyExternalRepresentation` give); Ed25519 as
///   32 bytes.
/// * `sign`: sign `message` (the presentation's COSE `Sig_structure`, ~300 bytes) with
///   SHA-256 + ECDSA (`SHA256withECDSA`, `.ecdsaSignatureMessageX962SHA256`) and return the
///   64-byte `r || s` form. Platform APIs return DER: convert it (the shipped signers do).
#[uniffi::export(with_foreign)]
#[async_trait::async_trait]
pub trait HolderSigner: Send + Sync {
    fn algorithm(&self) -> HolderAlg;
    fn public_key(&self) -> Result<Vec<u8>>;
    async fn sign(&self, message: Vec<u8>) -> Result<Vec<u8>>;
}

fn holder_key(signer: &dyn HolderSigner) -> Result<HolderPublicKey> {
    Ok(HolderPublicKey::from_bytes(
        signer.algorithm(),
        &signer.public_key()?,
    )?)
}

/// A software ES256 holder signer with a fresh random P-256 key held in memory (zeroized when
/// dropped): for tests, and for devices without secure hardware (a real app would rather use
/// the wallet's own key, [`Wallet::holder_public_key_for`], which is stored sealed).
#[uniffi::export]
pub fn software_p256_holder_signer() -> Result<Arc<dyn HolderSigner>> {
    Ok(Arc::new(SoftwareP256(core::SoftwareP256Signer::generate()?)))
}

struct SoftwareP256(core::SoftwareP256Signer);

#[async_trait::async_trait]
impl HolderSigner for SoftwareP256 {
    fn algorithm(&self) -> HolderAlg {
        HolderAlg::Es256
    }
    fn public_key(&self) -> Result<Vec<u8>> {
        Ok(self.0.public().to_bytes())
    }
    async fn sign(&self, message: Vec<u8>) -> Result<Vec<u8>> {
        Ok(core::HolderSigner::sign(&self.0, &message)?)
    }
}

/// Issues a credential (JSON fields, as `Issuer.issue_default`) to a holder key of either
/// algorithm: `holder_public_key` as [`HolderSigner::public_key`] describes. For an app's
/// hardware key, pass its signer's key.
#[uniffi::export]
#[allow(clippy::too_many_arguments)]
pub fn issue_to_holder_key(
    issuer: Arc<Issuer>,
    credential_type: CredentialType,
    credential_json: String,
    algorithm: HolderAlg,
    holder_public_key: Vec<u8>,
    issued_at: i64,
    expires_at: i64,
    status_index: i64,
) -> Result<Vec<u8>> {
    let holder = HolderPublicKey::from_bytes(algorithm, &holder_public_key)?;
    Ok(issuer.0.issue_default_to(
        &Credential::from_json(credential_type, &credential_json)?,
        &holder,
        issued_at,
        expires_at,
        unsigned(status_index, "status index")?,
    )?)
}

#[uniffi::export]
impl Wallet {
    /// This wallet's own holder public key of `algorithm`: Ed25519 (32 bytes) or its software
    /// P-256 key (33 bytes, compressed), both stored sealed. What an issuer binds to.
    pub fn holder_public_key_for(&self, algorithm: HolderAlg) -> Result<Vec<u8>> {
        Ok(self.0.holder_key_for(algorithm)?.to_bytes())
    }

    /// [`Wallet::import_issued`](crate::Wallet) for a credential bound to `signer`'s key (a
    /// key the wallet does not hold). Only the signer's public key is read.
    pub fn import_issued_for_signer(
        &self,
        issued: Vec<u8>,
        trust_list: Arc<TrustList>,
        signer: Arc<dyn HolderSigner>,
    ) -> Result<String> {
        let holder = holder_key(signer.as_ref())?;
        Ok(self.0.import_issued_for(&issued, &trust_list.0, &holder)?)
    }

    /// A presentation signed by `signer` (async: the signer may show a biometric prompt). As
    /// `present` otherwise. Fails with `HolderSignerTimedOut` after `timeout_ms` (default 60 s),
    /// with the signer's own error when it throws, `InvalidInput` ("holder signature") when its
    /// signature does not verify, `InvalidInput` (`OtherHolder`) when the credential is bound to
    /// another key. Holds no lock while the signer runs. See the module docs.
    #[uniffi::method(default(audience = None, nonce = None, ttl_secs = None, timeout_ms = None))]
    #[allow(clippy::too_many_arguments)]
    pub async fn present_with_signer(
        &self,
        credential_id: String,
        claims: Vec<String>,
        signer: Arc<dyn HolderSigner>,
        audience: Option<String>,
        nonce: Option<Vec<u8>>,
        ttl_secs: Option<i32>,
        timeout_ms: Option<i32>,
    ) -> Result<Arc<Presentation>> {
        let holder = holder_key(signer.as_ref())?;
        let timeout_ms: u64 = unsigned(
            timeout_ms.unwrap_or(DEFAULT_SIGNER_TIMEOUT_MS).into(),
            "timeout_ms",
        )?;
        let ttl_secs = ttl_secs.map(|t| unsigned(t.into(), "ttl_secs")).transpose()?;
        let pending = self.0.prepare_presentation(&PresentationRequest {
            credential_id,
            claims,
            audience,
            nonce,
            ttl_secs,
        })?;
        if pending.holder() != holder {
            return Err(
                core::Error::from(core::InputError::new("credential", core::InputRule::OtherHolder)).into(),
            );
        }
        let sign = signer.sign(pending.to_be_signed());
        let signature = match with_timeout(sign, Duration::from_millis(timeout_ms)).await {
            Some(result) => result?,
            None => {
                return Err(WalletError::HolderSignerTimedOut {
                    timeout_ms: i64::try_from(timeout_ms).unwrap_or(i64::MAX),
                })
            }
        };
        Ok(Arc::new(Presentation(pending.finish(&signature)?)))
    }
}

/// `fut`'s output, or `None` once `limit` has passed (then `fut` is dropped, which cancels a
/// foreign call behind it).
async fn with_timeout<F: Future + Send>(fut: F, limit: Duration) -> Option<F::Output> {
    let timer = Timer::start(limit);
    let mut fut = Box::pin(fut);
    std::future::poll_fn(move |cx| {
        if let Poll::Ready(v) = fut.as_mut().poll(cx) {
            return Poll::Ready(Some(v));
        }
        if timer.poll_expired(cx) {
            return Poll::Ready(None);
        }
        Poll::Pending
    })
    .await
}

/// A deadline watched by a thread of its own: it sleeps on a condition variable until the
/// deadline (then wakes the task) or until the timer is dropped (then it ends at once).
struct Timer {
    shared: Arc<(Mutex<TimerState>, Condvar)>,
}

#[derive(Default)]
struct TimerState {
    expired: bool,
    dropped: bool,
    waker: Option<Waker>,
}

impl Timer {
    fn start(limit: Duration) -> Self {
        let shared = Arc::new((Mutex::new(TimerState::default()), Condvar::new()));
        let watcher = Arc::clone(&shared);
        let spawned = std::thread::Builder::new()
            .name("cw-signer-timeout".into())
            .spawn(move || {
                let (lock, cvar) = &*watcher;
                let deadline = std::time::Instant::now() + limit;
                let mut state = lock.lock().unwrap_or_else(|e| e.into_inner());
                loop {
                    if state.dropped {
                        return;
                    }
                    let now = std::time::Instant::now();
                    if now >= deadline {
                        state.expired = true;
                        if let Some(w) = state.waker.take() {
                            w.wake();
                        }
                        return;
                    }
                    state = cvar
                        .wait_timeout(state, deadline - now)
                        .map(|(s, _)| s)
                        .unwrap_or_else(|e| e.into_inner().0);
                }
            });
        if spawned.is_err() {
            // No thread for the timer (resource exhaustion): fail the call rather than wait
            // without a deadline.
            if let Ok(mut s) = shared.0.lock() {
                s.expired = true;
            }
        }
        Self { shared }
    }

    fn poll_expired(&self, cx: &mut Context<'_>) -> bool {
        let mut state = self.shared.0.lock().unwrap_or_else(|e| e.into_inner());
        if state.expired {
            return true;
        }
        state.waker = Some(cx.waker().clone());
        false
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        let (lock, cvar) = &*self.shared;
        lock.lock().unwrap_or_else(|e| e.into_inner()).dropped = true;
        cvar.notify_all();
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    /// A tiny executor: polls `fut` on this thread, parking between wake-ups.
    fn block_on<F: Future>(fut: F) -> F::Output {
        struct Unpark(std::thread::Thread);
        impl std::task::Wake for Unpark {
            fn wake(self: Arc<Self>) {
                self.0.unpark();
            }
        }
        let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
        let mut cx = Context::from_waker(&waker);
        let mut fut = Box::pin(fut);
        loop {
            if let Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
                return v;
            }
            std::thread::park();
        }
    }

    #[test]
    fn a_future_that_never_ends_times_out_and_a_quick_one_does_not() {
        let started = std::time::Instant::now();
        assert_eq!(
            block_on(with_timeout(
                std::future::pending::<u8>(),
                Duration::from_millis(50)
            )),
            None
        );
        assert!(started.elapsed() >= Duration::from_millis(50));
        assert_eq!(
            block_on(with_timeout(async { 7u8 }, Duration::from_secs(3600))),
            Some(7)
        );
    }

    #[test]
    fn the_software_signer_signs_for_its_key() {
        let s = software_p256_holder_signer().unwrap();
        assert_eq!(s.algorithm(), HolderAlg::Es256);
        let key = holder_key(s.as_ref()).unwrap();
        let sig = block_on(s.sign(b"m".to_vec())).unwrap();
        assert_eq!(sig.len(), 64);
        assert_eq!(key.to_bytes().len(), 33);
    }
}
