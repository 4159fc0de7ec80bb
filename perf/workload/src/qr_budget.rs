//! The check-in QR's size, per sample person and holder-key type, under realistic conditions
//! (issue 16): a counter's audience, a 16-byte counter nonce, a status-list index of a
//! national-scale list, and the default two-minute lifetime. `cwallet bench` reports the largest
//! version as `checkin_qr_version_max`; `core/tests/qr_budget.rs` holds it at version 13 with a
//! 6-byte counter id and at 14 with an 11-byte one (docs/PERFORMANCE.md, the byte budget).

use citizen_wallet_core::internal::build_presentation_with;
use citizen_wallet_core::internal::qr_text;
use citizen_wallet_core::issuer::{Issuer, IssuerKey};
use citizen_wallet_core::model::{CredentialType, PersonRecord};
use citizen_wallet_core::qr::{self, Ecc};
use citizen_wallet_core::{HolderSigner, SoftwareP256Signer};

use crate::Res;

const T0: i64 = 1_768_435_200;
const DAY: i64 = 86_400;

/// A counter id as a clinic would configure it (a hospital code and the counter's number).
pub const COUNTER_AUDIENCE: &str = "BV01079-Q12";
/// A short counter id (6 bytes): what fits version 13 for every sample person.
pub const SHORT_AUDIENCE: &str = "BM-Q12";
/// A counter's challenge: 16 random bytes (fixed here, so runs compare).
pub const COUNTER_NONCE: [u8; 16] = [0xA5; 16];
/// A status-list index of a list for tens of millions of citizens (a 4-byte integer).
pub const STATUS_INDEX: u64 = 45_000_000;

/// One measured presentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrSize {
    /// The sample person's handle (`ha`, `minh`...).
    pub person: String,
    /// `"ed25519"` or `"es256"`.
    pub key: &'static str,
    /// The SD-KBT in bytes (behind the prefix).
    pub bytes: usize,
    /// The QR text in characters.
    pub chars: usize,
    /// The smallest QR version at ECC M.
    pub version: u8,
}

/// The check-in presentation of every sample person, with an Ed25519 and an ES256 holder key,
/// for the counter `audience`.
pub fn checkin_sizes(people_json: &str, audience: &str) -> Res<Vec<QrSize>> {
    sizes(people_json, audience, CredentialType::ClinicCheckin, &[])
}

/// The health-insurance card presented with two claims chosen (`full_name`, `dob`: five
/// 32-byte digests, decoys included, stay in the signed credential), per person and key type.
pub fn health_insurance_two_claim_sizes(people_json: &str, audience: &str) -> Res<Vec<QrSize>> {
    sizes(
        people_json,
        audience,
        CredentialType::HealthInsurance,
        &["full_name".to_owned(), "dob".to_owned()],
    )
}

fn sizes(people_json: &str, audience: &str, ty: CredentialType, claims: &[String]) -> Res<Vec<QrSize>> {
    let issuer = Issuer::new(IssuerKey::from_seed(&[3; 32])?, "BHXH");
    let ed = citizen_wallet_core::internal::SigningKey::from_seed(&[9; 32])?;
    let p256 = SoftwareP256Signer::from_secret(&[9; 32])?;
    let signers: [(&'static str, &dyn HolderSigner); 2] = [("ed25519", &ed), ("es256", &p256)];
    let mut out = Vec::new();
    for person in PersonRecord::parse_list(people_json)? {
        for cred in person.credentials()? {
            if cred.credential_type() != ty {
                continue;
            }
            for (key, signer) in signers {
                let issued = issuer.issue_default_to(
                    &cred,
                    &signer.public_key()?,
                    T0 - DAY,
                    T0 + 365 * DAY,
                    STATUS_INDEX,
                )?;
                let kbt = build_presentation_with(
                    &issued,
                    signer,
                    claims,
                    Some(audience),
                    Some(&COUNTER_NONCE),
                    T0,
                    None,
                )?;
                let text = qr_text::encode_presentation(&kbt);
                let version = qr::fit(&text, Ecc::M, 40)?.version;
                out.push(QrSize {
                    person: person.key.clone(),
                    key,
                    bytes: kbt.len(),
                    chars: text.len(),
                    version,
                });
            }
        }
    }
    Ok(out)
}
