//! One scanner at the counter: `Verifier.scanText` reads a wallet presentation (verified) or
//! the QR printed on a chip ID card (unverified card data).

use citizen_wallet_core as core;
use core::model::Sex;
use core::{Lang, Scan};

use crate::error::Result;
use crate::verifier::{Verdict, Verifier};

/// What the counter's scanner read.
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum ScanResult {
    /// A wallet presentation, or any text that is not an ID card's QR: the verdict, exactly as
    /// `verifyText` gives it.
    Presentation { verdict: Verdict },
    /// The QR printed on a chip ID card. **Not verified**: nothing signs it. Show it in its
    /// own colour (never green) with `card.message_vi` / `card.message_en`, for the officer to
    /// compare with the card and its holder.
    IdCard { card: IdCardData },
}

/// The fields of a chip ID card's printed QR (CCCD 2021: 7 fields, thẻ căn cước 2024: 11),
/// normalized and checked for consistency (the ID number agrees with the birth date and sex),
/// but not verified. `Debug` shows no personal data.
#[derive(Clone, PartialEq, uniffi::Record)]
pub struct IdCardData {
    /// The 12-digit citizen ID number.
    pub citizen_id: String,
    /// The old 9-digit identity card number (CMND), if printed.
    pub old_id: Option<String>,
    /// Full name (Unicode NFC).
    pub full_name: String,
    /// Date of birth, `YYYY-MM-DD`.
    pub date_of_birth: String,
    /// Sex as printed.
    pub sex: Sex,
    /// Permanent address.
    pub address: String,
    /// Issue date, `YYYY-MM-DD`, if printed.
    pub issue_date: Option<String>,
    /// "ID CARD: UNVERIFIED DATA (...)": the one line for the officer, English.
    pub message_en: String,
    /// The same line in Vietnamese.
    pub message_vi: String,
}

impl std::fmt::Debug for IdCardData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IdCardData { .. }")
    }
}

impl From<Scan> for ScanResult {
    fn from(scan: Scan) -> Self {
        let (message_en, message_vi) = (scan.summary_in(Lang::En), scan.summary_in(Lang::Vi));
        match scan {
            Scan::Presentation(v) => Self::Presentation { verdict: v.into() },
            Scan::IdCard(d) => {
                let c = d.card;
                Self::IdCard {
                    card: IdCardData {
                        citizen_id: c.citizen_id,
                        old_id: c.old_id,
                        full_name: c.full_name,
                        date_of_birth: c.dob.to_string(),
                        sex: c.sex,
                        address: c.address,
                        issue_date: c.issue_date.map(|d| d.to_string()),
                        message_en,
                        message_vi,
                    },
                }
            }
        }
    }
}

#[uniffi::export]
impl Verifier {
    /// Reads whatever a citizen showed: a presentation (verified, as `verifyText`) or a chip ID
    /// card's printed QR (unverified card data). A counter needs one scanner for both.
    ///
    /// Errors: `InvalidInput` for text shaped like an ID card's QR whose fields are not a
    /// valid card (the card's QR is unreadable; ask for the card itself).
    pub fn scan_text(&self, text: String) -> Result<ScanResult> {
        Ok(self.0.scan_text(&text)?.into())
    }
}
