// The demo's flow, free of UIKit and SwiftUI: the demo authorities, seeding a citizen's wallet with
// the sample people's credentials, the check-in presentation, and the clinic counter. The app's
// views (ios-demo/CitizenWalletDemo) only draw what these functions return; the XCTest suite runs
// them against the real library (on Linux too). Mirrors android-demo/shared's ClinicFlow.kt.

import CitizenWallet
import Foundation

/// Wall-clock time in unix seconds. The app uses `SystemClock`; tests pass a fixed one.
public protocol Clock: AnyObject {
    func nowUnix() -> Int64
}

public final class SystemClock: Clock {
    public init() {}
    public func nowUnix() -> Int64 { Int64(Date().timeIntervalSince1970) }
}

public let daySecs: Int64 = 86_400

/// Errors of the demo flow itself (the library's are `WalletError`).
public enum DemoError: Error, Equatable {
    case unknownPerson(String)
    case missingResource(String)
}

/// One issuing authority of the demo: its key, `iss` name, display names and the types it may issue.
public final class DemoAuthority: @unchecked Sendable {
    public let iss: String
    public let nameVi: String
    public let nameEn: String
    public let types: [CredentialType]
    public let key: IssuerKey
    public let issuer: Issuer
    /// Its revocation list (4096 entries, current for 7 days after signing).
    public let statusList: StatusList
    private var nextIndex: Int64 = 1
    private let lock = NSLock()

    public static let statusListLength: Int64 = 4096

    init(iss: String, nameVi: String, nameEn: String, types: [CredentialType], key: IssuerKey) throws {
        self.iss = iss
        self.nameVi = nameVi
        self.nameEn = nameEn
        self.types = types
        self.key = key
        issuer = Issuer(key: key, iss: iss)
        statusList = try StatusList(
            issuerKid: key.kid(), len: Self.statusListLength, issuedAt: 0, maxAgeSecs: Int32(7 * daySecs))
    }

    /// Hands out the next unused status-list index (0 is never used).
    public func nextStatusIndex() -> Int64 {
        lock.lock()
        defer { lock.unlock() }
        let i = nextIndex
        nextIndex += 1
        return i
    }

    /// The status list signed as of `now`.
    public func signedStatusList(now: Int64) throws -> Data {
        lock.lock()
        defer { lock.unlock() }
        statusList.setIssuedAt(issuedAt: now)
        return try statusList.sign(issuerKey: key)
    }
}

/// A credential an authority issued, as the `VN1C:` transfer text an issuer app hands over.
public struct IssuedCredential: Equatable {
    public let type: CredentialType
    public let iss: String
    public let statusIndex: Int64
    public let transferText: String
}

/// The demo's trust world: a trust-list root and the four authorities (police, social insurance,
/// health ministry, justice ministry), each allowed only its own credential types, as in
/// `cwallet demo`.
///
/// The keys come from FIXED, PUBLIC seeds (`demoSeed`) so that two phones running the demo (one as
/// the citizen, one as the counter) trust each other's codes with no server. A real app gets the
/// signed trust list from its backend and pins the real root key; never ship these seeds.
public final class DemoAuthorities: @unchecked Sendable {
    public let root: IssuerKey
    public let authorities: [DemoAuthority]
    /// The root-signed trust list (what a wallet checks imports against and a counter trusts).
    public let trustListBytes: Data
    /// The trust list, checked against the root key.
    public let trustList: TrustList
    private let clock: Clock

    private static let spec: [(String, String, String, [CredentialType])] = [
        ("BCA", "Bộ Công an", "Ministry of Public Security", [.citizenId]),
        ("BHXH", "Bảo hiểm xã hội Việt Nam", "Vietnam Social Security", [.healthInsurance, .clinicCheckin]),
        ("BYT", "Bộ Y tế", "Ministry of Health", [.healthBook]),
        ("BTP", "Bộ Tư pháp", "Ministry of Justice", [.judicialRecord]),
    ]

