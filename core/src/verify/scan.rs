//! One scanner for both things a citizen shows at the counter: a wallet presentation (`VN1:`),
//! verified, or the QR printed on a chip ID card (CCCD), read as **unverified card data**.
//!
//! Many citizens without a smartphone (often the elderly) show the card itself. Its QR carries
//! the card's fields in clear, with no signature, so the counter shows them as what they are:
//! data to compare with the card and its holder, never a green verdict. The two are told apart
//! by shape before anything is verified, so a card's text is never taken for, or rejected as, a
//! damaged presentation, and a damaged presentation is never read as a card.

use super::{Verdict, Verifier};
use crate::format::qr_text::PRESENTATION_PREFIX;
use crate::model::{parse_cccd_qr, CitizenIdCard};
use crate::trust::{text, Lang};
use crate::Result;

/// What the counter's scanner read ([`Verifier::scan_text`]).
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)] // one value per scan, shown and dropped
pub enum Scan {
    /// A wallet presentation (or any other text that is not an ID card's QR), verified: the
    /// same verdict as [`Verifier::verify_text`].
    Presentation(Verdict),
    /// The QR printed on a chip ID card (CCCD 2021 or thẻ căn cước 2024): the card's fields,
    /// normalized and checked for consistency (ID number against birth date and sex), but
    /// **not verified**: nothing signs them. Show them as such ([`Scan::summary_in`]).
    IdCard(IdCardData),
}

/// The fields of a chip ID card's printed QR. Its `Debug` shows no personal data.
#[derive(Clone, PartialEq)]
pub struct IdCardData {
    /// The card as read from its QR.
    pub card: CitizenIdCard,
}

impl std::fmt::Debug for IdCardData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IdCardData { .. }")
    }
}

impl Scan {
    /// Whether every check passed and the revocation status is current: only a verified
    /// presentation; card data never.
    pub fn is_fully_valid(&self) -> bool {
        matches!(self, Self::Presentation(v) if v.is_fully_valid())
    }

    /// The one line for the officer, in `lang`: the verdict's, or that the card data is unverified.
    pub fn summary_in(&self, lang: Lang) -> String {
        match self {
            Self::Presentation(v) => v.summary_in(lang),
            Self::IdCard(_) => text::id_card_unverified(lang).to_owned(),
        }
    }
}

/// Whether `text` has the shape of an ID card's QR: `|`-separated fields whose first is a
/// 12-digit ID number (after the BOM, NULs, whitespace and `CCCD:` prefix scanners add).
pub(crate) fn looks_like_id_card(text: &str) -> bool {
    let cleaned: String = text
        .chars()
        .take(64) // the first field is near the start; the parser bounds the whole text
        .filter(|c| *c != '\u{feff}' && *c != '\0')
        .collect();
    let s = cleaned.trim_start();
    let s = s.strip_prefix("CCCD:").map_or(s, str::trim_start);
    match s.split_once('|') {
        Some((id, _)) => {
            let id = id.trim();
            id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit())
        }
        None => false,
    }
}

impl Verifier {
    /// Reads whatever a citizen showed: a presentation is verified ([`Scan::Presentation`],
    /// exactly [`Verifier::verify_text`]'s verdict), an ID card's printed QR is read as
    /// unverified card data ([`Scan::IdCard`]). Any other text is a presentation verdict that
    /// says why it was refused (not our format, damaged, ...).
    ///
    /// # Errors
    /// [`crate::Error::InvalidInput`] for text shaped like an ID card's QR whose fields are not
    /// a valid card (wrong field count, bad date, an ID number that disagrees with the birth
    /// date or sex): the officer is told the card's QR is unreadable, not that a presentation
    /// was forged.
    pub fn scan_text(&self, text: &str) -> Result<Scan> {
        let trimmed = text.trim_start_matches(|c: char| c == '\u{feff}' || c.is_whitespace());
        if !trimmed.starts_with(PRESENTATION_PREFIX) && looks_like_id_card(text) {
            let card = parse_cccd_qr(text)?.card;
            return Ok(Scan::IdCard(IdCardData { card }));
        }
        Ok(Scan::Presentation(self.verify_text(text)?))
    }
}

#[cfg(test)]
mod tests {
    use super::looks_like_id_card;

    #[test]
    fn card_shape_is_told_apart_from_presentations_and_other_codes() {
        assert!(looks_like_id_card(
            "001192034517|013482957|A|14031992|Nữ|X|12082021"
        ));
        assert!(looks_like_id_card(
            "\u{feff}CCCD: 079085012384||B|02111985|Nam|Y|25042021"
        ));
        assert!(looks_like_id_card(" 048212006731||C|09062012|Nam|Z|15102024||||"));
        assert!(!looks_like_id_card("VN1:6BFOXN*TS0BI$ZDFRH"));
        assert!(!looks_like_id_card("HC1:NCFOXN%TS3DH"));
        assert!(!looks_like_id_card("0011920345|013482957|A")); // 10 digits
        assert!(!looks_like_id_card("00119203451X|A|B")); // not all digits
        assert!(!looks_like_id_card("001192034517")); // no fields
        assert!(!looks_like_id_card(""));
    }
}
