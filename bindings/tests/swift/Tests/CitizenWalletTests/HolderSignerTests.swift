// ES256 holder keys and the foreign, async holder signer (issue 14, item 5), from Swift on
// Linux. An app's Secure Enclave signer (bindings/apple/SecureEnclave, unverified here) is a
// `HolderSigner` whose `sign` is async; here the keys are software P-256 keys (the wallet's
// own, or `softwareP256HolderSigner()`), wrapped by Swift signers that fail, hang or answer DER.

import CitizenWallet
import Foundation
import XCTest

/// A signer written in Swift around another (as an app wraps its keystore).
class DelegatingSigner: HolderSigner, @unchecked Sendable {
    let inner: HolderSigner
    private let lock = NSLock()
    private var _calls = 0
    var calls: Int { lock.lock(); defer { lock.unlock() }; return _calls }

    init(_ inner: HolderSigner) { self.inner = inner }

    func algorithm() -> HolderAlg { inner.algorithm() }
    func publicKey() throws -> Data { try inner.publicKey() }
    func sign(message: Data) async throws -> Data {
        lock.lock(); _calls += 1; lock.unlock()
        return try await inner.sign(message: message)
    }
}

/// The citizen cancelled the Face ID prompt.
final class RefusingSigner: DelegatingSigner, @unchecked Sendable {
    override func sign(message: Data) async throws -> Data {
        throw WalletError.keyProvider(reason: "biometric prompt cancelled")
    }
}

/// A prompt nobody answers.
final class HangingSigner: DelegatingSigner, @unchecked Sendable {
    override func sign(message: Data) async throws -> Data {
        try await Task.sleep(nanoseconds: 30_000_000_000)
        return try await inner.sign(message: message)
    }
}

/// Answers in DER instead of r || s.
final class DerSigner: DelegatingSigner, @unchecked Sendable {
    override func sign(message: Data) async throws -> Data {
        let raw = try await inner.sign(message: message)
        return Data([0x30, 0x44, 0x02, 0x20]) + raw.prefix(32) + Data([0x02, 0x20]) + raw.suffix(32)
    }
}

final class HolderSignerTests: XCTestCase {
    static var world: World!
    static var verifier: Verifier!
    static var checkins: [String: PersonCredential] = [:]
    static var tmp: URL!

