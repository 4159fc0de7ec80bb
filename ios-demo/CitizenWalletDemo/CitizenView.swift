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
        .navigationTitle("Người dân · Citizen")
    }
}

struct SetupView: View {
    @EnvironmentObject var model: AppModel
    @State private var person = "ha"
    @State private var pin = ""

    var body: some View {
        Form {
            Section {
                Picker("Người mẫu · Sample person", selection: $person) {
                    ForEach(model.people.keys, id: \.self) { Text(model.people.fullName($0)).tag($0) }
                }
                .pickerStyle(.inline)
            } header: {
                Text("Tạo ví · Create the wallet")
            } footer: {
                Text("Cơ quan cấp (giả lập) sẽ cấp giấy tờ của người này vào ví.\nThe (simulated) authorities issue this person's documents to the wallet.")
            }
            Section {
                SecureField("Mã PIN dự phòng (6 số) · Backup PIN (6 digits)", text: $pin)
                    .keyboardType(.numberPad)
            } footer: {
                Text("Ví được khóa bằng khóa của thiết bị; mã PIN mở ví khi khóa đó không dùng được.\nThe wallet is locked by this phone's key; the PIN opens it when that key is unavailable.")
            }
            if let error = model.citizenError { ErrorBox(error: error) }
            Button("Tạo ví và nhận giấy tờ · Create wallet and receive documents") {
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
                Button("Mở khóa bằng thiết bị · Unlock with this phone's key") { model.unlockWithDeviceKey() }
            } header: {
                Text("Ví đang khóa · The wallet is locked")
            }
            Section {
                SecureField("Mã PIN · PIN", text: $pin).keyboardType(.numberPad)
                Button("Mở bằng mã PIN · Unlock with the PIN") { model.unlock(pin: pin) }
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
                            Text("\(c.labelVi) · \(c.labelEn)").font(.caption).foregroundStyle(.secondary)
                            Text(c.value)
                        }
                    }
                    if card.type == .clinicCheckin {
                        Button("Hiện mã tiếp đón · Show the check-in code") {
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
            Button("Khóa ví · Lock the wallet") { model.lock() }
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
        DisclosureGroup("Chọn mục sẽ hiện trong mã QR · Choose what the QR code shows") {
            ForEach(card.choosable, id: \.self) { name in
                let row = card.claims.first { $0.name == name }
                Toggle("\(row?.labelVi ?? name) · \(row?.labelEn ?? "")", isOn: Binding(
                    get: { chosen.contains(name) },
                    set: { on in if on { chosen.insert(name) } else { chosen.remove(name) } }))
            }
            Button("Tạo mã QR · Make the QR code") { make(card.choosable.filter(chosen.contains)) }
        }
    }
}
