//! Presentation and verification of the clinic check-in credential, against their floors.
//!
//! * `present_us`: [`Wallet::present`] of the four check-in claims: read and open the stored
//!   SD-CWT, build and sign the SD-KBT, base45, fit and encode the QR matrix at ECC M.
//!   Floor: one Ed25519 signature over a message as long as the SD-KBT, plus the QR matrix of
//!   the same text at the same version and level (one alphanumeric segment, the qrcode crate).
//! * `verify_us`: [`Verifier::verify_text`] of that QR text to a `Valid` verdict (both
//!   signatures, disclosures, times, audience, status list). Floor: two Ed25519 verifications
//!   (`verify_strict`, with already-decoded keys) over messages as long as the signed parts,
//!   plus a table-driven base45 decode of the same text.
//! * `verify_png_us`: [`Verifier::verify_png`] of the code drawn at 4 pixels per module.
//!
//! The world (root, issuer, trust list, status list, clock) matches the test fixture.

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;

use citizen_wallet_core::internal::build_presentation;
use citizen_wallet_core::internal::qr_text;
use citizen_wallet_core::internal::sd_cwt::SdCwt;
use citizen_wallet_core::internal::{PublicKey, SigningKey};
use citizen_wallet_core::issuer::{Issuer, IssuerKey};
use citizen_wallet_core::model::{claim_names, Credential, CredentialType, PersonRecord};
use citizen_wallet_core::trust::{StatusList, TrustList, TrustedIssuer};
use citizen_wallet_core::FixedClock;
use citizen_wallet_core::{Presentation, PresentationRequest};
use citizen_wallet_core::{RejectReason, SoftwareKeyProvider, Wallet};
use citizen_wallet_core::{VerdictStatus, Verifier, VerifierConfig};
use ed25519_dalek::{Signer, Verifier as _};
use qrcode::bits::Bits;
use qrcode::{EcLevel, QrCode, Version};
use serde_json::json;

use crate::store::{create_wallet, T0};
use crate::timing::{median_ns, medians_interleaved, ns_to_us, round3, Plan};
use crate::Res;

const DAY: i64 = 86_400;
/// Entries in the verifier's status list for these measurements (the 100M list is [`crate::status`]).
const STATUS_LEN: usize = 100_000;
const STATUS_INDEX: u64 = 4242;

/// Everything the measurements need, built once.
pub struct World {
    pub root: IssuerKey,
    pub issuer: Issuer,
    pub trust: TrustList,
    pub trust_bytes: Vec<u8>,
    pub status_bytes: Vec<u8>,
    pub verifier: Verifier,
    pub checkin: Credential,
    pub wallet: Wallet,
    pub provider: SoftwareKeyProvider,
    pub credential_id: String,
    pub request: PresentationRequest,
}

/// The first sample person's clinic check-in credential (name with diacritics, 12-digit ID,
/// 15-character BHYT code: DESIGN.md's 4-claim check-in).
pub fn checkin_credential(people_json: &str) -> Res<Credential> {
    for p in PersonRecord::parse_list(people_json)? {
        for c in p.credentials()? {
            if c.credential_type() == CredentialType::ClinicCheckin {
                return Ok(c);
            }
        }
    }
    Err("people.json: no clinic check-in credential".into())
}

impl World {
    pub fn new(dir: &Path, people_json: &str) -> Res<Self> {
        let root = IssuerKey::from_seed(&[1; 32])?;
        let issuer = Issuer::new(IssuerKey::from_seed(&[3; 32])?, "BHXH");
        let trust = TrustList::new(T0 - DAY).with(TrustedIssuer::new(
            issuer.key.public(),
            issuer.iss.clone(),
            "Bảo hiểm xã hội Việt Nam",
            "Vietnam Social Security",
            T0 - 365 * DAY,
            T0 + 5 * 365 * DAY,
            &[CredentialType::HealthInsurance, CredentialType::ClinicCheckin],
        ));
        let trust_bytes = trust.sign(&root)?;
        let mut status = StatusList::new(issuer.key.kid(), STATUS_LEN, T0 - 3600, 7 * 24 * 3600)?;
        for i in (0..STATUS_LEN as u64).step_by(997) {
            if i != STATUS_INDEX {
                status.revoke(i)?;
            }
        }
        let status_bytes = status.sign(&issuer.key)?;
        let verifier = Verifier::new(
            &trust_bytes,
            &root.public(),
            std::slice::from_ref(&status_bytes),
            VerifierConfig::default(),
            Arc::new(FixedClock::new(T0)),
        )?;
        let checkin = checkin_credential(people_json)?;
        let provider = SoftwareKeyProvider::make("bench")?;
        let wallet = create_wallet(&dir.join("codec.db"), &provider)?;
        let issued = issuer.issue_default(
            &checkin,
            &wallet.holder_public_key()?,
            T0 - DAY,
            T0 + 365 * DAY,
            STATUS_INDEX,
        )?;
        let credential_id = wallet.import_issued(&issued, &trust)?;
        let request = PresentationRequest {
            credential_id: credential_id.clone(),
            claims: claim_names(CredentialType::ClinicCheckin)
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
            audience: None,
            nonce: None,
            ttl_secs: None,
        };
        Ok(Self {
            root,
            issuer,
            trust,
            trust_bytes,
            status_bytes,
            verifier,
            checkin,
            wallet,
            provider,
            credential_id,
            request,
        })
    }

