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
                        Bilingual(vi: "Người dân: giấy tờ và mã QR", en: "Citizen: documents and QR codes")
                    }
                    NavigationLink { CounterView() } label: {
                        Bilingual(vi: "Quầy tiếp đón: quét và kiểm tra mã", en: "Clinic counter: scan and verify")
                    }
                } footer: {
                    Text("Bản thử nghiệm với dữ liệu giả lập. Không cần mạng.\nA demo on synthetic data. Works offline.")
                }
                Section {
                    Button("Đặt lại demo · Reset the demo", role: .destructive) { confirmReset = true }
                } footer: {
                    Text("citizen-wallet \(model.coreVersion) · \(model.keyProviderName)")
                }
            }
            .navigationTitle("Ví công dân")
            .confirmationDialog("Xóa ví và khóa của nó trên máy này? · Delete the wallet and its key on this phone?",
                                isPresented: $confirmReset, titleVisibility: .visible) {
                Button("Xóa · Delete", role: .destructive) { model.resetDemo() }
            }
        }
    }
}

/// A Vietnamese line with its English translation under it.
struct Bilingual: View {
    let vi: String
    let en: String
    var font: Font = .body

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