    public init(clock: Clock = SystemClock(), seed: (String) -> Data = DemoAuthorities.demoSeed) throws {
        self.clock = clock
        root = try IssuerKey.fromSeed(seed: seed("root"))
        authorities = try Self.spec.map { iss, vi, en, types in
            try DemoAuthority(iss: iss, nameVi: vi, nameEn: en, types: types, key: IssuerKey.fromSeed(seed: seed(iss)))
        }
        let createdAt = clock.nowUnix()
        trustListBytes = try signTrustList(
            root: root,
            issuedAt: createdAt,
            issuers: authorities.map {
                TrustedIssuer(
                    kid: $0.key.kid(), publicKey: $0.key.publicKey(), iss: $0.iss, nameVi: $0.nameVi,
                    nameEn: $0.nameEn, notBefore: createdAt - 365 * daySecs, notAfter: createdAt + 5 * 365 * daySecs,
                    types: $0.types)
            })
        trustList = try TrustList.fromSigned(trustList: trustListBytes, rootPublicKey: root.publicKey())
    }

    /// The pinned root public key (32 bytes).
    public var rootPublicKey: Data { root.publicKey() }

    public func authority(for type: CredentialType) -> DemoAuthority {
        // Every type has exactly one authority in `spec`.
        authorities.first { $0.types.contains(type) }!
    }

    /// Every authority's status list, signed now.
    public func signedStatusLists() throws -> [Data] {
        try authorities.map { try $0.signedStatusList(now: clock.nowUnix()) }
    }

    /// Issues `credential` to the wallet holder key, valid for a year.
    public func issue(_ credential: PersonCredential, to holderPublicKey: Data) throws -> IssuedCredential {
        let authority = authority(for: credential.credentialType)
        let index = authority.nextStatusIndex()
        let now = clock.nowUnix()
        let sdCwt = try authority.issuer.issueDefault(
            credentialType: credential.credentialType, credentialJson: credential.json,
            holderPublicKey: holderPublicKey, issuedAt: now - daySecs, expiresAt: now + 365 * daySecs,
            statusIndex: index)
        return IssuedCredential(
            type: credential.credentialType, iss: authority.iss, statusIndex: index,
            transferText: transferText(sdCwt: sdCwt))
    }

    /// Revokes an issued credential and returns its authority's new signed status list (give it
    /// to the counters with `Counter.updateStatusList`).
    public func revoke(type: CredentialType, statusIndex: Int64) throws -> Data {
        let authority = authority(for: type)
        try authority.statusList.revoke(index: statusIndex)
        return try authority.signedStatusList(now: clock.nowUnix())
    }

    /// A counter (verifier) trusting this world, with current status lists.
    public func counter(counterId: String? = nil) throws -> Counter {
        Counter(verifier: try Verifier.withConfig(
            trustList: trustListBytes, rootPublicKey: rootPublicKey, statusLists: signedStatusLists(),
            config: VerifierConfig(audience: counterId, acceptOfflineAudience: true, clockSkewSecs: 60)))
    }

    /// The demo seed for `label`: 32 bytes, "citizen-wallet demo <label> " repeated. Public on
    /// purpose (see the type's docs); the same bytes as the Android demo's, so an Android counter
    /// accepts an iPhone's code and the other way round.
    public static func demoSeed(_ label: String) -> Data {
        let pattern = Array("citizen-wallet demo \(label) ".utf8)
        return Data((0..<32).map { pattern[$0 % pattern.count] })
    }
}

/// The sample people (a copy of core/tests/data/people.json), grouped by person.
public final class SamplePeople {
    public let credentials: [PersonCredential]

    public init(json: String) throws {
        credentials = try credentialsFromPeopleJson(peopleJson: json)
    }

    /// The copy bundled with ClinicFlow (Resources/people.json).
    public static var bundledURL: URL? { Bundle.module.url(forResource: "people", withExtension: "json") }

    /// The sample people bundled with ClinicFlow.
    public static func bundled() throws -> SamplePeople {
        guard let url = bundledURL else { throw DemoError.missingResource("people.json") }
        return try SamplePeople(json: String(contentsOf: url, encoding: .utf8))
    }

    /// Person handles in file order ("ha", "minh", ...).
    public var keys: [String] {
        var seen = Set<String>()
        return credentials.map(\.personKey).filter { seen.insert($0).inserted }
    }

