//! What a credential row's sealed columns hold before sealing: the credential's fields in a
//! compact, deterministic CBOR encoding (`payload_sealed`), and the small summary a list screen
//! needs (`summary_sealed`). Both are part of the file format.
//!
//! **Payload, encoding 1** (written since schema 3): the CBOR array `[1, type, fields]`, where
//! `type` is [`CredentialType::code`] and `fields` a map from small unsigned integers (the
//! field's number below, fixed forever: add, never renumber) to the values, in ascending key
//! order, every head in its shortest form; absent optional fields and empty lists are left
//! out. Text is text, dates are the integer `YYYYMMDD`, sex is `0` (M), `1` (F) or `2` (X), small
//! numbers are unsigned integers, lists are arrays, nested records (vaccinations, visits,
//! convictions) are maps numbered the same way. The decoder is the strict one of
//! `format/cbor.rs` (one encoding per value), and it refuses unknown or misplaced keys.
//!
//! **Payload, JSON** (schemas 1 and 2): `serde_json` of [`Credential`]. Still read, told apart
//! by its first byte (`{`, where encoding 1 starts with `0x83`); migration 3 rewrites every row
//! in encoding 1 at the first unlock (`WalletDb::upgrade_payloads`).
//!
//! **Summary, encoding 1**: the CBOR map `{0: type, 1: label, 2: issuer, 3: expires_at, 4:
//! valid_to}` (2 to 4 only when known): see [`Summary`].
//!
//! The numbers, per record (`?` optional, `[]` list, left out when empty):
//!
//! | record | fields |
//! |---|---|
//! | citizen ID | 0 citizen_id, 1 old_id?, 2 full_name, 3 dob, 4 sex, 5 address, 6 ethnicity?, 7 nationality?, 8 issue_date? |
//! | health insurance | 0 full_name, 1 dob, 2 code, 3 registered_clinic, 4 valid_from, 5 valid_to, 6 benefit_level? |
//! | health book | 0 full_name, 1 dob, 2 citizen_id, 3 blood_type?, 4 allergies[], 5 chronic[], 6 vaccinations[], 7 visits[] |
//! | vaccination | 0 vaccine, 1 dose, 2 date, 3 place?, 4 lot? |
//! | visit | 0 date, 1 facility, 2 type, 3 reason?, 4 diagnoses[], 5 drugs[], 6 procedures[], 7 height_cm?, 8 weight_kg?, 9 return_date? |
//! | judicial record | 0 full_name, 1 dob, 2 citizen_id, 3 form, 4 status, 5 convictions[], 6 issuer, 7 issued, 8 number |
//! | conviction | 0 offence, 1 law?, 2 judgment?, 3 penalty?, 4 expunged? |
//! | clinic check-in | 0 full_name, 1 dob, 2 citizen_id, 3 bhyt_code |

use zeroize::Zeroizing;

use crate::format::cbor::{self, Value};
use crate::model::{
    CitizenIdCard, ClinicCheckin, Conviction, Credential, CredentialType, Date, HealthBook,
    HealthInsuranceCard, JudicialRecord, Sex, Vaccination, Visit,
};
use crate::{Error, Result};

/// The first element of an encoding-1 payload array.
const PAYLOAD_ENCODING: u64 = 1;
/// Largest payload plaintext the decoder reads (a credential at every list and text limit is
/// well below it).
const MAX_PAYLOAD_BYTES: usize = 4 * 1024 * 1024;
/// Largest summary plaintext the decoder reads.
const MAX_SUMMARY_BYTES: usize = 4 * 1024;

fn unreadable() -> Error {
    Error::Corrupted("stored credential unreadable".into())
}

// ------------------------------------------------------------------------------- writing

fn head(out: &mut Vec<u8>, major: u8, n: u64) {
    cbor::write_head(major, n, out);
}

