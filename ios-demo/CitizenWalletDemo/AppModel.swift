// The app's state: the demo authorities, the sample people, the wallet file and the unlocked
// wallet, the counter. Slow library calls are awaited through the library's async variants
// (Argon2 for a PIN, the Secure Enclave, reading a picture): they run on the
// library's own thread while the main actor stays free. Small calls use `run` (a detached task).
import CitizenWallet
import ClinicFlow
import Foundation

/// What the code screen shows: a credential and the claims the citizen chose (empty: check-in).
struct ShowRequest: Identifiable {
    let id = UUID()
    let credentialId: String
    let claims: [String]
    let titleVi: String
    let titleEn: String
}

/// A counter's request the citizen's wallet has read and checked: shown before answering.
struct PendingRequest: Identifiable {
    let id = UUID()
    let request: ReaderRequest
    let screen: RequestScreen
    let flow: RequestFlow
}

@MainActor
final class AppModel: ObservableObject {
    enum CitizenState {
        case setup
        case locked
        case unlocked([CredentialCard])
    }

    @Published private(set) var citizen: CitizenState = .setup
    @Published var citizenError: ErrorText?
    @Published private(set) var busy = false
    @Published private(set) var scan: ClinicFlow.ScanResult?
    @Published private(set) var counterNote: (vi: String, en: String)?
    /// Two-way: the request QR the counter shows, until an answer is scanned.
    @Published private(set) var shownRequest: ShownRequest?
    /// Two-way: the counter's request the citizen is looking at (who asks, for what, why).
    @Published var pendingRequest: PendingRequest?
    @Published var requestError: ErrorText?

    let authorities: DemoAuthorities
    let people: SamplePeople
    let counter: Counter
    /// The demo clinic's reader (fixed public seed) and the trust list naming it.
    let reader: DemoReader
    /// The counter with a screen (two-way): shows requests, accepts each answer once.
    let requestingCounter: RequestingCounter
    let access: WalletAccess
    private(set) var wallet: Wallet?
    private let defaults = UserDefaults.standard

    init() {
        do {
            authorities = try DemoAuthorities()
            people = try SamplePeople.bundled()
            counter = try authorities.counter()
            reader = try DemoReader(authorities: authorities)
            requestingCounter = try reader.counter(authorities: authorities)
        } catch {
            fatalError("demo setup failed: \(error)") // only with a broken build (missing resource)
        }
        let support = FileManager.default.urls(for: .applicationSupportDirectory, in: .userDomainMask)[0]
        try? FileManager.default.createDirectory(at: support, withIntermediateDirectories: true)
        var url = support.appendingPathComponent("wallet.db")
        // Not in iCloud/iTunes backups: the data key is wrapped by a key that stays on this phone.
        var values = URLResourceValues()
        values.isExcludedFromBackup = true
        try? url.setResourceValues(values)
        access = WalletAccess(path: url.path)
        citizen = access.exists ? .locked : .setup
    }

    var coreVersion: String { CitizenWallet.coreVersion() }

    /// Secure Enclave on a device that has one, the Keychain otherwise (the Simulator). The choice
    /// is remembered: a wallet opens only with the provider it was created with (or its PIN).
    private var keyProvider: KeyProvider {
        let useEnclave = defaults.object(forKey: "useSecureEnclave") as? Bool ?? SecureEnclaveKeyProvider.isAvailable
        return useEnclave ? SecureEnclaveKeyProvider() : KeychainKeyProvider()
    }

    var keyProviderName: String {
        (defaults.object(forKey: "useSecureEnclave") as? Bool ?? SecureEnclaveKeyProvider.isAvailable)
            ? "Secure Enclave" : "Keychain"
    }

    /// Runs `work` off the main actor, then `done` on it.
    private func run<T>(_ work: @escaping @Sendable () throws -> T, done: @escaping (Result<T, Error>) -> Void) {
        busy = true
        Task.detached {
            let result = Result { try work() }
            await MainActor.run {
                self.busy = false
                done(result)
            }
        }
    }

    /// Awaits `work` (the library's async variants) from the main actor, then `done` on it.
    private func runAsync<T>(_ work: @escaping () async throws -> T, done: @escaping (Result<T, Error>) -> Void) {
        busy = true
        Task { @MainActor in
            let result: Result<T, Error>
            do { result = .success(try await work()) } catch { result = .failure(error) }
            self.busy = false
            done(result)
        }
    }

    // ---- citizen -------------------------------------------------------------------------------

    func create(person: String, pin: String) {
        defaults.set(SecureEnclaveKeyProvider.isAvailable, forKey: "useSecureEnclave")
        let (access, provider, authorities, people) = (access, keyProvider, authorities, people)
        runAsync({
            try await access.createAndSeedAsync(
                keyProvider: provider, pin: pin, authorities: authorities, people: people, personKey: person)
        }) {
            switch $0 {
            case let .success((wallet, seeded)):
                self.defaults.set(person, forKey: "person")
                if let index = seeded.imported[.clinicCheckin]?.issued.statusIndex {
                    self.defaults.set(Int(index), forKey: "checkinStatusIndex")
                }
                self.opened(wallet)
            case let .failure(error):
                self.citizenError = describeError(error)
            }
        }
    }