    override class func setUp() {
        super.setUp()
        XCTestObservationCenter.shared.addTestObserver(BindingsTests.observer)
        do {
            tmp = FileManager.default.temporaryDirectory.appendingPathComponent("cwallet-es256-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
            world = try World()
            verifier = try world.verifier()
            let path = ProcessInfo.processInfo.environment["CWALLET_PEOPLE_JSON"] ?? "people.json"
            let json = try String(contentsOfFile: path, encoding: .utf8)
            for c in try credentialsFromPeopleJson(peopleJson: json) where c.credentialType == .clinicCheckin {
                checkins[c.personKey] = c
            }
        } catch {
            print("setup failed: \(error)")
        }
    }

    func wallet(_ name: String) throws -> Wallet {
        try Wallet.createWithKeyProvider(
            path: Self.tmp.appendingPathComponent("es256-\(name).db").path,
            keyProvider: softwareKeyProvider(keyId: "es256-\(name)"))
    }

    func issue(_ algorithm: HolderAlg, _ key: Data, person: String = "ha") throws -> Data {
        let c = Self.checkins[person]!
        return try issueToHolderKey(
            issuer: Self.world.issuers[.clinicCheckin]!, credentialType: c.credentialType, credentialJson: c.json,
            algorithm: algorithm, holderPublicKey: key, issuedAt: now - day, expiresAt: now + 365 * day,
            statusIndex: 4_000)  // within the 4,096-entry status list
    }

    func testTheWalletsOwnP256KeyIssueImportPresentVerify() throws {
        let w = try wallet("own")
        let key = try w.holderPublicKeyFor(algorithm: .es256)
        XCTAssertEqual(key.count, 33)
        XCTAssertEqual(try w.holderPublicKeyFor(algorithm: .ed25519), try w.holderPublicKey())
        for person in Self.checkins.keys.sorted() {
            let id = try w.importIssued(issued: try issue(.es256, key, person: person), trustList: Self.world.trust)
            let p = try w.present(credentialId: id, claims: [], nonce: Data(count: 16))
            XCTAssertTrue(p.qrText().hasPrefix("VN2:"))
            XCTAssertLessThanOrEqual(p.qrVersion(), 13, person)
            XCTAssertEqual(try Self.verifier.verifyText(text: p.qrText()).outcome, .valid, person)
        }
    }

    func testAForeignAsyncSignerIssueImportPresentVerify() async throws {
        let w = try wallet("foreign")
        let signer = DelegatingSigner(try softwareP256HolderSigner())
        XCTAssertEqual(signer.algorithm(), .es256)
        let issued = try issue(.es256, try signer.publicKey())
        XCTAssertThrowsError(try w.importIssued(issued: issued, trustList: Self.world.trust))
        let id = try w.importIssuedForSigner(issued: issued, trustList: Self.world.trust, signer: signer)
        XCTAssertThrowsError(try w.present(credentialId: id, claims: []))
        let p = try await w.presentWithSigner(credentialId: id, claims: [], signer: signer)
        XCTAssertEqual(signer.calls, 1)
        XCTAssertTrue(p.qrText().hasPrefix("VN2:"))
        XCTAssertEqual(try Self.verifier.verifyText(text: p.qrText()).outcome, .valid)
        // Another key's signer is refused before it is asked.
        let other = DelegatingSigner(try softwareP256HolderSigner())
        do {
            _ = try await w.presentWithSigner(credentialId: id, claims: [], signer: other)
            XCTFail("another key signed")
        } catch WalletError.invalidInput {}
        XCTAssertEqual(other.calls, 0)
    }

    func testAFailingSignerGivesItsTypedError() async throws {
        let w = try wallet("refusing")
        let inner = try softwareP256HolderSigner()
        let id = try w.importIssuedForSigner(
            issued: try issue(.es256, try inner.publicKey()), trustList: Self.world.trust, signer: inner)
        do {
            _ = try await w.presentWithSigner(credentialId: id, claims: [], signer: RefusingSigner(inner))
            XCTFail("a refused prompt made a QR")
        } catch let WalletError.keyProvider(reason) {
            XCTAssertTrue(reason.contains("cancelled"), reason)
        }
        do {
            _ = try await w.presentWithSigner(credentialId: id, claims: [], signer: DerSigner(inner))
            XCTFail("a DER signature made a QR")
        } catch let WalletError.invalidInput(field, _) {
            XCTAssertEqual(field, "holder signature")
        }
    }

    func testASlowSignerTimesOutAndBlocksNothing() async throws {
        let w = try wallet("slow")
        let inner = try softwareP256HolderSigner()
        let id = try w.importIssuedForSigner(
            issued: try issue(.es256, try inner.publicKey()), trustList: Self.world.trust, signer: inner)
        let started = Date()
        let slow = Task { try await w.presentWithSigner(credentialId: id, claims: [], signer: HangingSigner(inner), timeoutMs: 300) }
        // While the prompt hangs, the same wallet answers other calls.
        try await Task.sleep(nanoseconds: 50_000_000)
        XCTAssertEqual(try w.list(credentialType: nil).count, 1)
        let quick = try await w.presentWithSigner(credentialId: id, claims: [], signer: inner)
        XCTAssertEqual(try Self.verifier.verifyText(text: quick.qrText()).outcome, .valid)
        do {
            _ = try await slow.value
            XCTFail("a hanging signer made a QR")
        } catch let WalletError.holderSignerTimedOut(timeoutMs) {
            XCTAssertEqual(timeoutMs, 300)
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
    }
}