fn len64(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

fn text(out: &mut Vec<u8>, s: &str) {
    head(out, 3, len64(s.len()));
    out.extend_from_slice(s.as_bytes());
}

fn date_int(d: Date) -> u64 {
    u64::from(d.year()) * 10_000 + u64::from(d.month()) * 100 + u64::from(d.day())
}

/// A map under construction: its entries are written in ascending key order by the caller,
/// counted, and prefixed with their head by [`MapW::finish`].
struct MapW {
    buf: Vec<u8>,
    n: u64,
}

impl MapW {
    fn new() -> Self {
        Self {
            buf: Vec::with_capacity(256),
            n: 0,
        }
    }
    fn key(&mut self, k: u64) {
        self.n += 1;
        head(&mut self.buf, 0, k);
    }
    fn text(&mut self, k: u64, s: &str) {
        self.key(k);
        text(&mut self.buf, s);
    }
    fn opt_text(&mut self, k: u64, s: Option<&String>) {
        if let Some(s) = s {
            self.text(k, s);
        }
    }
    fn uint(&mut self, k: u64, v: u64) {
        self.key(k);
        head(&mut self.buf, 0, v);
    }
    fn opt_uint(&mut self, k: u64, v: Option<u64>) {
        if let Some(v) = v {
            self.uint(k, v);
        }
    }
    fn date(&mut self, k: u64, d: Date) {
        self.uint(k, date_int(d));
    }
    fn opt_date(&mut self, k: u64, d: Option<Date>) {
        if let Some(d) = d {
            self.date(k, d);
        }
    }
    fn texts(&mut self, k: u64, v: &[String]) {
        if !v.is_empty() {
            self.key(k);
            head(&mut self.buf, 4, len64(v.len()));
            for s in v {
                text(&mut self.buf, s);
            }
        }
    }
    fn records<T>(&mut self, k: u64, v: &[T], write: fn(&T, &mut Vec<u8>)) {
        if !v.is_empty() {
            self.key(k);
            head(&mut self.buf, 4, len64(v.len()));
            for r in v {
                write(r, &mut self.buf);
            }
        }
    }
    fn finish(self, out: &mut Vec<u8>) {
        head(out, 5, self.n);
        out.extend_from_slice(&self.buf);
    }
}

fn sex_code(s: Sex) -> u64 {
    match s {
        Sex::Male => 0,
        Sex::Female => 1,
        Sex::Other => 2,
    }
}

fn vaccination(v: &Vaccination, out: &mut Vec<u8>) {
    let mut m = MapW::new();
    m.text(0, &v.vaccine);
    m.uint(1, u64::from(v.dose));
    m.date(2, v.date);
    m.opt_text(3, v.place.as_ref());
    m.opt_text(4, v.lot.as_ref());
    m.finish(out);
}

fn visit(v: &Visit, out: &mut Vec<u8>) {
    let mut m = MapW::new();
    m.date(0, v.date);
    m.text(1, &v.facility);
    m.text(2, &v.visit_type);
    m.opt_text(3, v.reason.as_ref());
    m.texts(4, &v.diagnoses);
    m.texts(5, &v.drugs);
    m.texts(6, &v.procedures);
    m.opt_uint(7, v.height_cm.map(u64::from));
    m.opt_uint(8, v.weight_kg.map(u64::from));
    m.opt_date(9, v.return_date);
    m.finish(out);
}

fn conviction(c: &Conviction, out: &mut Vec<u8>) {
    let mut m = MapW::new();
    m.text(0, &c.offence);
    m.opt_text(1, c.law.as_ref());
    m.opt_text(2, c.judgment.as_ref());
    m.opt_text(3, c.penalty.as_ref());
    m.opt_date(4, c.expunged);
    m.finish(out);
}

fn fields(credential: &Credential) -> MapW {
    let mut m = MapW::new();
    match credential {
        Credential::CitizenId(c) => {
            m.text(0, &c.citizen_id);
            m.opt_text(1, c.old_id.as_ref());
            m.text(2, &c.full_name);
            m.date(3, c.dob);
            m.uint(4, sex_code(c.sex));
            m.text(5, &c.address);
            m.opt_text(6, c.ethnicity.as_ref());
            m.opt_text(7, c.nationality.as_ref());
            m.opt_date(8, c.issue_date);
        }
        Credential::HealthInsurance(c) => {
            m.text(0, &c.full_name);
            m.date(1, c.dob);
            m.text(2, &c.code);
            m.text(3, &c.registered_clinic);
            m.date(4, c.valid_from);
            m.date(5, c.valid_to);
            m.opt_uint(6, c.benefit_level.map(u64::from));
        }
        Credential::HealthBook(c) => {
            m.text(0, &c.full_name);
            m.date(1, c.dob);
            m.text(2, &c.citizen_id);
            m.opt_text(3, c.blood_type.as_ref());
            m.texts(4, &c.allergies);
            m.texts(5, &c.chronic);
            m.records(6, &c.vaccinations, vaccination);
            m.records(7, &c.visits, visit);
        }
        Credential::JudicialRecord(c) => {
            m.text(0, &c.full_name);
            m.date(1, c.dob);
            m.text(2, &c.citizen_id);
            m.uint(3, u64::from(c.form));
            m.text(4, &c.status);
            m.records(5, &c.convictions, conviction);
            m.text(6, &c.issuer);
            m.date(7, c.issued);
            m.text(8, &c.number);
        }
        Credential::ClinicCheckin(c) => {
            m.text(0, &c.full_name);
            m.date(1, c.dob);
            m.text(2, &c.citizen_id);
            m.text(3, &c.bhyt_code);
        }
    }
    m
}

/// The payload plaintext of `credential` (encoding 1).
pub(crate) fn encode(credential: &Credential) -> Zeroizing<Vec<u8>> {
    let m = fields(credential);
    let mut out = Zeroizing::new(Vec::with_capacity(m.buf.len() + 8));
    head(&mut out, 4, 3);
    head(&mut out, 0, PAYLOAD_ENCODING);
    head(&mut out, 0, u64::from(credential.credential_type().code()));
    m.finish(&mut out);
    out
}

// ------------------------------------------------------------------------------- reading

/// A decoded map's values by key (`N` keys known: any other key, a repeated one or keys out
/// of order are unreadable).
struct Fields<const N: usize>([Option<Value>; N]);

impl<const N: usize> Fields<N> {
    fn of(v: Value) -> Result<Self> {
        let Value::Map(entries) = v else {
            return Err(unreadable());
        };
        let mut slots: [Option<Value>; N] = std::array::from_fn(|_| None);
        let mut last: Option<usize> = None;
        for (k, v) in entries {
            let k = k
                .as_u64()
                .and_then(|k| usize::try_from(k).ok())
                .filter(|k| *k < N && last.is_none_or(|l| *k > l))
                .ok_or_else(unreadable)?;
            last = Some(k);
            slots[k] = Some(v);
        }
        Ok(Self(slots))
    }
    fn take(&mut self, k: usize) -> Option<Value> {
        self.0.get_mut(k).and_then(Option::take)
    }
    fn text(&mut self, k: usize) -> Result<String> {
        self.opt_text(k)?.ok_or_else(unreadable)
    }
    fn opt_text(&mut self, k: usize) -> Result<Option<String>> {
        self.take(k)
            .map(|v| match v {
                Value::Text(s) => Ok(s),
                _ => Err(unreadable()),
            })
            .transpose()
    }
    fn opt_uint(&mut self, k: usize) -> Result<Option<u64>> {
        self.take(k)
            .map(|v| v.as_u64().ok_or_else(unreadable))
            .transpose()
    }
    fn uint(&mut self, k: usize) -> Result<u64> {
        self.opt_uint(k)?.ok_or_else(unreadable)
    }
    fn small<T: TryFrom<u64>>(&mut self, k: usize) -> Result<T> {
        T::try_from(self.uint(k)?).map_err(|_| unreadable())
    }
    fn opt_small<T: TryFrom<u64>>(&mut self, k: usize) -> Result<Option<T>> {
        self.opt_uint(k)?
            .map(|v| T::try_from(v).map_err(|_| unreadable()))
            .transpose()
    }
    fn date(&mut self, k: usize) -> Result<Date> {
        self.opt_date(k)?.ok_or_else(unreadable)
    }
    fn opt_date(&mut self, k: usize) -> Result<Option<Date>> {
        self.opt_uint(k)?.map(date_of).transpose()
    }
    fn array(&mut self, k: usize) -> Result<Vec<Value>> {
        match self.take(k) {
            None => Ok(Vec::new()),
            Some(Value::Array(a)) if !a.is_empty() => Ok(a),
            Some(_) => Err(unreadable()),
        }
    }
    fn texts(&mut self, k: usize) -> Result<Vec<String>> {
        self.array(k)?
            .into_iter()
            .map(|v| match v {
                Value::Text(s) => Ok(s),
                _ => Err(unreadable()),
            })
            .collect()
    }
    fn records<T>(&mut self, k: usize, read: fn(Value) -> Result<T>) -> Result<Vec<T>> {
        self.array(k)?.into_iter().map(read).collect()
    }
}

fn date_of(v: u64) -> Result<Date> {
    let y = u16::try_from(v / 10_000).map_err(|_| unreadable())?;
    // The remainders are below 100: the casts cannot truncate.
    Date::new(y, (v / 100 % 100) as u8, (v % 100) as u8).map_err(|_| unreadable())
}

fn read_vaccination(v: Value) -> Result<Vaccination> {
    let mut f = Fields::<5>::of(v)?;
    Ok(Vaccination {
        vaccine: f.text(0)?,
        dose: f.small(1)?,
        date: f.date(2)?,
        place: f.opt_text(3)?,
        lot: f.opt_text(4)?,
    })
}

fn read_visit(v: Value) -> Result<Visit> {
    let mut f = Fields::<10>::of(v)?;
    Ok(Visit {
        date: f.date(0)?,
        facility: f.text(1)?,
        visit_type: f.text(2)?,
        reason: f.opt_text(3)?,
        diagnoses: f.texts(4)?,
        drugs: f.texts(5)?,
        procedures: f.texts(6)?,
        height_cm: f.opt_small(7)?,
        weight_kg: f.opt_small(8)?,
        return_date: f.opt_date(9)?,
    })
}

fn read_conviction(v: Value) -> Result<Conviction> {
    let mut f = Fields::<5>::of(v)?;
    Ok(Conviction {
        offence: f.text(0)?,
        law: f.opt_text(1)?,
        judgment: f.opt_text(2)?,
        penalty: f.opt_text(3)?,
        expunged: f.opt_date(4)?,
    })
}

fn read_fields(ty: CredentialType, v: Value) -> Result<Credential> {
    Ok(match ty {
        CredentialType::CitizenId => {
            let mut f = Fields::<9>::of(v)?;
            Credential::CitizenId(CitizenIdCard {
                citizen_id: f.text(0)?,
                old_id: f.opt_text(1)?,
                full_name: f.text(2)?,
                dob: f.date(3)?,
                sex: match f.uint(4)? {
                    0 => Sex::Male,
                    1 => Sex::Female,
                    2 => Sex::Other,
                    _ => return Err(unreadable()),
                },
                address: f.text(5)?,
                ethnicity: f.opt_text(6)?,
                nationality: f.opt_text(7)?,
                issue_date: f.opt_date(8)?,
            })
        }
        CredentialType::HealthInsurance => {
            let mut f = Fields::<7>::of(v)?;
            Credential::HealthInsurance(HealthInsuranceCard {
                full_name: f.text(0)?,
                dob: f.date(1)?,
                code: f.text(2)?,
                registered_clinic: f.text(3)?,
                valid_from: f.date(4)?,
                valid_to: f.date(5)?,
                benefit_level: f.opt_small(6)?,
            })
        }
        CredentialType::HealthBook => {
            let mut f = Fields::<8>::of(v)?;
            Credential::HealthBook(HealthBook {
                full_name: f.text(0)?,
                dob: f.date(1)?,
                citizen_id: f.text(2)?,
                blood_type: f.opt_text(3)?,
                allergies: f.texts(4)?,
                chronic: f.texts(5)?,
                vaccinations: f.records(6, read_vaccination)?,
                visits: f.records(7, read_visit)?,
            })
        }
        CredentialType::JudicialRecord => {
            let mut f = Fields::<9>::of(v)?;
            Credential::JudicialRecord(JudicialRecord {
                full_name: f.text(0)?,
                dob: f.date(1)?,
                citizen_id: f.text(2)?,
                form: f.small(3)?,
                status: f.text(4)?,
                convictions: f.records(5, read_conviction)?,
                issuer: f.text(6)?,
                issued: f.date(7)?,
                number: f.text(8)?,
            })
        }
        CredentialType::ClinicCheckin => {
            let mut f = Fields::<4>::of(v)?;
            Credential::ClinicCheckin(ClinicCheckin {
                full_name: f.text(0)?,
                dob: f.date(1)?,
                citizen_id: f.text(2)?,
                bhyt_code: f.text(3)?,
            })
        }
    })
}

/// Whether `plain` is a payload in the JSON of schemas 1 and 2.
pub(crate) fn is_json(plain: &[u8]) -> bool {
    plain.first() == Some(&b'{')
}

/// The credential in a payload plaintext: encoding 1, or the JSON older wallets wrote.
pub(crate) fn decode(plain: &[u8]) -> Result<Credential> {
    if is_json(plain) {
        return serde_json::from_slice(plain).map_err(|_| unreadable());
    }
    let v = cbor::decode(plain, MAX_PAYLOAD_BYTES).map_err(|_| unreadable())?;
    let Value::Array(items) = v else {
        return Err(unreadable());
    };
    let [enc, ty, fields]: [Value; 3] = items.try_into().map_err(|_| unreadable())?;
    if enc.as_u64() != Some(PAYLOAD_ENCODING) {
        return Err(unreadable());
    }
    let ty = ty
        .as_u64()
        .and_then(CredentialType::from_code)
        .ok_or_else(unreadable)?;
    read_fields(ty, fields)
}

// ------------------------------------------------------------------------------- summary

/// What a list screen shows of a credential, without opening its payload.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Summary {
    /// The credential's type.
    pub(crate) credential_type: CredentialType,
    /// The holder's full name, as the credential gives it.
    pub(crate) label: String,
    /// Who issued it: the issuer id (`iss`) of an issuer-signed credential, the issuing office
    /// of a judicial record added by hand; `None` otherwise.
    pub(crate) issuer: Option<String>,
    /// When the issuer-signed form expires (Unix seconds), if the wallet holds one.
    pub(crate) expires_at: Option<i64>,
    /// The last day of validity the credential itself states (a health insurance card).
    pub(crate) valid_to: Option<Date>,
}

