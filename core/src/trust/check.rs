//! The one check of an issued credential (SD-CWT) against the trust list.
//!
//! The wallet importing a credential ([`crate::Wallet::import_issued`]) and the counter verifying
//! a presentation ([`crate::Verifier`]) ask the same questions of the issuer's credential: is its
//! issuer trusted, did it sign, may it issue this, and are the credential's own times sound.
//! They differ only in *when* things must hold and in how far clocks may disagree; those
//! differences are the fields of [`TrustCheck`], and its constructors say why each caller needs
//! them.

use crate::crypto::signing::PublicKey;
use crate::format::sd_cwt::SdCwt;
use crate::model::CredentialType;
use crate::{RejectReason, Result};

use super::{TrustList, TrustedIssuer};

/// Where [`check_issued`] finds an issuer by key id, with its public key decoded.
///
/// Decoding an Ed25519 public key (point decompression) costs a scan about as much as all the
/// rest of the parsing, so the verifier decodes its trust list's keys once, when loaded, and
/// looks them up here. A [`TrustList`] decodes the one key it finds (a wallet imports rarely).
pub(crate) trait IssuerKeys {
    /// The entry with key id `kid` (the first, like [`TrustList::find`]; a verified trust list
    /// has no duplicates), and its key: `None` when the entry's key bytes are not a valid
    /// Ed25519 point.
    fn issuer_key(&self, kid: &[u8]) -> Option<(&TrustedIssuer, Option<PublicKey>)>;

    /// The entries whose `iss` is `iss` (`Some`) or every entry (`None`), those that may issue
    /// `ty` first, otherwise in trust-list order, with their keys: where a credential without a
    /// `kid` (format 2) finds its issuer by signature. Entries not allowed `ty` come last so
    /// that a credential of a type its issuer may not issue is still told apart
    /// ([`RejectReason::IssuerNotAllowedForType`]) from one no trusted issuer signed.
    fn candidates(&self, iss: Option<&str>, ty: CredentialType) -> Vec<(&TrustedIssuer, Option<PublicKey>)>;
}

impl IssuerKeys for TrustList {
    fn issuer_key(&self, kid: &[u8]) -> Option<(&TrustedIssuer, Option<PublicKey>)> {
        self.find(kid)
            .map(|issuer| (issuer, PublicKey::from_bytes(&issuer.public_key).ok()))
    }

    fn candidates(&self, iss: Option<&str>, ty: CredentialType) -> Vec<(&TrustedIssuer, Option<PublicKey>)> {
        let mut c: Vec<_> = self
            .issuers
            .iter()
            .filter(|i| iss.is_none_or(|n| i.iss == n))
            .map(|i| (i, PublicKey::from_bytes(&i.public_key).ok()))
            .collect();
        c.sort_by_key(|(i, _)| !i.allows(ty));
        c
    }
}

/// What the wallet and the counter check differently, and when. Build it with
/// [`TrustCheck::import`] or [`TrustCheck::counter`]; their docs give the reasons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TrustCheck {
    /// The checking device's clock (unix seconds).
    pub(crate) now: i64,
    /// The issuer's trust window must contain `now`, and not only the credential's `iat`.
    /// (It must always contain `iat`: the issuer was trusted when it signed.)
    pub(crate) issuer_trusted_now: bool,
    /// Refuse a credential whose `iat` or `nbf` is after `now + skew_secs`
    /// ([`RejectReason::CredentialNotYetValid`]).
    pub(crate) refuse_not_yet_valid: bool,
    /// How far (seconds) the credential's `iat`, `nbf` and `exp` may be off `now` because
    /// clocks differ. The issuer's trust window is checked without it.
    pub(crate) skew_secs: u32,
}

