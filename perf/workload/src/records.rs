//! The store's test records: 10,000 realistic credentials of about 1 KB of JSON each.
//!
//! Built from the synthetic people of `core/tests/data/people.json`: 9 in 10 are electronic
//! health books, 1 in 10 judicial records (the type that `list_by_type` asks for, so a listing
//! returns ~1,000 of 10,000 rows). Each record gets the person's own entries plus visits,
//! vaccinations or convictions drawn from the samples until its JSON is about 1 KB (a health
//! book grows with every visit), with dates, lot numbers, judgment and certificate numbers
//! derived from the record's index, so no two rows are alike. Every record is a valid
//! credential (built through `Credential::from_value`, which validates).

use citizen_wallet_core::model::{Credential, CredentialType, PersonRecord};
use serde_json::{json, Value};

use crate::Res;

/// The credential type listed by the `list_by_type` measurement.
pub const LISTED_TYPE: CredentialType = CredentialType::JudicialRecord;
/// The other type (9 in 10 rows).
pub const OTHER_TYPE: CredentialType = CredentialType::HealthBook;
/// Target JSON size of one record, in bytes.
pub const TARGET_BYTES: usize = 1000;

fn date(i: usize, base_year: usize) -> String {
    format!(
        "{}-{:02}-{:02}",
        base_year + i % 6,
        1 + (i / 7) % 12,
        1 + (i / 3) % 28
    )
}

fn extra_visits() -> Vec<Value> {
    vec![
        json!({"facility": "Trạm Y tế phường Nghĩa Tân", "type": "outpatient",
               "reason": "Khám sức khỏe định kỳ, đo huyết áp", "diagnoses": ["Z00.0"],
               "height_cm": 158, "weight_kg": 52}),
        json!({"facility": "Bệnh viện Bạch Mai", "type": "outpatient",
               "reason": "Viêm phế quản cấp, ho kéo dài", "diagnoses": ["J20.9"],
               "drugs": ["Acetylcystein 200mg x 10 gói", "Paracetamol 500mg x 10 viên"]}),
        json!({"facility": "Bệnh viện Nhi Trung ương", "type": "emergency",
               "reason": "Sốt cao, co giật", "diagnoses": ["R56.0", "J06.9"],
               "drugs": ["Ibuprofen 100mg/5ml"], "procedures": ["Xét nghiệm công thức máu"]}),
        json!({"facility": "Bệnh viện Chợ Rẫy", "type": "inpatient",
               "reason": "Đau bụng vùng hố chậu phải", "diagnoses": ["K35.8"],
               "procedures": ["Phẫu thuật nội soi cắt ruột thừa"], "weight_kg": 63}),
    ]
}

fn extra_vaccinations() -> Vec<Value> {
    vec![
        json!({"vaccine": "Vaxigrip Tetra (cúm mùa)", "dose": 1, "place": "VNVC Hoàng Văn Thụ"}),
        json!({"vaccine": "Engerix-B (viêm gan B)", "dose": 2, "place": "TYT xã Tân Phú"}),
        json!({"vaccine": "Boostrix (bạch hầu, ho gà, uốn ván)", "dose": 1}),
    ]
}

fn extra_convictions() -> Vec<Value> {
    vec![
        json!({"offence": "Trộm cắp tài sản", "law": "Điều 173 BLHS 2015",
               "penalty": "Cải tạo không giam giữ 12 tháng"}),
        json!({"offence": "Vi phạm quy định về tham gia giao thông đường bộ", "law": "Điều 260 BLHS 2015",
               "penalty": "Phạt tù 9 tháng cho hưởng án treo, thử thách 18 tháng"}),
        json!({"offence": "Cố ý gây thương tích", "law": "Điều 134 BLHS 2015",
               "penalty": "Phạt tù 2 năm"}),
    ]
}

fn json_len(v: &Value) -> usize {
    serde_json::to_vec(v).map_or(0, |b| b.len())
}

fn push_arr(v: &mut Value, key: &str, item: Value) {
    if let Some(obj) = v.as_object_mut() {
        let arr = obj.entry(key).or_insert_with(|| Value::Array(Vec::new()));
        if let Some(a) = arr.as_array_mut() {
            a.push(item);
        }
    }
}

fn health_book(base: &Value, i: usize) -> Value {
    let mut v = base.clone();
    let (visits, vacc) = (extra_visits(), extra_vaccinations());
    let mut k = 0;
    while json_len(&v) < TARGET_BYTES && k < 8 {
        if k % 3 == 2 {
            let mut x = vacc[(i + k) % vacc.len()].clone();
            x["date"] = json!(date(i + k, 2019));
            x["lot"] = json!(format!("LOT{:06}", i * 8 + k));
            push_arr(&mut v, "vaccinations", x);
        } else {
            let mut x = visits[(i + k) % visits.len()].clone();
            x["date"] = json!(date(i + k, 2020));
            if x.get("weight_kg").is_some() {
                x["weight_kg"] = json!(45 + (i + k) % 40);
            }
            push_arr(&mut v, "visits", x);
        }
        k += 1;
    }
    v
}

fn judicial_record(base: &Value, i: usize) -> Value {
    let mut v = base.clone();
    v["number"] = json!(format!("LLTP-BENCH-{}-{:06}", 2020 + i % 6, i));
    v["issued"] = json!(date(i, 2020));
    v["form"] = json!(2);
    let conv = extra_convictions();
    let mut k = 0;
    while json_len(&v) < TARGET_BYTES && k < 6 {
        let mut x = conv[(i + k) % conv.len()].clone();
        x["judgment"] = json!(format!(
            "{}/{}/HS-ST",
            10 + (i * 7 + k) % 990,
            2005 + (i + k) % 15
        ));
        x["expunged"] = json!(date(i + k, 2012));
        push_arr(&mut v, "convictions", x);
        k += 1;
    }
    if v.get("convictions")
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty())
    {
        v["status"] = json!("Có án tích đã được xóa");
    }
    v
}

/// `n` records: every 10th a judicial record, the others health books.
pub fn make(people_json: &str, n: usize) -> Res<Vec<Credential>> {
    let people = PersonRecord::parse_list(people_json)?;
    let mut books = Vec::new();
    let mut records = Vec::new();
    for p in &people {
        for c in p.credentials()? {
            match c.credential_type() {
                OTHER_TYPE => books.push(c.to_value()),
                LISTED_TYPE => records.push(c.to_value()),
                _ => {}
            }
        }
    }
    if books.is_empty() || records.is_empty() {
        return Err("people.json: no health book or judicial record".into());
    }
    (0..n)
        .map(|i| {
            let c = if i % 10 == 0 {
                Credential::from_value(
                    LISTED_TYPE,
                    judicial_record(&records[(i / 10) % records.len()], i),
                )?
            } else {
                Credential::from_value(OTHER_TYPE, health_book(&books[i % books.len()], i))?
            };
            Ok(c)
        })
        .collect()
}

/// The JSON bytes of each record: what the wallet seals and the plain store keeps.
pub fn json_bytes(records: &[Credential]) -> Res<Vec<Vec<u8>>> {
    records.iter().map(|c| Ok(serde_json::to_vec(c)?)).collect()
}