    pub fn present(&self) -> Res<Presentation> {
        Ok(self.wallet.present(&self.request)?)
    }

    /// Verifies `text` and insists on a `Valid` verdict.
    pub fn verify(&self, text: &str) -> Res<()> {
        let v = self.verifier.verify_text(text)?;
        if v.status != VerdictStatus::Valid {
            return Err(format!("verdict is not Valid: {}", v.summary()).into());
        }
        Ok(())
    }

    /// A holder key outside the wallet and a credential issued to it, for measuring the
    /// presentation bytes without the store (peer comparison).
    pub fn standalone_holder(&self) -> Res<(SigningKey, Vec<u8>)> {
        let holder = SigningKey::make()?;
        let issued = self.issuer.issue_default(
            &self.checkin,
            &holder.public().to_bytes(),
            T0 - DAY,
            T0 + 365 * DAY,
            STATUS_INDEX,
        )?;
        Ok((holder, issued))
    }
}

/// Our SD-KBT and its QR text, without the store or the QR matrix (what the peer codec does).
pub fn encode_presentation_text(holder: &SigningKey, issued: &[u8], claims: &[String]) -> Res<String> {
    let kbt = build_presentation(issued, holder, claims, None, None, T0, None)?;
    Ok(qr_text::encode_presentation(&kbt))
}

/// Decode and verify an issued credential's transfer text (`VN1C:`): one issuer signature, the
/// disclosures and the claims. The like-for-like counterpart of a peer codec that carries no
/// holder binding.
pub fn decode_verify_issued(text: &str, trust: &TrustList) -> Res<usize> {
    let bytes = qr_text::decode_issued(text)?;
    let cwt = SdCwt::parse(&bytes)?;
    let kid = cwt.kid()?;
    let issuer = trust
        .find(&kid)
        .ok_or(citizen_wallet_core::Error::Rejected(RejectReason::UnknownIssuer))?;
    let key = PublicKey::from_bytes(&issuer.public_key)?;
    cwt.sign1.verify(&key, RejectReason::BadIssuerSignature)?;
    cwt.check_disclosures()?;
    Ok(cwt.claims()?.len())
}

// ---------------------------------------------------------------- floors

const B45: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

const fn b45_table() -> [u8; 256] {
    let mut t = [255u8; 256];
    let mut i = 0;
    while i < 45 {
        t[B45[i] as usize] = i as u8;
        i += 1;
    }
    t
}
static B45_LUT: [u8; 256] = b45_table();

/// A table-driven base45 decoder: the floor's decode (not ours).
pub fn base45_decode_reference(s: &[u8], out: &mut Vec<u8>) -> Res<()> {
    out.clear();
    for ch in s.chunks(3) {
        let mut v = [0u32; 3];
        for (slot, &c) in v.iter_mut().zip(ch) {
            let x = B45_LUT[usize::from(c)];
            if x == 255 {
                return Err("base45".into());
            }
            *slot = u32::from(x);
        }
        let n = v[0] + v[1] * 45 + v[2] * 2025;
        if ch.len() == 3 {
            if n > 0xFFFF {
                return Err("base45".into());
            }
            out.push((n >> 8) as u8);
            out.push(n as u8);
        } else if ch.len() == 2 && n <= 0xFF {
            out.push(n as u8);
        } else {
            return Err("base45".into());
        }
    }
    Ok(())
}

/// The QR matrix of `text` at `version`, ECC M, one alphanumeric segment: the floor's encode.
pub fn qr_matrix_floor(text: &str, version: u8) -> Res<QrCode> {
    let mut bits = Bits::new(Version::Normal(i16::from(version)));
    bits.push_alphanumeric_data(text.as_bytes())
        .map_err(|e| format!("{e:?}"))?;
    bits.push_terminator(EcLevel::M).map_err(|e| format!("{e:?}"))?;
    Ok(QrCode::with_bits(bits, EcLevel::M).map_err(|e| format!("{e:?}"))?)
}

