//! The offline verifier: QR text or image in, [`Verdict`] out.
//!
//! A [`Verifier`] holds a root-signed [`TrustList`] and the issuers' signed
//! [`StatusList`](crate::trust::StatusList)s (in a [`CounterState`]: in memory with
//! [`Verifier::new`], kept across restarts in a directory of the counter's own with
//! [`Verifier::from_state`]), an injected [`Clock`] and a [`VerifierConfig`]. It never touches
//! the network.
//!
//! ## Updating the lists
//!
//! [`Verifier::update_trust_list`] and [`Verifier::update_status_list`] answer with a
//! [`ListUpdate`]: a list older than the one held, conflicting with it, or dated in the future
//! is refused and the held one stays (the rule is in [`CounterState`]). With a state opened
//! from a directory, an applied list is saved before it is used, so a restarted counter still
//! refuses what it refused before.
//!
//! ## Errors versus verdicts
//!
//! Anything about the **presented code** (foreign, damaged, forged, expired, revoked, wrong
//! counter...) is `Ok(verdict)` with [`VerdictStatus::Invalid`] and a [`RejectReason`] the
//! officer understands: scanning a bad code is an expected event, not a failure of the app.
//! `Err` is reserved for problems of the **verifier itself**: a trust list or status list that
//! does not verify when loaded ([`Verifier::new`], [`Verifier::update_status_list`]), a counter
//! state that cannot be read or saved, and for [`Verifier::verify_png`], an image in which no
//! QR code can be read (the app should ask for another scan; nothing was presented yet).
//!
//! ## Checks, in order
//!
//! 1. prefix `VN2:` (format 2; `VN1:`, format 1, still accepted; `VN3:`-`VN9:` are
//!    [`RejectReason::UnsupportedVersion`]), base45, CBOR and COSE structure, size limits;
//! 2. the presentation's `typ` (294) and, in format 1 only, its `alg` (format 2 names none:
//!    the holder key in `cnf` fixes it);
//! 3. the embedded credential's `typ` (293), `alg` and `sd_alg`, and its unprotected header
//!    carries nothing but the issuer's `kid` and the disclosures ([`RejectReason::UnsignedData`]);
//! 4. the embedded credential against the trust list, by [`check_issued`], the one check the
//!    wallet's import uses too, here with [`TrustCheck::counter`]: the issuer is in the trust
//!    list (by `kid`); the issuer signature; `iss` matches the trust entry, the issuer may issue
//!    this credential type, and its trust window contains both now and the credential's `iat`;
//!    `iat` before `exp`; the credential's `iat`/`nbf`/`exp`, with the clock-skew tolerance;
//! 5. the holder signature, with the key in the credential's `cnf` (Ed25519, or ES256 with a
//!    compressed P-256 point);
//! 6. every disclosure's digest is in the credential, none twice, no claim key repeated;
//! 7. the presentation's `iat`/`exp` with the same tolerance (a screenshot replayed after
//!    `exp` is [`RejectReason::PresentationExpired`]), and its lifetime at most 10 minutes;
//! 8. the audience (the configured counter id, or `"offline"` when accepted) and, when the
//!    counter issued a challenge, the nonce;
//! 9. revocation in the issuer's status list: revoked is invalid; no list, an old list, or an
//!    index past its end is [`VerdictStatus::ValidStale`] with the reason: the amber
//!    [`Outcome::StatusNotCurrent`], never the green [`Outcome::Valid`].
//! 10. the trust list's own date: past its `next_update`, an otherwise valid presentation is
//!     [`VerdictStatus::ValidStale`] with [`StaleReason::TrustListExpired`] (an issuer removed
//!     since may still be in it).
//!
//! ## Showing a verdict
//!
//! Branch on [`Verdict::outcome`]: green [`Outcome::Valid`], amber
//! [`Outcome::StatusNotCurrent`] (with [`VerdictStatus::ValidStale`]'s `as_of` and reason), red
//! [`Outcome::Invalid`]. There is no boolean that calls amber valid.

mod request;
mod scan;
mod verdict;

use crate::trust::StaleReason;
pub use scan::{IdCardData, Scan};
pub use verdict::{DisclosedClaim, Outcome, Verdict, VerdictStatus};

use std::sync::{Arc, RwLock};

