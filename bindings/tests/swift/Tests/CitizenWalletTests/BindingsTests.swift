// The binding scenario, from Swift, against the built library (run by bindings/test.sh with
// `swift test` in a Debian chroot). The same scenario runs in Python and Kotlin:
//
// * a wallet protected by a key provider implemented in Swift (it delegates the AEAD to the Rust
//   software provider, since Swift on Linux has no CryptoKit, and counts the calls): the foreign
//   trait crosses the FFI both ways;
// * an issuer world built with the issuer functions: root key, four authorities, a signed trust
//   list and status lists;
// * the credentials of the five sample people issued, imported, the clinic check-in presented as a
//   QR code and verified (text and PNG);
// * typed errors: wrong PIN (with retry-after), back-off, the PIN disabled after 10 failures,
//   rejected credentials, tampered QR codes;
// * the PIN as bytes (the app wipes its buffers) and data key rotation;
// * one wallet and one verifier used from four threads at once;
// * the native-feeling API: lowerCamelCase error cases, signed numbers (negative ->
//   .invalidInput), the packed QrMatrix and RGBA pixels, and the async variants from Swift
//   concurrency (async tests, a task group of many calls, typed errors).
//
// Prints `swift: N passed, N failed` when the run ends.

import CitizenWallet
import Foundation
import XCTest

let day: Int64 = 86_400
let now = Int64(Date().timeIntervalSince1970)
let pin = "246810"

/// Module (x, y) of the packed QrMatrix: row-major, most significant bit first, 1 = dark.
func isDark(_ m: QrMatrix, _ x: Int32, _ y: Int32) -> Bool {
    let i = Int(y * m.size + x)
    return (m.bits[m.bits.startIndex + i / 8] >> (7 - UInt8(i % 8))) & 1 == 1
}

/// A key provider whose keystore is slow (a biometric prompt, a busy Secure Enclave).
final class SlowKeyProvider: KeyProvider, @unchecked Sendable {
    let inner: KeyProvider
    let seconds: Double
    init(_ inner: KeyProvider, seconds: Double) { self.inner = inner; self.seconds = seconds }
    func keyId() -> String { inner.keyId() }
    func wrap(dataKey: Data) throws -> Data { Thread.sleep(forTimeInterval: seconds); return try inner.wrap(dataKey: dataKey) }
    func unwrap(wrapped: Data) throws -> Data { Thread.sleep(forTimeInterval: seconds); return try inner.unwrap(wrapped: wrapped) }
}

/// A key provider written in Swift. On iOS this is where the Keychain / Secure Enclave wraps the
/// data key; here it delegates the AES-free AEAD to the Rust software provider and counts calls.
final class CountingKeyProvider: KeyProvider, @unchecked Sendable {
    private let inner: KeyProvider
    private let id: String
    private let lock = NSLock()
    private var _wraps = 0
    private var _unwraps = 0

    init(id: String) throws {
        self.id = id
        inner = try softwareKeyProvider(keyId: id)
    }

    var wraps: Int { lock.lock(); defer { lock.unlock() }; return _wraps }
    var unwraps: Int { lock.lock(); defer { lock.unlock() }; return _unwraps }

    func keyId() -> String { id }

    func wrap(dataKey: Data) throws -> Data {
        lock.lock(); _wraps += 1; lock.unlock()
        return try inner.wrap(dataKey: dataKey)
    }

    func unwrap(wrapped: Data) throws -> Data {
        lock.lock(); _unwraps += 1; lock.unlock()
        return try inner.unwrap(wrapped: wrapped)
    }
}

/// A provider whose keystore fails with a Swift error that is not a WalletError (an app bug).
final class BrokenKeyProvider: KeyProvider, @unchecked Sendable {
    struct KeystoreExploded: Error {}
    func keyId() -> String { "broken" }
    func wrap(dataKey: Data) throws -> Data { throw KeystoreExploded() }
    func unwrap(wrapped: Data) throws -> Data { throw KeystoreExploded() }
}

/// The app's own time source (a counter synchronised to a trusted server; here, a test).
final class SettableClock: TimeSource, @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int64
    init(_ now: Int64) { value = now }
    var now: Int64 {
        get { lock.lock(); defer { lock.unlock() }; return value }
        set { lock.lock(); value = newValue; lock.unlock() }
    }
    func nowUnix() -> Int64 { now }
}

/// A root, four authorities, a signed trust list and status lists, built through the bindings.
final class World: @unchecked Sendable {
    let root: IssuerKey
    var keys: [String: IssuerKey] = [:]
    var issuers: [CredentialType: Issuer] = [:]
    var status: [String: StatusList] = [:]
    var entries: [TrustedIssuer] = []
    let trustBytes: Data
    let trust: TrustList
    private var nextIndex: Int64 = 1
    private let lock = NSLock()

    init() throws {
        root = try IssuerKey.generate()
        let authorities: [(String, String, String, [CredentialType])] = [
            ("BCA", "Bộ Công an", "Ministry of Public Security", [.citizenId]),
            ("BHXH", "Bảo hiểm xã hội Việt Nam", "Vietnam Social Security", [.healthInsurance, .clinicCheckin]),
            ("BYT", "Bộ Y tế", "Ministry of Health", [.healthBook]),
            ("BTP", "Bộ Tư pháp", "Ministry of Justice", [.judicialRecord]),
        ]
        for (i, (iss, vi, en, types)) in authorities.enumerated() {
            let key = try IssuerKey.fromSeed(seed: Data(repeating: UInt8(i + 2), count: 32))
            keys[iss] = key
            let issuer = Issuer(key: key, iss: iss)
            for t in types { issuers[t] = issuer }
            status[iss] = try StatusList(issuerKid: key.kid(), len: 4096, issuedAt: now - 3600, maxAgeSecs: Int32(7 * day))
            entries.append(TrustedIssuer(
                kid: key.kid(), publicKey: key.publicKey(), iss: iss, nameVi: vi, nameEn: en,
                notBefore: now - 365 * day, notAfter: now + 5 * 365 * day, types: types))
        }
        trustBytes = try signTrustList(root: root, issuedAt: now - day, issuers: entries)
        trust = try TrustList.fromSigned(trustList: trustBytes, rootPublicKey: root.publicKey())
    }

    func signedStatusLists() throws -> [Data] {
        try status.keys.sorted().map { try status[$0]!.sign(issuerKey: keys[$0]!) }
    }

    func verifier(clock: TimeSource? = nil) throws -> Verifier {
        try Verifier.withConfig(
            trustList: trustBytes, rootPublicKey: root.publicKey(), statusLists: signedStatusLists(),
            config: VerifierConfig(audience: nil, acceptOfflineAudience: true, clockSkewSecs: 60),
            clock: clock)
    }

