// The app's UI text, from Localizable.xcstrings (a String Catalog: English and Vietnamese). Xcode
// compiles the catalog into en.lproj and vi.lproj string tables in the app bundle.
//
// The demo shows every line in Vietnamese with English under it, whatever the phone's language,
// so it reads each string from that language's table explicitly (`vi`, `en`, `both`,
// `stacked`). VoiceOver texts follow the phone's language (`local`). An app that shows one
// language uses the catalog the usual way: Text("key") or String(localized: "key").
// Texts that ClinicFlow and the library produce (verdicts, claim labels, errors, the countdown)
// come in both languages from there.
import Foundation

enum L10n {
    private static func table(_ language: String) -> Bundle {
        Bundle.main.path(forResource: language, ofType: "lproj").flatMap { Bundle(path: $0) } ?? .main
    }

    private static let viTable = table("vi")
    private static let enTable = table("en")

    /// The string in Vietnamese.
    static func vi(_ key: String, _ args: CVarArg...) -> String { text(key, viTable, "vi", args) }

    /// The string in English.
    static func en(_ key: String, _ args: CVarArg...) -> String { text(key, enTable, "en", args) }

    /// "Vietnamese · English" on one line (buttons, titles).
    static func both(_ key: String, _ args: CVarArg...) -> String {
        "\(text(key, viTable, "vi", args)) · \(text(key, enTable, "en", args))"
    }

    /// Vietnamese, then English on the next line (longer texts).
    static func stacked(_ key: String, _ args: CVarArg...) -> String {
        "\(text(key, viTable, "vi", args))\n\(text(key, enTable, "en", args))"
    }

    /// The string in the phone's language (English unless it prefers Vietnamese): VoiceOver.
    static func local(_ key: String, _ args: CVarArg...) -> String {
        prefersVietnamese ? text(key, viTable, "vi", args) : text(key, enTable, "en", args)
    }

    /// Whether the app runs in Vietnamese: picks which of the library's two texts (a verdict's
    /// headline and sentence, a document's title) VoiceOver reads.
    static var prefersVietnamese: Bool { Bundle.main.preferredLocalizations.first == "vi" }

    private static func text(_ key: String, _ table: Bundle, _ language: String, _ args: [CVarArg]) -> String {
        let template = table.localizedString(forKey: key, value: nil, table: "Localizable")
        return args.isEmpty ? template : String(format: template, locale: Locale(identifier: language), arguments: args)
    }
}
