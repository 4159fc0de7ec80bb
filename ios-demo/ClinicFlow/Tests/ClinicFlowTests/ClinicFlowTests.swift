// The demo's flow in Swift against the real library (on Linux: libcitizen_wallet_ffi.so with the
// generated bindings, run by ios-demo/test-linux.sh; on a Mac: `swift test` with the
// XCFramework's macOS slice): the citizen's wallet seeded with the sample people's credentials
// through a key provider written in Swift, the check-in QR code, the counter's verdicts, the
// countdown and the texts the views show. Mirrors android-demo's ClinicFlowTest.kt.
//
// Prints `ios-demo: N passed, N failed` when the run ends.

import CitizenWallet
import ClinicFlow
import Foundation
import XCTest

/// Prints the plain summary line when the test run ends.
final class SummaryObserver: NSObject, XCTestObservation {
    var passed = 0
    var failed = 0
    var skipped = 0
    func testCaseDidFinish(_ testCase: XCTestCase) {
        guard let run = testCase.testRun else { return }
        if run.hasBeenSkipped {
            skipped += 1
        } else if run.hasSucceeded {
            passed += 1
        } else {
            failed += 1
        }
    }
    func testBundleDidFinish(_ testBundle: Bundle) {
        print("ios-demo: \(passed) passed, \(failed) failed" + (skipped > 0 ? ", \(skipped) skipped" : ""))
    }
}

enum Unexpected: Error {
    case setupFailed
    case unreadable
}

/// A clock the test moves by hand.
final class FixedClock: ClinicFlow.Clock {
    var now: Int64
    init(_ now: Int64) { self.now = now }
    func nowUnix() -> Int64 { now }
}

func testKeyProvider(_ id: String, sealer: DataKeySealer = HmacTestSealer()) -> SealingKeyProvider {
    SealingKeyProvider(keyId: id, sealer: sealer)
}

/// The number of dark modules of a packed QrMatrix.
func darkModules(_ m: QrMatrix) -> Int {
    m.bits.reduce(0) { $0 + $1.nonzeroBitCount }
}

/// Changes one base45 character in the middle of the code (still decodable base45).
func tamper(_ text: String) -> String {
    let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
    var chars = Array(text)
    let i = chars.count / 2
    chars[i] = alphabet[(alphabet.firstIndex(of: chars[i])! + 1) % 45]
    return String(chars)
}

final class ClinicFlowTests: XCTestCase {
    static let observer = SummaryObserver()
    static var dir: URL!
    static var people: SamplePeople!
    static var authorities: DemoAuthorities!
    static var counter = 0
    static let lock = NSLock()