impl std::fmt::Debug for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Summary({:?} {{ .. }})", self.credential_type)
    }
}

impl Summary {
    /// The summary of `credential`, with the issuer and expiry of its issuer-signed form
    /// `issued` (SD-CWT bytes, already checked on import) when there is one.
    pub(crate) fn of(credential: &Credential, issued: Option<&[u8]>) -> Result<Self> {
        let (label, own_issuer, valid_to) = match credential {
            Credential::CitizenId(c) => (&c.full_name, None, None),
            Credential::HealthInsurance(c) => (&c.full_name, None, Some(c.valid_to)),
            Credential::HealthBook(c) => (&c.full_name, None, None),
            Credential::JudicialRecord(c) => (&c.full_name, Some(&c.issuer), None),
            Credential::ClinicCheckin(c) => (&c.full_name, None, None),
        };
        let (issuer, expires_at) = match issued {
            Some(bytes) => {
                let cwt = crate::format::sd_cwt::SdCwt::parse(bytes)?;
                (Some(cwt.iss()?.to_owned()), Some(cwt.exp()?))
            }
            None => (own_issuer.cloned(), None),
        };
        Ok(Self {
            credential_type: credential.credential_type(),
            label: label.clone(),
            issuer,
            expires_at,
            valid_to,
        })
    }

