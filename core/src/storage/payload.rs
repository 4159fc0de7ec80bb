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
//! convictions) are maps numbered the same way. The decoder reads the bytes straight into
//! the records (no tree of values: the values are authenticated, this is about speed), and
//! refuses unknown, repeated or out-of-order keys, a type or length out of place, trailing
//! bytes; the tests check the encoding against the strict decoder of `format/cbor.rs`.
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

use crate::format::cbor;
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

/// A map being written into `out`: its entries are written in ascending key order by the
/// caller, counted, and its head (one byte: no record has 24 fields) is patched in by
/// [`MapW::finish`]. No buffer of its own: nested records write into the same output.
struct MapW<'a> {
    out: &'a mut Vec<u8>,
    at: usize,
    n: u8,
}

impl<'a> MapW<'a> {
    fn new(out: &'a mut Vec<u8>) -> Self {
        let at = out.len();
        out.push(0xa0);
        Self { out, at, n: 0 }
    }
    fn key(&mut self, k: u64) {
        self.n += 1;
        head(self.out, 0, k);
    }
    fn text(&mut self, k: u64, s: &str) {
        self.key(k);
        text(self.out, s);
    }
    fn opt_text(&mut self, k: u64, s: Option<&String>) {
        if let Some(s) = s {
            self.text(k, s);
        }
    }
    fn uint(&mut self, k: u64, v: u64) {
        self.key(k);
        head(self.out, 0, v);
    }
    fn opt_uint(&mut self, k: u64, v: Option<u64>) {
        if let Some(v) = v {
            self.uint(k, v);
        }
    }
    fn int(&mut self, k: u64, v: i64) {
        self.key(k);
        match u64::try_from(v) {
            Ok(u) => head(self.out, 0, u),
            Err(_) => head(self.out, 1, (-1 - v).unsigned_abs()),
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
            head(self.out, 4, len64(v.len()));
            for s in v {
                text(self.out, s);
            }
        }
    }
    fn records<T>(&mut self, k: u64, v: &[T], write: fn(&T, &mut Vec<u8>)) {
        if !v.is_empty() {
            self.key(k);
            head(self.out, 4, len64(v.len()));
            for r in v {
                write(r, self.out);
            }
        }
    }
    fn finish(self) {
        debug_assert!(self.n < 24);
        self.out[self.at] = 0xa0 | self.n;
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
    let mut m = MapW::new(out);
    m.text(0, &v.vaccine);
    m.uint(1, u64::from(v.dose));
    m.date(2, v.date);
    m.opt_text(3, v.place.as_ref());
    m.opt_text(4, v.lot.as_ref());
    m.finish();
}

fn visit(v: &Visit, out: &mut Vec<u8>) {
    let mut m = MapW::new(out);
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
    m.finish();
}

fn conviction(c: &Conviction, out: &mut Vec<u8>) {
    let mut m = MapW::new(out);
    m.text(0, &c.offence);
    m.opt_text(1, c.law.as_ref());
    m.opt_text(2, c.judgment.as_ref());
    m.opt_text(3, c.penalty.as_ref());
    m.opt_date(4, c.expunged);
    m.finish();
}

fn fields(credential: &Credential, out: &mut Vec<u8>) {
    let mut m = MapW::new(out);
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
    m.finish();
}

/// The payload plaintext of `credential` (encoding 1).
pub fn encode(credential: &Credential) -> Zeroizing<Vec<u8>> {
    // Room for every sample record; a larger one grows the buffer, whose old copies are then
    // freed unwiped (as serde_json's were).
    let mut out = Zeroizing::new(Vec::with_capacity(1024));
    head(&mut out, 4, 3);
    head(&mut out, 0, PAYLOAD_ENCODING);
    head(&mut out, 0, u64::from(credential.credential_type().code()));
    fields(credential, &mut out);
    out
}

// ------------------------------------------------------------------------------- reading

/// A reader of the payload encoding, straight from the bytes into the records (no tree of
/// values, no allocation but the records' own). Every length is checked against the bytes
/// left before anything is allocated; any surprise is [`unreadable`].
struct Rd<'a> {
    b: &'a [u8],
    pos: usize,
}