    public func of(_ personKey: String) throws -> [PersonCredential] {
        let found = credentials.filter { $0.personKey == personKey }
        if found.isEmpty { throw DemoError.unknownPerson(personKey) }
        return found
    }

    /// The person's full name as written in their citizen ID ("Nguyễn Thị Thu Hà"), for a picker.
    public func fullName(_ personKey: String) -> String {
        guard let json = (try? of(personKey))?.first(where: { $0.credentialType == .citizenId })?.json,
              let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
              let name = object["full_name"] as? String
        else { return personKey }
        return name
    }
}

public struct SeededCredential {
    public let id: String
    public let issued: IssuedCredential
}

/// A wallet filled by `seedWallet`: what was imported, by type.
public struct SeededWallet {
    public let personKey: String
    public let imported: [CredentialType: SeededCredential]
}

/// Fills `wallet` with every credential of one sample person, the way a real wallet receives
/// them: the authority issues to the wallet's holder key, the app imports the `VN1C:` transfer
/// text, and the wallet checks it against the trust list before storing it.
public func seedWallet(
    _ wallet: Wallet, authorities: DemoAuthorities, people: SamplePeople, personKey: String
) throws -> SeededWallet {
    let holder = try wallet.holderPublicKey()
    var imported: [CredentialType: SeededCredential] = [:]
    for credential in try people.of(personKey) {
        let issued = try authorities.issue(credential, to: holder)
        let id = try wallet.importIssuedText(transferText: issued.transferText, trustList: authorities.trustList)
        imported[credential.credentialType] = SeededCredential(id: id, issued: issued)
    }
    return SeededWallet(personKey: personKey, imported: imported)
}

/// A card on the citizen's home screen.
public struct CredentialCard: Identifiable {
    public let id: String
    public let type: CredentialType
    public let titleVi: String
    public let titleEn: String
    /// Claims to show on the card (all of them: it is the citizen's own phone).
    public let claims: [ClaimRow]
    /// Claims the citizen may choose to show or hide in a QR code (empty: the issuer fixed them).
    public let choosable: [String]
    public let signed: Bool
}

private let cardOrder: [CredentialType] = [.clinicCheckin, .citizenId, .healthInsurance, .healthBook, .judicialRecord]

/// The citizen's credentials as cards, check-in first.
public func walletCards(_ wallet: Wallet) throws -> [CredentialCard] {
    try wallet.list(credentialType: nil)
        .sorted { (cardOrder.firstIndex(of: $0.credentialType) ?? 99) < (cardOrder.firstIndex(of: $1.credentialType) ?? 99) }
        .map { summary in
            let detail = try wallet.get(id: summary.id)
            // What the issuer made selectively disclosable, as the wallet reads it from the credential.
            let sd = Set(try wallet.disclosableClaims(credentialId: summary.id))
            return CredentialCard(
                id: summary.id, type: summary.credentialType, titleVi: summary.labelVi, titleEn: summary.labelEn,
                claims: detail.claims.map {
                    ClaimRow(name: $0.name, labelVi: $0.labelVi, labelEn: $0.labelEn, value: $0.displayValue,
                             selectivelyDisclosed: sd.contains($0.name))
                },
                choosable: detail.claims.map(\.name).filter { sd.contains($0) },
                signed: summary.signed)
        }
}

/// A QR code ready to show: its text, modules and validity.
public struct ShownCode {
    public let presentation: Presentation
    public let createdAt: Int64
    public let qrText: String
    public let matrix: QrMatrix
    public let expiresAt: Int64
    public let qrVersion: Int
    public let shownClaims: [String]
    public let countdown: Countdown

    init(presentation: Presentation, createdAt: Int64) {
        self.presentation = presentation
        self.createdAt = createdAt
        qrText = presentation.qrText()
        matrix = presentation.matrix()
        expiresAt = presentation.expiresAt()
        qrVersion = Int(presentation.qrVersion())
        shownClaims = presentation.alwaysVisible() + presentation.disclosed()
        countdown = Countdown(startedAt: createdAt, expiresAt: expiresAt)
    }
}

/// The citizen's side: the check-in code (the issuer fixed its four claims: name, date of birth,
/// citizen ID number, health insurance code) and codes with claims the citizen chose.
public final class CitizenFlow {
    private let wallet: Wallet
    private let clock: Clock

