// The clinic counter: scan a citizen's QR code with the camera, pick a picture of one, or paste
// its text; the verdict says in Vietnamese and English whether it is valid, shows the disclosed
// claims, or the reason for rejection. Everything is verified on this phone, offline.
// Two-way (issue 12): the counter shows a signed request QR, the citizen's wallet answers it, and
// the counter accepts that answer once. Scanned and pasted text goes through the library's one
// scanner (`scanText`): a chip ID card's printed QR shows as UNVERIFIED card data, never green.
import CitizenWallet
import ClinicFlow
import PhotosUI
import SwiftUI

struct CounterView: View {
    @EnvironmentObject var model: AppModel
    @State private var scanning = false
    @State private var scanningAnswer = false
    @State private var picked: PhotosPickerItem?

    var body: some View {
        List {
            Section {
                Button(L10n.both("counter.scan")) {
                    scanningAnswer = false
                    scanning = true
                }
                PhotosPicker(selection: $picked, matching: .images) {
                    Text(L10n.both("counter.pick"))
                }
                Button(L10n.both("counter.paste")) {
                    model.scan(text: UIPasteboard.general.string ?? "")
                }
                Button(L10n.stacked("counter.twoway")) {
                    model.showRequest()
                }
                Button(L10n.stacked("counter.revoke")) {
                    model.revokeDemo()
                }
            }
            if let note = model.counterNote {
                Section { Bilingual(vi: note.vi, en: note.en) }
            }
            if let request = model.shownRequest {
                Section {
                    Bilingual(key: "counter.request.title", font: .title2.bold())
                    QrCodeView(matrix: request.matrix)
                        .frame(maxWidth: .infinity)
                        .accessibilityLabel(L10n.local("a11y.request.qr"))
                    Text(L10n.stacked("counter.request.instruction")).font(.footnote).foregroundStyle(.secondary)
                    Text(verbatim: "\(L10n.vi("common.valid.until", formatVnTime(request.expiresAt))) · \(L10n.en("common.valid.until", formatVnTime(request.expiresAt)))")
                        .font(.footnote).foregroundStyle(.secondary)
                    Button(L10n.both("counter.answer.scan")) {
                        scanningAnswer = true
                        scanning = true
                    }
                    Button(L10n.both("counter.answer.paste")) {
                        model.scanAnswer(text: UIPasteboard.general.string ?? "")
                    }
                }
            }
            if model.busy {
                Section { Bilingual(key: "counter.checking") }
            } else if let scan = model.scan {
                switch scan {
                case let .checked(screen): VerdictSection(screen: screen)
                case let .unreadable(vi, en): Section { ErrorBox(error: ErrorText(vi: vi, en: en)) }
                case let .idCard(card): IdCardSection(card: card)
                }
            }
        }
        .navigationTitle(L10n.both("counter.title"))
        .sheet(isPresented: $scanning) {
            QrScannerView { text in
                scanning = false
                if scanningAnswer {
                    model.scanAnswer(text: text)
                } else {
                    model.scan(text: text)
                }
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

/// A chip ID card's printed QR: NOT verified (nothing signs it). Its own colour (blue: neither the
/// green of a verified code nor the red of a refused one), the library's line for the officer,
/// and the fields, to compare with the card and its holder.
struct IdCardSection: View {
    let card: IdCardData

    private var sexKey: String {
        switch card.sex {
        case .male: return "idcard.sex.male"
        case .female: return "idcard.sex.female"
        case .other: return "idcard.sex.other"
        }
    }

    private struct Row: Identifiable {
        let key: String
        let value: String
        var id: String { key }
    }

    private var rows: [Row] {
        var out = [
            Row(key: "idcard.field.name", value: card.fullName),
            Row(key: "idcard.field.citizen.id", value: card.citizenId),
        ]
        if let old = card.oldId { out.append(Row(key: "idcard.field.old.id", value: old)) }
        out.append(Row(key: "idcard.field.dob", value: card.dateOfBirth))
        out.append(Row(key: "idcard.field.sex", value: L10n.both(sexKey)))
        out.append(Row(key: "idcard.field.address", value: card.address))
        if let issued = card.issueDate { out.append(Row(key: "idcard.field.issued", value: issued)) }
        return out
    }

    var body: some View {
        Section {
            VStack(alignment: .leading, spacing: 4) {
                Text(L10n.vi("idcard.headline")).font(.title.bold())
                Text(L10n.en("idcard.headline")).font(.title3)
            }
            .foregroundStyle(.white)
            .frame(maxWidth: .infinity, alignment: .leading)
            .listRowBackground(Color(red: 0.12, green: 0.31, blue: 0.61))
            // VoiceOver: one heading saying it is an unverified ID card (the colour says nothing).
            .accessibilityElement(children: .ignore)
            .accessibilityLabel(L10n.local("a11y.idcard", L10n.prefersVietnamese ? card.messageVi : card.messageEn))
            .accessibilityAddTraits(.isHeader)
            Text(card.messageVi).bold()
            Text(card.messageEn).foregroundStyle(.secondary)
            Text(L10n.stacked("idcard.compare")).font(.footnote).foregroundStyle(.secondary)
            ForEach(rows) { row in
                VStack(alignment: .leading) {
                    Text(L10n.both(row.key)).font(.caption).foregroundStyle(.secondary)
                    Text(row.value).font(.title3.bold())
                }
            }
        }
    }
}