use crate::clock::Clock;
use crate::crypto::signing::PublicKey;
use crate::format::cose::key::holder_thumbprint;
use crate::format::limits;
use crate::format::qr_text;
use crate::format::sd_cwt::Kbt;
use crate::model::CredentialType;
use crate::present::OFFLINE_AUDIENCE;
use crate::trust::{
    check_issued, CounterState, IssuerKeys, ListUpdate, TrustCheck, TrustList, TrustedCredential,
    TrustedIssuer,
};
use crate::{Error, InputError, InputRule, RejectReason, Result};

/// Verifier settings. (Not a uniffi record: the bindings expose the same settings with a
/// signed `clock_skew_secs`, under the same name.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifierConfig {
    /// This counter's id. Presentations addressed to another id are rejected.
    pub audience: Option<String>,
    /// Whether presentations made for any counter (the fixed `"offline"` audience) are
    /// accepted. `None` (the default) resolves to "only when `audience` is `None`": a counter
    /// with its own id refuses them unless this is `Some(true)`. See
    /// [`accepts_offline_audience`](Self::accepts_offline_audience) and SECURITY.md for the
    /// trade-off.
    pub accept_offline_audience: Option<bool>,
    /// Tolerance for clock differences between phone, issuer and counter (default 60 s, at most
    /// [`limits::MAX_CLOCK_SKEW_SECS`], five minutes: [`Verifier::new`] refuses more).
    pub clock_skew_secs: u32,
}

impl Default for VerifierConfig {
    fn default() -> Self {
        Self {
            audience: None,
            accept_offline_audience: None,
            clock_skew_secs: 60,
        }
    }
}

impl VerifierConfig {
    /// Whether this configuration accepts presentations made for any counter (the `"offline"`
    /// audience): `accept_offline_audience` when set, otherwise only when the counter has no
    /// `audience` of its own.
    ///
    /// The trade-off: a counter without a screen cannot show its id for the citizen's phone to
    /// put in the presentation, so it needs the any-counter audience (a one-way QR); but such a
    /// presentation can be replayed at any other counter that accepts it within its two-minute
    /// life. A counter that has an id asks for presentations made for it, and accepts
    /// any-counter ones only when told to explicitly.
    pub fn accepts_offline_audience(&self) -> bool {
        self.accept_offline_audience.unwrap_or(self.audience.is_none())
    }
}

