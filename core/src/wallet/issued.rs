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

use crate::crypto::holder::{HolderAlg, HolderPublicKey, HolderSigner, SoftwareP256Signer};
use crate::format::sd_cwt::SdCwt;
use crate::format::{limits, qr_text};
use crate::model::Credential;
use crate::present::{self, PendingPresentation, Presentation, PresentationRequest};
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
        self.import_checked(input, trust, None)
    }

    /// [`import_issued`](Self::import_issued) for a credential bound to a holder key the wallet
    /// does not hold: a key in the Secure Enclave or StrongBox, whose public key the app passes
    /// as `holder` (presented later with [`present_with`](Self::present_with) or
    /// [`prepare_presentation`](Self::prepare_presentation)). The credential's `cnf` must be
    /// `holder` or one of this wallet's own keys.
    ///
    /// # Errors
    /// As [`import_issued`](Self::import_issued).
    pub fn import_issued_for(
        &self,
        input: &[u8],
        trust: &TrustList,
        holder: &HolderPublicKey,
    ) -> Result<String> {
        self.import_checked(input, trust, Some(holder))
    }

    fn import_checked(
        &self,
        input: &[u8],
        trust: &TrustList,
        external: Option<&HolderPublicKey>,
    ) -> Result<String> {
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
        let bound = cwt.holder()?;
        if external != Some(&bound) && self.own_signer(&bound)?.is_none() {
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
        let bound = SdCwt::parse(&issued)?.holder()?;
        let signer = self
            .own_signer(&bound)?
            .ok_or_else(|| InputError::new("credential", InputRule::OtherHolder))?;
        present::present_with(
            &issued,
            signer.as_ref(),
            &req.claims,
            req.audience.as_deref(),
            req.nonce.as_deref(),
            self.now(),
            req.ttl_secs,
        )
    }

    /// Builds a presentation signed by `signer` (a holder key the wallet does not hold, or one
    /// of its own). The credential must be bound to `signer`'s key.
    ///
    /// # Errors
    /// As [`present`](Self::present); [`Error::InvalidInput`] (`OtherHolder`) when the
    /// credential is bound to another key, ("holder signature") when the signer's signature
    /// does not verify; the signer's own errors.
    pub fn present_with(&self, req: &PresentationRequest, signer: &dyn HolderSigner) -> Result<Presentation> {
        let issued = self
            .issued_bytes(&req.credential_id)?
            .ok_or_else(|| InputError::new("credential", InputRule::Unsigned))?;
        present::present_with(
            &issued,
            signer,
            &req.claims,
            req.audience.as_deref(),
            req.nonce.as_deref(),
            self.now(),
            req.ttl_secs,
        )
    }

    /// Lays out a presentation for the holder key in the credential's `cnf`, to be signed
    /// outside the wallet (an asynchronous signer: a biometric prompt, a secure element) and
    /// completed with [`PendingPresentation::finish`]. The wallet holds no lock meanwhile.
    ///
    /// # Errors
    /// As [`present`](Self::present), without the signer's.
    pub fn prepare_presentation(&self, req: &PresentationRequest) -> Result<PendingPresentation> {
        let issued = self
            .issued_bytes(&req.credential_id)?
            .ok_or_else(|| InputError::new("credential", InputRule::Unsigned))?;
        present::prepare(
            &issued,
            None,
            &req.claims,
            req.audience.as_deref(),
            req.nonce.as_deref(),
            self.now(),
            req.ttl_secs,
        )
    }

    /// This wallet's public holder key of algorithm `alg`: the Ed25519 key, or the software
    /// P-256 key derived from the same sealed seed ([`SoftwareP256Signer`]). What an issuer
    /// binds a credential to.
    ///
    /// # Errors
    /// [`Error::Locked`].
    pub fn holder_key_for(&self, alg: HolderAlg) -> Result<HolderPublicKey> {
        self.holder_signer(alg)?.public_key()
    }

    /// This wallet's own software signer of algorithm `alg` (see
    /// [`holder_key_for`](Self::holder_key_for)). The key material zeroizes when the signer
    /// is dropped.
    ///
    /// # Errors
    /// [`Error::Locked`].
    pub fn holder_signer(&self, alg: HolderAlg) -> Result<Box<dyn HolderSigner>> {
        let ed = self.holder_key()?;
        Ok(match alg {
            HolderAlg::Ed25519 => Box::new(ed),
            HolderAlg::Es256 => Box::new(SoftwareP256Signer::derive_from_seed(ed.seed().as_ref())?),
        })
    }

    /// This wallet's own signer for `key`, if `key` is one of its keys.
    fn own_signer(&self, key: &HolderPublicKey) -> Result<Option<Box<dyn HolderSigner>>> {
        let signer = self.holder_signer(key.alg())?;
        Ok((signer.public_key()? == *key).then_some(signer))
    }
}