/// The floors' keys and messages, sized like the real ones.
pub struct Floors {
    holder: ed25519_dalek::SigningKey,
    holder_pub: ed25519_dalek::VerifyingKey,
    issuer_pub: ed25519_dalek::VerifyingKey,
    kbt_msg: Vec<u8>,
    kbt_sig: ed25519_dalek::Signature,
    cwt_msg: Vec<u8>,
    cwt_sig: ed25519_dalek::Signature,
    text: String,
    version: u8,
}

impl Floors {
    /// `kbt`: the presentation bytes; `issued`: the credential bytes; `text`/`version`: its QR.
    pub fn new(kbt: &[u8], issued: &[u8], text: &str, version: u8) -> Self {
        let holder = ed25519_dalek::SigningKey::from_bytes(&[9; 32]);
        let issuer = ed25519_dalek::SigningKey::from_bytes(&[3; 32]);
        let kbt_msg = kbt.to_vec();
        let cwt_msg = issued.to_vec();
        Self {
            holder_pub: holder.verifying_key(),
            issuer_pub: issuer.verifying_key(),
            kbt_sig: holder.sign(&kbt_msg),
            cwt_sig: issuer.sign(&cwt_msg),
            holder,
            kbt_msg,
            cwt_msg,
            text: text.to_owned(),
            version,
        }
    }

    /// One signature + the QR matrix of the same text.
    pub fn present(&self) -> Res<()> {
        black_box(self.holder.sign(black_box(&self.kbt_msg)));
        black_box(qr_matrix_floor(black_box(&self.text), self.version)?);
        Ok(())
    }

    pub fn sign_only(&self) -> Res<()> {
        black_box(self.holder.sign(black_box(&self.kbt_msg)));
        Ok(())
    }

    pub fn qr_only(&self) -> Res<()> {
        black_box(qr_matrix_floor(black_box(&self.text), self.version)?);
        Ok(())
    }

    /// Two strict verifications + base45 of the same text.
    pub fn verify(&self, buf: &mut Vec<u8>) -> Res<()> {
        let body = self.text.as_bytes().get(4..).ok_or("short text")?;
        base45_decode_reference(black_box(body), buf)?;
        self.issuer_pub
            .verify_strict(black_box(&self.cwt_msg), &self.cwt_sig)?;
        self.holder_pub
            .verify_strict(black_box(&self.kbt_msg), &self.kbt_sig)?;
        Ok(())
    }

    /// One plain (non-strict) verification, for reference.
    pub fn verify_one_plain(&self) -> Res<()> {
        self.holder_pub.verify(black_box(&self.kbt_msg), &self.kbt_sig)?;
        Ok(())
    }

    /// One strict verification, for reference.
    pub fn verify_one_strict(&self) -> Res<()> {
        self.holder_pub
            .verify_strict(black_box(&self.kbt_msg), &self.kbt_sig)?;
        Ok(())
    }

    pub fn base45_only(&self, buf: &mut Vec<u8>) -> Res<()> {
        let body = self.text.as_bytes().get(4..).ok_or("short text")?;
        base45_decode_reference(black_box(body), buf)
    }
}

/// How much to measure.
#[derive(Debug, Clone, Copy)]
pub struct CodecPlan {
    pub present: Plan,
    pub verify: Plan,
    pub png: Plan,
    pub micro: Plan,
}

impl CodecPlan {
    // Short samples (a few hundred µs to a few ms) and many of them: on a shared machine a
    // sample that spans a preemption is an outlier the median drops, where long samples would
    // almost all contain one.
    pub const FULL: CodecPlan = CodecPlan {
        present: Plan::new(5, 151, 1),
        verify: Plan::new(50, 801, 5),
        png: Plan::new(2, 21, 1),
        micro: Plan::new(50, 101, 10),
    };
    pub const QUICK: CodecPlan = CodecPlan {
        present: Plan::new(2, 41, 1),
        verify: Plan::new(20, 201, 5),
        png: Plan::new(1, 7, 1),
        micro: Plan::new(20, 31, 10),
    };
}

