//! Vietnamese personal names: stored in Unicode NFC, compared with a folded key.
//!
//! `hòa`/`hoà` spellings and NFD input from some keyboards both occur, so equality of names is
//! decided on [`folded_key`]: NFC, lower case, tone marks and other diacritics stripped, `đ` to
//! `d`, punctuation dropped, whitespace collapsed.

use unicode_normalization::{char::is_combining_mark, is_nfc_quick, IsNormalized, UnicodeNormalization};

/// The canonical stored form: NFC, trimmed, inner whitespace collapsed to one space.
pub fn normalize_name(name: &str) -> String {
    if is_normalized_name(name) {
        return name.to_owned();
    }
    let nfc: String = name.nfc().collect();
    nfc.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `name` is already in the form [`normalize_name`] gives: NFC (by the quick check,
/// which answers "yes" for all precomposed Vietnamese text), no whitespace but single inner
/// spaces. Lets callers keep a stored name without allocating.
pub(crate) fn is_normalized_name(name: &str) -> bool {
    let mut prev_space = true; // a leading space is not canonical
    for c in name.chars() {
        if c.is_whitespace() {
            if c != ' ' || prev_space {
                return false;
            }
            prev_space = true;
        } else {
            prev_space = false;
        }
    }
    (name.is_empty() || !prev_space) && is_nfc_quick(name.chars()) == IsNormalized::Yes
}

/// The comparison key: two spellings of the same name fold to the same key.
pub fn folded_key(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'đ' | 'Đ' => out.push('d'),
            c if c.is_alphanumeric() => out.extend(c.to_lowercase()),
            c if c.is_whitespace() && !out.ends_with(' ') && !out.is_empty() => out.push(' '),
            _ => {}
        }
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfd_input_is_stored_nfc() {
        let nfd: String = "Nguyễn Thị Thu Hà".nfd().collect();
        assert_ne!(nfd, "Nguyễn Thị Thu Hà");
        assert_eq!(normalize_name(&format!("  {nfd} ")), "Nguyễn Thị Thu Hà");
    }

    #[test]
    fn the_fast_path_agrees_with_normalizing() {
        let nfd: String = "Nguyễn Thị Thu Hà".nfd().collect();
        for name in [
            "Nguyễn Thị Thu Hà",
            "Lê Văn Hòa",
            "H'Linh Niê",
            "",
            "A",
            " Lê Văn",
            "Lê Văn ",
            "Lê  Văn",
            "Lê\tVăn",
            "Lê\u{a0}Văn",
            "Lê\u{3000}Văn",
            " ",
            nfd.as_str(),
        ] {
            let normalized = normalize_name(name);
            assert_eq!(is_normalized_name(name), normalized == name, "{name:?}");
            assert!(is_normalized_name(&normalized), "{normalized:?}");
            assert_eq!(normalize_name(&normalized), normalized);
        }
    }

    #[test]
    fn spellings_fold_together() {
        assert_eq!(folded_key("Lê Văn Hòa"), folded_key("LÊ VĂN HOÀ"));
        assert_eq!(folded_key("Đặng  Đức"), "dang duc");
        assert_eq!(folded_key("H'Linh Niê"), "hlinh nie");
    }
}