impl Rd<'_> {
    fn byte(&mut self) -> Result<u8> {
        let v = *self.b.get(self.pos).ok_or_else(unreadable)?;
        self.pos += 1;
        Ok(v)
    }
    fn bytes(&mut self, n: usize) -> Result<&[u8]> {
        let end = self.pos.checked_add(n).ok_or_else(unreadable)?;
        let s = self.b.get(self.pos..end).ok_or_else(unreadable)?;
        self.pos = end;
        Ok(s)
    }
    fn left(&self) -> usize {
        self.b.len().saturating_sub(self.pos)
    }
    /// A head of major type `major`: its argument.
    fn head(&mut self, major: u8) -> Result<u64> {
        let ib = self.byte()?;
        if ib >> 5 != major {
            return Err(unreadable());
        }
        let n = match ib & 0x1f {
            ai @ 0..=23 => return Ok(u64::from(ai)),
            24 => 1,
            25 => 2,
            26 => 4,
            27 => 8,
            _ => return Err(unreadable()),
        };
        Ok(self.bytes(n)?.iter().fold(0u64, |a, b| a << 8 | u64::from(*b)))
    }
    fn uint(&mut self) -> Result<u64> {
        self.head(0)
    }
    fn int(&mut self) -> Result<i64> {
        match self.b.get(self.pos).map(|b| b >> 5) {
            Some(0) => i64::try_from(self.head(0)?).map_err(|_| unreadable()),
            Some(1) => i64::try_from(self.head(1)?)
                .map(|n| -1 - n)
                .map_err(|_| unreadable()),
            _ => Err(unreadable()),
        }
    }
    fn small<T: TryFrom<u64>>(&mut self) -> Result<T> {
        T::try_from(self.uint()?).map_err(|_| unreadable())
    }
    fn text(&mut self) -> Result<String> {
        let n = usize::try_from(self.head(3)?).map_err(|_| unreadable())?;
        let s = self.bytes(n)?;
        String::from_utf8(s.to_vec()).map_err(|_| unreadable())
    }
    fn date(&mut self) -> Result<Date> {
        date_of(self.uint()?)
    }
    /// A non-empty array's length (each element takes at least a byte).
    fn array(&mut self) -> Result<usize> {
        let n = usize::try_from(self.head(4)?).map_err(|_| unreadable())?;
        if n == 0 || n > self.left() {
            return Err(unreadable());
        }
        Ok(n)
    }
    fn texts(&mut self) -> Result<Vec<String>> {
        let n = self.array()?;
        (0..n).map(|_| self.text()).collect()
    }
    fn records<T>(&mut self, read: fn(&mut Self) -> Result<T>) -> Result<Vec<T>> {
        let n = self.array()?;
        (0..n).map(|_| read(self)).collect()
    }
    /// A map of a record with `keys` field numbers: calls `field` with each key, in strictly
    /// ascending order (anything else, or an unknown key, is unreadable).
    fn map(&mut self, keys: u64, mut field: impl FnMut(&mut Self, u64) -> Result<()>) -> Result<()> {
        let n = self.head(5)?;
        let mut next = 0;
        for _ in 0..n {
            let k = self.uint()?;
            if k < next || k >= keys {
                return Err(unreadable());
            }
            next = k + 1;
            field(self, k)?;
        }
        Ok(())
    }
}

/// A required field that was there.
fn req<T>(v: Option<T>) -> Result<T> {
    v.ok_or_else(unreadable)
}

fn date_of(v: u64) -> Result<Date> {
    let y = u16::try_from(v / 10_000).map_err(|_| unreadable())?;
    // The remainders are below 100: the casts cannot truncate.
    Date::new(y, (v / 100 % 100) as u8, (v % 100) as u8).map_err(|_| unreadable())
}

fn read_vaccination(r: &mut Rd<'_>) -> Result<Vaccination> {
    let (mut vaccine, mut dose, mut date, mut place, mut lot) = (None, None, None, None, None);
    r.map(5, |r, k| {
        match k {
            0 => vaccine = Some(r.text()?),
            1 => dose = Some(r.small()?),
            2 => date = Some(r.date()?),
            3 => place = Some(r.text()?),
            _ => lot = Some(r.text()?),
        }
        Ok(())
    })?;
    Ok(Vaccination {
        vaccine: req(vaccine)?,
        dose: req(dose)?,
        date: req(date)?,
        place,
        lot,
    })
}