/// Runs the presentation and verification measurements.
pub fn run(dir: &Path, people_json: &str, plan: CodecPlan) -> Res<serde_json::Value> {
    let world = World::new(dir, people_json)?;
    let p = world.present()?;
    world.verify(&p.qr_text)?;
    let kbt = qr_text::decode_presentation(&p.qr_text)?;
    let (holder, issued) = world.standalone_holder()?;
    let floors = Floors::new(&kbt, &issued, &p.qr_text, p.qr_version);

    // Ours and its floor in alternation, so both see the same machine state.
    let m = medians_interleaved(
        plan.present,
        &mut [
            &mut || {
                black_box(world.present()?);
                Ok(())
            },
            &mut || floors.present(),
        ],
    )?;
    let (present_us, present_floor_us) = (ns_to_us(m[0]), ns_to_us(m[1]));
    let sign_us = ns_to_us(median_ns(plan.micro, || floors.sign_only())?);
    let qr_floor_us = ns_to_us(median_ns(plan.present, || floors.qr_only())?);
    let build_us = ns_to_us(median_ns(plan.micro, || {
        black_box(encode_presentation_text(&holder, &issued, &world.request.claims)?);
        Ok(())
    })?);
    let qr_fit_us = ns_to_us(median_ns(plan.present, || {
        black_box(citizen_wallet_core::qr::encode(black_box(&p.qr_text))?);
        Ok(())
    })?);

    let mut buf = Vec::with_capacity(kbt.len());
    let m = medians_interleaved(
        plan.verify,
        &mut [&mut || world.verify(black_box(&p.qr_text)), &mut || {
            floors.verify(&mut buf)
        }],
    )?;
    let (verify_us, verify_floor_us) = (ns_to_us(m[0]), ns_to_us(m[1]));
    let verify_strict_us = ns_to_us(median_ns(plan.micro, || floors.verify_one_strict())?);
    let verify_plain_us = ns_to_us(median_ns(plan.micro, || floors.verify_one_plain())?);
    let base45_ref_us = ns_to_us(median_ns(plan.micro, || floors.base45_only(&mut buf))?);
    let base45_ours_us = ns_to_us(median_ns(plan.micro, || {
        black_box(qr_text::decode_presentation(black_box(&p.qr_text))?);
        Ok(())
    })?);

    let png = p.qr.to_png(4)?;
    let verify_png_us = ns_to_us(median_ns(plan.png, || {
        let v = world.verifier.verify_png(black_box(&png))?;
        if v.status != VerdictStatus::Valid {
            return Err("PNG verdict is not Valid".into());
        }
        Ok(())
    })?);

    // The check-in QR per sample person and holder-key type, with a counter's audience, a
    // 16-byte nonce and a national-scale status index (issue 16; crate::qr_budget).
    let per_person = |audience: &str| -> Res<(u8, serde_json::Value)> {
        let sizes = crate::qr_budget::checkin_sizes(crate::PEOPLE_JSON, audience)?;
        let max = sizes.iter().map(|s| s.version).max().unwrap_or(0);
        let mut by_person = serde_json::Map::new();
        for s in &sizes {
            let entry = by_person.entry(s.person.clone()).or_insert_with(|| json!({}));
            if let Some(m) = entry.as_object_mut() {
                m.insert(s.key.to_owned(), json!({"bytes": s.bytes, "version": s.version}));
            }
        }
        Ok((max, serde_json::Value::Object(by_person)))
    };
    let (version_max, per_person_long) = per_person(crate::qr_budget::COUNTER_AUDIENCE)?;
    let (version_max_short, _) = per_person(crate::qr_budget::SHORT_AUDIENCE)?;

    let r = round3;
    Ok(json!({
        "checkin_qr_version_max": version_max,
        "checkin_qr_version_max_short_audience": version_max_short,
        "checkin_qr_per_person": {
            "audience": crate::qr_budget::COUNTER_AUDIENCE,
            "nonce_bytes": crate::qr_budget::COUNTER_NONCE.len(),
            "status_index": crate::qr_budget::STATUS_INDEX,
            "people": per_person_long,
        },
        "present_us": r(present_us),
        "present_floor_us": r(present_floor_us),
        "present_ratio": r(present_us / present_floor_us),
        "verify_us": r(verify_us),
        "verify_floor_us": r(verify_floor_us),
        "verify_ratio": r(verify_us / verify_floor_us),
        "verify_png_us": r(verify_png_us),
        "verifier_per_s": (1e6 / verify_us).round() as u64,
        "checkin_qr_version": p.qr_version,
        "checkin_qr_bytes": p.bytes,
        "checkin_qr_chars": p.qr_text.len(),
        "checkin_png_bytes": png.len(),
        "breakdown": {
            "ed25519_sign_us": r(sign_us),
            "ed25519_verify_strict_us": r(verify_strict_us),
            "ed25519_verify_us": r(verify_plain_us),
            "qr_matrix_floor_us": r(qr_floor_us),
            "qr_fit_ours_us": r(qr_fit_us),
            "presentation_build_and_base45_us": r(build_us),
            "base45_reference_us": r(base45_ref_us),
            "base45_ours_us": r(base45_ours_us),
        },
    }))
}
