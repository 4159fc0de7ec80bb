//! The offline verifier: QR text or image in, [`Verdict`] out.
//!
//! A [`Verifier`] holds a root-signed [`TrustList`] and the issuers' signed [`StatusList`]s,
//! an injected [`Clock`] and a [`VerifierConfig`]. It never touches the network.
//!
//! ## Errors versus verdicts
//!
//! Anything about the **presented code** (foreign, damaged, forged, expired, revoked, wrong
//! counter...) is `Ok(verdict)` with [`VerdictStatus::Invalid`] and a [`RejectReason`] the
//! officer understands: scanning a bad code is an expected event, not a failure of the app.
//! `Err` is reserved for problems of the **verifier itself**: a trust list or status list that
//! does not verify when loaded ([`Verifier::new`], [`Verifier::update_status_list`]), and for
//! [`Verifier::verify_png`], an image in which no QR code can be read (the app should ask for
//! another scan; nothing was presented yet).
//!
//! ## Checks, in order
//!
//! 1. prefix `VN1:`, base45, CBOR and COSE structure, size limits;
//! 2. the presentation's `typ` (294) and `alg` (Ed25519);
//! 3. the embedded credential's `typ` (293), `alg` and `sd_alg`;
//! 4. the embedded credential against the trust list, by [`check_issued`], the one check the
//!    wallet's import uses too, here with [`TrustCheck::counter`]: the issuer is in the trust
//!    list (by `kid`); the issuer signature; `iss` matches the trust entry, the issuer may issue
//!    this credential type, and its trust window contains both now and the credential's `iat`;
//!    `iat` before `exp`; the credential's `iat`/`nbf`/`exp`, with the clock-skew tolerance;
//! 5. the holder signature, with the key in the credential's `cnf`;
//! 6. every disclosure's digest is in the credential, none twice, no claim key repeated;
//! 7. the presentation's `iat`/`exp` with the same tolerance (a screenshot replayed after
//!    `exp` is [`RejectReason::PresentationExpired`]), and its lifetime at most 10 minutes;
//! 8. the audience (the configured counter id, or `"offline"` when accepted) and, when the
//!    counter issued a challenge, the nonce;
//! 9. revocation in the issuer's status list: revoked is invalid; no list, an old list, or an
//!    index past its end is [`VerdictStatus::ValidStale`] with the reason.

mod verdict;

pub use crate::trust::StaleReason;
pub use verdict::{DisclosedClaim, Verdict, VerdictStatus};

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use crate::clock::Clock;
use crate::crypto::signing::PublicKey;
use crate::format::cose::key::key_thumbprint;
use crate::format::limits;
use crate::format::qr_text;
use crate::format::sd_cwt::Kbt;
use crate::present::OFFLINE_AUDIENCE;
use crate::trust::{
    check_issued, IssuerKeys, StatusList, TrustCheck, TrustList, TrustedCredential, TrustedIssuer,
};
use crate::{Error, RejectReason, Result};

/// Verifier settings.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct VerifierConfig {
    /// This counter's id. Presentations addressed to another id are rejected.
    pub audience: Option<String>,
    /// Whether presentations made for any counter (the fixed `"offline"` audience) are
    /// accepted. `None` (the default) resolves to "only when `audience` is `None`": a counter
    /// with its own id refuses them unless this is `Some(true)`. See
    /// [`accepts_offline_audience`](Self::accepts_offline_audience) and SECURITY.md for the
    /// trade-off.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub accept_offline_audience: Option<bool>,
    /// Tolerance for clock differences between phone, issuer and counter (default 60 s).
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

