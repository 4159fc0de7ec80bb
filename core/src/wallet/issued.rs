//! Importing issuer-signed credentials into the wallet, and presenting them.
//!
//! Import accepts the raw SD-CWT bytes or the `VN1C:` transfer text an issuer app hands over,
//! and stores the credential only when: it passes [`check_issued`] with [`TrustCheck::import`]
//! (the issuer is in the given trust list and signed it, may issue its type and was within its
//! trust window when it signed, the credential has not expired), its unprotected header holds
//! nothing but the issuer's `kid` and the disclosures ([`SdCwt::check_unprotected`]: a label a
//! relay added is refused, not stripped, so what is stored is what the issuer sent), it is bound
//! (`cnf`) to **this** wallet's holder key, every redacted claim has its disclosure (decoys
//! included: the issuer hands those over too), and the claims rebuild a valid model credential.
//! Nothing is stored otherwise.

use crate::format::sd_cwt::SdCwt;
use crate::format::{limits, qr_text};
use crate::model::Credential;
use crate::present::{self, Presentation, PresentationRequest};
use crate::trust::{check_issued, TrustCheck, TrustList};
use crate::{InputError, InputRule, RejectReason, Result};

use super::Wallet;

impl Wallet {
    /// Imports an issued credential (raw SD-CWT bytes, or `VN1C:` text as bytes) after checking
    /// it against `trust`. Returns the new credential id.
    ///
    /// # Errors
    /// [`Error::Rejected`] with the reason (unknown issuer, bad signature, type not allowed,
    /// expired, malformed, unsigned data in the unprotected header...); [`Error::InvalidInput`]
    /// when the credential is bound to another holder key or its claims do not form a valid
    /// credential; [`Error::Locked`].
    pub fn import_issued(&self, input: &[u8], trust: &TrustList) -> Result<String> {
        // Size first: no UTF-8 check or base45 decoding of an oversized input.
        if input.len() > limits::MAX_ISSUED_TEXT_CHARS + 16 {
            return Err(RejectReason::TooLarge.into());
        }
        let owned;
        let bytes: &[u8] = if input.starts_with(qr_text::ISSUED_PREFIX.as_bytes()) {
            let text = std::str::from_utf8(input).map_err(|_| RejectReason::Malformed)?;
            owned = qr_text::decode_issued(text)?;
            &owned
        } else {
            input
        };
        let cwt = SdCwt::parse(bytes)?;
        // Unsigned data (a label a relay added) would ride in every presentation: refused.
        cwt.check_unprotected()?;
        // The issuer's credential against the trust list: the verifier's check, at the times
        // import needs (see `TrustCheck::import` for what it leaves to the counter, and why).
        let ty = check_issued(&cwt, trust, &TrustCheck::import(self.now()))?.credential_type;
        if cwt.holder_key_bytes()? != self.holder_public_key()? {
            return Err(InputError::new("credential", InputRule::OtherHolder).into());
        }
        cwt.check_disclosures()?;
        // The holder must receive every disclosure (draft: "every Redacted Claim Hash has a
        // corresponding Salted Disclosed Claim"), or it could not present those claims. Our
        // issuer hands over its decoys (`[salt]`) too, so this holds for them as well; a holder
        // never presents them.
        if cwt.top_level_digests()?.len() != cwt.disclosures.len() {
            return Err(RejectReason::DisclosureMismatch.into());
        }
        let claims = cwt.claims()?.into_iter().map(|c| c.claim).collect();
        let credential = Credential::from_claims(ty, claims)?;
        self.insert_credential(&credential, Some(bytes))
    }

    /// The claims of credential `id` the citizen may choose to show or hide when presenting
    /// (those the issuer made selectively disclosable, by name in display order); empty for a
    /// credential added by hand, which cannot be presented. Every other claim with a value is
    /// always visible in a presentation.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown id; [`Error::Locked`].
    pub fn disclosable_claims(&self, id: &str) -> Result<Vec<String>> {
        match self.issued_bytes(id)? {
            Some(issued) => present::disclosable_claims(&issued),
            None => Ok(Vec::new()),
        }
    }

    /// Builds a presentation of a stored issued credential.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown id; [`Error::InvalidInput`] when the credential was
    /// added by hand (unsigned: nothing a verifier could check) or a claim is unknown;
    /// [`Error::QrTooLarge`] when the chosen claims do not fit a readable QR code.
    pub fn present(&self, req: &PresentationRequest) -> Result<Presentation> {
        let issued = self
            .issued_bytes(&req.credential_id)?
            .ok_or_else(|| InputError::new("credential", InputRule::Unsigned))?;
        let holder = self.holder_key()?;
        present::present(
            &issued,
            &holder,
            &req.claims,
            req.audience.as_deref(),
            req.nonce.as_deref(),
            self.now(),
            req.ttl_secs,
        )
    }
}