/// The offline verifier of a clinic counter: QR text or image in, [`Verdict`] out.
///
/// It holds a root-signed trust list, the issuers' signed status lists, a [`VerifierConfig`]
/// and a [`Clock`], and never touches the network. Anything wrong with the **presented code**
/// (foreign, damaged, forged, expired, revoked, for another counter...) is an `Ok` verdict with
/// [`VerdictStatus::Invalid`] and a [`RejectReason`]: scanning a bad code is an expected event,
/// not a failure of the app. `Err` is kept for problems of the verifier itself (a trust list or
/// status list that does not verify when loaded) and for an image with no readable QR code.
/// The checks run in a fixed order (listed in `src/verify/mod.rs`); the first that fails is
/// the reason.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
///
/// use citizen_wallet_core::trust::StatusList;
/// use citizen_wallet_core::{
///     FixedClock, Lang, Outcome, RejectReason, VerdictStatus, Verifier, VerifierConfig,
/// };
/// # use citizen_wallet_core::issuer::{Issuer, IssuerKey};
/// # use citizen_wallet_core::model::{ClinicCheckin, Credential, CredentialType, Date};
/// # use citizen_wallet_core::trust::{TrustList, TrustedIssuer};
/// # use citizen_wallet_core::{PresentationRequest, Unlock, Wallet, WalletOptions};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # const NOW: i64 = 1_767_225_600;
/// # let root = IssuerKey::generate()?;
/// # let issuer = Issuer::new(IssuerKey::generate()?, "BHXH");
/// # let entry = TrustedIssuer::new(issuer.key.public(), "BHXH", "Bảo hiểm xã hội Việt Nam",
/// #     "Vietnam Social Security", NOW - 86_400, NOW + 86_400 * 365,
/// #     &[CredentialType::ClinicCheckin]);
/// # let trust_list = TrustList::new(NOW).with(entry).sign(&root)?;
/// # let dir = tempfile::tempdir()?;
/// # let options =
/// #     WalletOptions { clock: Arc::new(FixedClock::new(NOW)), ..WalletOptions::default() };
/// # let wallet = Wallet::create(dir.path().join("w.db"), Unlock::Pin("135790"), options)?;
/// # let checkin = Credential::ClinicCheckin(ClinicCheckin { full_name: "Nguyễn Văn An".into(),
/// #     dob: Date::new(1990, 5, 17)?, citizen_id: "001090012345".into(),
/// #     bhyt_code: "DN4010115283746".into() });
/// # let holder = wallet.holder_public_key()?;
/// # let issued = issuer.issue_default(&checkin, &holder, NOW, NOW + 86_400 * 365, 7)?;
/// # let id = wallet.import_issued(&issued, &TrustList::parse_verify(&trust_list, &root.public())?)?;
/// # let request = PresentationRequest { credential_id: id, claims: vec![], audience: None,
/// #     nonce: None, ttl_secs: None };
/// # let qr_text = wallet.present(&request)?.qr_text;
/// # let root_public = root.public();
/// // The counter loads the trust list (checked against the root key it was configured with)
/// // and the issuer's latest status list.
/// let status_list = StatusList::new(issuer.key.kid(), 1024, NOW, 86_400)?.sign(&issuer.key)?;
/// let clock = Arc::new(FixedClock::new(NOW + 30));
/// let verifier = Verifier::new(
///     &trust_list,
///     &root_public,
///     &[status_list],
///     VerifierConfig::default(),
///     clock.clone(),
/// )?;
///
/// // A fresh presentation is valid.
/// let verdict = verifier.verify_text(&qr_text)?;
/// assert_eq!(verdict.status, VerdictStatus::Valid);
/// println!("{}", verdict.summary_in(Lang::Vi));
///
/// // The same code replayed ten minutes later (a screenshot) is rejected: an `Ok` verdict.
/// clock.advance(600);
/// let verdict = verifier.verify_text(&qr_text)?;
/// assert_eq!(verdict.reject_reason(), Some(RejectReason::PresentationExpired));
/// assert!(verdict.claims.is_empty());
///
/// // So is text that is not ours at all.
/// assert_eq!(verifier.verify_text("HC1:NCFOXN%TS3DH3ZSUZK+.V0ET")?.outcome(), Outcome::Invalid);
/// # Ok(())
/// # }
/// ```
pub struct Verifier {
    held: RwLock<Held>,
    config: VerifierConfig,
    clock: Arc<dyn Clock>,
    /// Accept only answers to this counter's own requests (`request.rs`).
    requires_requests: std::sync::atomic::AtomicBool,
}

/// What a verifier holds: its lists, and the trust list's keys decoded.
struct Held {
    /// Holds a trust list: [`Verifier::from_state`] refuses a state without one, and updates
    /// never remove it.
    state: CounterState,
    /// The keys of the trust list's issuers, in the same order, decoded once (and again when
    /// the trust list is replaced): point decompression would otherwise cost every scan about
    /// as much as the rest of the parsing. `None` for a key that is not a valid point (a scan
    /// naming that issuer is rejected as bad trust data). Looked up through [`DecodedKeys`].
    issuer_keys: Vec<Option<PublicKey>>,
}

impl Held {
    fn read(lock: &RwLock<Held>) -> std::sync::RwLockReadGuard<'_, Held> {
        lock.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(lock: &RwLock<Held>) -> std::sync::RwLockWriteGuard<'_, Held> {
        lock.write().unwrap_or_else(|e| e.into_inner())
    }
}

