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
                Button("Quét bằng camera · Scan with the camera") { scanning = true }
                PhotosPicker(selection: $picked, matching: .images) {
                    Text("Chọn ảnh mã QR · Pick a picture of a QR code")
                }
                Button("Dán nội dung mã · Paste the code's text") {
                    model.scan(text: UIPasteboard.general.string ?? "")
                }
                Button("Demo: thu hồi thẻ tiếp đón của ví trên máy này · Demo: revoke this phone's check-in card") {
                    model.revokeDemo()
                }
            }
            if let note = model.counterNote {
                Section { Bilingual(vi: note.vi, en: note.en) }
            }
            if model.busy {
                Section { Bilingual(vi: "Đang kiểm tra…", en: "Checking…") }
            } else if let scan = model.scan {
                switch scan {
                case let .checked(screen): VerdictSection(screen: screen)
                case let .unreadable(vi, en): Section { ErrorBox(error: ErrorText(vi: vi, en: en)) }
                }
            }
        }
        .navigationTitle("Quầy tiếp đón · Counter")
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
        case .validStale: return Color(red: 0.70, green: 0.42, blue: 0)
        case .invalid: return Color(red: 0.70, green: 0.15, blue: 0.12)
        }
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
            Text(screen.messageVi).bold()
            Text(screen.messageEn).foregroundStyle(.secondary)
            if let vi = screen.documentVi, let en = screen.documentEn {
                Bilingual(vi: vi, en: en, font: .headline)
            }
            if let vi = screen.issuerVi, let en = screen.issuerEn {
                Text("Cơ quan cấp · Issuer: \(vi) · \(en)").font(.subheadline)
            }
            ForEach(screen.claims, id: \.name) { c in
                VStack(alignment: .leading) {
                    Text("\(c.labelVi) · \(c.labelEn)").font(.caption).foregroundStyle(.secondary)
                    Text(c.value).font(.title3.bold())
                }
            }
        }
        Section {
            ForEach(screen.facts, id: \.labelEn) { f in
                Text("\(f.labelVi) · \(f.labelEn): \(f.value)").font(.footnote).foregroundStyle(.secondary)
            }
        }
    }
}