fn read_visit(r: &mut Rd<'_>) -> Result<Visit> {
    let (mut date, mut facility, mut visit_type, mut reason) = (None, None, None, None);
    let (mut diagnoses, mut drugs, mut procedures) = (Vec::new(), Vec::new(), Vec::new());
    let (mut height_cm, mut weight_kg, mut return_date) = (None, None, None);
    r.map(10, |r, k| {
        match k {
            0 => date = Some(r.date()?),
            1 => facility = Some(r.text()?),
            2 => visit_type = Some(r.text()?),
            3 => reason = Some(r.text()?),
            4 => diagnoses = r.texts()?,
            5 => drugs = r.texts()?,
            6 => procedures = r.texts()?,
            7 => height_cm = Some(r.small()?),
            8 => weight_kg = Some(r.small()?),
            _ => return_date = Some(r.date()?),
        }
        Ok(())
    })?;
    Ok(Visit {
        date: req(date)?,
        facility: req(facility)?,
        visit_type: req(visit_type)?,
        reason,
        diagnoses,
        drugs,
        procedures,
        height_cm,
        weight_kg,
        return_date,
    })
}

fn read_conviction(r: &mut Rd<'_>) -> Result<Conviction> {
    let (mut offence, mut law, mut judgment, mut penalty, mut expunged) = (None, None, None, None, None);
    r.map(5, |r, k| {
        match k {
            0 => offence = Some(r.text()?),
            1 => law = Some(r.text()?),
            2 => judgment = Some(r.text()?),
            3 => penalty = Some(r.text()?),
            _ => expunged = Some(r.date()?),
        }
        Ok(())
    })?;
    Ok(Conviction {
        offence: req(offence)?,
        law,
        judgment,
        penalty,
        expunged,
    })
}

fn read_citizen_id(r: &mut Rd<'_>) -> Result<CitizenIdCard> {
    let (mut citizen_id, mut old_id, mut full_name, mut dob, mut sex) = (None, None, None, None, None);
    let (mut address, mut ethnicity, mut nationality, mut issue_date) = (None, None, None, None);
    r.map(9, |r, k| {
        match k {
            0 => citizen_id = Some(r.text()?),
            1 => old_id = Some(r.text()?),
            2 => full_name = Some(r.text()?),
            3 => dob = Some(r.date()?),
            4 => {
                sex = Some(match r.uint()? {
                    0 => Sex::Male,
                    1 => Sex::Female,
                    2 => Sex::Other,
                    _ => return Err(unreadable()),
                })
            }
            5 => address = Some(r.text()?),
            6 => ethnicity = Some(r.text()?),
            7 => nationality = Some(r.text()?),
            _ => issue_date = Some(r.date()?),
        }
        Ok(())
    })?;
    Ok(CitizenIdCard {
        citizen_id: req(citizen_id)?,
        old_id,
        full_name: req(full_name)?,
        dob: req(dob)?,
        sex: req(sex)?,
        address: req(address)?,
        ethnicity,
        nationality,
        issue_date,
    })
}

fn read_health_insurance(r: &mut Rd<'_>) -> Result<HealthInsuranceCard> {
    let (mut full_name, mut dob, mut code, mut registered_clinic) = (None, None, None, None);
    let (mut valid_from, mut valid_to, mut benefit_level) = (None, None, None);
    r.map(7, |r, k| {
        match k {
            0 => full_name = Some(r.text()?),
            1 => dob = Some(r.date()?),
            2 => code = Some(r.text()?),
            3 => registered_clinic = Some(r.text()?),
            4 => valid_from = Some(r.date()?),
            5 => valid_to = Some(r.date()?),
            _ => benefit_level = Some(r.small()?),
        }
        Ok(())
    })?;
    Ok(HealthInsuranceCard {
        full_name: req(full_name)?,
        dob: req(dob)?,
        code: req(code)?,
        registered_clinic: req(registered_clinic)?,
        valid_from: req(valid_from)?,
        valid_to: req(valid_to)?,
        benefit_level,
    })
}

fn read_health_book(r: &mut Rd<'_>) -> Result<HealthBook> {
    let (mut full_name, mut dob, mut citizen_id, mut blood_type) = (None, None, None, None);
    let (mut allergies, mut chronic, mut vaccinations, mut visits) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    r.map(8, |r, k| {
        match k {
            0 => full_name = Some(r.text()?),
            1 => dob = Some(r.date()?),
            2 => citizen_id = Some(r.text()?),
            3 => blood_type = Some(r.text()?),
            4 => allergies = r.texts()?,
            5 => chronic = r.texts()?,
            6 => vaccinations = r.records(read_vaccination)?,
            _ => visits = r.records(read_visit)?,
        }
        Ok(())
    })?;
    Ok(HealthBook {
        full_name: req(full_name)?,
        dob: req(dob)?,
        citizen_id: req(citizen_id)?,
        blood_type,
        allergies,
        chronic,
        vaccinations,
        visits,
    })
}