    /// The summary plaintext (encoding 1).
    pub(crate) fn encode(&self) -> Zeroizing<Vec<u8>> {
        let mut m = MapW::new();
        m.uint(0, u64::from(self.credential_type.code()));
        m.text(1, &self.label);
        m.opt_text(2, self.issuer.as_ref());
        if let Some(t) = self.expires_at {
            m.key(3);
            cbor::encode_into(&Value::int(t), &mut m.buf);
        }
        m.opt_date(4, self.valid_to);
        let mut out = Zeroizing::new(Vec::with_capacity(m.buf.len() + 2));
        m.finish(&mut out);
        out
    }

    /// The summary in a summary plaintext.
    pub(crate) fn decode(plain: &[u8]) -> Result<Self> {
        let v = cbor::decode(plain, MAX_SUMMARY_BYTES).map_err(|_| unreadable())?;
        let mut f = Fields::<5>::of(v)?;
        Ok(Self {
            credential_type: CredentialType::from_code(f.uint(0)?).ok_or_else(unreadable)?,
            label: f.text(1)?,
            issuer: f.opt_text(2)?,
            expires_at: f.take(3).map(|v| v.as_i64().ok_or_else(unreadable)).transpose()?,
            valid_to: f.opt_date(4)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn samples() -> Vec<Credential> {
        let json = include_str!("../../tests/data/people.json");
        crate::model::PersonRecord::parse_list(json)
            .unwrap()
            .iter()
            .flat_map(|p| p.credentials().unwrap())
            .collect()
    }

    #[test]
    fn every_sample_round_trips_and_is_smaller_than_its_json() {
        for c in samples() {
            let bytes = encode(&c);
            assert_eq!(decode(&bytes).unwrap(), c);
            assert_eq!(bytes[0], 0x83);
            // Deterministic: the strict decoder's re-encoding is the same bytes.
            let v = cbor::decode(&bytes, MAX_PAYLOAD_BYTES).unwrap();
            assert_eq!(cbor::encode(&v), *bytes);
            let json = serde_json::to_vec(&c).unwrap();
            assert!(
                bytes.len() * 10 < json.len() * 8,
                "{} vs {}",
                bytes.len(),
                json.len()
            );
            // The JSON older wallets wrote still reads.
            assert!(is_json(&json));
            assert_eq!(decode(&json).unwrap(), c);
        }
    }

    #[test]
    fn damaged_payloads_are_typed_errors() {
        let c = samples().remove(0);
        let bytes = encode(&c);
        for cut in 0..bytes.len() {
            assert!(matches!(decode(&bytes[..cut]), Err(Error::Corrupted(_))));
        }
        for (i, b) in [(1, 2u8), (2, 9), (3, 0xa0)] {
            let mut d = bytes.to_vec();
            d[i] = b;
            assert!(decode(&d).is_err(), "byte {i}");
        }
        // An unknown field number.
        let mut v = cbor::decode(&bytes, MAX_PAYLOAD_BYTES).unwrap();
        if let Value::Array(a) = &mut v {
            if let Value::Map(m) = &mut a[2] {
                m.push((Value::Uint(30), Value::Null));
            }
        }
        assert!(matches!(decode(&cbor::encode(&v)), Err(Error::Corrupted(_))));
    }

    #[test]
    fn summaries_round_trip() {
        for c in samples() {
            let s = Summary::of(&c, None).unwrap();
            assert_eq!(Summary::decode(&s.encode()).unwrap(), s);
            let with = Summary {
                issuer: Some("BHXH".into()),
                expires_at: Some(1_800_000_000),
                ..s
            };
            assert_eq!(Summary::decode(&with.encode()).unwrap(), with);
        }
    }
}