impl TrustCheck {
    /// The wallet, importing a credential the citizen has just received, by the phone's clock.
    ///
    /// Import refuses a credential that has expired or was not vouched for when it was signed,
    /// and leaves to the counter the answers that may change by the time it is shown:
    ///
    /// * the issuer must have been trusted when it signed (`iat`), but need not be trusted
    ///   `now` in the wallet's copy of the trust list: that copy may be older than the
    ///   counter's, where the issuer's entry may have been renewed; whether the issuer is
    ///   trusted when the credential is shown is the counter's question;
    /// * a credential not valid yet is kept: it may take effect later (`nbf`), or the issuer's
    ///   clock may be ahead of the phone's; the counter checks it each time it is shown;
    /// * an expired credential is refused: it can never be shown successfully;
    /// * no clock-skew tolerance: only the phone's own clock is read, and the one time import
    ///   refuses on is expiry, where a tolerance would only let in credentials that expired
    ///   seconds ago.
    pub(crate) fn import(now: i64) -> Self {
        Self {
            now,
            issuer_trusted_now: false,
            refuse_not_yet_valid: false,
            skew_secs: 0,
        }
    }

    /// The counter, verifying a presentation with its configured clock-skew tolerance
    /// ([`crate::VerifierConfig::clock_skew_secs`]).
    ///
    /// * the issuer must be trusted `now` (when an issuer's trust ends, or is cut short after
    ///   a key compromise, its credentials stop being accepted) and when it signed (`iat`);
    /// * a credential not valid yet and an expired one are both refused: this is the moment it
    ///   is relied on;
    /// * `skew_secs` absorbs the differences between the phone's, the issuer's and the
    ///   counter's clocks, so a credential issued a few seconds "in the future" by the
    ///   counter's clock, or expiring as it is scanned, is not refused for it.
    pub(crate) fn counter(now: i64, skew_secs: u32) -> Self {
        Self {
            now,
            issuer_trusted_now: true,
            refuse_not_yet_valid: true,
            skew_secs,
        }
    }
}

/// What [`check_issued`] established about a credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TrustedCredential<'t> {
    /// The issuer's entry in the trust list (its `kid` is the credential's).
    pub(crate) issuer: &'t TrustedIssuer,
    /// The credential's type, which that issuer may issue.
    pub(crate) credential_type: CredentialType,
    /// Issued at and expires at (unix seconds); `iat < exp`.
    pub(crate) iat: i64,
    pub(crate) exp: i64,
}

