// The two-way exchange of a counter with a screen (issue 12 item 2), free of Android APIs: the
// demo clinic's reader key certified in a trust list with the clinic role, the counter's
// request QR, the citizen's check of a scanned request ("who asks, for what, why, until when")
// and the answer bound to it, and the counter accepting that answer once. The screens draw what
// these return; TwoWayTest runs them against the real library.
package org.citizenwallet.demo

import org.citizenwallet.QrMatrix
import org.citizenwallet.ReaderRequest
import org.citizenwallet.TrustList
import org.citizenwallet.TrustedReader
import org.citizenwallet.Verifier
import org.citizenwallet.VerifierConfig
import org.citizenwallet.Wallet
import org.citizenwallet.IssuerKey
import org.citizenwallet.core.CredentialType
import org.citizenwallet.core.ReaderRole
import org.citizenwallet.core.RequestPurpose
import org.citizenwallet.signTrustListWithReaders

/**
 * The demo clinic counter's reader: a key from a FIXED, PUBLIC seed (as the demo authorities'),
 * certified by the demo root with the clinic role in a trust list numbered 2 (the same issuers
 * as [DemoAuthorities.trustListBytes], plus the reader). Never ship these seeds.
 */
class DemoReader(authorities: DemoAuthorities, clock: Clock = SystemClock) {
    val readerId = "BM-Q1"
    val key: IssuerKey = IssuerKey.fromSeed(DemoAuthorities.demoSeed("reader $readerId"))
    private val createdAt = clock.nowUnix()

    /** The trust list naming the issuers and this reader (what both phones load). */
    val trustListBytes: ByteArray = signTrustListWithReaders(
        authorities.root,
        createdAt,
        authorities.trustList.issuers(),
        listOf(
            TrustedReader(
                kid = key.kid(),
                publicKey = key.publicKey(),
                readerId = readerId,
                nameVi = "Bệnh viện Bạch Mai, quầy tiếp đón 1 (demo)",
                nameEn = "Bach Mai Hospital, reception desk 1 (demo)",
                notBefore = createdAt - DAY_SECS,
                notAfter = createdAt + 365 * DAY_SECS,
                role = ReaderRole.CLINIC,
            ),
        ),
        2L,
    )

    val trustList: TrustList = TrustList.fromSigned(trustListBytes, authorities.rootPublicKey)

    /** A counter with a screen that accepts only answers to its own requests. */
    fun counter(authorities: DemoAuthorities): RequestingCounter {
        val verifier = Verifier.withConfig(
            trustListBytes,
            authorities.rootPublicKey,
            authorities.signedStatusLists(),
            VerifierConfig(audience = readerId, acceptOfflineAudience = null, clockSkewSecs = 60),
        )
        verifier.setRequireRequests(true)
        return RequestingCounter(verifier, key)
    }
}

/** A request QR ready to show on the counter's screen. */
class ShownRequest(val qrText: String, val matrix: QrMatrix, val qrVersion: Int, val expiresAt: Long)

/** The counter's side: show a request, then check the citizen's answer (once). */
class RequestingCounter(private val verifier: Verifier, private val readerKey: IssuerKey) {
    /** The clinic check-in request: the four check-in claims, for the clinic check-in purpose. */
    fun checkInRequest(): ShownRequest {
        val r = verifier.makeRequest(
            readerKey,
            CredentialType.CLINIC_CHECKIN,
            listOf("full_name", "dob", "citizen_id", "bhyt_code"),
            RequestPurpose.CLINIC_CHECKIN,
        )
        return ShownRequest(r.qrText, r.matrix, r.qrVersion, r.expiresAt)
    }

    /** Checks a scanned answer: accepted once, for one of this counter's open requests. */
    fun scanAnswer(text: String): VerdictScreen = formatVerdict(verifier.verifyText(text.trim()))

    /** Checks an answer read from a camera frame's luma plane; null when no QR code was read
     * (keep scanning). */
    fun scanAnswerLuma(width: Int, height: Int, luma: ByteArray): VerdictScreen? = try {
        formatVerdict(verifier.verifyLuma(width, height, luma))
    } catch (e: org.citizenwallet.WalletException.Image) {
        null
    }

    /** How many of its requests are still waiting for an answer. */
    fun openRequests(): Long = verifier.openRequests()
}

/** What the citizen's phone shows about a scanned request before answering. */
data class RequestScreen(
    val readerVi: String,
    val readerEn: String,
    val roleVi: String,
    val roleEn: String,
    val documentVi: String,
    val documentEn: String,
    val claimsVi: List<String>,
    val claimsEn: List<String>,
    val purposeVi: String,
    val purposeEn: String,
    val expiresAt: Long,
)

/** The citizen's side: read a counter's request against the trust list, show it, answer it. */
class RequestFlow(private val wallet: Wallet, private val trustList: TrustList, private val clock: Clock = SystemClock) {
    /** Checks a scanned request; throws [org.citizenwallet.WalletException.Rejected] (with the
     * reason in both languages, see [describeError]) for an unknown reader, a forged or expired
     * request, or one beyond the reader's role. */
    fun read(text: String): Pair<ReaderRequest, RequestScreen> {
        val r = wallet.readRequest(text.trim(), trustList)
        return r to RequestScreen(
            r.readerNameVi, r.readerNameEn, r.roleVi, r.roleEn,
            typeLabelVi(r.credentialType), typeLabelEn(r.credentialType),
            r.claimLabelsVi, r.claimLabelsEn, r.purposeVi, r.purposeEn, r.expiresAt,
        )
    }

    /** Answers with the first credential of the type asked for (the claims asked, or `claims`). */
    fun answer(request: ReaderRequest, claims: List<String>? = null): ShownCode {
        val id = wallet.list(request.credentialType).firstOrNull { it.signed }?.id
            ?: throw org.citizenwallet.WalletException.NotFound("a credential of the type asked for")
        val createdAt = clock.nowUnix()
        return ShownCode(wallet.answerRequest(request, id, claims), createdAt)
    }
}