/// The offline verifier. See the module docs.
pub struct Verifier {
    trust: TrustList,
    /// The keys of `trust.issuers`, in the same order, decoded once: point decompression would
    /// otherwise cost every scan about as much as the rest of the parsing. `None` for a key that
    /// is not a valid point (a scan naming that issuer is rejected as bad trust data). Looked up
    /// through [`DecodedKeys`].
    issuer_keys: Vec<Option<PublicKey>>,
    status: RwLock<HashMap<[u8; 8], StatusList>>,
    config: VerifierConfig,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("issuers", &self.trust.issuers.len())
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Verifier {
    /// A verifier trusting the issuers in `trust_list` (checked against `root_public_key`), with
    /// the given status lists (each checked against its issuer's key in the trust list).
    ///
    /// # Errors
    /// [`RejectReason::BadTrustData`] (as [`Error::Rejected`]) when the trust list or a status
    /// list does not verify; [`RejectReason::UnknownIssuer`] for a status list from an issuer
    /// outside the trust list.
    pub fn new(
        trust_list: &[u8],
        root_public_key: &[u8; 32],
        status_lists: &[Vec<u8>],
        config: VerifierConfig,
        clock: Arc<dyn Clock>,
    ) -> Result<Self> {
        let trust = TrustList::parse_verify(trust_list, root_public_key)?;
        let v = Self {
            issuer_keys: trust
                .issuers
                .iter()
                .map(|i| PublicKey::from_bytes(&i.public_key).ok())
                .collect(),
            trust,
            status: RwLock::new(HashMap::new()),
            config,
            clock,
        };
        for s in status_lists {
            v.update_status_list(s)?;
        }
        Ok(v)
    }

    /// Adds or replaces an issuer's status list (an older list never replaces a newer one).
    pub fn update_status_list(&self, bytes: &[u8]) -> Result<()> {
        let list = StatusList::parse_verify(bytes, &self.trust)?;
        let mut map = self.status.write().unwrap_or_else(|e| e.into_inner());
        match map.get(&list.issuer_kid) {
            Some(old) if old.issued_at > list.issued_at => {}
            _ => {
                map.insert(list.issuer_kid, list);
            }
        }
        Ok(())
    }

    /// The trust list in use.
    pub fn trust_list(&self) -> &TrustList {
        &self.trust
    }

    /// The settings in use.
    pub fn config(&self) -> &VerifierConfig {
        &self.config
    }

    /// Verifies scanned QR text. Rejections are `Ok` verdicts (see the module docs).
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
    pub fn verify_png(&self, png: &[u8]) -> Result<Verdict> {
        let text = crate::qr::decode_png(png)?;
        Ok(self.verdict(&text, None))
    }

    fn verdict(&self, text: &str, nonce: Option<&[u8]>) -> Verdict {
        let now = self.clock.now_unix();
        match self.check(text, nonce, now) {
            Ok(v) => v,
            Err(Error::Rejected(r)) => Verdict::invalid(r, now),
            // Only parsing and crypto run in `check`; any other error still means the input
            // was not a valid presentation.
            Err(_) => Verdict::invalid(RejectReason::Malformed, now),
        }
    }

    fn check(&self, text: &str, nonce: Option<&[u8]>, now: i64) -> Result<Verdict> {
        let skew = i64::from(self.config.clock_skew_secs);
        // 1-3: text, structure, typ/alg of both layers.
        let bytes = qr_text::decode_presentation(text)?;
        let kbt = Kbt::parse(&bytes)?;
        let cwt = &kbt.cwt;
        // 4: the credential against the trust list: issuer, signature, role, trust window, times.
        let keys = DecodedKeys {
            trust: &self.trust,
            keys: &self.issuer_keys,
        };
        let TrustedCredential {
            issuer,
            credential_type: ty,
            iat,
            exp,
        } = check_issued(cwt, &keys, &TrustCheck::counter(now, self.config.clock_skew_secs))?;
        // 5: holder binding.
        let holder = cwt.holder_key_bytes()?;
        let holder_key = cwt.holder_key()?;
        kbt.sign1.verify(&holder_key, RejectReason::BadHolderSignature)?;
        // 6: disclosures.
        cwt.check_disclosures()?;
        let claims = cwt.claims()?;
        // 7: presentation times.
        let p_iat = kbt.iat()?;
        let p_exp = kbt.exp()?;
        if p_exp <= p_iat || p_exp - p_iat > i64::from(limits::MAX_PRESENTATION_TTL_SECS) || p_iat < iat {
            return Err(RejectReason::Malformed.into());
        }
        if p_iat > now + skew {
            return Err(RejectReason::PresentationFromFuture.into());
        }
        if now > p_exp + skew {
            return Err(RejectReason::PresentationExpired.into());
        }
        // 8: audience and challenge.
        let aud = kbt.aud()?;
        let aud_ok = if aud == OFFLINE_AUDIENCE {
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
        let (status, status_as_of) = self.revocation(&issuer.kid, cwt.status_index()?, now)?;

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
            holder_thumbprint: Some(hex::encode(key_thumbprint(&holder))),
            presented_at: Some(p_iat),
            credential_expires_at: Some(exp),
        })
    }

    fn revocation(&self, kid: &[u8; 8], idx: Option<u64>, now: i64) -> Result<(VerdictStatus, Option<i64>)> {
        let Some(idx) = idx else {
            return Ok((VerdictStatus::Valid, None));
        };
        let map = self.status.read().unwrap_or_else(|e| e.into_inner());
        let Some(list) = map.get(kid) else {
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
}
