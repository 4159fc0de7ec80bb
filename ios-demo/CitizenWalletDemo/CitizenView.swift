// The citizen's side: first run (choose a sample person, set a backup PIN: the wallet is created
// under the Keychain / Secure Enclave key AND the PIN, then filled with that person's
// credentials), unlock, the credential cards, and choosing what a QR code shows.
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

    var body: some View {
        List {
            if let name = model.personName { Text(name).font(.title2.bold()) }
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