    func unlockWithDeviceKey() {
        let (access, provider) = (access, keyProvider)
        runAsync({ try await access.unlockAsync(keyProvider: provider) }) { self.finishUnlock($0) }
    }

    func unlock(pin: String) {
        let access = access
        runAsync({ try await access.unlockAsync(pin: pin) }) { self.finishUnlock($0) }
    }

    private func finishUnlock(_ result: Result<Wallet, Error>) {
        switch result {
        case let .success(wallet): opened(wallet)
        case let .failure(error): citizenError = describeError(error)
        }
    }

    private func opened(_ wallet: Wallet) {
        self.wallet = wallet
        citizenError = nil
        run({ try walletCards(wallet) }) {
            switch $0 {
            case let .success(cards): self.citizen = .unlocked(cards)
            case let .failure(error): self.citizenError = describeError(error)
            }
        }
    }

    var personName: String? {
        defaults.string(forKey: "person").map { people.fullName($0) }
    }

    func lock() {
        wallet?.lock()
        wallet = nil
        if case .unlocked = citizen { citizen = .locked }
    }

    /// A fresh QR code (a new signature and a new two-minute window).
    func code(for request: ShowRequest) async throws -> ShownCode {
        guard let wallet else { throw WalletError.locked }
        // Signing and QR encoding take a few milliseconds: a detached task, off the main actor.
        return try await Task.detached {
            try CitizenFlow(wallet: wallet).show(id: request.credentialId, claims: request.claims)
        }.value
    }

    // ---- citizen: a counter's request (two-way) -------------------------------------------------

    /// Checks a scanned request against the trust list (who asks, their role, what, why).
    func readRequest(text: String) {
        guard let wallet else {
            requestError = describeError(WalletError.locked)
            return
        }
        let flow = RequestFlow(wallet: wallet, trustList: reader.trustList)
        requestError = nil
        run({ try flow.read(text) }) {
            switch $0 {
            case let .success((request, screen)):
                self.pendingRequest = PendingRequest(request: request, screen: screen, flow: flow)
            case let .failure(error):
                self.requestError = describeError(error)
            }
        }
    }

    /// The answer QR, bound to the request (signing takes a few milliseconds: a detached task).
    func answer(_ pending: PendingRequest) async throws -> ShownCode {
        guard wallet != nil else { throw WalletError.locked }
        return try await Task.detached {
            try pending.flow.answer(pending.request)
        }.value
    }

    func resetDemo() {
        lock()
        access.delete()
        KeychainKeyProvider().deleteKey()
        SecureEnclaveKeyProvider().deleteKey()
        for key in ["person", "checkinStatusIndex", "useSecureEnclave"] { defaults.removeObject(forKey: key) }
        citizen = .setup
    }

    // ---- counter -------------------------------------------------------------------------------

    func scan(text: String) {
        let counter = counter
        shownRequest = nil
        verify { try counter.scanText(text) }
    }

    func scan(width: Int, height: Int, luma: Data) {
        let counter = counter
        counterNote = nil
        runAsync({ try await counter.scanLumaAsync(width: width, height: height, luma: luma) }) { self.showScan($0) }
    }

    /// Two-way: makes a signed check-in request and shows its QR code for the citizen's wallet.
    func showRequest() {
        let counter = requestingCounter
        counterNote = nil
        scan = nil
        run({ try counter.checkInRequest() }) {
            switch $0 {
            case let .success(request): self.shownRequest = request
            case let .failure(error):
                let e = describeError(error)
                self.counterNote = (e.vi, e.en)
            }
        }
    }

    /// Two-way: checks the citizen's answer (accepted once, for one of this counter's requests).
    func scanAnswer(text: String) {
        let counter = requestingCounter
        shownRequest = nil
        verify { .checked(try counter.scanAnswer(text)) }
    }

    func pictureUnreadable() {
        counterNote = nil
        scan = .unreadable(messageVi: L10n.vi("counter.not.picture"), messageEn: L10n.en("counter.not.picture"))
    }

    private func verify(_ work: @escaping @Sendable () throws -> ClinicFlow.ScanResult) {
        counterNote = nil
        run(work) { self.showScan($0) }
    }

    private func showScan(_ outcome: Result<ScanResult, Error>) {
        switch outcome {
        case let .success(result): scan = result
        case let .failure(error):
            let e = describeError(error)
            scan = .unreadable(messageVi: e.vi, messageEn: e.en)
        }
    }

    /// The issuer (simulated on this phone) revokes the check-in card of this phone's wallet, and
    /// the counter installs the new status list: that card's codes are now refused.
    func revokeDemo() {
        guard let index = defaults.object(forKey: "checkinStatusIndex") as? Int else {
            counterNote = (L10n.vi("counter.no.wallet"), L10n.en("counter.no.wallet"))
            return
        }
        let (counter, authorities) = (counter, authorities)
        run({ try counter.updateStatusList(authorities.revoke(type: .clinicCheckin, statusIndex: Int64(index))) }) {
            switch $0 {
            case .success:
                self.counterNote = (L10n.vi("counter.revoked", Int64(index)), L10n.en("counter.revoked", Int64(index)))
            case let .failure(error):
                let e = describeError(error)
                self.counterNote = (e.vi, e.en)
            }
        }
    }
}