/// Checks an issued credential against the trust list, in this order (the first failure is
/// the answer):
///
/// 1. its issuer is in the trust list by `kid` ([`RejectReason::UnknownIssuer`]) and the
///    entry's key decodes ([`RejectReason::BadTrustData`]); a credential without a `kid`
///    (format 2) by its `iss` if it names one, otherwise among all entries, those allowed the
///    credential's type first: the first whose key verifies the signature is the issuer
///    (when no trusted key verifies it: [`RejectReason::BadIssuerSignature`] if some trusted
///    issuer issues its type, a forged or altered credential; [`RejectReason::UnknownIssuer`]
///    if none does, a removed or unknown issuer; [`RejectReason::BadTrustData`] when no
///    candidate's key decodes; a forged credential costs
///    one signature check per entry of the trust list, which its root bounds);
/// 2. the issuer signature ([`RejectReason::BadIssuerSignature`]);
/// 3. `iss` is the entry's ([`RejectReason::UnknownIssuer`]);
/// 4. the entry allows the credential's type ([`RejectReason::IssuerNotAllowedForType`]);
/// 5. the entry's trust window contains `iat`, and `now` when
///    [`issuer_trusted_now`](TrustCheck::issuer_trusted_now)
///    ([`RejectReason::IssuerNotValidNow`]);
/// 6. `iat < exp` ([`RejectReason::Malformed`]);
/// 7. when [`refuse_not_yet_valid`](TrustCheck::refuse_not_yet_valid): `iat` and `nbf` are not
///    after `now + skew_secs` ([`RejectReason::CredentialNotYetValid`]);
/// 8. `now` is not after `exp + skew_secs` ([`RejectReason::CredentialExpired`]).
///
/// A claim it needs that is missing or of the wrong type (type, `iat`, `exp`; `kid`, `iss` and
/// `nbf` when present) is [`RejectReason::Malformed`]. The holder binding (`cnf`), the disclosures and
/// revocation are the callers' checks.
///
/// # Errors
/// [`crate::Error::Rejected`] with the reasons above.
pub(crate) fn check_issued<'t, K>(
    cwt: &SdCwt,
    issuers: &'t K,
    when: &TrustCheck,
) -> Result<TrustedCredential<'t>>
where
    K: IssuerKeys + ?Sized,
{
    let issuer = match cwt.kid_if_any()? {
        Some(kid) => {
            let (issuer, key) = issuers.issuer_key(&kid).ok_or(RejectReason::UnknownIssuer)?;
            let key = key.ok_or(RejectReason::BadTrustData)?;
            cwt.sign1.verify(&key, RejectReason::BadIssuerSignature)?;
            issuer
        }
        None => {
            let named = issuers.candidates(cwt.iss_if_any()?, cwt.credential_type()?);
            if named.is_empty() {
                return Err(RejectReason::UnknownIssuer.into());
            }
            let no_key = named.iter().all(|(_, key)| key.is_none());
            let ty = cwt.credential_type()?;
            let type_issued_here = named.iter().any(|(issuer, _)| issuer.allows(ty));
            let found = named.into_iter().find(|(_, key)| {
                key.as_ref()
                    .is_some_and(|k| cwt.sign1.verify(k, RejectReason::BadIssuerSignature).is_ok())
            });
            match found {
                Some((issuer, _)) => issuer,
                None if no_key => return Err(RejectReason::BadTrustData.into()),
                // A type some trusted issuer issues, signed by none of them: forged or altered.
                None if type_issued_here => return Err(RejectReason::BadIssuerSignature.into()),
                // No trusted issuer issues this type (any more): a removed or unknown issuer.
                None => return Err(RejectReason::UnknownIssuer.into()),
            }
        }
    };
    if cwt.iss_if_any()?.is_some_and(|iss| iss != issuer.iss) {
        return Err(RejectReason::UnknownIssuer.into());
    }
    let credential_type = cwt.credential_type()?;
    if !issuer.allows(credential_type) {
        return Err(RejectReason::IssuerNotAllowedForType.into());
    }
    let (iat, exp) = (cwt.iat()?, cwt.exp()?);
    if !issuer.valid_at(iat) || (when.issuer_trusted_now && !issuer.valid_at(when.now)) {
        return Err(RejectReason::IssuerNotValidNow.into());
    }
    if iat >= exp {
        return Err(RejectReason::Malformed.into());
    }
    // Saturating: `exp` is whatever the issuer signed (up to `i64::MAX`), `now` whatever the
    // device's clock says; an overflow would panic in debug builds and, wrapped in release,
    // call a credential that never expires expired.
    let (now, skew) = (when.now, i64::from(when.skew_secs));
    let latest_start = now.saturating_add(skew);
    if when.refuse_not_yet_valid && (iat > latest_start || cwt.nbf()?.is_some_and(|nbf| nbf > latest_start)) {
        return Err(RejectReason::CredentialNotYetValid.into());
    }
    if now > exp.saturating_add(skew) {
        return Err(RejectReason::CredentialExpired.into());
    }
    Ok(TrustedCredential {
        issuer,
        credential_type,
        iat,
        exp,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::crypto::signing::SigningKey;
    use crate::issuer::{Issuer, IssuerKey};
    use crate::model::{ClinicCheckin, Credential, Date};
    use crate::Error;

    const SKEW: u32 = 60;

    struct Setup {
        issuer: Issuer,
        trust: TrustList,
        holder: [u8; 32],
    }

    /// An issuer of check-ins trusted from 1000 to 5000.
    fn setup() -> Setup {
        let issuer = Issuer::new(IssuerKey::generate().unwrap(), "BHXH");
        let entry = TrustedIssuer::new(
            issuer.key.public(),
            "BHXH",
            "Bảo hiểm xã hội",
            "Social Security",
            1000,
            5000,
            &[CredentialType::ClinicCheckin],
        );
        Setup {
            issuer,
            trust: TrustList::new(0).with(entry),
            holder: SigningKey::make().unwrap().public().to_bytes(),
        }
    }

    fn issued(s: &Setup, iat: i64, exp: i64) -> SdCwt {
        let cred = Credential::ClinicCheckin(ClinicCheckin {
            full_name: "Nguyễn Văn An".into(),
            dob: Date::parse("1990-05-17").unwrap(),
            citizen_id: "001090012345".into(),
            bhyt_code: "DN4010123456789".into(),
        });
        SdCwt::parse(&s.issuer.issue_default(&cred, &s.holder, iat, exp, 1).unwrap()).unwrap()
    }

    fn reason(r: Result<TrustedCredential<'_>>) -> Option<RejectReason> {
        match r {
            Ok(_) => None,
            Err(Error::Rejected(r)) => Some(r),
            Err(e) => panic!("not a rejection: {e}"),
        }
    }

    #[test]
    fn a_sound_credential_passes_both_and_says_what_was_checked() {
        let s = setup();
        let cwt = issued(&s, 2000, 9000);
        for when in [TrustCheck::import(3000), TrustCheck::counter(3000, SKEW)] {
            let t = check_issued(&cwt, &s.trust, &when).unwrap();
            assert_eq!(t.issuer, &s.trust.issuers[0]);
            assert_eq!(t.credential_type, CredentialType::ClinicCheckin);
            assert_eq!((t.iat, t.exp), (2000, 9000));
        }
    }

    /// The differences between import and the counter are exactly those `TrustCheck` names.
    #[test]
    fn import_and_counter_differ_only_where_trust_check_says() {
        let s = setup();
        let both = |cwt: &SdCwt, now: i64| {
            (
                reason(check_issued(cwt, &s.trust, &TrustCheck::import(now))),
                reason(check_issued(cwt, &s.trust, &TrustCheck::counter(now, SKEW))),
            )
        };
        // The issuer's trust has lapsed since it signed: import keeps it, the counter refuses.
        let cwt = issued(&s, 2000, 9000);
        assert_eq!(both(&cwt, 6000), (None, Some(RejectReason::IssuerNotValidNow)));
        // Signed outside the issuer's trust window: both refuse.
        let cwt = issued(&s, 500, 9000);
        assert_eq!(
            both(&cwt, 3000),
            (
                Some(RejectReason::IssuerNotValidNow),
                Some(RejectReason::IssuerNotValidNow)
            )
        );
        // Not valid yet: import keeps it; the counter refuses it beyond the skew only.
        let cwt = issued(&s, 4000, 9000);
        assert_eq!(
            both(&cwt, 3000),
            (None, Some(RejectReason::CredentialNotYetValid))
        );
        assert_eq!(both(&cwt, 4000 - i64::from(SKEW)), (None, None));
        // Expired: import refuses it at once; the counter after the skew.
        let cwt = issued(&s, 2000, 2990);
        assert_eq!(both(&cwt, 2990), (None, None));
        assert_eq!(both(&cwt, 3000), (Some(RejectReason::CredentialExpired), None));
        assert_eq!(
            both(&cwt, 2990 + i64::from(SKEW) + 1),
            (
                Some(RejectReason::CredentialExpired),
                Some(RejectReason::CredentialExpired)
            )
        );
    }

    /// A credential signed with any `iat`/`exp`/`nbf` (by hand here: the issuer API refuses
    /// lifetimes above 100 years), checked by a clock at the ends of `i64`: answers, never an
    /// overflow. Fails on main in debug builds: `now + skew` and `exp + skew` overflowed.
    #[test]
    fn times_at_the_ends_of_i64_are_answers_not_overflows() {
        use crate::format::cbor::{self, Value};
        use crate::format::cose::{key, label, Sign1, TYP_SD_CWT};
        use crate::format::cwt;
        let s = setup();
        let mut trust = s.trust.clone();
        trust.issuers[0].not_before = i64::MIN;
        trust.issuers[0].not_after = i64::MAX;
        let signed = |iat: i64, exp: i64, nbf: Option<i64>| {
            let mut payload = vec![
                (Value::int(cwt::ISS), Value::text("BHXH")),
                (Value::int(cwt::IAT), Value::int(iat)),
                (Value::int(cwt::EXP), Value::int(exp)),
                (Value::int(cwt::CNF), key::cnf_for(&s.holder)),
                (
                    Value::text(cwt::TYPE),
                    Value::Uint(u64::from(CredentialType::ClinicCheckin.code())),
                ),
            ];
            if let Some(nbf) = nbf {
                payload.push((Value::int(cwt::NBF), Value::int(nbf)));
            }
            let bytes = Sign1::sign(
                s.issuer.key.signing_key(),
                vec![(Value::int(label::TYP), Value::Uint(TYP_SD_CWT))],
                vec![(Value::int(label::KID), Value::Bytes(s.issuer.key.kid().to_vec()))],
                cbor::encode(&Value::sorted_map(payload)),
            )
            .to_bytes();
            SdCwt::parse(&bytes).unwrap()
        };
        let check = |cwt: &SdCwt, when: TrustCheck| reason(check_issued(cwt, &trust, &when));
        let max_skew = crate::format::limits::MAX_CLOCK_SKEW_SECS;
        // Never expires: valid at any time after it was issued, by both.
        let forever = signed(2000, i64::MAX, None);
        for now in [3000, i64::MAX - 1, i64::MAX] {
            assert_eq!(check(&forever, TrustCheck::counter(now, max_skew)), None, "{now}");
            assert_eq!(check(&forever, TrustCheck::import(now)), None, "{now}");
        }
        // Issued at the start of time, valid until now: the counter at the far ends.
        let ancient = signed(i64::MIN, 9000, Some(i64::MIN));
        assert_eq!(check(&ancient, TrustCheck::counter(3000, max_skew)), None);
        assert_eq!(
            check(&ancient, TrustCheck::counter(i64::MAX, max_skew)),
            Some(RejectReason::CredentialExpired)
        );
        // Not valid until the end of time; a clock at i64::MIN or i64::MAX.
        let later = signed(2000, i64::MAX, Some(i64::MAX));
        assert_eq!(
            check(&later, TrustCheck::counter(3000, max_skew)),
            Some(RejectReason::CredentialNotYetValid)
        );
        assert_eq!(check(&later, TrustCheck::counter(i64::MAX, max_skew)), None);
        assert_eq!(
            check(&forever, TrustCheck::counter(i64::MIN, max_skew)),
            Some(RejectReason::CredentialNotYetValid)
        );
        assert_eq!(check(&forever, TrustCheck::counter(3000, u32::MAX)), None);
    }

    #[test]
    fn issuer_failures_are_the_same_for_both() {
        let s = setup();
        let cwt = issued(&s, 2000, 9000);
        let check = |trust: &TrustList| {
            (
                reason(check_issued(&cwt, trust, &TrustCheck::import(3000))),
                reason(check_issued(&cwt, trust, &TrustCheck::counter(3000, SKEW))),
            )
        };
        let same = |r| (Some(r), Some(r));
        // Format 2: no `kid` and no `iss`, the issuer is found by signature.
        assert_eq!(cwt.kid_if_any().unwrap(), None);
        assert_eq!(cwt.iss_if_any().unwrap(), None);
        let mut other = s.trust.clone();
        other.issuers.clear();
        assert_eq!(check(&other), same(RejectReason::UnknownIssuer));
        // The entry's key is not an Ed25519 point.
        let not_a_point = (0..=255u8)
            .map(|b| [b; 32])
            .find(|k| PublicKey::from_bytes(k).is_err())
            .unwrap();
        let mut bad_key = s.trust.clone();
        bad_key.issuers[0].public_key = not_a_point;
        assert_eq!(check(&bad_key), same(RejectReason::BadTrustData));
        // Another key under the issuer's kid: the signature does not verify.
        let mut wrong_key = s.trust.clone();
        wrong_key.issuers[0].public_key = IssuerKey::generate().unwrap().public();
        assert_eq!(check(&wrong_key), same(RejectReason::BadIssuerSignature));
        // The entry's name is for display only: a format-2 credential names no issuer.
        let mut renamed = s.trust.clone();
        renamed.issuers[0].iss = "BYT".into();
        assert_eq!(check(&renamed), (None, None));
        let mut other_role = s.trust.clone();
        other_role.issuers[0].types = vec![CredentialType::HealthBook];
        assert_eq!(check(&other_role), same(RejectReason::IssuerNotAllowedForType));
    }
}