fn decode_keys(trust: Option<&TrustList>) -> Vec<Option<PublicKey>> {
    trust.map_or_else(Vec::new, |t| {
        t.issuers
            .iter()
            .map(|i| PublicKey::from_bytes(&i.public_key).ok())
            .collect()
    })
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let held = Held::read(&self.held);
        f.debug_struct("Verifier")
            .field("issuers", &held.state.trust_list().map_or(0, |t| t.issuers.len()))
            .field("state", &held.state)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// A list the verifier is built with and refuses: an error, not a silent omission.
fn refused_at_load(what: &'static str, update: ListUpdate) -> Result<()> {
    let rule = match update {
        ListUpdate::FromTheFuture => "dated in the future (after now plus the clock-skew tolerance)",
        ListUpdate::ConflictsWithCurrent => {
            "conflicts with another list given: the same sequence number with other content, or a higher number dated earlier"
        }
        // Applied, the same list twice, or an older list of a signer given a newer one too.
        _ => return Ok(()),
    };
    Err(InputError::new(what, InputRule::Invalid(rule)).into())
}

impl Verifier {
    /// A verifier trusting the issuers in `trust_list` (checked against `root_public_key`), with
    /// the given status lists (each checked against its issuer's key in the trust list), held in
    /// memory only: a restarted counter forgets which lists it has seen. A counter that keeps
    /// them uses [`from_state`](Self::from_state).
    ///
    /// Of two status lists of one issuer, the newer is kept.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a clock skew above [`limits::MAX_CLOCK_SKEW_SECS`];
    /// [`RejectReason::BadTrustData`] (as [`Error::Rejected`]) when the trust list or a status
    /// list does not verify; [`RejectReason::UnknownIssuer`] for a status list from an issuer
    /// outside the trust list; [`Error::InvalidInput`] for a list dated in the future (after now
    /// plus the clock-skew tolerance) or two conflicting lists of one signer.
    pub fn new(
        trust_list: &[u8],
        root_public_key: &[u8; 32],
        status_lists: &[Vec<u8>],
        config: VerifierConfig,
        clock: Arc<dyn Clock>,
    ) -> Result<Self> {
        check_skew(&config)?;
        let (now, skew) = (clock.now_unix(), config.clock_skew_secs);
        let mut state = CounterState::in_memory(root_public_key);
        refused_at_load("trust list", state.update_trust_list(trust_list, now, skew)?)?;
        for s in status_lists {
            refused_at_load("status list", state.update_status_list(s, now, skew)?)?;
        }
        Self::from_state(state, config, clock)
    }

    /// A verifier using the lists held in `state` (typically [`CounterState::open`]: kept in a
    /// directory of the counter's own, so a restarted counter refuses the lists it refused
    /// before). Lists offered later through [`update_trust_list`](Self::update_trust_list) and
    /// [`update_status_list`](Self::update_status_list) are saved there.
    ///
    /// # Errors
    /// [`Error::NotFound`] when the state holds no trust list yet (offer one first with
    /// [`CounterState::update_trust_list`]).
    pub fn from_state(state: CounterState, config: VerifierConfig, clock: Arc<dyn Clock>) -> Result<Self> {
        check_skew(&config)?;
        if state.trust_list().is_none() {
            return Err(Error::NotFound("trust list"));
        }
        Ok(Self {
            held: RwLock::new(Held {
                issuer_keys: decode_keys(state.trust_list()),
                state,
            }),
            config,
            clock,
            requires_requests: std::sync::atomic::AtomicBool::new(false),
        })
    }

    /// Offers a newer trust list (checked against the pinned root key). Applied only when it is
    /// newer than the one held (see [`ListUpdate`]); a trust list that drops an issuer drops its
    /// status list too.
    ///
    /// # Errors
    /// [`RejectReason::BadTrustData`] (as [`Error::Rejected`]) when it does not verify;
    /// [`Error::Storage`] when the state cannot be saved. Either way nothing changes.
    pub fn update_trust_list(&self, bytes: &[u8]) -> Result<ListUpdate> {
        let now = self.clock.now_unix();
        let mut held = Held::write(&self.held);
        let update = held
            .state
            .update_trust_list(bytes, now, self.config.clock_skew_secs)?;
        if update.is_applied() {
            held.issuer_keys = decode_keys(held.state.trust_list());
        }
        Ok(update)
    }

    /// Offers an issuer's status list. Applied only when it is newer than the one held for that
    /// issuer (see [`ListUpdate`]): an older list, one conflicting with it, or one dated in the
    /// future is refused and the held one stays.
    ///
    /// # Errors
    /// [`RejectReason::BadTrustData`] (as [`Error::Rejected`]) when it does not verify;
    /// [`RejectReason::UnknownIssuer`] for an issuer outside the trust list; [`Error::Storage`]
    /// when the state cannot be saved. Either way nothing changes.
    pub fn update_status_list(&self, bytes: &[u8]) -> Result<ListUpdate> {
        let now = self.clock.now_unix();
        Held::write(&self.held)
            .state
            .update_status_list(bytes, now, self.config.clock_skew_secs)
    }

    /// The trust list in use (a copy).
    pub fn trust_list(&self) -> TrustList {
        Held::read(&self.held)
            .state
            .trust_list()
            .cloned()
            .unwrap_or_default()
    }

    /// The settings in use.
    pub fn config(&self) -> &VerifierConfig {
        &self.config
    }

    /// Verifies scanned QR text. Rejections are `Ok` verdicts (see [`Verifier`]).
    pub fn verify_text(&self, text: &str) -> Result<Verdict> {
        Ok(self.verdict(text, None))
    }

    /// Verifies scanned QR text that must answer the counter's challenge `nonce`.
    pub fn verify_text_with_nonce(&self, text: &str, nonce: &[u8]) -> Result<Verdict> {
        Ok(self.verdict(text, Some(nonce)))
    }

    /// Reads the QR code in a PNG image and verifies it.
    ///
    /// # Errors
    /// The image errors of [`crate::qr::decode_png`] (not a PNG, too large, no QR code found).
    /// Needs the `image` feature (on by default).
    #[cfg(feature = "image")]
    pub fn verify_png(&self, png: &[u8]) -> Result<Verdict> {
        let text = crate::qr::decode_png(png)?;
        Ok(self.verdict(&text, None))
    }

    /// Reads the QR code in a PNG or JPEG image (a screenshot, a camera photo) and verifies it.
    ///
    /// # Errors
    /// The image errors of [`crate::qr::decode_image`] (neither PNG nor JPEG, too large, no QR
    /// code found). Needs the `image` feature (on by default).
    #[cfg(feature = "image")]
    pub fn verify_image(&self, image: &[u8]) -> Result<Verdict> {
        let text = crate::qr::decode_image(image)?;
        Ok(self.verdict(&text, None))
    }

    fn verdict(&self, text: &str, nonce: Option<&[u8]>) -> Verdict {
        if nonce.is_none() {
            // A counter that makes requests checks answers to them as such (`request.rs`).
            if let Some(v) = self.two_way(text) {
                return v;
            }
        }
        self.verdict_bound(text, nonce, None)
    }

    /// The verdict, with `audience` (when given) the one audience accepted instead of the
    /// configured ones.
    fn verdict_bound(&self, text: &str, nonce: Option<&[u8]>, audience: Option<&str>) -> Verdict {
        let now = self.clock.now_unix();
        match self.check(text, nonce, audience, now) {
            Ok(v) => v,
            Err(Error::Rejected(r)) => Verdict::invalid(r, now),
            // Only parsing and crypto run in `check`; any other error still means the input
            // was not a valid presentation.
            Err(_) => Verdict::invalid(RejectReason::Malformed, now),
        }
    }

    fn check(&self, text: &str, nonce: Option<&[u8]>, audience: Option<&str>, now: i64) -> Result<Verdict> {
        let skew = i64::from(self.config.clock_skew_secs);
        // 1-3: text, structure, typ/alg of both layers.
        let (format, bytes) = qr_text::decode_presentation_format(text)?;
        let kbt = Kbt::parse_format(&bytes, format)?;
        let cwt = &kbt.cwt;
        cwt.check_unprotected()?;
        // 4: the credential against the trust list: issuer, signature, role, trust window, times.
        let held = Held::read(&self.held);
        let trust = held.state.trust_list().ok_or(RejectReason::UnknownIssuer)?;
        let keys = DecodedKeys {
            trust,
            keys: &held.issuer_keys,
        };
        let TrustedCredential {
            issuer,
            credential_type: ty,
            iat,
            exp,
        } = check_issued(cwt, &keys, &TrustCheck::counter(now, self.config.clock_skew_secs))?;
        // 5: holder binding (Ed25519 or ES256, by the key in `cnf`).
        let holder = kbt.verify_holder()?;
        // 6: disclosures.
        cwt.check_disclosures()?;
        let claims = cwt.claims()?;
        // 7: presentation times. The holder signed them, but any i64 can be signed: checked and
        // saturating arithmetic only (an overflow would panic in debug builds and give a wrong
        // verdict in release).
        let p_iat = kbt.iat()?;
        let p_exp = kbt.exp()?;
        let max_ttl = i64::from(limits::MAX_PRESENTATION_TTL_SECS);
        let lifetime_ok = p_exp
            .checked_sub(p_iat)
            .is_some_and(|t| (1..=max_ttl).contains(&t));
        if !lifetime_ok || p_iat < iat {
            return Err(RejectReason::Malformed.into());
        }
        if p_iat > now.saturating_add(skew) {
            return Err(RejectReason::PresentationFromFuture.into());
        }
        if now > p_exp.saturating_add(skew) {
            return Err(RejectReason::PresentationExpired.into());
        }
        // 8: audience and challenge.
        let aud = kbt.aud()?;
        let aud_ok = if let Some(expected) = audience {
            aud == expected
        } else if aud == OFFLINE_AUDIENCE {
            self.config.accepts_offline_audience()
        } else {
            self.config.audience.as_deref() == Some(aud)
        };
        if !aud_ok {
            return Err(RejectReason::WrongAudience.into());
        }
        if let Some(expected) = nonce {
            if kbt.nonce()? != Some(expected) {
                return Err(RejectReason::WrongNonce.into());
            }
        }
        // 9: revocation.
        let (mut status, status_as_of) =
            self.revocation(&held.state, &issuer.kid, cwt.status_index()?, now)?;
        // 10: the trust list's own date.
        if trust.is_expired(now) {
            status = VerdictStatus::ValidStale {
                as_of: status_as_of,
                reason: StaleReason::TrustListExpired,
            };
        }

        Ok(Verdict {
            status,
            credential_type: Some(ty),
            issuer_name_vi: Some(issuer.name_vi.clone()),
            issuer_name_en: Some(issuer.name_en.clone()),
            claims: claims
                .into_iter()
                .map(|c| DisclosedClaim {
                    name: c.claim.def.name.to_owned(),
                    label_vi: c.claim.def.label_vi.to_owned(),
                    label_en: c.claim.def.label_en.to_owned(),
                    value: c.claim.display(),
                    selectively_disclosed: c.selectively_disclosed,
                })
                .collect(),
            verified_at: now,
            status_as_of,
            holder_thumbprint: Some(hex::encode(holder_thumbprint(&holder))),
            presented_at: Some(p_iat),
            credential_expires_at: Some(exp),
        })
    }

    fn revocation(
        &self,
        state: &CounterState,
        kid: &[u8; 8],
        idx: Option<u64>,
        now: i64,
    ) -> Result<(VerdictStatus, Option<i64>)> {
        let Some(idx) = idx else {
            return Ok((VerdictStatus::Valid, None));
        };
        let Some(list) = state.status_list(kid) else {
            return Ok((
                VerdictStatus::ValidStale {
                    as_of: None,
                    reason: StaleReason::NoStatusList,
                },
                None,
            ));
        };
        let as_of = Some(list.issued_at);
        match list.is_revoked(idx) {
            Ok(true) => Err(RejectReason::Revoked.into()),
            Err(_) => Ok((
                VerdictStatus::ValidStale {
                    as_of,
                    reason: StaleReason::NotInStatusList,
                },
                as_of,
            )),
            Ok(false) if list.is_stale(now) => Ok((
                VerdictStatus::ValidStale {
                    as_of,
                    reason: StaleReason::StatusListExpired,
                },
                as_of,
            )),
            Ok(false) => Ok((VerdictStatus::Valid, as_of)),
        }
    }
}

/// The verifier's trust list with its keys decoded once ([`Verifier::new`]), as the shared
/// check's key lookup: no point decompression per scan.
struct DecodedKeys<'a> {
    trust: &'a TrustList,
    keys: &'a [Option<PublicKey>],
}

