// The citizen's side: first run (choose a sample person, set a backup PIN: the wallet is created
// under the Keychain / Secure Enclave key AND the PIN, then filled with that person's
// credentials), unlock, the credential cards, and choosing what a QR code shows. Two-way (issue
// 12): scan a counter's signed request, see who asks (name, role), which claims and why, then
// accept (the answer QR, bound to that request) or decline.
import CitizenWallet
import ClinicFlow
import SwiftUI

struct CitizenView: View {
    @EnvironmentObject var model: AppModel

    var body: some View {
        Group {
            switch model.citizen {
            case .setup: SetupView()
            case .locked: UnlockView()
            case let .unlocked(cards): CardsView(cards: cards)
            }
        }
        .overlay { if model.busy { ProgressView().controlSize(.large) } }
        .navigationTitle(L10n.both("citizen.title"))
    }
}

struct SetupView: View {
    @EnvironmentObject var model: AppModel
    @State private var person = "ha"
    @State private var pin = ""

    var body: some View {
        Form {
            Section {
                Picker(L10n.both("setup.person"), selection: $person) {
                    ForEach(model.people.keys, id: \.self) { Text(model.people.fullName($0)).tag($0) }
                }
                .pickerStyle(.inline)
            } header: {
                Text(L10n.both("setup.header"))
            } footer: {
                Text(L10n.stacked("setup.footer"))
            }
            Section {
                SecureField(L10n.both("setup.pin"), text: $pin)
                    .keyboardType(.numberPad)
            } footer: {
                Text(L10n.stacked("setup.pin.footer"))
            }
            if let error = model.citizenError { ErrorBox(error: error) }
            Button(L10n.both("setup.create")) {
                model.create(person: person, pin: pin)
            }
            .disabled(model.busy)
        }
    }
}

struct UnlockView: View {
    @EnvironmentObject var model: AppModel
    @State private var pin = ""

    var body: some View {
        Form {
            Section {
                Button(L10n.both("unlock.device")) { model.unlockWithDeviceKey() }
            } header: {
                Text(L10n.both("unlock.header"))
            }
            Section {
                SecureField(L10n.both("unlock.pin.field"), text: $pin).keyboardType(.numberPad)
                Button(L10n.both("unlock.pin")) { model.unlock(pin: pin) }
            }
            if let error = model.citizenError { ErrorBox(error: error) }
        }
        .disabled(model.busy)
    }
}

struct CardsView: View {
    @EnvironmentObject var model: AppModel
    let cards: [CredentialCard]
    @State private var showing: ShowRequest?
    @State private var scanningRequest = false

    var body: some View {
        List {
            if let name = model.personName { Text(name).font(.title2.bold()) }
            Section {
                Button(L10n.stacked("request.scan")) { scanningRequest = true }
                Button(L10n.both("request.paste")) {
                    model.readRequest(text: UIPasteboard.general.string ?? "")
                }
                if let error = model.requestError {
                    Bilingual(key: "request.refused", font: .headline)
                    ErrorBox(error: error)
                }
            }
            .sheet(isPresented: $scanningRequest) {
                QrScannerView { text in
                    scanningRequest = false
                    model.readRequest(text: text)
                }
                .ignoresSafeArea()
            }
            ForEach(cards) { card in
                Section {
                    ForEach(card.claims, id: \.name) { c in
                        VStack(alignment: .leading) {
                            Text(verbatim: "\(c.labelVi) · \(c.labelEn)").font(.caption).foregroundStyle(.secondary)
                            Text(c.value)
                        }
                    }
                    if card.type == .clinicCheckin {
                        Button(L10n.both("cards.checkin")) {
                            showing = ShowRequest(credentialId: card.id, claims: [], titleVi: card.titleVi, titleEn: card.titleEn)
                        }
                    } else if !card.choosable.isEmpty {
                        ClaimChooser(card: card) { chosen in
                            showing = ShowRequest(credentialId: card.id, claims: chosen, titleVi: card.titleVi, titleEn: card.titleEn)
                        }
                    }
                } header: {
                    Bilingual(vi: card.titleVi, en: card.titleEn, font: .headline)
                }
            }
            Button(L10n.both("cards.lock")) { model.lock() }
        }
        .fullScreenCover(item: $showing) { CodeScreen(request: $0) }
        .sheet(item: $model.pendingRequest) { RequestView(pending: $0) }
    }
}

