// The QR code, full screen, for the counter to scan: maximum brightness, and a countdown to the
// code's expiry. An expired code is greyed out; a tap makes a fresh one. iOS cannot block
// screenshots (Android's FLAG_SECURE has no public equivalent): when one is taken, the app makes a
// fresh code so the screenshot's code is not the one on screen, and it expires within two minutes.
import CitizenWallet
import ClinicFlow
import SwiftUI
import UIKit

struct CodeScreen: View {
    let request: ShowRequest
    @EnvironmentObject var model: AppModel
    @Environment(\.dismiss) private var dismiss
    @State private var code: ShownCode?
    @State private var error: ErrorText?
    @State private var savedBrightness: CGFloat = 0.5

    var body: some View {
        VStack(spacing: 12) {
            Bilingual(vi: request.titleVi, en: request.titleEn, font: .title2.bold())
            if let code {
                TimelineView(.periodic(from: .now, by: 0.25)) { context in
                    let now = Int64(context.date.timeIntervalSince1970)
                    let countdown = code.countdown
                    let expired = countdown.isExpired(now: now)
                    VStack(spacing: 8) {
                        QrCodeView(matrix: code.matrix)
                            .opacity(expired ? 0.12 : 1)
                            .onTapGesture { if expired { refresh() } }
                            // VoiceOver: what the code is for, and (expired) that activating it makes a new one.
                            .accessibilityLabel(L10n.local(expired ? "a11y.qr.expired" : "a11y.qr", documentTitle))
                            .accessibilityAddTraits(expired ? .isButton : [])
                            .accessibilityAction { if expired { refresh() } }
                        ProgressView(value: countdown.fraction(now: now))
                        Text(countdown.captionVi(now: now)).font(.title2.bold()).foregroundStyle(expired ? .red : .primary)
                        Text(countdown.captionEn(now: now)).foregroundStyle(.secondary)
                    }
                }
            } else if let error {
                ErrorBox(error: error)
            } else {
                ProgressView()
            }
            Text(L10n.stacked("code.instruction"))
                .font(.footnote).multilineTextAlignment(.center).foregroundStyle(.secondary)
            Button(L10n.both("common.done")) { dismiss() }.buttonStyle(.borderedProminent)
        }
        .padding()
        .background(Color.white)
        .onAppear {
            savedBrightness = UIScreen.main.brightness
            UIScreen.main.brightness = 1
            UIApplication.shared.isIdleTimerDisabled = true
            refresh()
        }
        .onDisappear {
            UIScreen.main.brightness = savedBrightness
            UIApplication.shared.isIdleTimerDisabled = false
        }
        .onReceive(NotificationCenter.default.publisher(for: UIApplication.userDidTakeScreenshotNotification)) { _ in
            refresh()
        }
    }

    /// The document's title in the phone's language, for VoiceOver.
    private var documentTitle: String { L10n.prefersVietnamese ? request.titleVi : request.titleEn }

    private func refresh() {
        Task { @MainActor in
            do {
                code = try await model.code(for: request) // made off the main actor
                error = nil
            } catch {
                code = nil
                self.error = describeError(error) // e.g. QrTooLarge: too many fields for one code
            }
        }
    }
}