impl IssuerKeys for DecodedKeys<'_> {
    fn issuer_key(&self, kid: &[u8]) -> Option<(&TrustedIssuer, Option<PublicKey>)> {
        let i = self.trust.issuers.iter().position(|t| t.kid.as_slice() == kid)?;
        Some((self.trust.issuers.get(i)?, self.keys.get(i).copied().flatten()))
    }

    fn candidates(&self, iss: Option<&str>, ty: CredentialType) -> Vec<(&TrustedIssuer, Option<PublicKey>)> {
        let mut c: Vec<_> = self
            .trust
            .issuers
            .iter()
            .zip(self.keys)
            .filter(|(t, _)| iss.is_none_or(|n| t.iss == n))
            .map(|(t, k)| (t, *k))
            .collect();
        c.sort_by_key(|(t, _)| !t.allows(ty));
        c
    }
}

/// Refuses a clock-skew tolerance above [`limits::MAX_CLOCK_SKEW_SECS`] (hardening finding 6).
fn check_skew(config: &VerifierConfig) -> Result<()> {
    if config.clock_skew_secs > limits::MAX_CLOCK_SKEW_SECS {
        return Err(
            InputError::new("clock_skew_secs", InputRule::Range("must be at most 300 seconds")).into(),
        );
    }
    Ok(())
}
