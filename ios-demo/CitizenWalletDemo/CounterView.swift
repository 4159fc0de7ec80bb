// The clinic counter: scan a citizen's QR code with the camera, pick a picture of one, or paste
// its text; the verdict says in Vietnamese and English whether it is valid, shows the disclosed
// claims, or the reason for rejection. Everything is verified on this phone, offline.
import CitizenWallet
import ClinicFlow
import PhotosUI
import SwiftUI

struct CounterView: View {
    @EnvironmentObject var model: AppModel
    @State private var scanning = false
    @State private var picked: PhotosPickerItem?

    var body: some View {
        List {
            Section {
                Button(L10n.both("counter.scan")) { scanning = true }
                PhotosPicker(selection: $picked, matching: .images) {
                    Text(L10n.both("counter.pick"))
                }
                Button(L10n.both("counter.paste")) {
                    model.scan(text: UIPasteboard.general.string ?? "")
                }
                Button(L10n.stacked("counter.revoke")) {
                    model.revokeDemo()
                }
            }
            if let note = model.counterNote {
                Section { Bilingual(vi: note.vi, en: note.en) }
            }
            if model.busy {
                Section { Bilingual(key: "counter.checking") }
            } else if let scan = model.scan {
                switch scan {
                case let .checked(screen): VerdictSection(screen: screen)
                case let .unreadable(vi, en): Section { ErrorBox(error: ErrorText(vi: vi, en: en)) }
                }
            }
        }
        .navigationTitle(L10n.both("counter.title"))
        .sheet(isPresented: $scanning) {
            QrScannerView { text in
                scanning = false
                model.scan(text: text)
            }
            .ignoresSafeArea()
        }
        .onChange(of: picked) { item in
            guard let item else { return }
            Task {
                guard let data = try? await item.loadTransferable(type: Data.self),
                      let image = UIImage(data: data)?.cgImage,
                      let plane = QrImage.lumaPlane(image)
                else {
                    model.pictureUnreadable()
                    return
                }
                model.scan(width: plane.0, height: plane.1, luma: plane.2)
            }
        }
    }
}

struct VerdictSection: View {
    let screen: VerdictScreen

    private var color: Color {
        switch screen.tone {
        case .valid: return Color(red: 0.11, green: 0.50, blue: 0.23)
        case .statusNotCurrent: return Color(red: 0.70, green: 0.42, blue: 0)
        case .invalid: return Color(red: 0.70, green: 0.15, blue: 0.12)
        }
    }

    private var verdictDescription: String {
        let vi = L10n.prefersVietnamese
        return L10n.local(
            "a11y.verdict",
            vi ? screen.headlineVi : screen.headlineEn,
            vi ? screen.messageVi : screen.messageEn,
            (vi ? screen.documentVi : screen.documentEn) ?? ""
        ).trimmingCharacters(in: .whitespaces)
    }

    var body: some View {
        Section {
            VStack(alignment: .leading, spacing: 4) {
                Text(screen.headlineVi).font(.largeTitle.bold())
                Text(screen.headlineEn).font(.title3)
            }
            .foregroundStyle(.white)
            .frame(maxWidth: .infinity, alignment: .leading)
            .listRowBackground(color)
            // VoiceOver: one element with the verdict, its reason and the document, in the phone's
            // language (the colour alone says nothing), read as a heading.
            .accessibilityElement(children: .ignore)
            .accessibilityLabel(verdictDescription)
            .accessibilityAddTraits(.isHeader)
            Text(screen.messageVi).bold()
            Text(screen.messageEn).foregroundStyle(.secondary)
            if let vi = screen.documentVi, let en = screen.documentEn {
                Bilingual(vi: vi, en: en, font: .headline)
            }
            if let vi = screen.issuerVi, let en = screen.issuerEn {
                Text(verbatim: "\(L10n.both("counter.issuer")): \(vi) · \(en)").font(.subheadline)
            }
            ForEach(screen.claims, id: \.name) { c in
                VStack(alignment: .leading) {
                    Text(verbatim: "\(c.labelVi) · \(c.labelEn)").font(.caption).foregroundStyle(.secondary)
                    Text(c.value).font(.title3.bold())
                }
            }
        }
        Section {
            ForEach(screen.facts, id: \.labelEn) { f in
                Text(verbatim: "\(f.labelVi) · \(f.labelEn): \(f.value)").font(.footnote).foregroundStyle(.secondary)
            }
        }
    }
}
