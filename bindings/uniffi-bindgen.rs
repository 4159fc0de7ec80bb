//! uniffi-bindgen for this workspace: uniffi's own command line, plus one fix-up of the Swift it
//! writes. uniffi 0.32 names the cases of a Swift error enum in UpperCamelCase
//! (`WalletError.WrongPin`) while every other Swift enum gets lowerCamelCase cases, as Swift's
//! API guidelines ask; after `generate --language swift`, [`swift_error_cases`] renames the error
//! cases to lowerCamelCase (`WalletError.wrongPin`) in the generated files, in the enum and its
//! FfiConverter only. Every script that generates bindings (bindings/test.sh, the demos' test
//! scripts, build-xcframework.sh) runs this binary, so the shipped Swift and the tested Swift are
//! the same.

use std::path::{Path, PathBuf};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    uniffi::uniffi_bindgen_main();
    if let Some(out_dir) = swift_out_dir(&args) {
        if let Err(e) = fix_swift_dir(&out_dir) {
            eprintln!(
                "uniffi-bindgen: renaming Swift error cases in {}: {e}",
                out_dir.display()
            );
            std::process::exit(1);
        }
    }
}

/// The `--out-dir` of a `generate --language swift` command line.
fn swift_out_dir(args: &[String]) -> Option<PathBuf> {
    let value = |names: &[&str]| {
        args.iter().enumerate().find_map(|(i, a)| {
            names.iter().find_map(|n| {
                if a == n {
                    args.get(i + 1).cloned()
                } else {
                    a.strip_prefix(&format!("{n}=")).map(str::to_owned)
                }
            })
        })
    };
    let generate = args.get(1).is_some_and(|a| a == "generate");
    // `--language` may be given more than once (`-l kotlin -l swift`).
    let swift = args.iter().enumerate().any(|(i, a)| {
        a == "--language=swift"
            || a == "-l=swift"
            || (matches!(a.as_str(), "--language" | "-l") && args.get(i + 1).is_some_and(|l| l == "swift"))
    });
    if generate && swift {
        value(&["--out-dir", "-o"]).map(PathBuf::from)
    } else {
        None
    }
}

fn fix_swift_dir(dir: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "swift") {
            let text = std::fs::read_to_string(&path)?;
            let fixed = swift_error_cases(&text);
            if fixed != text {
                std::fs::write(&path, fixed)?;
            }
        }
    }
    Ok(())
}

/// Swift keywords that cannot name an enum case without backticks (after a `.` they can).
const KEYWORDS: &[&str] = &[
    "associatedtype",
    "class",
    "deinit",
    "enum",
    "extension",
    "fileprivate",
    "func",
    "import",
    "init",
    "inout",
    "internal",
    "let",
    "open",
    "operator",
    "private",
    "precedencegroup",
    "protocol",
    "public",
    "rethrows",
    "static",
    "struct",
    "subscript",
    "typealias",
    "var",
    "default",
    "case",
    "self",
    "Self",
    "Type",
];

fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_ascii_lowercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Replaces `prefix + name` followed by a non-identifier character (or the end) in `line`.
fn replace_token(line: &str, prefix: &str, name: &str, with: &str) -> String {
    let needle = format!("{prefix}{name}");
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find(&needle) {
        let after = &rest[at + needle.len()..];
        out.push_str(&rest[..at]);
        if after.chars().next().is_none_or(|c| !is_ident(c)) {
            out.push_str(prefix);
            out.push_str(with);
        } else {
            out.push_str(&needle);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Renames the cases of every `enum X: Swift.Error` in `text` to lowerCamelCase, in the enum
/// itself and in `FfiConverterTypeX`, the only generated code that names them.
fn swift_error_cases(text: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let mut i = 0;
    while i < lines.len() {
        let Some(name) = lines[i]
            .trim_start()
            .strip_prefix("enum ")
            .and_then(|r| r.split_once(": Swift.Error"))
            .map(|(n, _)| n.trim().to_owned())
        else {
            i += 1;
            continue;
        };
        // The enum's body: up to the first line that is exactly "}".
        let end = (i..lines.len()).find(|&j| lines[j] == "}").unwrap_or(lines.len());
        let cases: Vec<String> = lines[i..end]
            .iter()
            .filter_map(|l| l.trim_start().strip_prefix("case "))
            .map(|r| r.chars().take_while(|c| is_ident(*c)).collect::<String>())
            .filter(|c| c.starts_with(|c: char| c.is_ascii_uppercase()))
            .collect();
        let converter = format!("struct FfiConverterType{name}:");
        let conv_start = (end..lines.len()).find(|&j| lines[j].contains(&converter));
        let conv_end = conv_start.and_then(|s| (s..lines.len()).find(|&j| lines[j] == "}"));
        let ranges = [Some((i, end)), conv_start.zip(conv_end)];
        for (from, to) in ranges.into_iter().flatten() {
            for line in &mut lines[from..to] {
                for case in &cases {
                    let lower = lower_first(case);
                    let declared = if KEYWORDS.contains(&lower.as_str()) {
                        format!("`{lower}`")
                    } else {
                        lower.clone()
                    };
                    *line = replace_token(line, "case ", case, &declared);
                    *line = replace_token(line, ".", case, &lower);
                }
            }
        }
        i = end.max(i + 1);
    }
    let mut out = lines.join("\n");
    if text.ends_with('\n') {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const GENERATED: &str = "public \nenum WalletError: Swift.Error, Equatable {\n    case WrongPin(retryAfterSecs: Int64\n    )\n    case PinLocked\n    case Internal(reason: String\n    )\n}\n\nstruct Other {\n    let x = WalletError.WrongPin\n}\npublic struct FfiConverterTypeWalletError: FfiConverterRustBuffer {\n        case 1: return .WrongPin(\n        case 2: return .PinLocked\n        case let .Internal(reason):\n        case .PinLocked:\n        default: throw UniffiInternalError.unexpectedEnumCase\n}\n";

    #[test]
    fn error_cases_become_lower_camel_case_in_the_enum_and_its_converter_only() {
        let fixed = swift_error_cases(GENERATED);
        for expected in [
            "    case wrongPin(retryAfterSecs: Int64",
            "    case pinLocked\n",
            "    case `internal`(reason: String",
            "    let x = WalletError.WrongPin\n", // outside: untouched
            "return .wrongPin(",
            "return .pinLocked\n",
            "case let .internal(reason):",
            "case .pinLocked:",
            "UniffiInternalError.unexpectedEnumCase",
            "enum WalletError: Swift.Error, Equatable {",
        ] {
            assert!(fixed.contains(expected), "missing {expected:?} in\n{fixed}");
        }
    }

    #[test]
    fn only_swift_generate_command_lines_are_fixed() {
        let args = |s: &str| s.split(' ').map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(
            swift_out_dir(&args(
                "bindgen generate --library x.so --language swift --out-dir out"
            )),
            Some(PathBuf::from("out"))
        );
        assert_eq!(
            swift_out_dir(&args("bindgen generate -l swift -o out --crate c")),
            Some(PathBuf::from("out"))
        );
        assert_eq!(
            swift_out_dir(&args("bindgen generate --language kotlin --out-dir out")),
            None
        );
        assert_eq!(swift_out_dir(&args("bindgen print-repr x.so")), None);
    }
}
