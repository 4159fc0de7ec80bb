//! The verdict vocabulary: why a credential or presentation is rejected ([`RejectReason`]), and
//! why a valid one's revocation status is not current ([`StaleReason`]). Their sentences, in
//! Vietnamese and English, are in `text.rs` with the rest of the verdict text.

/// Why a presentation or credential was rejected by a verifier or importer.
///
/// Each reason has a sentence in Vietnamese and English ([`RejectReason::message`]). A function
/// rejects with `Err(reason.into())` ([`crate::Error::Rejected`]); the verifier turns that into an
/// invalid verdict. Reasons may be added: match with a wildcard arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[non_exhaustive]
pub enum RejectReason {
    /// The text is not one of our QR codes (wrong prefix, foreign format such as an EU DCC `HC1:`).
    NotOurFormat,
    /// The QR text or CBOR structure is damaged or truncated.
    Malformed,
    /// The credential's issuer is not in the trust list.
    UnknownIssuer,
    /// The issuer is trusted, but not for this credential type (e.g. a court issuing health data).
    IssuerNotAllowedForType,
    /// The issuer's entry in the trust list is outside its validity window.
    IssuerNotValidNow,
    /// The issuer signature does not verify (forged or altered credential).
    BadIssuerSignature,
    /// The holder signature does not verify (not presented by the credential's owner).
    BadHolderSignature,
    /// A disclosed claim does not belong to this credential (its digest is not in the credential).
    DisclosureMismatch,
    /// The credential has expired.
    CredentialExpired,
    /// The credential is not valid yet (issued in the future beyond the clock-skew tolerance).
    CredentialNotYetValid,
    /// The presentation's short validity window has passed (possible screenshot replay).
    PresentationExpired,
    /// The presentation was created in the future beyond the clock-skew tolerance.
    PresentationFromFuture,
    /// The presentation was made for another counter (audience mismatch).
    WrongAudience,
    /// The presentation does not answer this counter's challenge (nonce mismatch).
    WrongNonce,
    /// The issuer has revoked the credential.
    Revoked,
    /// The signature algorithm is not supported (we verify Ed25519 only).
    UnsupportedAlgorithm,
    /// The trust list or status list itself is invalid (bad root signature, expired).
    BadTrustData,
    /// The input exceeds a size limit.
    TooLarge,
    /// The signed data is of another kind (e.g. a trust list or an issued credential shown where a
    /// presentation is expected): its COSE `typ` does not match.
    WrongMessageType,
    /// The issued credential carries data its issuer did not sign: a label in its unprotected
    /// COSE header other than the two the format puts there (the issuer's `kid` and the
    /// disclosures, `sd_claims`), e.g. a marker added by whoever relayed it. Refused at import
    /// and by the verifier, so nothing unsigned travels inside a holder-signed presentation.
    UnsignedData,
    /// A request QR's counter (reader) is not in the trust list.
    UnknownReader,
    /// A request QR's signature does not verify with its reader's key (forged or altered).
    BadReaderSignature,
    /// The reader's entry in the trust list is outside its validity window.
    ReaderNotValidNow,
    /// A request asks for a credential type or gives a purpose its reader's role does not
    /// allow (e.g. a clinic asking for the judicial record).
    RequestBeyondRole,
    /// The request's lifetime has passed (at the wallet), or the response came after it (at the
    /// counter).
    RequestExpired,
    /// The request was made in the future beyond the clock-skew tolerance.
    RequestFromFuture,
    /// The presentation answers no open request of this counter (another counter's or another
    /// request's nonce, or one never issued).
    UnknownRequest,
    /// The request this presentation answers was already answered: a replayed response.
    RequestAlreadyAnswered,
    /// The counter accepts only answers to its own request QR, and this presentation answers
    /// none (a one-way presentation).
    RequestRequired,
    /// The presentation shows another credential type than the request asked for.
    NotWhatWasAsked,
    /// Our QR code, but of a format version this verifier does not know (`VN3:` and later: made
    /// by a newer wallet). The counter app needs an update; the code itself may be fine.
    UnsupportedVersion,
}

/// Why a presentation that passed every check has a revocation status that is not current (the
/// verdict is [`crate::VerdictStatus::ValidStale`], the amber [`crate::Outcome::StatusNotCurrent`]).
/// Each reason has a sentence ([`StaleReason::message`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum StaleReason {
    /// The verifier has no status list from this issuer.
    NoStatusList,
    /// The issuer's status list is older than its maximum age.
    StatusListExpired,
    /// The credential's index is past the end of the issuer's (older) status list.
    NotInStatusList,
    /// The trust list is past its `next_update`: an issuer removed since may still be in it.
    TrustListExpired,
}