    /// Issues to `holder`; returns the SD-CWT and its status index.
    func issue(_ cred: PersonCredential, to holder: Data) throws -> (Data, Int64) {
        lock.lock()
        let index = nextIndex
        nextIndex += 1
        lock.unlock()
        let bytes = try issuers[cred.credentialType]!.issueDefault(
            credentialType: cred.credentialType, credentialJson: cred.json, holderPublicKey: holder,
            issuedAt: now - day, expiresAt: now + 365 * day, statusIndex: index)
        return (bytes, index)
    }
}

/// Prints the plain summary line when the test run ends.
final class SummaryObserver: NSObject, XCTestObservation {
    var passed = 0
    var failed = 0
    func testCaseDidFinish(_ testCase: XCTestCase) {
        if testCase.testRun?.hasSucceeded == true { passed += 1 } else { failed += 1 }
    }
    func testBundleDidFinish(_ testBundle: Bundle) {
        print("swift: \(passed) passed, \(failed) failed")
    }
}

/// What the four threads report, behind a lock.
final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var _errors: [String] = []
    private var _verdicts: [Bool] = []
    var errors: [String] { lock.lock(); defer { lock.unlock() }; return _errors }
    var verdicts: [Bool] { lock.lock(); defer { lock.unlock() }; return _verdicts }
    func add(error: String) { lock.lock(); _errors.append(error); lock.unlock() }
    func add(verdict: Bool) { lock.lock(); _verdicts.append(verdict); lock.unlock() }
}

struct Holder {
    let wallet: Wallet
    let provider: CountingKeyProvider
    /// Per type: the wallet's id, the status index, the credential JSON.
    let ids: [CredentialType: (String, Int64, String)]
}

final class BindingsTests: XCTestCase {
    static let observer = SummaryObserver()
    static var world: World!
    static var verifier: Verifier!
    static var people: [String: [PersonCredential]] = [:]
    static var tmp: URL!