    override class func setUp() {
        super.setUp()
        XCTestObservationCenter.shared.addTestObserver(observer)
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("ios-demo-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        people = try? SamplePeople.bundled()
        authorities = try? DemoAuthorities()
    }

    override class func tearDown() {
        if let dir { try? FileManager.default.removeItem(at: dir) }
        super.tearDown()
    }

    override func setUpWithError() throws {
        // Fails every test (never skips them) when the shared setup failed.
        guard Self.people != nil, Self.authorities != nil else { throw Unexpected.setupFailed }
    }

    var people: SamplePeople { Self.people }
    var authorities: DemoAuthorities { Self.authorities }

    func dbPath(_ name: String) -> String {
        Self.lock.lock()
        defer { Self.lock.unlock() }
        Self.counter += 1
        return Self.dir.appendingPathComponent("\(Self.counter)-\(name).db").path
    }

    func seeded(_ person: String) throws -> (WalletAccess, Wallet, SeededWallet) {
        let access = WalletAccess(path: dbPath(person))
        let (wallet, seed) = try access.createAndSeed(
            keyProvider: testKeyProvider("test-\(person)"), pin: "135792", authorities: authorities,
            people: people, personKey: person)
        return (access, wallet, seed)
    }

    func checked(_ r: ClinicFlow.ScanResult, file: StaticString = #filePath, line: UInt = #line) throws -> VerdictScreen {
        switch r {
        case let .checked(screen): return screen
        case let .unreadable(_, en):
            XCTFail("expected a verdict, got: \(en)", file: file, line: line)
            throw Unexpected.unreadable
        case .idCard:
            XCTFail("expected a verdict, got an ID card", file: file, line: line)
            throw Unexpected.unreadable
        }
    }

    func testAChipIdCardQrIsUnverifiedCardDataNotAVerdict() throws {
        // A synthetic 2021 CCCD line (core/tests/data/cccd-qr.txt): read by the counter's one
        // scanner as card data, never as a verdict (so the screen cannot paint it green).
        let text = "001192034517|013482957|Nguyễn Thị Thu Hà|14031992|Nữ|"
            + "Số 18 Ngõ 42 Trần Cung, Nghĩa Tân, Cầu Giấy, Hà Nội|12082021"
        guard case let .idCard(card) = try authorities.counter().scanText(text) else {
            return XCTFail("expected ID card data")
        }
        XCTAssertEqual(card.citizenId, "001192034517")
        XCTAssertEqual(card.oldId, "013482957")
        XCTAssertEqual(card.fullName, "Nguyễn Thị Thu Hà")
        XCTAssertEqual(card.dateOfBirth, "1992-03-14")
        XCTAssertEqual(card.sex, .female)
        XCTAssertEqual(card.issueDate, "2021-08-12")
        XCTAssertFalse(card.messageEn.isEmpty || card.messageVi.isEmpty)
        // A wallet code still reads as a verdict through the same scanner.
        guard case .checked = try authorities.counter().scanText("VN1:not a code") else {
            return XCTFail("expected a verdict")
        }
    }

    func testSampleResourceIsTheCoreTestData() throws {
        guard let corePath = ProcessInfo.processInfo.environment["CWALLET_CORE_PEOPLE_JSON"] else {
            throw XCTSkip("CWALLET_CORE_PEOPLE_JSON not set")
        }
        let bundled = try Data(contentsOf: XCTUnwrap(SamplePeople.bundledURL))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: corePath)), bundled,
                       "ClinicFlow/Sources/ClinicFlow/Resources/people.json is out of date: copy core/tests/data/people.json")
    }

    func testTheTestSealersHashMatchesKnownAnswers() {
        // FIPS 180-4 examples and RFC 4231 test case 2: the tests' AEAD is built on a correct SHA-256.
        XCTAssertEqual(hex(SHA256.hash(Array("abc".utf8))), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(hex(SHA256.hash([])), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(
            hex(SHA256.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(
            hex(SHA256.hmac(key: Array("Jefe".utf8), Array("what do ya want for nothing?".utf8))),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    func testKeyProviderWrapsFreshlyAndRejectsOtherKeysAndTampering() throws {
        let sealer = HmacTestSealer()
        let p = testKeyProvider("alias-1", sealer: sealer)
        let dataKey = Data((0..<32).map { UInt8($0) })
        let w1 = try p.wrap(dataKey: dataKey)
        let w2 = try p.wrap(dataKey: dataKey)
        XCTAssertEqual(w1.count, 32 + sealer.overhead)
        XCTAssertNotEqual(w1, w2, "a fresh nonce per wrap")
        XCTAssertNil(w1.range(of: dataKey), "no plaintext in the blob")
        XCTAssertEqual(try p.unwrap(wrapped: w1), dataKey)
        XCTAssertEqual(try p.unwrap(wrapped: w2), dataKey)
        // Another key, the same key under another key id (associated data), a flipped bit, a short blob.
        XCTAssertThrowsError(try testKeyProvider("alias-1").unwrap(wrapped: w1)) { XCTAssertEqual($0 as? WalletError, .wrongKey) }
        XCTAssertThrowsError(try testKeyProvider("alias-2", sealer: sealer).unwrap(wrapped: w1)) {
            XCTAssertEqual($0 as? WalletError, .wrongKey)
        }
        var flipped = w1
        flipped[20] ^= 1
        XCTAssertThrowsError(try p.unwrap(wrapped: flipped)) { XCTAssertEqual($0 as? WalletError, .wrongKey) }
        XCTAssertThrowsError(try p.unwrap(wrapped: w1.prefix(40))) { XCTAssertEqual($0 as? WalletError, .wrongKey) }
        // A keystore that fails is a KeyProvider error naming the status or the error type, not a crash.
        XCTAssertThrowsError(try testKeyProvider("k", sealer: FailingSealer(keystoreStatus: true)).wrap(dataKey: dataKey)) {
            XCTAssertEqual($0 as? WalletError, .keyProvider(reason: "keychain read status -25308"))
        }
        XCTAssertThrowsError(try testKeyProvider("k", sealer: FailingSealer(keystoreStatus: false)).wrap(dataKey: dataKey)) {
            XCTAssertEqual($0 as? WalletError, .keyProvider(reason: "KeychainDown"))
        }
    }

    func testWalletOpensWithItsKeyOrPinOnlyAndErrorsReadInBothLanguages() throws {
        let sealer = HmacTestSealer()
        let access = WalletAccess(path: dbPath("unlock"))
        XCTAssertFalse(access.exists)
        let (wallet, _) = try access.createAndSeed(
            keyProvider: testKeyProvider("k", sealer: sealer), pin: "135792", authorities: authorities, people: people,
            personKey: "linh")
        let holder = try wallet.holderPublicKey()
        XCTAssertTrue(access.exists)
        XCTAssertEqual(try access.unlock(keyProvider: testKeyProvider("k", sealer: sealer)).holderPublicKey(), holder)
        XCTAssertEqual(try access.unlock(pin: "135792").holderPublicKey(), holder)
        // Another device key (a restored backup): WrongKey, and the screen says to use the PIN.
        XCTAssertThrowsError(try access.unlock(keyProvider: testKeyProvider("k"))) { e in
            XCTAssertEqual(e as? WalletError, .wrongKey)
            XCTAssertEqual(describeError(e).en, "This device's security key does not open this wallet. Use the PIN.")
            XCTAssertTrue(describeError(e).vi.hasPrefix("Khóa bảo mật của thiết bị"))
        }
        // A wrong PIN: typed, with the wait, in both languages.
        var wait: Int64 = 0
        XCTAssertThrowsError(try access.unlock(pin: "000000")) { e in
            guard case let .wrongPin(retry, attempts) = e as? WalletError else { return XCTFail("\(e)") }
            wait = retry
            XCTAssertEqual(attempts, 1)
            XCTAssertEqual(describeError(e).en, "Wrong PIN (attempt 1). Try again in \(retry) s.")
            XCTAssertEqual(describeError(e).vi, "Sai mã PIN (lần 1). Thử lại sau \(retry) giây.")
        }
        // The locked screen's timer never says more than the error did; after it, the PIN works.
        let left = try access.pinRetryAfterSecs()
        XCTAssertLessThanOrEqual(left, wait)
        XCTAssertGreaterThanOrEqual(wait, 1)
        Thread.sleep(forTimeInterval: Double(left) + 1.2)
        XCTAssertEqual(try access.unlock(pin: "135792").holderPublicKey(), holder)
        // An unknown person leaves no file behind.
        let other = WalletAccess(path: dbPath("nobody"))
        XCTAssertThrowsError(try other.createAndSeed(
            keyProvider: testKeyProvider("x"), pin: "135792", authorities: authorities, people: people, personKey: "nobody")
        ) { XCTAssertEqual($0 as? DemoError, .unknownPerson("nobody")) }
        XCTAssertFalse(other.exists)
    }

    func testDemoAuthoritiesAreTheSameOnEveryPhoneAndOnAndroid() throws {
        let other = try DemoAuthorities()
        XCTAssertEqual(authorities.rootPublicKey, other.rootPublicKey)
        XCTAssertEqual(authorities.authorities.map { $0.key.kid() }, other.authorities.map { $0.key.kid() })
        XCTAssertEqual(authorities.trustList.issuers().map(\.iss), ["BCA", "BHXH", "BYT", "BTP"])
        XCTAssertEqual(authorities.authority(for: .clinicCheckin).iss, "BHXH")
        XCTAssertEqual(authorities.authority(for: .judicialRecord).iss, "BTP")
        // The same seed bytes as android-demo's DemoAuthorities.demoSeed.
        XCTAssertEqual(DemoAuthorities.demoSeed("BCA"), Data("citizen-wallet demo BCA citizen-".utf8))
        XCTAssertNotEqual(DemoAuthorities.demoSeed("BCA"), DemoAuthorities.demoSeed("BYT"))
        // So a code made on the citizen's phone passes on another phone's counter.
        let (_, wallet, _) = try seeded("bao")
        let code = try CitizenFlow(wallet: wallet).checkInCode()
        XCTAssertEqual(try checked(other.counter().scanText(code.qrText)).tone, .valid)
    }

    func testSeedingImportsEveryCredentialOfEverySamplePerson() throws {
        XCTAssertEqual(people.keys, ["ha", "minh", "linh", "bao", "anh"])
        XCTAssertEqual(people.fullName("ha"), "Nguyễn Thị Thu Hà")
        XCTAssertEqual(people.fullName("linh"), "H'Linh Niê")
        for person in people.keys {
            let (_, wallet, seed) = try seeded(person)
            let expected = try people.of(person).map(\.credentialType)
            XCTAssertEqual(Set(seed.imported.keys), Set(expected), person)
            let cards = try walletCards(wallet)
            XCTAssertEqual(cards.count, expected.count, person)
            XCTAssertTrue(cards.allSatisfy(\.signed), "every card is issuer-signed (\(person))")
            XCTAssertEqual(cards.first?.type, .clinicCheckin, "check-in first (\(person))")
            XCTAssertEqual(cards.first?.titleVi, "Thông tin tiếp đón khám bệnh")
            XCTAssertEqual(cards.first?.choosable, [], "the issuer fixed the check-in's claims")
            let id = try XCTUnwrap(cards.first { $0.type == .citizenId })
            XCTAssertEqual(id.claims.first { $0.name == "full_name" }?.value, people.fullName(person))
            XCTAssertTrue(id.choosable.contains("full_name") && id.choosable.contains("address"))
            // Status indices are unique per authority.
            for (iss, creds) in Dictionary(grouping: seed.imported.values, by: { $0.issued.iss }) {
                XCTAssertEqual(Set(creds.map(\.issued.statusIndex)).count, creds.count, iss)
            }
        }
    }

    func testCheckInCodeVerifiesValidWithItsFourClaims() throws {
        for person in ["ha", "minh"] {
            let (_, wallet, _) = try seeded(person)
            let code = try CitizenFlow(wallet: wallet, clock: FixedClock(SystemClock().nowUnix())).checkInCode()
            XCTAssertTrue(code.qrText.hasPrefix("VN2:"))
            XCTAssertLessThanOrEqual(code.qrVersion, 15, "fits a counter imager")
            XCTAssertEqual(Set(code.shownClaims), ["full_name", "dob", "citizen_id", "bhyt_code"])
            let screen = try checked(authorities.counter().scanText(code.qrText))
            XCTAssertEqual(screen.tone, .valid, screen.asText())
            XCTAssertEqual(screen.headlineVi, "HỢP LỆ")
            XCTAssertEqual(screen.headlineEn, "VALID")
            XCTAssertTrue(screen.messageVi.hasPrefix("HỢP LỆ (trạng thái kiểm tra đến ngày"), screen.messageVi)
            XCTAssertTrue(screen.messageEn.hasPrefix("VALID (status verified as of"), screen.messageEn)
            XCTAssertNil(screen.rejectReason)
            XCTAssertEqual(screen.documentVi, "Thông tin tiếp đón khám bệnh")
            XCTAssertEqual(screen.documentEn, "Clinic check-in")
            XCTAssertEqual(screen.issuerVi, "Bảo hiểm xã hội Việt Nam")
            XCTAssertEqual(screen.issuerEn, "Vietnam Social Security")
            let claims = Dictionary(uniqueKeysWithValues: screen.claims.map { ($0.name, $0) })
            XCTAssertEqual(Set(claims.keys), ["full_name", "dob", "citizen_id", "bhyt_code"])
            // The values are the person's, as the wallet holds them.
            let held = try XCTUnwrap(walletCards(wallet).first { $0.type == .clinicCheckin }).claims
            for row in held { XCTAssertEqual(claims[row.name]?.value, row.value, "\(person) \(row.name)") }
            XCTAssertEqual(claims["full_name"]?.value, people.fullName(person))
            XCTAssertEqual(claims["full_name"]?.labelEn, "Full name")
            XCTAssertNotEqual(claims["full_name"]?.labelVi, claims["full_name"]?.labelEn)
            XCTAssertTrue(screen.facts.contains {
                $0.labelEn == "Holder key" && $0.value.range(of: "^[0-9A-F]{4}( [0-9A-F]{4}){3}$", options: .regularExpression) != nil
            })
            let text = screen.asText()
            XCTAssertTrue(text.hasPrefix("HỢP LỆ / VALID\n"), text)
            XCTAssertTrue(text.contains("Cơ quan cấp / Issuer: Bảo hiểm xã hội Việt Nam / Vietnam Social Security"), text)
        }
    }

    func testTheAsyncFlowUnlocksShowsAndScansFromSwiftConcurrency() async throws {
        let sealer = HmacTestSealer()
        let access = WalletAccess(path: dbPath("async"))
        let (created, _) = try await access.createAndSeedAsync(
            keyProvider: testKeyProvider("k", sealer: sealer), pin: "135792", authorities: authorities,
            people: people, personKey: "ha")
        let holder = try created.holderPublicKey()
        created.lock()
        let wallet = try await access.unlockAsync(keyProvider: testKeyProvider("k", sealer: sealer))
        XCTAssertEqual(try wallet.holderPublicKey(), holder)
        do {
            _ = try await access.unlockAsync(pin: "000000")
            XCTFail("a wrong PIN opened the wallet")
        } catch let WalletError.wrongPin(_, attempts) {
            XCTAssertEqual(attempts, 1)
        }
        let code = try CitizenFlow(wallet: wallet).checkInCode()
        let counter = try authorities.counter()
        let side = QrRaster.side(code.matrix, scale: 2)
        let luma = QrRaster.luma(code.matrix, scale: 2)
        let fromLuma = try await counter.scanLumaAsync(width: side, height: side, luma: luma)
        XCTAssertEqual(try checked(fromLuma).tone, .valid)
        let blank = try await counter.scanLumaAsync(width: 64, height: 64, luma: Data(repeating: 255, count: 64 * 64))
        guard case .unreadable = blank else { return XCTFail("read a code from nothing") }
    }

    func testTheDrawnQrCodeIsWhatTheCounterReads() throws {
        let (_, wallet, _) = try seeded("anh")
        let code = try CitizenFlow(wallet: wallet).checkInCode()
        let m = code.matrix
        XCTAssertEqual(Int(m.version), code.qrVersion)
        XCTAssertEqual(Int(m.size), 17 + 4 * Int(m.version))
        let scale = 3
        let side = QrRaster.side(m, scale: scale)
        XCTAssertEqual(side, (Int(m.size) + 8) * scale)
        let luma = QrRaster.luma(m, scale: scale)
        XCTAssertEqual(luma.count, side * side)
        XCTAssertEqual(luma[0], 255, "quiet zone is light")
        XCTAssertEqual(luma[(4 * scale) * side + 4 * scale], 0, "finder pattern corner is dark")
        XCTAssertEqual(luma.filter { $0 == 0 }.count, darkModules(m) * scale * scale)
        // What the screen draws, read back as a camera would see it: valid, same claims.
        let fromPixels = try checked(authorities.counter().scanLuma(width: side, height: side, luma: luma))
        XCTAssertEqual(fromPixels.tone, .valid, fromPixels.asText())
        XCTAssertEqual(try checked(authorities.counter().scanText(code.qrText)).claims, fromPixels.claims)
        // The same through RGBA (a decoded photo), and the library's own PNG.
        let rgba = Data(luma.flatMap { [$0, $0, $0, 255] })
        XCTAssertEqual(QrRaster.lumaFromRGBA(rgba), luma)
        XCTAssertEqual(try checked(authorities.counter().scanPng(code.presentation.png(scale: 4))).tone, .valid)
        // The Canvas runs cover exactly the dark modules.
        let runs = QrRaster.darkRuns(m)
        XCTAssertEqual(runs.reduce(0) { $0 + $1.width }, darkModules(m))
        XCTAssertTrue(runs.allSatisfy { $0.x >= 4 && $0.y >= 4 && $0.x + $0.width <= Int(m.size) + 4 })
        XCTAssertEqual(QrRaster.fitScale(m, available: 5 * QrRaster.side(m, scale: 1) + 4), 5)
        // Semi-transparent pixels are blended on white.
        XCTAssertEqual(QrRaster.lumaFromRGBA(Data([0, 0, 0, 0])), Data([255]))
        XCTAssertEqual(QrRaster.lumaFromRGBA(Data([0, 0, 0, 255])), Data([0]))
    }

    func testTamperedCodeIsRejectedWithItsReasonInVietnameseAndEnglish() throws {
        let (_, wallet, _) = try seeded("minh")
        let counter = try authorities.counter()
        let text = try CitizenFlow(wallet: wallet).checkInCode().qrText
        XCTAssertEqual(try checked(counter.scanText(text)).tone, .valid)
        let screen = try checked(counter.scanText(tamper(text)))
        XCTAssertEqual(screen.tone, .invalid)
        XCTAssertEqual(screen.headlineVi, "KHÔNG HỢP LỆ")
        XCTAssertEqual(screen.headlineEn, "INVALID")
        let reason = try XCTUnwrap(screen.rejectReason)
        XCTAssertTrue([.badIssuerSignature, .badHolderSignature, .malformed].contains(reason), "\(reason)")
        XCTAssertTrue(screen.messageVi.hasPrefix("KHÔNG HỢP LỆ: "), screen.messageVi)
        XCTAssertTrue(screen.messageEn.hasPrefix("INVALID: "), screen.messageEn)
        XCTAssertGreaterThan(screen.messageEn.count, "INVALID: ".count + 10, "the reason is spelled out")
        XCTAssertEqual(screen.claims, [], "an invalid code shows nothing")
        XCTAssertNil(screen.issuerEn)
        XCTAssertEqual(screen.facts.first?.labelEn, "Reason code")
        XCTAssertEqual(screen.facts.first?.value, reasonCode(reason))
        XCTAssertTrue(screen.asText().hasPrefix("KHÔNG HỢP LỆ / INVALID\n\(screen.messageVi)\n\(screen.messageEn)\n"))
        // Damaged, foreign and unreadable input.
        XCTAssertEqual(try checked(counter.scanText(String(text.dropLast(20)))).rejectReason, .malformed)
        let dcc = try checked(counter.scanText("HC1:NCFOXN%TS3DH3ZSUZK+.V0ET"))
        XCTAssertEqual(dcc.rejectReason, .notOurFormat)
        XCTAssertEqual(dcc.messageEn, "INVALID: this is not a citizen-wallet QR code")
        guard case let .unreadable(vi, _) = try counter.scanPng(Data("not a png".utf8)) else {
            return XCTFail("an image without a QR code is 'unreadable'")
        }
        XCTAssertTrue(vi.hasPrefix("Không đọc được mã QR"))
        guard case .unreadable = try counter.scanLuma(width: 8, height: 8, luma: Data(repeating: 255, count: 64)) else {
            return XCTFail("a blank frame is 'unreadable'")
        }
    }

    func testCodesFromAnotherTrustWorldAndRevokedCardsAreRejected() throws {
        let (_, wallet, seed) = try seeded("ha")
        let code = try CitizenFlow(wallet: wallet).checkInCode()
        // A counter of another world (other root and issuers) does not know our issuers.
        let foreign = try DemoAuthorities(seed: { DemoAuthorities.demoSeed("elsewhere \($0)") })
        XCTAssertNotEqual(foreign.rootPublicKey, authorities.rootPublicKey)
        // Format 2 credentials name no issuer: a check-in its own BHXH did not sign reads as forged.
        XCTAssertEqual(try checked(foreign.counter().scanText(code.qrText)).rejectReason, .badIssuerSignature)
        // Revocation: the authority signs a new status list, the counter installs it.
        let counter = try authorities.counter()
        XCTAssertEqual(try checked(counter.scanText(code.qrText)).tone, .valid)
        let checkIn = try XCTUnwrap(seed.imported[.clinicCheckin]).issued
        try counter.updateStatusList(authorities.revoke(type: .clinicCheckin, statusIndex: checkIn.statusIndex))
        let revoked = try checked(counter.scanText(code.qrText))
        XCTAssertEqual(revoked.tone, .invalid)
        XCTAssertEqual(revoked.rejectReason, .revoked)
        XCTAssertEqual(revoked.messageEn, "INVALID: the document has been revoked by its issuer")
        XCTAssertTrue(revoked.messageVi.hasPrefix("KHÔNG HỢP LỆ: "))
        XCTAssertTrue(revoked.messageVi.contains("thu hồi"), revoked.messageVi)
        // The citizen ID of the same person is another authority's: still valid.
        let id = try XCTUnwrap(seed.imported[.citizenId]).id
        XCTAssertEqual(try checked(counter.scanText(CitizenFlow(wallet: wallet).show(id: id, claims: ["full_name"]).qrText)).tone, .valid)
    }

    /// A counter never given status lists cannot know that a card was revoked: amber, with "—" for
    /// the status date and the reason, never green. (Finding 4: the tone follows the library's
    /// three-way outcome; there is no `isValid` in the verdict any more.)
    func testACounterWithoutStatusListsShowsARevokedCardAmberNeverGreen() throws {
        let (_, wallet, seed) = try seeded("minh")
        let code = try CitizenFlow(wallet: wallet).checkInCode()
        let checkIn = try XCTUnwrap(seed.imported[.clinicCheckin]).issued
        let withLists = try authorities.counter()
        try withLists.updateStatusList(authorities.revoke(type: .clinicCheckin, statusIndex: checkIn.statusIndex))
        XCTAssertEqual(try checked(withLists.scanText(code.qrText)).tone, .invalid)
        let bare = Counter(verifier: try Verifier(trustList: authorities.trustListBytes, rootPublicKey: authorities.rootPublicKey))
        let screen = try checked(bare.scanText(code.qrText))
        XCTAssertEqual(screen.tone, .statusNotCurrent, screen.asText())
        XCTAssertEqual(screen.headlineEn, "VALID – REVOCATION STATUS NOT CURRENT")
        XCTAssertEqual(screen.staleReason, .noStatusList)
        XCTAssertNil(screen.rejectReason)
        XCTAssertTrue(screen.facts.contains(Fact(labelVi: "Tình trạng thu hồi tính đến", labelEn: "Revocation status as of", value: "—")),
                      screen.asText())
        XCTAssertTrue(screen.facts.contains(Fact(labelVi: "Mã lý do", labelEn: "Reason code", value: "NO_STATUS_LIST")),
                      screen.asText())
        XCTAssertTrue(screen.messageEn.contains("no status list from this issuer"), screen.messageEn)
    }

    func testCountdownReachesZeroAtExpiresAt() throws {
        let (_, wallet, _) = try seeded("linh")
        let clock = FixedClock(SystemClock().nowUnix())
        let code = try CitizenFlow(wallet: wallet, clock: clock).checkInCode()
        let c = code.countdown
        XCTAssertEqual(c.startedAt, clock.now)
        XCTAssertEqual(c.expiresAt, code.expiresAt)
        XCTAssertTrue((60...600).contains(c.totalSecs), "a short-lived code (\(c.totalSecs) s)")
        XCTAssertEqual(c.remainingSecs(now: clock.now), c.totalSecs)
        XCTAssertEqual(c.fraction(now: clock.now), 1.0)
        XCTAssertFalse(c.isExpired(now: code.expiresAt - 1))
        XCTAssertEqual(c.remainingSecs(now: code.expiresAt - 1), 1)
        XCTAssertEqual(c.label(now: code.expiresAt - 1), "0:01")
        XCTAssertEqual(c.remainingSecs(now: code.expiresAt), 0)
        XCTAssertTrue(c.isExpired(now: code.expiresAt))
        XCTAssertEqual(c.label(now: code.expiresAt), "0:00")
        XCTAssertEqual(c.fraction(now: code.expiresAt), 0.0)
        XCTAssertEqual(c.remainingSecs(now: code.expiresAt + 3600), 0, "never negative")
        XCTAssertEqual(c.captionEn(now: code.expiresAt), "Code expired – tap for a fresh one")
        XCTAssertEqual(c.captionVi(now: code.expiresAt), "Mã đã hết hạn – chạm để tạo mã mới")
    }

    func testCountdownLabels() {
        let c = Countdown(startedAt: 1_000, expiresAt: 1_120)
        XCTAssertEqual(c.totalSecs, 120)
        XCTAssertEqual(c.label(now: 1_000), "2:00")
        XCTAssertEqual(c.label(now: 1_001), "1:59")
        XCTAssertEqual(c.label(now: 1_060), "1:00")
        XCTAssertEqual(c.label(now: 1_061), "0:59")
        XCTAssertEqual(c.captionEn(now: 1_061), "Expires in 0:59")
        XCTAssertEqual(c.captionVi(now: 1_061), "Mã hết hạn sau 0:59")
        XCTAssertEqual(c.fraction(now: 1_060), 0.5)
        XCTAssertEqual(c.label(now: 990), "2:00", "a clock set back shows at most the lifetime")
        XCTAssertEqual(Countdown(startedAt: 1_000, expiresAt: 900).totalSecs, 0)
    }

    func testCitizenChoosesWhichClaimsToShow() throws {
        let (_, wallet, seed) = try seeded("ha")
        let id = try XCTUnwrap(seed.imported[.citizenId]).id
        let code = try CitizenFlow(wallet: wallet).show(id: id, claims: ["full_name", "dob"])
        let screen = try checked(authorities.counter().scanText(code.qrText))
        XCTAssertEqual(screen.tone, .valid, screen.asText())
        XCTAssertEqual(screen.claims.map(\.name).sorted(), ["dob", "full_name"])
        XCTAssertTrue(screen.claims.allSatisfy(\.selectivelyDisclosed))
        XCTAssertFalse(screen.asText().contains("001192034517"), "the ID number stays hidden")
        XCTAssertEqual(screen.documentVi, "Căn cước công dân")
        XCTAssertEqual(screen.issuerEn, "Ministry of Public Security")
        // The whole health book does not fit one QR code: the citizen is told to choose fewer.
        let book = try XCTUnwrap(seed.imported[.healthBook]).id
        let all = try XCTUnwrap(walletCards(wallet).first { $0.id == book }).choosable
        XCTAssertThrowsError(try CitizenFlow(wallet: wallet).show(id: book, claims: all)) { e in
            guard case let .qrTooLarge(_, needed, max) = e as? WalletError else { return XCTFail("\(e)") }
            XCTAssertGreaterThan(needed, max)
            XCTAssertEqual(describeError(e).en,
                           "Too much for one QR code (needs version \(needed), limit \(max)). Choose fewer fields.")
            XCTAssertTrue(describeError(e).vi.hasPrefix("Quá nhiều thông tin cho một mã QR"))
        }
    }

    func testVerdictFormattingOfEachStatus() {
        let t: Int64 = 1_768_453_200 // 2026-01-15 05:00:00 UTC = 12:00:00 in Vietnam
        XCTAssertEqual(formatVnTime(t), "15/01/2026 12:00:00")
        XCTAssertEqual(formatVnTime(1_767_225_599), "01/01/2026 06:59:59") // 2025-12-31 23:59:59 UTC
        XCTAssertEqual(formatVnTime(0), "01/01/1970 07:00:00")
        XCTAssertEqual(formatVnDate(1_709_164_800 + 3600), "29/02/2024")
        // A credential may expire at Int64.max: formatted, no arithmetic trap (either end).
        XCTAssertTrue(formatVnTime(Int64.max).hasPrefix("04/12/292277026596 "), formatVnTime(Int64.max))
        XCTAssertTrue(formatVnTime(Int64.min).hasPrefix("27/01/-292277022657 "), formatVnTime(Int64.min))
        let claim = DisclosedClaim(name: "full_name", labelVi: "Họ và tên", labelEn: "Full name", value: "Trần Văn Minh",
                                   selectivelyDisclosed: false)
        func verdict(_ status: VerdictStatus, _ outcome: Outcome, _ reason: RejectReason?, _ en: String, _ vi: String) -> Verdict {
            Verdict(outcome: outcome, status: status, rejectReason: reason, messageEn: en, messageVi: vi,
                    credentialType: .clinicCheckin, issuerNameVi: "Bảo hiểm xã hội Việt Nam",
                    issuerNameEn: "Vietnam Social Security", claims: [claim], verifiedAt: t, statusAsOf: t - 3600,
                    holderThumbprint: "3f2a91c077b4e012aabbccdd", presentedAt: t - 30,
                    credentialExpiresAt: t + 365 * daySecs)
        }
        let valid = formatVerdict(verdict(.valid, .valid, nil, "VALID (status verified as of 2026-01-15)",
                                          "HỢP LỆ (trạng thái kiểm tra đến ngày 2026-01-15)"))
        XCTAssertEqual(valid.asText(), """
            HỢP LỆ / VALID
            HỢP LỆ (trạng thái kiểm tra đến ngày 2026-01-15)
            VALID (status verified as of 2026-01-15)
            Giấy tờ / Document: Thông tin tiếp đón khám bệnh / Clinic check-in
            Cơ quan cấp / Issuer: Bảo hiểm xã hội Việt Nam / Vietnam Social Security
            Họ và tên / Full name: Trần Văn Minh
            Mã được tạo lúc / Code created at: 15/01/2026 11:59:30
            Tình trạng thu hồi tính đến / Revocation status as of: 15/01/2026 11:00:00
            Giấy tờ hết hạn / Document expires: 15/01/2027
            Khóa người giữ / Holder key: 3F2A 91C0 77B4 E012
            Kiểm tra lúc / Checked at: 15/01/2026 12:00:00
            """)
        // Amber (the tone follows the library's outcome): how old the status is, and why.
        let stale = formatVerdict(verdict(.validStale(asOf: t - 30 * daySecs, reason: .statusListExpired), .statusNotCurrent,
                                          nil, "VALID, status as of ...", "HỢP LỆ, trạng thái đến ngày ..."))
        XCTAssertEqual(stale.tone, .statusNotCurrent)
        XCTAssertEqual(stale.staleReason, .statusListExpired)
        XCTAssertTrue(stale.facts.contains(Fact(labelVi: "Mã lý do", labelEn: "Reason code", value: "STATUS_LIST_EXPIRED")),
                      stale.asText())
        XCTAssertEqual(stale.headlineEn, "VALID – REVOCATION STATUS NOT CURRENT")
        XCTAssertEqual(stale.headlineVi, "HỢP LỆ – CHƯA RÕ TÌNH TRẠNG THU HỒI")
        XCTAssertEqual(stale.claims.count, 1)
        // Invalid: even if a claim were present, nothing but the reason is shown.
        let invalid = formatVerdict(verdict(.invalid(reason: .presentationExpired), .invalid, .presentationExpired,
                                            "INVALID: the QR code has expired; ask the citizen to show a fresh one",
                                            "KHÔNG HỢP LỆ: mã QR đã hết hạn"))
        XCTAssertEqual(invalid.asText(), """
            KHÔNG HỢP LỆ / INVALID
            KHÔNG HỢP LỆ: mã QR đã hết hạn
            INVALID: the QR code has expired; ask the citizen to show a fresh one
            Mã lý do / Reason code: PRESENTATION_EXPIRED
            Kiểm tra lúc / Checked at: 15/01/2026 12:00:00
            """)
        XCTAssertEqual(invalid.claims, [])
        XCTAssertNil(invalid.documentEn)
        XCTAssertEqual(reasonCode(.badIssuerSignature), "BAD_ISSUER_SIGNATURE")
        XCTAssertEqual(reasonCode(.revoked), "REVOKED")
        // Every credential type has a label in both languages.
        for type in [CredentialType.citizenId, .healthInsurance, .healthBook, .judicialRecord, .clinicCheckin] {
            XCTAssertFalse(typeLabelVi(type).isEmpty || typeLabelEn(type).isEmpty)
            XCTAssertNotEqual(typeLabelVi(type), typeLabelEn(type))
        }
    }

    func testErrorTextsForRejectedAndKeystoreFailures() throws {
        let rejected = describeError(WalletError.rejected(
            reason: .unknownIssuer, messageEn: "the issuing authority is not in the trust list",
            messageVi: "cơ quan cấp không có trong danh sách tin cậy"))
        XCTAssertEqual(rejected, ErrorText(vi: "cơ quan cấp không có trong danh sách tin cậy",
                                           en: "the issuing authority is not in the trust list"))
        XCTAssertEqual(describeError(WalletError.keyProvider(reason: "keychain read status -25308")).en,
                       "The device keystore failed (keychain read status -25308). Use the PIN.")
        struct Oops: Error {}
        XCTAssertEqual(describeError(Oops()).en, "Something went wrong (Oops).")
        // A credential issued to another wallet is refused on import, and nothing is stored.
        let (_, wallet, _) = try seeded("bao")
        let before = try wallet.list(credentialType: nil).count
        let (other, _) = try WalletAccess(path: dbPath("other")).createAndSeed(
            keyProvider: testKeyProvider("o"), pin: "135792", authorities: authorities, people: people, personKey: "anh")
        let foreign = try authorities.issue(try people.of("bao")[0], to: other.holderPublicKey())
        XCTAssertThrowsError(try wallet.importIssuedText(transferText: foreign.transferText, trustList: authorities.trustList)) { e in
            switch e as? WalletError {
            case .invalidInput?, .rejected?: break
            default: XCTFail("\(e)")
            }
        }
        XCTAssertEqual(try wallet.list(credentialType: nil).count, before)
    }
}
