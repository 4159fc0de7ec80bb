//! What a verifier tells the clinic officer.

use crate::model::{CredentialType, Date};
use crate::trust::text;
use crate::trust::{Lang, RejectReason, StaleReason};

/// What a counter shows, in three colours: the question every screen asks of a verdict.
///
/// There is deliberately no "valid" boolean covering the first two: a counter never given the
/// issuer's status list cannot know whether the credential was revoked, and must not show it
/// like one it checked ([`Verdict::outcome`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Outcome {
    /// Green: every check passed and the issuer's status list, current, says not revoked (or the
    /// credential has no revocation entry).
    Valid,
    /// Amber: every check of the presentation passed, but whether the issuer has revoked the
    /// credential is not known as of now (the [`StaleReason`]: e.g. no status list from its
    /// issuer, or an old one). The officer decides; [`VerdictStatus::ValidStale`] says how old
    /// the list is (`as_of`) and why.
    StatusNotCurrent,
    /// Red: rejected, for [`VerdictStatus::Invalid`]'s reason. Nothing else is shown.
    Invalid,
}

/// The detailed outcome: [`Outcome`] with what the officer needs to read alongside the colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum VerdictStatus {
    /// Every check passed and the status list is current ([`Outcome::Valid`]).
    Valid,
    /// Every check of the presentation passed, but its revocation status is not current
    /// ([`Outcome::StatusNotCurrent`], **not** [`Outcome::Valid`]).
    ValidStale {
        /// `issued_at` of the issuer's status list used ("status as of"), `None` without one.
        as_of: Option<i64>,
        /// Why the revocation status is not current.
        reason: StaleReason,
    },
    /// Rejected ([`Outcome::Invalid`]).
    Invalid {
        /// Why.
        reason: RejectReason,
    },
}

impl VerdictStatus {
    /// The colour: [`Outcome`] without the details.
    pub fn outcome(&self) -> Outcome {
        match self {
            Self::Valid => Outcome::Valid,
            Self::ValidStale { .. } => Outcome::StatusNotCurrent,
            Self::Invalid { .. } => Outcome::Invalid,
        }
    }
}

/// One claim shown by a presentation, with its labels.
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DisclosedClaim {
    /// Claim name (`full_name`, `dob`...).
    pub name: String,
    /// The claim's Vietnamese label ("Họ và tên").
    pub label_vi: String,
    /// The claim's English label ("Full name").
    pub label_en: String,
    /// The value for display (lists joined with "; ").
    pub value: String,
    /// `true` when chosen by the holder; `false` when signed in clear by the issuer.
    pub selectively_disclosed: bool,
}

impl std::fmt::Debug for DisclosedClaim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DisclosedClaim {{ {}: .. }}", self.name)
    }
}

/// A verifier's verdict on one presentation.
///
/// Claims and issuer details are filled only when the presentation passed every check
/// ([`Outcome::Valid`] or [`Outcome::StatusNotCurrent`]): an invalid presentation shows nothing
/// but its reason.
///
/// (Not a uniffi record: the bindings expose a display-ready view that adds the officer's
/// vi/en sentences, under the same name.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// Valid, valid with stale revocation status, or invalid with the reason.
    pub status: VerdictStatus,
    /// The presented credential's type.
    pub credential_type: Option<CredentialType>,
    /// The issuer's name in Vietnamese, from the trust list.
    pub issuer_name_vi: Option<String>,
    /// The issuer's name in English, from the trust list.
    pub issuer_name_en: Option<String>,
    /// The claims shown, in display order: those the holder chose and those signed in clear.
    pub claims: Vec<DisclosedClaim>,
    /// The verifier's clock at verification (unix seconds).
    pub verified_at: i64,
    /// `issued_at` of the issuer's status list used, if any ("verified as of").
    pub status_as_of: Option<i64>,
    /// RFC 9679 COSE key thumbprint (hex) of the holder key that signed the presentation.
    pub holder_thumbprint: Option<String>,
    /// When the holder made the presentation (its `iat`).
    pub presented_at: Option<i64>,
    /// When the credential expires.
    pub credential_expires_at: Option<i64>,
}

impl Verdict {
    pub(crate) fn invalid(reason: RejectReason, now: i64) -> Self {
        Self {
            status: VerdictStatus::Invalid { reason },
            credential_type: None,
            issuer_name_vi: None,
            issuer_name_en: None,
            claims: Vec::new(),
            verified_at: now,
            status_as_of: None,
            holder_thumbprint: None,
            presented_at: None,
            credential_expires_at: None,
        }
    }

    /// Green, amber or red ([`Outcome`]): what a screen should branch on. Amber
    /// ([`Outcome::StatusNotCurrent`]) is not green: a revoked credential reads amber at a
    /// counter without its issuer's current status list.
    pub fn outcome(&self) -> Outcome {
        self.status.outcome()
    }

    /// Whether every check passed **and** the revocation status is current
    /// ([`Outcome::Valid`]). `false` for [`Outcome::StatusNotCurrent`]: use [`outcome`](Self::outcome)
    /// to tell amber from red.
    pub fn is_fully_valid(&self) -> bool {
        self.outcome() == Outcome::Valid
    }

    /// The rejection reason, if rejected.
    pub fn reject_reason(&self) -> Option<RejectReason> {
        match self.status {
            VerdictStatus::Invalid { reason } => Some(reason),
            _ => None,
        }
    }

    /// The value of claim `name`, if shown.
    pub fn claim(&self, name: &str) -> Option<&str> {
        self.claims
            .iter()
            .find(|c| c.name == name)
            .map(|c| c.value.as_str())
    }

    /// One line for the officer, in `lang`: "VALID (status verified as of 2026-01-15)",
    /// "INVALID: the QR code has expired; ...". The sentences are in `trust/text.rs`.
    pub fn summary_in(&self, lang: Lang) -> String {
        match self.status {
            VerdictStatus::Valid => match self.status_as_of {
                Some(t) => text::valid_as_of(lang, Date::from_unix(t)),
                None => text::valid_not_revocable(lang).to_owned(),
            },
            VerdictStatus::ValidStale { as_of, reason } => match as_of {
                Some(t) => text::valid_stale_as_of(lang, Date::from_unix(t), reason),
                None => text::valid_stale(lang, reason),
            },
            VerdictStatus::Invalid { reason } => text::invalid(lang, reason),
        }
    }

    /// [`summary_in`](Self::summary_in) English.
    pub fn summary(&self) -> String {
        self.summary_in(Lang::En)
    }

    /// [`summary_in`](Self::summary_in) Vietnamese.
    pub fn summary_vi(&self) -> String {
        self.summary_in(Lang::Vi)
    }
}