    override class func setUp() {
        super.setUp()
        XCTestObservationCenter.shared.addTestObserver(observer)
        do {
            tmp = FileManager.default.temporaryDirectory.appendingPathComponent("cwallet-swift-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
            world = try World()
            verifier = try world.verifier()
            let path = ProcessInfo.processInfo.environment["CWALLET_PEOPLE_JSON"] ?? "people.json"
            let json = try String(contentsOfFile: path, encoding: .utf8)
            people = Dictionary(grouping: try credentialsFromPeopleJson(peopleJson: json), by: { $0.personKey })
        } catch {
            print("setup failed: \(error)")
        }
    }

    override class func tearDown() {
        if let tmp { try? FileManager.default.removeItem(at: tmp) }
        super.tearDown()
    }

    var world: World { Self.world }
    var verifier: Verifier { Self.verifier }
    func path(_ name: String) -> String { Self.tmp.appendingPathComponent(name).path }

    /// A provider-protected wallet holding every issued credential of one person.
    func walletWithCredentials(_ name: String, _ person: String) throws -> Holder {
        let provider = try CountingKeyProvider(id: "test-key-\(name)")
        let wallet = try Wallet.createWithKeyProvider(path: path("\(name).db"), keyProvider: provider)
        let holder = try wallet.holderPublicKey()
        var ids: [CredentialType: (String, Int64, String)] = [:]
        for (n, cred) in try XCTUnwrap(Self.people[person]).enumerated() {
            let (issued, index) = try world.issue(cred, to: holder)
            let id = n % 2 == 0
                ? try wallet.importIssued(issued: issued, trustList: world.trust)
                : try wallet.importIssuedText(transferText: transferText(sdCwt: issued), trustList: world.trust)
            ids[cred.credentialType] = (id, index, cred.json)
        }
        return Holder(wallet: wallet, provider: provider, ids: ids)
    }

    func fields(_ json: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    func testSetupLoadedFivePeople() {
        XCTAssertNotNil(Self.world)
        XCTAssertEqual(Self.people.count, 5)
    }

    func testVersion() {
        XCTAssertNotNil(coreVersion().range(of: #"^\d+\.\d+\.\d+"#, options: .regularExpression))
    }

    func testSwiftKeyProviderCreatesUnlocksAndGuardsTheWallet() throws {
        let provider = try CountingKeyProvider(id: "test-key-unlock")
        let wallet = try Wallet.createWithKeyProvider(path: path("unlock.db"), keyProvider: provider)
        XCTAssertEqual(provider.wraps, 1)
        let holder = try wallet.holderPublicKey()
        XCTAssertEqual(holder.count, 32)
        wallet.lock()
        XCTAssertTrue(wallet.isLocked())
        XCTAssertThrowsError(try wallet.holderPublicKey()) { XCTAssertEqual($0 as? WalletError, .locked) }
        try wallet.unlockWithKeyProvider(keyProvider: provider)
        XCTAssertEqual(provider.unwraps, 1)
        XCTAssertEqual(try wallet.holderPublicKey(), holder)
        XCTAssertEqual(try Wallet.openWithKeyProvider(path: path("unlock.db"), keyProvider: provider).holderPublicKey(), holder)
        // Same id, another key: the Rust provider's WrongKey crosses Swift and comes back typed.
        XCTAssertThrowsError(try Wallet.openWithKeyProvider(
            path: path("unlock.db"), keyProvider: CountingKeyProvider(id: "test-key-unlock"))) {
            XCTAssertEqual($0 as? WalletError, .wrongKey)
        }
    }

    func testProviderErrorThatIsNotAWalletErrorBecomesKeyProvider() {
        XCTAssertThrowsError(try Wallet.createWithKeyProvider(path: path("broken.db"), keyProvider: BrokenKeyProvider())) {
            guard case .keyProvider = $0 as? WalletError else { return XCTFail("got \($0)") }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("broken.db")), "a failed create leaves no file")
    }

    func testFivePeopleImportPresentCheckinAndVerify() throws {
        XCTAssertEqual(Self.people.count, 5)
        for (person, creds) in Self.people.sorted(by: { $0.key < $1.key }) {
            let h = try walletWithCredentials("p-\(person)", person)
            XCTAssertEqual(h.provider.wraps, 1)
            let listed = try h.wallet.list(credentialType: nil)
            XCTAssertEqual(listed.count, creds.count, person)
            XCTAssertTrue(listed.allSatisfy { $0.signed })
            XCTAssertEqual(try h.wallet.list(credentialType: .clinicCheckin).count, 1)
            XCTAssertEqual(try h.wallet.listSummaries(credentialType: nil).map { $0.id }, listed.map { $0.id })

            let (id, _, json) = try XCTUnwrap(h.ids[.clinicCheckin])
            let f = try fields(json)
            let p = try h.wallet.present(credentialId: id, claims: [])
            XCTAssertTrue(p.qrText().hasPrefix("VN2:"))
            XCTAssertEqual(p.alwaysVisible().sorted(), ["bhyt_code", "citizen_id", "dob", "full_name"])
            XCTAssertEqual(p.audience(), "offline")
            XCTAssertGreaterThan(p.expiresAt(), now)
            XCTAssertGreaterThan(p.byteCount(), 100)
            XCTAssertLessThanOrEqual(p.qrVersion(), 15, "check-in QR fits a counter imager")
            let m = p.matrix()
            XCTAssertEqual(m.version, p.qrVersion())
            XCTAssertEqual(m.size, 17 + 4 * m.version)
            XCTAssertEqual(m.bits.count, Int(m.size * m.size + 7) / 8)
            XCTAssertTrue(isDark(m, 0, 0), "finder pattern corner is dark")
            let png = try p.png(scale: 4)
            XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
            XCTAssertTrue(p.svg().contains("<svg"))

            let v = try verifier.verifyText(text: p.qrText())
            XCTAssertEqual(v.outcome, .valid, v.messageEn)
            XCTAssertEqual(v.status, .valid, v.messageEn)
            XCTAssertNil(v.rejectReason)
            XCTAssertTrue(v.messageEn.hasPrefix("VALID"), v.messageEn)
            XCTAssertTrue(v.messageVi.hasPrefix("HỢP LỆ"), v.messageVi)
            XCTAssertEqual(v.credentialType, .clinicCheckin)
            XCTAssertEqual(v.issuerNameEn, "Vietnam Social Security")
            let claims = Dictionary(uniqueKeysWithValues: v.claims.map { ($0.name, $0) })
            XCTAssertEqual(Set(claims.keys), ["full_name", "dob", "citizen_id", "bhyt_code"])
            XCTAssertEqual(claims["full_name"]?.value, f["full_name"] as? String)
            XCTAssertEqual(claims["citizen_id"]?.value, f["citizen_id"] as? String)
            XCTAssertEqual(claims["bhyt_code"]?.value, f["bhyt_code"] as? String)
            let year = try XCTUnwrap(f["dob"] as? String).prefix(4)
            XCTAssertTrue(try XCTUnwrap(claims["dob"]).value.contains(year))
            XCTAssertEqual(claims["full_name"]?.labelEn, "Full name")
            XCTAssertNotEqual(claims["full_name"]?.labelVi, claims["full_name"]?.labelEn)

            let fromPng = try verifier.verifyPng(png: png)
            XCTAssertEqual(fromPng.outcome, .valid, fromPng.messageEn)
            XCTAssertEqual(fromPng.claims, v.claims)
        }
    }

    func testSelectiveDisclosureHidesWhatWasNotChosen() throws {
        let h = try walletWithCredentials("sd", "ha")
        let id = try XCTUnwrap(h.ids[.citizenId]).0
        let v = try verifier.verifyText(text: h.wallet.present(credentialId: id, claims: ["full_name"]).qrText())
        XCTAssertEqual(v.outcome, .valid, v.messageEn)
        let shown = Dictionary(uniqueKeysWithValues: v.claims.map { ($0.name, $0) })
        XCTAssertEqual(shown["full_name"]?.selectivelyDisclosed, true)
        XCTAssertNil(shown["citizen_id"])
        XCTAssertNil(shown["address"])
        // The claim picker offers the issuer's selectively disclosable claims this credential has.
        let offered = try h.wallet.disclosableClaims(credentialId: id)
        let has = try h.wallet.get(id: id).claims.map { $0.name }
        let policy = defaultSdClaims(credentialType: .citizenId)
        XCTAssertEqual(offered, has.filter { policy.contains($0) })
        let p = try h.wallet.present(credentialId: id, claims: ["full_name"])
        XCTAssertEqual(p.disclosed(), ["full_name"])
        XCTAssertTrue(Set(p.alwaysVisible()).isDisjoint(with: offered))
        XCTAssertEqual((p.alwaysVisible() + offered).sorted(), has.sorted())
    }

    func testWrongPinIsTypedWithRetryAfter() throws {
        let p = path("pin.db")
        let holder = try Wallet.createWithPin(path: p, pin: pin).holderPublicKey()
        var retry: Int64 = 0
        XCTAssertThrowsError(try Wallet.openWithPin(path: p, pin: "135790")) {
            guard case let .wrongPin(retryAfterSecs, failedAttempts) = $0 as? WalletError else { return XCTFail("got \($0)") }
            XCTAssertEqual(retryAfterSecs, 1)
            XCTAssertEqual(failedAttempts, 1)
            retry = retryAfterSecs
        }
        Thread.sleep(forTimeInterval: Double(retry) + 0.2)
        XCTAssertThrowsError(try Wallet.openWithPin(path: p, pin: "135790")) {
            guard case let .wrongPin(retryAfterSecs, failedAttempts) = $0 as? WalletError else { return XCTFail("got \($0)") }
            XCTAssertEqual(retryAfterSecs, 2, "back-off doubles")
            XCTAssertEqual(failedAttempts, 2)
        }
        XCTAssertThrowsError(try Wallet.openWithPin(path: p, pin: pin)) {
            guard case let .pinBackoff(retryAfterSecs) = $0 as? WalletError else { return XCTFail("got \($0)") }
            XCTAssertGreaterThanOrEqual(retryAfterSecs, 1)
        }
        let locked = try Wallet.openLocked(path: p)
        XCTAssertTrue(locked.isLocked())
        let wait = try locked.pinRetryAfterSecs()
        XCTAssertLessThanOrEqual(wait, 2)
        Thread.sleep(forTimeInterval: Double(wait) + 0.2)
        XCTAssertEqual(try Wallet.openWithPin(path: p, pin: pin).holderPublicKey(), holder)
        XCTAssertThrowsError(try Wallet.createWithPin(path: path("short-pin.db"), pin: "12")) {
            guard case .invalidInput = $0 as? WalletError else { return XCTFail("got \($0)") }
        }
    }

    func testPinAsBytesEntryPointsAndTheAppWipesItsBuffers() throws {
        let p = path("pin-bytes.db")
        var pinBytes = Data(pin.utf8)
        let wallet = try Wallet.createWithPinBytes(path: p, pin: pinBytes)
        let holder = try wallet.holderPublicKey()
        wallet.lock()
        try wallet.unlockWithPinBytes(pin: pinBytes)
        XCTAssertEqual(try Wallet.openWithPin(path: p, pin: pin).holderPublicKey(), holder)
        XCTAssertEqual(try Wallet.openWithPinBytes(path: p, pin: pinBytes).holderPublicKey(), holder)
        var newPin = Data("mật khẩu 2468".utf8)
        try wallet.changePinBytes(oldPin: pinBytes, newPin: newPin)
        // The library wiped its copies; the app overwrites its own buffers.
        pinBytes.resetBytes(in: pinBytes.startIndex..<pinBytes.endIndex)
        newPin.resetBytes(in: newPin.startIndex..<newPin.endIndex)
        XCTAssertTrue(pinBytes.allSatisfy { $0 == 0 } && newPin.allSatisfy { $0 == 0 })
        XCTAssertEqual(try Wallet.openWithPin(path: p, pin: "mật khẩu 2468").holderPublicKey(), holder)
        XCTAssertThrowsError(try wallet.setPinBytes(newPin: Data([0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0xfa]))) {
            guard case .invalidInput = $0 as? WalletError else { return XCTFail("got \($0)") }
        }
        try wallet.setPinBytes(newPin: Data("97531086".utf8))
        XCTAssertEqual(try Wallet.openWithPinBytes(path: p, pin: Data("97531086".utf8)).holderPublicKey(), holder)
    }

    func testTenWrongPinsDisableThePinUntilTheKeyProviderUnlocks() throws {
        let clock = SettableClock(now)
        let provider = try CountingKeyProvider(id: "pin-locked")
        let p = path("pin-locked.db")
        try Wallet.createWithPin(path: p, pin: pin, clock: clock).setKeyProvider(keyProvider: provider)
        for n in 1...10 {
            XCTAssertThrowsError(try Wallet.openWithPin(path: p, pin: "135790", clock: clock)) {
                switch $0 as? WalletError {
                case let .wrongPin(retryAfterSecs, failedAttempts) where n < 10:
                    XCTAssertEqual(failedAttempts, Int32(n))
                    clock.now += Int64(retryAfterSecs)
                case .pinLocked where n == 10:
                    break
                default:
                    XCTFail("attempt \(n): got \($0)")
                }
            }
        }
        clock.now += 365 * day
        XCTAssertThrowsError(try Wallet.openWithPin(path: p, pin: pin, clock: clock)) {
            guard case .pinLocked = $0 as? WalletError else { return XCTFail("got \($0)") }
        }
        XCTAssertThrowsError(try Wallet.openLocked(path: p, clock: clock).pinRetryAfterSecs()) {
            guard case .pinLocked = $0 as? WalletError else { return XCTFail("got \($0)") }
        }
        _ = try Wallet.openWithKeyProvider(path: p, keyProvider: provider, clock: clock)
        XCTAssertFalse(try Wallet.openWithPin(path: p, pin: pin, clock: clock).isLocked())
    }

    func testRotateDataKeyReencryptsAndNeedsEveryWayOfUnlocking() throws {
        let provider = try CountingKeyProvider(id: "rotate")
        let p = path("rotate.db")
        let wallet = try Wallet.createWithPin(path: p, pin: pin)
        try wallet.setKeyProvider(keyProvider: provider)
        let ha = try XCTUnwrap(Self.people["ha"])
        _ = try wallet.addJson(credentialType: ha[0].credentialType, json: ha[0].json)
        XCTAssertThrowsError(try wallet.rotateDataKey(pin: Data("24682468".utf8))) {
            guard case let .invalidInput(field, _) = $0 as? WalletError else { return XCTFail("got \($0)") }
            XCTAssertEqual(field, "key provider")
        }
        // The PIN changes with the key: the old PIN no longer opens the wallet.
        XCTAssertEqual(try wallet.rotateDataKey(pin: Data("24682468".utf8), keyProvider: provider), 1)
        _ = try wallet.addJson(credentialType: ha[1].credentialType, json: ha[1].json)
        XCTAssertEqual(try Wallet.openWithPin(path: p, pin: "24682468").list(credentialType: nil).count, 2)
        XCTAssertEqual(try Wallet.openWithKeyProvider(path: p, keyProvider: provider).list(credentialType: nil).count, 2)
        XCTAssertThrowsError(try Wallet.openWithPin(path: p, pin: pin)) {
            guard case .wrongPin = $0 as? WalletError else { return XCTFail("got \($0)") }
        }
    }

    func testOneScannerReadsPresentationsAndIdCardQrAsUnverifiedData() throws {
        let h = try walletWithCredentials("scan", "minh")
        let text = try h.wallet.present(credentialId: XCTUnwrap(h.ids[.clinicCheckin]).0, claims: []).qrText()
        guard case .presentation(let verdict) = try verifier.scanText(text: text) else { return XCTFail("not a presentation") }
        XCTAssertEqual(verdict, try verifier.verifyText(text: text))
        XCTAssertEqual(verdict.outcome, .valid)
        let cardQr = "\u{FEFF}079085012384||Trần Văn Minh|02111985|Nam|123/45 Lê Văn Sỹ, Phường 13, Quận 3, Hồ Chí Minh|25042021\n"
        guard case .idCard(let card) = try verifier.scanText(text: cardQr) else { return XCTFail("not card data") }
        XCTAssertEqual(card.citizenId, "079085012384")
        XCTAssertNil(card.oldId)
        XCTAssertEqual(card.fullName, "Trần Văn Minh")
        XCTAssertEqual(card.dateOfBirth, "1985-11-02")
        XCTAssertEqual(card.sex, .male)
        XCTAssertEqual(card.issueDate, "2021-04-25")
        XCTAssertTrue(card.messageEn.hasPrefix("ID CARD: UNVERIFIED DATA"), card.messageEn)
        XCTAssertTrue(card.messageVi.hasPrefix("THẺ CCCD: DỮ LIỆU CHƯA XÁC THỰC"), card.messageVi)
        XCTAssertEqual(try verifier.verifyText(text: cardQr).rejectReason, .notOurFormat)
        XCTAssertThrowsError(try verifier.scanText(text: cardQr.replacingOccurrences(of: "02111985", with: "31021985"))) {
            guard case .invalidInput? = $0 as? WalletError else { return XCTFail("got \($0)") }
        }
        guard case .presentation(let damaged) = try verifier.scanText(text: String(text.dropLast(20))) else {
            return XCTFail("a damaged presentation read as a card")
        }
        XCTAssertEqual(damaged.outcome, .invalid)
    }

    func testTamperedQrIsAnInvalidVerdict() throws {
        let h = try walletWithCredentials("tamper", "minh")
        let text = try h.wallet.present(credentialId: XCTUnwrap(h.ids[.clinicCheckin]).0, claims: []).qrText()
        XCTAssertEqual(try verifier.verifyText(text: text).outcome, .valid)
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
        var chars = Array(text)
        let i = chars.count / 2
        chars[i] = alphabet[(try XCTUnwrap(alphabet.firstIndex(of: chars[i])) + 1) % 45]
        let v = try verifier.verifyText(text: String(chars))
        XCTAssertEqual(v.outcome, .invalid)
        guard case .invalid = v.status else { return XCTFail("status \(v.status)") }
        XCTAssertTrue([RejectReason.badIssuerSignature, .badHolderSignature, .malformed].contains(try XCTUnwrap(v.rejectReason)))
        XCTAssertTrue(v.messageEn.hasPrefix("INVALID"), v.messageEn)
        XCTAssertTrue(v.messageVi.hasPrefix("KHÔNG HỢP LỆ"), v.messageVi)
        XCTAssertEqual(v.claims, [], "an invalid code shows nothing")
        XCTAssertEqual(try verifier.verifyText(text: String(text.dropLast(20))).rejectReason, .malformed)
        XCTAssertEqual(try verifier.verifyText(text: "HC1:NCFOXN%TS3DH3ZSUZK+.V0ET").rejectReason, .notOurFormat)
        XCTAssertThrowsError(try verifier.verifyPng(png: Data("not a png".utf8))) {
            guard case .image(.notAnImage, _) = $0 as? WalletError else { return XCTFail("got \($0)") }
        }
    }

    func testTamperedForeignAndMisaddressedCredentialsAreRejectedOnImport() throws {
        let wallet = try Wallet.createWithKeyProvider(path: path("import.db"), keyProvider: CountingKeyProvider(id: "imp"))
        let cred = try XCTUnwrap(Self.people["linh"]?.first)
        var (issued, _) = try world.issue(cred, to: wallet.holderPublicKey())
        issued[issued.count - 1] ^= 1
        XCTAssertThrowsError(try wallet.importIssued(issued: issued, trustList: world.trust)) {
            guard case let .rejected(reason, messageEn, messageVi) = $0 as? WalletError else { return XCTFail("got \($0)") }
            XCTAssertEqual(reason, .badIssuerSignature)
            XCTAssertFalse(messageEn.isEmpty)
            XCTAssertFalse(messageVi.isEmpty)
        }
        let rogue = try Issuer(key: IssuerKey.generate(), iss: "BCA").issueDefault(
            credentialType: cred.credentialType, credentialJson: cred.json, holderPublicKey: wallet.holderPublicKey(),
            issuedAt: now - day, expiresAt: now + day, statusIndex: 1)
        XCTAssertThrowsError(try wallet.importIssued(issued: rogue, trustList: world.trust)) {
            guard case let .rejected(reason, _, _) = $0 as? WalletError else { return XCTFail("got \($0)") }
            // Format 2 names no issuer: a type the trusted BCA issues, signed by no trusted key.
            XCTAssertEqual(reason, .badIssuerSignature)
        }
        let other = try Wallet.createWithKeyProvider(path: path("other.db"), keyProvider: CountingKeyProvider(id: "other"))
        let (foreign, _) = try world.issue(cred, to: other.holderPublicKey())
        XCTAssertThrowsError(try wallet.importIssued(issued: foreign, trustList: world.trust)) {
            guard case .invalidInput = $0 as? WalletError else { return XCTFail("got \($0)") }
        }
        XCTAssertEqual(try wallet.list(credentialType: nil).count, 0, "nothing stored after rejections")
        XCTAssertThrowsError(try TrustList.fromSigned(trustList: world.trustBytes, rootPublicKey: IssuerKey.generate().publicKey())) {
            guard case let .rejected(reason, _, _) = $0 as? WalletError else { return XCTFail("got \($0)") }
            XCTAssertEqual(reason, .badTrustData)
        }
    }

    func testRevokedCredentialIsInvalidWithTheNewStatusList() throws {
        let h = try walletWithCredentials("revoked", "bao")
        let (id, index, _) = try XCTUnwrap(h.ids[.clinicCheckin])
        let v = try world.verifier()
        let text = try h.wallet.present(credentialId: id, claims: []).qrText()
        XCTAssertEqual(try v.verifyText(text: text).outcome, .valid)
        let status = try XCTUnwrap(world.status["BHXH"])
        try status.revoke(index: index)
        XCTAssertTrue(try status.isRevoked(index: index))
        status.setIssuedAt(issuedAt: now - 60)
        _ = try v.updateStatusList(statusList: status.sign(issuerKey: XCTUnwrap(world.keys["BHXH"])))
        XCTAssertEqual(try v.verifyText(text: text).rejectReason, .revoked)
    }

    // Finding 4: a counter never given status lists cannot know whether a credential was revoked.
    // Its verdict is amber, never the green .valid a screen shows without question; there is no
    // `isValid` that used to be true here. A skew above five minutes is refused (finding 6).
    func testACounterWithoutStatusListsShowsAmberNeverValid() throws {
        let h = try walletWithCredentials("amber", "ha")
        let (id, index, _) = try XCTUnwrap(h.ids[.citizenId])
        let text = try h.wallet.present(credentialId: id, claims: ["full_name"]).qrText()
        let status = try XCTUnwrap(world.status["BCA"])
        try status.revoke(index: index)
        status.setIssuedAt(issuedAt: now - 60)
        let current = try world.verifier()
        XCTAssertEqual(try current.verifyText(text: text).outcome, .invalid)
        XCTAssertEqual(try current.verifyText(text: text).rejectReason, .revoked)
        let bare = try Verifier(trustList: world.trustBytes, rootPublicKey: world.root.publicKey())
        let v = try bare.verifyText(text: text)
        XCTAssertEqual(v.outcome, .statusNotCurrent, v.messageEn)
        XCTAssertEqual(v.status, .validStale(asOf: nil, reason: .noStatusList))
        XCTAssertNil(v.statusAsOf)
        XCTAssertNil(v.rejectReason)
        XCTAssertTrue(v.messageEn.contains("no status list from this issuer"), v.messageEn)
        XCTAssertTrue(v.claims.contains { $0.name == "full_name" }, "amber still shows what was checked")
        XCTAssertThrowsError(try Verifier.withConfig(
            trustList: world.trustBytes, rootPublicKey: world.root.publicKey(), statusLists: [],
            config: VerifierConfig(audience: nil, acceptOfflineAudience: true, clockSkewSecs: 301))
        ) {
            guard case let .invalidInput(_, reason) = $0 as? WalletError else { return XCTFail("got \($0)") }
            XCTAssertTrue(reason.contains("300"), reason)
        }
    }

    /// Hardening findings 2 and 3: a counter keeping its lists in a directory of its own refuses,
    /// after a restart, the status list from before a revocation and the trust list from before
    /// an issuer was removed.
    func testACounterStateRefusesRolledBackListsAfterARestart() throws {
        let h = try walletWithCredentials("state", "bao")
        let (checkinId, index, _) = try XCTUnwrap(h.ids[.clinicCheckin])
        let checkin = try h.wallet.present(credentialId: checkinId, claims: []).qrText()
        let cccd = try h.wallet.present(credentialId: XCTUnwrap(h.ids[.citizenId]).0, claims: ["full_name"]).qrText()
        let key = try XCTUnwrap(world.keys["BHXH"])
        let bhxh = try StatusList(issuerKid: key.kid(), len: 4096, issuedAt: now - 3600, maxAgeSecs: Int32(7 * day))
        let before = try bhxh.sign(issuerKey: key)
        try bhxh.revoke(index: index)
        let revoking = try bhxh.sign(issuerKey: key) // edition 2, most likely in the same second
        let dir = path("counter-state")
        let root = world.root.publicKey()
        let config = VerifierConfig(audience: nil, clockSkewSecs: 60)
        XCTAssertNil(config.acceptOfflineAudience)
        let v2 = try signTrustList(root: world.root, issuedAt: now - 60,
                                   issuers: world.entries.filter { $0.iss != "BCA" }, sequence: 2)
        do {
            let first = try Verifier.withState(stateDir: dir, rootPublicKey: root, config: config, trustList: world.trustBytes)
            XCTAssertEqual(try first.updateStatusList(statusList: revoking), .applied)
            XCTAssertEqual(try first.updateTrustList(trustList: v2), .applied)
        }
        // Restarted, and offered the old lists again.
        let again = try Verifier.withState(stateDir: dir, rootPublicKey: root, config: config, trustList: world.trustBytes)
        XCTAssertEqual(again.trustListSequence(), 2)
        XCTAssertEqual(try again.updateStatusList(statusList: before), .olderThanCurrent)
        XCTAssertEqual(try again.updateTrustList(trustList: world.trustBytes), .olderThanCurrent)
        XCTAssertEqual(try again.verifyText(text: checkin).rejectReason, .revoked)
        XCTAssertEqual(try again.verifyText(text: cccd).rejectReason, .unknownIssuer)
        // A damaged state file is a typed error and stays as it was.
        let file = URL(fileURLWithPath: dir).appendingPathComponent("counter-state.bin")
        var bytes = try Data(contentsOf: file)
        bytes[bytes.count / 2] ^= 1
        try bytes.write(to: file)
        XCTAssertThrowsError(try Verifier.withState(stateDir: dir, rootPublicKey: root, config: config)) {
            guard case let .counterState(problem, _) = $0 as? WalletError else { return XCTFail("got \($0)") }
            XCTAssertEqual(problem, .damaged)
        }
        XCTAssertEqual(try Data(contentsOf: file), bytes)
    }

    /// Hardening finding 5: a counter with its own id refuses any-counter presentations unless
    /// told to accept them.
    func testACounterWithItsOwnIdRefusesAnyCounterPresentationsUnlessTold() throws {
        let h = try walletWithCredentials("audience", "minh")
        let text = try h.wallet.present(credentialId: XCTUnwrap(h.ids[.clinicCheckin]).0, claims: []).qrText()
        let root = world.root.publicKey()
        XCTAssertTrue(try Verifier(trustList: world.trustBytes, rootPublicKey: root).verifyText(text: text).outcome != .invalid)
        let mine = try Verifier(trustList: world.trustBytes, rootPublicKey: root, audience: "quay-3")
        XCTAssertEqual(try mine.verifyText(text: text).rejectReason, .wrongAudience)
        let explicit = try Verifier.withConfig(
            trustList: world.trustBytes, rootPublicKey: root, statusLists: [],
            config: VerifierConfig(audience: "quay-3", acceptOfflineAudience: true, clockSkewSecs: 60))
        XCTAssertTrue(try explicit.verifyText(text: text).outcome != .invalid)
    }

    func testTwoWayRequestReaderRolesAndOneAnswerPerNonce() throws {
        let clinic = try IssuerKey.fromSeed(seed: Data(repeating: 21, count: 32))
        let readers = [TrustedReader(
            kid: clinic.kid(), publicKey: clinic.publicKey(), readerId: "BM-Q1", nameVi: "Bệnh viện Bạch Mai, quầy 1",
            nameEn: "Bach Mai Hospital, desk 1", notBefore: now - day, notAfter: now + day, role: .clinic)]
        let trustBytes = try signTrustListWithReaders(
            root: world.root, issuedAt: now - day, issuers: world.entries, readers: readers)
        let trust = try TrustList.fromSigned(trustList: trustBytes, rootPublicKey: world.root.publicKey())
        XCTAssertEqual(trust.readers().map { $0.readerId }, ["BM-Q1"])
        XCTAssertFalse(readerRoleAllowedTypes(role: .clinic).contains(.judicialRecord))
        let counter = try Verifier.withConfig(
            trustList: trustBytes, rootPublicKey: world.root.publicKey(), statusLists: world.signedStatusLists(),
            config: VerifierConfig(audience: "BM-Q1", acceptOfflineAudience: nil, clockSkewSecs: 60))
        let asked = ["full_name", "dob", "citizen_id", "bhyt_code"]
        let req = try counter.makeRequest(
            readerKey: clinic, credentialType: .clinicCheckin, claims: asked, purpose: .clinicCheckin)
        XCTAssertTrue(req.qrText.hasPrefix("VN1R:"))
        XCTAssertLessThanOrEqual(req.qrVersion, 10)
        XCTAssertEqual(req.nonce.count, 16)
        XCTAssertThrowsError(try counter.makeRequest(
            readerKey: clinic, credentialType: .judicialRecord, claims: ["status"], purpose: .clinicCheckin)) {
            guard case .invalidInput? = $0 as? WalletError else { return XCTFail("got \($0)") }
        }
        let h = try walletWithCredentials("two-way", "linh")
        let seen = try h.wallet.readRequest(text: req.qrText, trustList: trust)
        XCTAssertEqual(seen.readerNameEn, "Bach Mai Hospital, desk 1")
        XCTAssertEqual(seen.role, .clinic)
        XCTAssertEqual(seen.claims, asked)
        XCTAssertEqual(seen.claimLabelsVi.first, "Họ và tên")
        XCTAssertEqual(seen.purposeEn, "clinic check-in")
        XCTAssertThrowsError(try h.wallet.readRequest(text: req.qrText, trustList: world.trust)) {
            guard case let .rejected(reason, _, messageVi)? = $0 as? WalletError else { return XCTFail("got \($0)") }
            XCTAssertEqual(reason, .unknownReader)
            XCTAssertEqual(messageVi, "quầy yêu cầu không có trong danh sách tin cậy")
        }
        let id = try XCTUnwrap(h.ids[.clinicCheckin]).0
        let answer = try h.wallet.answerRequest(request: seen, credentialId: id)
        XCTAssertEqual(answer.audience(), "BM-Q1")
        XCTAssertEqual(try counter.verifyResponse(text: answer.qrText()).outcome, .valid)
        XCTAssertEqual(try counter.verifyResponse(text: answer.qrText()).rejectReason, .requestAlreadyAnswered)
        counter.setRequireRequests(on: true)
        let oneWay = try h.wallet.present(credentialId: id, claims: [], audience: "BM-Q1")
        XCTAssertEqual(try counter.verifyText(text: oneWay.qrText()).rejectReason, .requestRequired)
    }

    func testPresentationTooLargeForAQrCodeIsQrTooLarge() throws {
        let h = try walletWithCredentials("large", "minh")
        let id = try XCTUnwrap(h.ids[.healthBook]).0
        let all = try h.wallet.get(id: id).claims.map { $0.name }
        XCTAssertThrowsError(try h.wallet.present(credentialId: id, claims: all)) {
            guard case let .qrTooLarge(bytes, neededVersion, maxVersion) = $0 as? WalletError else { return XCTFail("got \($0)") }
            XCTAssertGreaterThan(neededVersion, maxVersion)
            XCTAssertGreaterThan(bytes, 0)
        }
    }

    func testTheAppsClocksDrivePresentationAndVerificationTimes() throws {
        let walletClock = SettableClock(now - 30)
        let wallet = try Wallet.createWithKeyProvider(
            path: path("clock.db"), keyProvider: CountingKeyProvider(id: "clock"), clock: walletClock)
        let cred = try XCTUnwrap(Self.people["ha"]?.first { $0.credentialType == .clinicCheckin })
        let (issued, _) = try world.issue(cred, to: wallet.holderPublicKey())
        let id = try wallet.importIssued(issued: issued, trustList: world.trust)
        let p = try wallet.present(credentialId: id, claims: [], ttlSecs: 120)
        XCTAssertEqual(p.expiresAt(), now - 30 + 120) // the wallet read our clock, not the system's

        let counterClock = SettableClock(now)
        let counter = try world.verifier(clock: counterClock)
        let v = try counter.verifyText(text: p.qrText())
        XCTAssertEqual(v.outcome, .valid, v.messageEn)
        XCTAssertEqual(v.verifiedAt, now)
        XCTAssertEqual(v.presentedAt, now - 30)
        counterClock.now = now - 30 + 120 + 60 + 1 // past exp and the 60 s skew tolerance
        XCTAssertEqual(try counter.verifyText(text: p.qrText()).rejectReason, .presentationExpired)
        counterClock.now = now - 30 - 60 - 1 // a counter clock behind the holder's beyond the skew
        XCTAssertEqual(try counter.verifyText(text: p.qrText()).rejectReason, .presentationFromFuture)
    }

    func testFourThreadsShareOneWalletAndOneVerifier() throws {
        let h = try walletWithCredentials("threads", "anh")
        let id = try XCTUnwrap(h.ids[.clinicCheckin]).0
        let expectedCount = try XCTUnwrap(Self.people["anh"]).count
        let verifier = self.verifier
        let start = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        let results = Results()
        for n in 0..<4 {
            done.enter()
            let thread = Thread {
                defer { done.leave() }
                start.wait()
                do {
                    for i in 0..<5 {
                        let nonce = Data(repeating: UInt8(n * 16 + i), count: 16)
                        let p = try h.wallet.present(credentialId: id, claims: [], audience: nil, nonce: nonce)
                        let ok = try verifier.verifyTextWithNonce(text: p.qrText(), nonce: nonce).outcome == .valid
                        let count = try h.wallet.list(credentialType: nil).count
                        results.add(verdict: ok && count == expectedCount)
                    }
                } catch {
                    results.add(error: "\(error)")
                }
            }
            thread.start()
        }
        for _ in 0..<4 { start.signal() }
        XCTAssertEqual(done.wait(timeout: .now() + 120), .success)
        XCTAssertEqual(results.errors, [])
        XCTAssertEqual(results.verdicts, Array(repeating: true, count: 20))
    }

    func testPackedMatrixAndPixelBuffers() throws {
        let h = try walletWithCredentials("pixels", "ha")
        let p = try h.wallet.present(credentialId: XCTUnwrap(h.ids[.clinicCheckin]).0, claims: [])
        let m = p.matrix()
        let scale: Int32 = 2
        let side = (m.size + 8) * scale
        let rgba = try p.pixels(scale: scale, format: .rgba)
        let argb = try p.pixels(scale: scale, format: .argb)
        XCTAssertEqual(rgba.width, side)
        XCTAssertEqual(rgba.height, side)
        XCTAssertEqual(rgba.bytes.count, Int(side * side * 4))
        let r = [UInt8](rgba.bytes), a = [UInt8](argb.bytes)
        for y in 0..<m.size {
            for x in 0..<m.size {
                let at = Int(((4 + y) * scale * side + (4 + x) * scale) * 4)
                let dark = isDark(m, x, y)
                XCTAssertEqual(Array(r[at..<at + 4]), dark ? [0, 0, 0, 255] : [255, 255, 255, 255])
                XCTAssertEqual(Array(a[at..<at + 4]), dark ? [255, 0, 0, 0] : [255, 255, 255, 255])
            }
        }
        for bad: Int32 in [0, -1, 100_000] {
            XCTAssertThrowsError(try p.pixels(scale: bad, format: .rgba)) {
                guard case let .invalidInput(field, _) = $0 as? WalletError else { return XCTFail("got \($0)") }
                XCTAssertEqual(field, "scale")
            }
        }
    }

    func testNegativeNumbersAreInvalidInputNamingTheArgument() throws {
        let key = try XCTUnwrap(world.keys["BCA"])
        func field(_ body: () throws -> Void) -> String? {
            do { try body() } catch let WalletError.invalidInput(field, _) { return field } catch { return "\(error)" }
            return nil
        }
        XCTAssertEqual(field { _ = try StatusList(issuerKid: key.kid(), len: -1, issuedAt: now, maxAgeSecs: 60) }, "status list length")
        let list = try StatusList(issuerKid: key.kid(), len: 16, issuedAt: now, maxAgeSecs: 60)
        XCTAssertEqual(field { try list.revoke(index: -1) }, "index")
        XCTAssertEqual(field { try list.setSequence(sequence: -1) }, "sequence")
        XCTAssertEqual(field { _ = try self.verifier.verifyLuma(width: 8, height: -8, luma: Data(count: 64)) }, "height")
        XCTAssertEqual(field {
            _ = try Verifier.withConfig(trustList: self.world.trustBytes, rootPublicKey: self.world.root.publicKey(),
                                        statusLists: [], config: VerifierConfig(clockSkewSecs: -1))
        }, "clock_skew_secs")
    }

    func testAsyncVariantsFromSwiftConcurrency() async throws {
        let p = path("async.db")
        let pinBytes = Data(pin.utf8)
        let wallet = try await Wallet.createAsync(path: p, pin: pinBytes)
        let holder = try wallet.holderPublicKey()
        wallet.lock()
        try await wallet.unlockAsync(pin: pinBytes)
        let reopened = try await Wallet.openAsync(path: p, pin: pinBytes)
        XCTAssertEqual(try reopened.holderPublicKey(), holder)
        do {
            _ = try await Wallet.openAsync(path: p, pin: Data("135790".utf8))
            XCTFail("a wrong PIN opened the wallet")
        } catch let WalletError.wrongPin(retryAfterSecs, failedAttempts) {
            XCTAssertEqual(failedAttempts, 1)
            try await Task.sleep(nanoseconds: UInt64(retryAfterSecs) * 1_000_000_000 + 200_000_000)
        }
        do {
            _ = try await Wallet.openAsync(path: p)
            XCTFail("opened without a PIN or a key provider")
        } catch let WalletError.invalidInput(field, _) {
            XCTAssertEqual(field, "pin / key provider")
        }
        let cred = try XCTUnwrap(Self.people["ha"]?.first { $0.credentialType == .clinicCheckin })
        let (issued, _) = try world.issue(cred, to: holder)
        var bad = issued
        bad[bad.count - 1] ^= 1
        do {
            _ = try await wallet.importIssuedAsync(issued: bad, trustList: world.trust)
            XCTFail("a tampered credential was imported")
        } catch let WalletError.rejected(reason, _, _) {
            XCTAssertEqual(reason, .badIssuerSignature)
        }
        let id = try await wallet.importIssuedAsync(issued: Data(transferText(sdCwt: issued).utf8), trustList: world.trust)
        let qr = try wallet.present(credentialId: id, claims: [])
        let px = try qr.pixels(scale: 2, format: .rgba)
        let bytes = [UInt8](px.bytes)
        let luma = Data((0..<Int(px.width * px.height)).map { bytes[$0 * 4] })
        let fromLuma = try await verifier.verifyLumaAsync(width: px.width, height: px.height, luma: luma)
        XCTAssertEqual(fromLuma.outcome, .valid, fromLuma.messageEn)
        do {
            _ = try await verifier.verifyLumaAsync(width: 64, height: 64, luma: Data(repeating: 255, count: 64 * 64))
            XCTFail("a code was read from a blank frame")
        } catch WalletError.image(.noCodeFound, _) {}
        do {
            _ = try await verifier.verifyLumaAsync(width: 10, height: 10, luma: Data(count: 3))
            XCTFail("a short luma buffer was read")
        } catch let WalletError.invalidInput(field, _) {
            XCTAssertEqual(field, "luma")
        }
        let provider = try CountingKeyProvider(id: "async")
        try wallet.setKeyProvider(keyProvider: provider)
        try await wallet.setPinAsync(newPin: Data("13572468".utf8), oldPin: pinBytes)
        try await wallet.setPinAsync(newPin: Data("24681357".utf8))
        let resealed = try await wallet.rotateDataKeyAsync(pin: Data("24681357".utf8), keyProvider: provider)
        XCTAssertEqual(resealed, 1)
        let viaProvider = try await Wallet.openAsync(path: p, keyProvider: provider)
        viaProvider.lock()
        try await viaProvider.unlockAsync(keyProvider: provider)
        XCTAssertEqual(try viaProvider.list(credentialType: nil).count, 1)
        do {
            _ = try await Wallet.createAsync(path: path("async-broken.db"), keyProvider: BrokenKeyProvider())
            XCTFail("a broken key provider created a wallet")
        } catch WalletError.keyProvider {}
    }

    func testManyConcurrentAsyncCallsCompleteAndASlowProviderDoesNotBlock() async throws {
        let h = try walletWithCredentials("async-many", "anh")
        let verifier = self.verifier
        let wallet = h.wallet
        let cred = try XCTUnwrap(Self.people["anh"]?.first { $0.credentialType == .clinicCheckin })
        let trust = world.trust
        let issued = try (0..<24).map { _ in try world.issue(cred, to: wallet.holderPublicKey()).0 }
        let ids = try await withThrowingTaskGroup(of: String.self) { group in
            for i in issued { group.addTask { try await wallet.importIssuedAsync(issued: i, trustList: trust) } }
            var all: [String] = []
            for try await id in group { all.append(id) }
            return all
        }
        XCTAssertEqual(Set(ids).count, 24)
        let qr = try wallet.present(credentialId: ids[0], claims: [])
        let px = try qr.pixels(scale: 2, format: .rgba)
        let bytes = [UInt8](px.bytes)
        let luma = Data((0..<Int(px.width * px.height)).map { bytes[$0 * 4] })
        let outcomes = try await withThrowingTaskGroup(of: Outcome.self) { group in
            for _ in 0..<16 {
                group.addTask { try await verifier.verifyLumaAsync(width: px.width, height: px.height, luma: luma).outcome }
            }
            var all: [Outcome] = []
            for try await o in group { all.append(o) }
            return all
        }
        XCTAssertEqual(outcomes, Array(repeating: .valid, count: 16))
        // Argon2id in parallel: one file each (concurrent attempts on one file are PinBackoff).
        let files = (0..<6).map { path("async-many-\($0).db") }
        let locked = try await withThrowingTaskGroup(of: Bool.self) { group in
            for f in files { group.addTask { try await Wallet.createAsync(path: f, pin: Data(pin.utf8)).isLocked() } }
            var all: [Bool] = []
            for try await l in group { all.append(l) }
            return all
        }
        XCTAssertEqual(locked, Array(repeating: false, count: 6))
        // A slow key provider: the awaiting task is suspended, not blocking a thread of the pool.
        let software = try softwareKeyProvider(keyId: "slow")
        _ = try Wallet.createWithKeyProvider(path: path("async-slow.db"), keyProvider: software)
        let started = Date()
        let slowOpen = Task { try await Wallet.openAsync(path: self.path("async-slow.db"),
                                                          keyProvider: SlowKeyProvider(software, seconds: 0.6)) }
        var ticks = 0
        while Date().timeIntervalSince(started) < 0.4 {
            ticks += 1
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        let opened = try await slowOpen.value
        XCTAssertFalse(opened.isLocked())
        XCTAssertGreaterThanOrEqual(ticks, 5)
    }
}