    public init(wallet: Wallet, clock: Clock = SystemClock()) {
        self.wallet = wallet
        self.clock = clock
    }

    /// The clinic check-in credential's id, or nil when the wallet has none.
    public func checkInId() throws -> String? {
        try wallet.list(credentialType: .clinicCheckin).first?.id
    }

    /// A fresh check-in QR code for counter `counterId` (nil: any counter, "offline").
    public func checkInCode(counterId: String? = nil) throws -> ShownCode {
        guard let id = try checkInId() else { throw WalletError.notFound(what: "clinic check-in credential") }
        return try show(id: id, claims: [], counterId: counterId)
    }

    /// A QR code showing `claims` of credential `id`, chosen by the citizen. Throws
    /// `WalletError.qrTooLarge` when they do not fit (`describeError` explains it).
    public func show(id: String, claims: [String], counterId: String? = nil) throws -> ShownCode {
        let createdAt = clock.nowUnix()
        return ShownCode(
            presentation: try wallet.present(credentialId: id, claims: claims, audience: counterId, nonce: nil),
            createdAt: createdAt)
    }
}

/// What the counter got from one scan.
public enum ScanResult {
    /// A QR code was read and verified (valid or not: see `VerdictScreen.tone`).
    case checked(VerdictScreen)
    /// No QR code could be read from the image: ask for another scan.
    case unreadable(messageVi: String, messageEn: String)
    /// The QR printed on a chip ID card: NOT verified (nothing signs it). Shown in its own colour,
    /// never green, with `card.messageVi` / `card.messageEn`, for the officer to compare with the
    /// card and its holder.
    case idCard(IdCardData)
}

/// The clinic counter: verifies scanned codes offline and formats the verdict for the officer.
public final class Counter: @unchecked Sendable {
    private let verifier: Verifier

    public init(verifier: Verifier) {
        self.verifier = verifier
    }

    /// Reads scanned (or pasted) QR text: a wallet code (verified) or a chip ID card's printed QR
    /// (unverified card data), through the library's one scanner, `Verifier.scanText`.
    public func scanText(_ text: String) throws -> ScanResult {
        switch try verifier.scanText(text: text.trimmingCharacters(in: .whitespacesAndNewlines)) {
        case let .presentation(verdict): return .checked(formatVerdict(verdict))
        case let .idCard(card): return .idCard(card)
        }
    }

    /// Reads and verifies the QR code in a PNG image.
    public func scanPng(_ png: Data) throws -> ScanResult {
        try unreadableOnInput { try verifier.verifyPng(png: png) }
    }

    /// Reads and verifies the QR code in a camera frame's or picture's 8-bit luma plane.
    public func scanLuma(width: Int, height: Int, luma: Data) throws -> ScanResult {
        try unreadableOnInput { try verifier.verifyLuma(width: Int32(clamping: width), height: Int32(clamping: height), luma: luma) }
    }

    /// `scanLuma` from Swift concurrency: decoding a camera frame takes longer than a frame.
    public func scanLumaAsync(width: Int, height: Int, luma: Data) async throws -> ScanResult {
        do {
            return .checked(formatVerdict(try await verifier.verifyLumaAsync(
                width: Int32(clamping: width), height: Int32(clamping: height), luma: luma)))
        } catch WalletError.image {
            return Self.unreadable
        }
    }

    /// Offers an authority's newer signed status list (e.g. after a revocation); the answer says
    /// whether it is now in use or why the counter refused it (older, conflicting, from the future).
    @discardableResult
    public func updateStatusList(_ signed: Data) throws -> ListUpdate {
        try verifier.updateStatusList(statusList: signed)
    }

    private func unreadableOnInput(_ verify: () throws -> Verdict) throws -> ScanResult {
        do {
            return .checked(formatVerdict(try verify()))
        } catch WalletError.image {
            return Self.unreadable
        }
    }

    private static let unreadable = ScanResult.unreadable(
        messageVi: "Không đọc được mã QR trong ảnh. Hãy chụp lại: đủ sáng, không lóa, cả mã nằm trong khung.",
        messageEn: "No QR code could be read from the image. Scan again: good light, no glare, the whole code in the frame.")
}
