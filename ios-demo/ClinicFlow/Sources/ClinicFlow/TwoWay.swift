// The two-way exchange of a counter with a screen (issue 12 item 2), free of UIKit/SwiftUI: the
// demo clinic's reader key certified in a trust list with the clinic role, the counter's request
// QR, the citizen's check of a scanned request ("who asks, for what, why, until when") and the
// answer bound to it, and the counter accepting that answer once. Mirrors android-demo's
// TwoWay.kt; the views draw what these return.

import CitizenWallet
import Foundation

/// The demo clinic counter's reader: a key from a FIXED, PUBLIC seed (as the demo authorities'),
/// certified by the demo root with the clinic role in a trust list numbered 2 (the demo issuers
/// plus the reader). Never ship these seeds.
public final class DemoReader: @unchecked Sendable {
    public let readerId = "BM-Q1"
    public let key: IssuerKey
    /// The trust list naming the issuers and this reader (what both phones load).
    public let trustListBytes: Data
    public let trustList: TrustList

    public init(authorities: DemoAuthorities, clock: Clock = SystemClock()) throws {
        key = try IssuerKey.fromSeed(seed: DemoAuthorities.demoSeed("reader \(readerId)"))
        let createdAt = clock.nowUnix()
        trustListBytes = try signTrustListWithReaders(
            root: authorities.root, issuedAt: createdAt, issuers: authorities.trustList.issuers(),
            readers: [TrustedReader(
                kid: key.kid(), publicKey: key.publicKey(), readerId: readerId,
                nameVi: "Bệnh viện Bạch Mai, quầy tiếp đón 1 (demo)",
                nameEn: "Bach Mai Hospital, reception desk 1 (demo)",
                notBefore: createdAt - daySecs, notAfter: createdAt + 365 * daySecs, role: .clinic)],
            sequence: 2)
        trustList = try TrustList.fromSigned(trustList: trustListBytes, rootPublicKey: authorities.rootPublicKey)
    }

    /// A counter with a screen that accepts only answers to its own requests.
    public func counter(authorities: DemoAuthorities) throws -> RequestingCounter {
        let verifier = try Verifier.withConfig(
            trustList: trustListBytes, rootPublicKey: authorities.rootPublicKey,
            statusLists: authorities.signedStatusLists(),
            config: VerifierConfig(audience: readerId, acceptOfflineAudience: nil, clockSkewSecs: 60))
        verifier.setRequireRequests(on: true)
        return RequestingCounter(verifier: verifier, readerKey: key)
    }
}

/// A request QR ready to show on the counter's screen.
public struct ShownRequest {
    public let qrText: String
    public let matrix: QrMatrix
    public let qrVersion: Int
    public let expiresAt: Int64
}

/// The counter's side: show a request, then check the citizen's answer (once).
public final class RequestingCounter: @unchecked Sendable {
    private let verifier: Verifier
    private let readerKey: IssuerKey

    init(verifier: Verifier, readerKey: IssuerKey) {
        self.verifier = verifier
        self.readerKey = readerKey
    }

    /// The clinic check-in request: the four check-in claims, for the clinic check-in purpose.
    public func checkInRequest() throws -> ShownRequest {
        let r = try verifier.makeRequest(
            readerKey: readerKey, credentialType: .clinicCheckin,
            claims: ["full_name", "dob", "citizen_id", "bhyt_code"], purpose: .clinicCheckin)
        return ShownRequest(qrText: r.qrText, matrix: r.matrix, qrVersion: Int(r.qrVersion), expiresAt: r.expiresAt)
    }

    /// Checks a scanned answer: accepted once, for one of this counter's open requests.
    public func scanAnswer(_ text: String) throws -> VerdictScreen {
        formatVerdict(try verifier.verifyText(text: text.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    /// How many of its requests are still waiting for an answer.
    public func openRequests() -> Int { Int(verifier.openRequests()) }
}

/// What the citizen's phone shows about a scanned request before answering.
public struct RequestScreen: Equatable {
    public let readerVi: String
    public let readerEn: String
    public let roleVi: String
    public let roleEn: String
    public let documentVi: String
    public let documentEn: String
    public let claimsVi: [String]
    public let claimsEn: [String]
    public let purposeVi: String
    public let purposeEn: String
    public let expiresAt: Int64
}

/// The citizen's side: read a counter's request against the trust list, show it, answer it.
public final class RequestFlow {
    private let wallet: Wallet
    private let trustList: TrustList
    private let clock: Clock

    public init(wallet: Wallet, trustList: TrustList, clock: Clock = SystemClock()) {
        self.wallet = wallet
        self.trustList = trustList
        self.clock = clock
    }

    /// Checks a scanned request; throws `WalletError.rejected` (the reason in both languages, see
    /// `describeError`) for an unknown reader, a forged or expired request, or one beyond the
    /// reader's role.
    public func read(_ text: String) throws -> (ReaderRequest, RequestScreen) {
        let r = try wallet.readRequest(
            text: text.trimmingCharacters(in: .whitespacesAndNewlines), trustList: trustList)
        return (r, RequestScreen(
            readerVi: r.readerNameVi, readerEn: r.readerNameEn, roleVi: r.roleVi, roleEn: r.roleEn,
            documentVi: typeLabelVi(r.credentialType), documentEn: typeLabelEn(r.credentialType),
            claimsVi: r.claimLabelsVi, claimsEn: r.claimLabelsEn, purposeVi: r.purposeVi,
            purposeEn: r.purposeEn, expiresAt: r.expiresAt))
    }

    /// Answers with the first credential of the type asked for (the claims asked, or `claims`).
    public func answer(_ request: ReaderRequest, claims: [String]? = nil) throws -> ShownCode {
        guard let id = try wallet.list(credentialType: request.credentialType).first(where: { $0.signed })?.id else {
            throw WalletError.notFound(what: "a credential of the type asked for")
        }
        let createdAt = clock.nowUnix()
        return ShownCode(
            presentation: try wallet.answerRequest(request: request, credentialId: id, claims: claims),
            createdAt: createdAt)
    }
}
