// The iOS demo app: a citizen's wallet and a clinic counter in one SwiftUI app. Its logic is the
// ClinicFlow package (tested on Linux too); these views only draw what ClinicFlow returns.
import ClinicFlow
import SwiftUI

@main
struct CitizenWalletDemoApp: App {
    @StateObject private var model = AppModel()
    @Environment(\.scenePhase) private var scenePhase

    var body: some Scene {
        WindowGroup {
            HomeView()
                .environmentObject(model)
        }
        .onChange(of: scenePhase) { phase in
            // The app left the screen: lock the wallet (its keys leave memory).
            if phase == .background { model.lock() }
        }
    }
}

struct HomeView: View {
    @EnvironmentObject var model: AppModel
    @State private var confirmReset = false

    var body: some View {
        NavigationStack {
            List {
                Section {
                    NavigationLink { CitizenView() } label: {
                        Bilingual(key: "home.citizen")
                    }
                    NavigationLink { CounterView() } label: {
                        Bilingual(key: "home.counter")
                    }
                } footer: {
                    Text(L10n.stacked("home.intro"))
                }
                Section {
                    Button(L10n.both("home.reset"), role: .destructive) { confirmReset = true }
                } footer: {
                    Text(verbatim: "citizen-wallet \(model.coreVersion) · \(model.keyProviderName)")
                }
            }
            .navigationTitle(L10n.vi("home.title"))
            .confirmationDialog(L10n.both("home.reset.confirm"),
                                isPresented: $confirmReset, titleVisibility: .visible) {
                Button(L10n.both("common.delete"), role: .destructive) { model.resetDemo() }
            }
        }
    }
}

/// A Vietnamese line with its English translation under it.
struct Bilingual: View {
    let vi: String
    let en: String
    var font: Font = .body

    init(vi: String, en: String, font: Font = .body) {
        self.vi = vi
        self.en = en
        self.font = font
    }

    /// A string of Localizable.xcstrings in both languages.
    init(key: String, font: Font = .body) {
        self.init(vi: L10n.vi(key), en: L10n.en(key), font: font)
    }

    var body: some View {
        VStack(alignment: .leading, spacing: 2) {
            Text(vi).font(font)
            Text(en).font(.footnote).foregroundStyle(.secondary)
        }
    }
}

struct ErrorBox: View {
    let error: ErrorText

    var body: some View {
        VStack(alignment: .leading, spacing: 2) {
            Text(error.vi).bold()
            Text(error.en).font(.footnote)
        }
        .foregroundStyle(.red)
    }
}