/// A counter's request: who asks, their role, the document and claims asked, why, until when;
/// accept (the answer QR) or decline (nothing is sent; the request simply expires).
struct RequestView: View {
    let pending: PendingRequest
    @EnvironmentObject var model: AppModel
    @Environment(\.dismiss) private var dismiss
    @State private var answer: ShownCode?
    @State private var error: ErrorText?

    private var screen: RequestScreen { pending.screen }

    private var summary: String {
        let vi = L10n.prefersVietnamese
        return L10n.local(
            "a11y.request",
            vi ? screen.readerVi : screen.readerEn,
            vi ? screen.roleVi : screen.roleEn,
            (vi ? screen.claimsVi : screen.claimsEn).joined(separator: ", "),
            vi ? screen.purposeVi : screen.purposeEn)
    }

    private var validUntil: String {
        let until = formatVnTime(answer?.expiresAt ?? screen.expiresAt)
        return "\(L10n.vi("common.valid.until", until)) · \(L10n.en("common.valid.until", until))"
    }

    var body: some View {
        NavigationStack {
            if let answer {
                VStack(spacing: 12) {
                    Bilingual(key: "request.answer.title", font: .title2.bold())
                    QrCodeView(matrix: answer.matrix)
                        .accessibilityLabel(L10n.local("a11y.answer.qr", L10n.prefersVietnamese ? screen.readerVi : screen.readerEn))
                    Text(verbatim: validUntil).font(.footnote).foregroundStyle(.secondary)
                    Text(L10n.stacked("request.answer.instruction"))
                        .font(.footnote).multilineTextAlignment(.center).foregroundStyle(.secondary)
                    Button(L10n.both("common.done")) { dismiss() }.buttonStyle(.borderedProminent)
                }
                .padding()
                .background(Color.white)
            } else {
                List {
                    Section {
                        Bilingual(key: "request.title", font: .title2.bold())
                            // VoiceOver: who asks, for what and why, in one heading.
                            .accessibilityElement(children: .ignore)
                            .accessibilityLabel(summary)
                            .accessibilityAddTraits(.isHeader)
                    }
                    Section(L10n.both("request.reader")) {
                        Bilingual(vi: screen.readerVi, en: screen.readerEn, font: .headline)
                    }
                    Section(L10n.both("request.role")) {
                        Bilingual(vi: screen.roleVi, en: screen.roleEn)
                    }
                    Section(L10n.both("request.document")) {
                        Bilingual(vi: screen.documentVi, en: screen.documentEn)
                    }
                    Section(L10n.both("request.claims")) {
                        ForEach(Array(zip(screen.claimsVi, screen.claimsEn).enumerated()), id: \.offset) { item in
                            Bilingual(vi: item.element.0, en: item.element.1, font: .headline)
                        }
                    }
                    Section(L10n.both("request.purpose")) {
                        Bilingual(vi: screen.purposeVi, en: screen.purposeEn)
                        Text(verbatim: validUntil).font(.footnote).foregroundStyle(.secondary)
                    }
                    if let error { ErrorBox(error: error) }
                    Section {
                        Button(L10n.both("request.accept")) { accept() }.buttonStyle(.borderedProminent)
                        Button(L10n.both("request.decline"), role: .cancel) { dismiss() }
                    }
                }
            }
        }
    }

    private func accept() {
        Task {
            do {
                answer = try await model.answer(pending)
            } catch {
                self.error = describeError(error)
            }
        }
    }
}

/// Which claims a QR code shows: name and date of birth ticked by default (data minimisation).
struct ClaimChooser: View {
    let card: CredentialCard
    let make: ([String]) -> Void
    @State private var chosen: Set<String> = ["full_name", "dob"]

    var body: some View {
        DisclosureGroup(L10n.both("chooser.title")) {
            ForEach(card.choosable, id: \.self) { name in
                let row = card.claims.first { $0.name == name }
                let title = "\(row?.labelVi ?? name) · \(row?.labelEn ?? "")" // the library's labels
                Toggle(title, isOn: Binding(
                    get: { chosen.contains(name) },
                    set: { on in if on { chosen.insert(name) } else { chosen.remove(name) } }))
            }
            Button(L10n.both("chooser.make")) { make(card.choosable.filter(chosen.contains)) }
        }
    }
}