fn read_judicial_record(r: &mut Rd<'_>) -> Result<JudicialRecord> {
    let (mut full_name, mut dob, mut citizen_id, mut form, mut status) = (None, None, None, None, None);
    let (mut convictions, mut issuer, mut issued, mut number) = (Vec::new(), None, None, None);
    r.map(9, |r, k| {
        match k {
            0 => full_name = Some(r.text()?),
            1 => dob = Some(r.date()?),
            2 => citizen_id = Some(r.text()?),
            3 => form = Some(r.small()?),
            4 => status = Some(r.text()?),
            5 => convictions = r.records(read_conviction)?,
            6 => issuer = Some(r.text()?),
            7 => issued = Some(r.date()?),
            _ => number = Some(r.text()?),
        }
        Ok(())
    })?;
    Ok(JudicialRecord {
        full_name: req(full_name)?,
        dob: req(dob)?,
        citizen_id: req(citizen_id)?,
        form: req(form)?,
        status: req(status)?,
        convictions,
        issuer: req(issuer)?,
        issued: req(issued)?,
        number: req(number)?,
    })
}

fn read_clinic_checkin(r: &mut Rd<'_>) -> Result<ClinicCheckin> {
    let (mut full_name, mut dob, mut citizen_id, mut bhyt_code) = (None, None, None, None);
    r.map(4, |r, k| {
        match k {
            0 => full_name = Some(r.text()?),
            1 => dob = Some(r.date()?),
            2 => citizen_id = Some(r.text()?),
            _ => bhyt_code = Some(r.text()?),
        }
        Ok(())
    })?;
    Ok(ClinicCheckin {
        full_name: req(full_name)?,
        dob: req(dob)?,
        citizen_id: req(citizen_id)?,
        bhyt_code: req(bhyt_code)?,
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
    if plain.len() > MAX_PAYLOAD_BYTES {
        return Err(unreadable());
    }
    let mut r = Rd { b: plain, pos: 0 };
    if r.head(4)? != 3 || r.uint()? != PAYLOAD_ENCODING {
        return Err(unreadable());
    }
    let ty = CredentialType::from_code(r.uint()?).ok_or_else(unreadable)?;
    let credential = match ty {
        CredentialType::CitizenId => Credential::CitizenId(read_citizen_id(&mut r)?),
        CredentialType::HealthInsurance => Credential::HealthInsurance(read_health_insurance(&mut r)?),
        CredentialType::HealthBook => Credential::HealthBook(read_health_book(&mut r)?),
        CredentialType::JudicialRecord => Credential::JudicialRecord(read_judicial_record(&mut r)?),
        CredentialType::ClinicCheckin => Credential::ClinicCheckin(read_clinic_checkin(&mut r)?),
    };
    if r.left() != 0 {
        return Err(unreadable());
    }
    Ok(credential)
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
                // Format 2 credentials name no issuer (the counter finds it by key): their
                // summary has none. Format 1 credentials keep theirs.
                (cwt.iss().ok().map(str::to_owned), Some(cwt.exp()?))
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
        let mut out = Zeroizing::new(Vec::with_capacity(128));
        let mut m = MapW::new(&mut out);
        m.uint(0, u64::from(self.credential_type.code()));
        m.text(1, &self.label);
        m.opt_text(2, self.issuer.as_ref());
        if let Some(t) = self.expires_at {
            m.int(3, t);
        }
        m.opt_date(4, self.valid_to);
        m.finish();
        out
    }

    /// The summary in a summary plaintext.
    pub(crate) fn decode(plain: &[u8]) -> Result<Self> {
        if plain.len() > MAX_SUMMARY_BYTES {
            return Err(unreadable());
        }
        let mut r = Rd { b: plain, pos: 0 };
        let (mut ty, mut label, mut issuer, mut expires_at, mut valid_to) = (None, None, None, None, None);
        r.map(5, |r, k| {
            match k {
                0 => ty = Some(CredentialType::from_code(r.uint()?).ok_or_else(unreadable)?),
                1 => label = Some(r.text()?),
                2 => issuer = Some(r.text()?),
                3 => expires_at = Some(r.int()?),
                _ => valid_to = Some(r.date()?),
            }
            Ok(())
        })?;
        if r.left() != 0 {
            return Err(unreadable());
        }
        Ok(Self {
            credential_type: req(ty)?,
            label: req(label)?,
            issuer,
            expires_at,
            valid_to,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::cbor::Value;

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
            // Every sample's summary is in the first size class (128 bytes, with the marker).
            assert!(with.encode().len() < 128, "{}", with.encode().len());
        }
    }
}
