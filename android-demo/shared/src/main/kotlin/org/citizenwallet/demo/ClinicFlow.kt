// The demo's flow, free of Android APIs: the demo authorities, seeding a citizen's wallet with
// the sample people's credentials, the check-in presentation, and the clinic counter. The app's
// screens (app/) only draw what these functions return; the JVM tests (src/test) run them
// against the real library.
package org.citizenwallet.demo

import org.citizenwallet.CredentialDetail
import org.citizenwallet.CredentialSummary
import org.citizenwallet.IdCardData
import org.citizenwallet.Issuer
import org.citizenwallet.IssuerKey
import org.citizenwallet.PersonCredential
import org.citizenwallet.Presentation
import org.citizenwallet.QrMatrix
import org.citizenwallet.StatusList
import org.citizenwallet.TrustList
import org.citizenwallet.TrustedIssuer
import org.citizenwallet.Verifier
import org.citizenwallet.VerifierConfig
import org.citizenwallet.Wallet
import org.citizenwallet.WalletException
import org.citizenwallet.core.CredentialType
import org.citizenwallet.core.ListUpdate
import org.citizenwallet.credentialsFromPeopleJson
import org.citizenwallet.signTrustList
import org.citizenwallet.transferText

/** Wall-clock time in unix seconds. The app uses [SystemClock]; tests pass a fixed one. */
fun interface Clock {
    fun nowUnix(): Long
}

object SystemClock : Clock {
    override fun nowUnix(): Long = System.currentTimeMillis() / 1000
}

const val DAY_SECS = 86_400L

/** One issuing authority of the demo: its key, `iss` name, display names and the types it may issue. */
class DemoAuthority(
    val iss: String,
    val nameVi: String,
    val nameEn: String,
    val types: List<CredentialType>,
    val key: IssuerKey,
) {
    val issuer: Issuer = Issuer(key, iss)

    /** Its revocation list (4096 entries, current for 7 days after signing). */
    val statusList: StatusList = StatusList(key.kid(), STATUS_LIST_LEN, 0L, (7 * DAY_SECS).toInt())

    private var nextIndex = 1L

    /** Hands out the next unused status-list index (0 is never used). */
    @Synchronized
    fun nextStatusIndex(): Long = nextIndex++

    /** The status list signed as of `now`. */
    @Synchronized
    fun signedStatusList(now: Long): ByteArray {
        statusList.setIssuedAt(now)
        return statusList.sign(key)
    }

    companion object {
        const val STATUS_LIST_LEN = 4096L
    }
}

/**
 * The demo's trust world: a trust-list root and the four authorities (police, social insurance,
 * health ministry, justice ministry), each allowed only its own credential types, as in
 * `cwallet demo`.
 *
 * The keys come from FIXED, PUBLIC seeds ([demoSeed]) so that two phones running the demo (one
 * as the citizen, one as the counter) trust each other's codes with no server. A real app gets
 * the signed trust list from its backend and pins the real root key; never ship these seeds.
 */
class DemoAuthorities(
    private val clock: Clock = SystemClock,
    seed: (label: String) -> ByteArray = ::demoSeed,
) {
    val root: IssuerKey = IssuerKey.fromSeed(seed("root"))
    val authorities: List<DemoAuthority> = SPEC.map { (iss, vi, en, types) ->
        DemoAuthority(iss, vi, en, types, IssuerKey.fromSeed(seed(iss)))
    }
    private val createdAt = clock.nowUnix()

    /** The root-signed trust list (what a wallet checks imports against and a counter trusts). */
    val trustListBytes: ByteArray = signTrustList(
        root,
        createdAt,
        authorities.map {
            TrustedIssuer(
                kid = it.key.kid(),
                publicKey = it.key.publicKey(),
                iss = it.iss,
                nameVi = it.nameVi,
                nameEn = it.nameEn,
                notBefore = createdAt - 365 * DAY_SECS,
                notAfter = createdAt + 5 * 365 * DAY_SECS,
                types = it.types,
            )
        },
    )

    /** The pinned root public key (32 bytes). */
    val rootPublicKey: ByteArray get() = root.publicKey()

    /** The trust list, checked against the root key. */
    val trustList: TrustList = TrustList.fromSigned(trustListBytes, rootPublicKey)

    fun authorityFor(type: CredentialType): DemoAuthority =
        authorities.first { type in it.types }

    /** Every authority's status list, signed now. */
    fun signedStatusLists(): List<ByteArray> = authorities.map { it.signedStatusList(clock.nowUnix()) }

    /** Issues `credential` to the wallet holder key, valid for a year. */
    fun issue(credential: PersonCredential, holderPublicKey: ByteArray): IssuedCredential {
        val authority = authorityFor(credential.credentialType)
        val index = authority.nextStatusIndex()
        val now = clock.nowUnix()
        val sdCwt = authority.issuer.issueDefault(
            credential.credentialType, credential.json, holderPublicKey, now - DAY_SECS, now + 365 * DAY_SECS, index,
        )
        return IssuedCredential(credential.credentialType, authority.iss, index, transferText(sdCwt))
    }

    /** Revokes an issued credential and returns its authority's new signed status list (give it
     * to the counters with [Counter.updateStatusList]). */
    fun revoke(type: CredentialType, statusIndex: Long): ByteArray {
        val authority = authorityFor(type)
        authority.statusList.revoke(statusIndex)
        return authority.signedStatusList(clock.nowUnix())
    }

    /** A counter (verifier) trusting this world, with current status lists. */
    fun counter(counterId: String? = null): Counter = Counter(
        Verifier.withConfig(
            trustListBytes,
            rootPublicKey,
            signedStatusLists(),
            VerifierConfig(audience = counterId, acceptOfflineAudience = true, clockSkewSecs = 60),
        ),
    )

    companion object {
        private data class Spec(val iss: String, val vi: String, val en: String, val types: List<CredentialType>)

        private val SPEC = listOf(
            Spec("BCA", "Bộ Công an", "Ministry of Public Security", listOf(CredentialType.CITIZEN_ID)),
            Spec(
                "BHXH", "Bảo hiểm xã hội Việt Nam", "Vietnam Social Security",
                listOf(CredentialType.HEALTH_INSURANCE, CredentialType.CLINIC_CHECKIN),
            ),
            Spec("BYT", "Bộ Y tế", "Ministry of Health", listOf(CredentialType.HEALTH_BOOK)),
            Spec("BTP", "Bộ Tư pháp", "Ministry of Justice", listOf(CredentialType.JUDICIAL_RECORD)),
        )

        /**
         * The demo seed for `label`: 32 bytes, the UTF-8 label repeated after a fixed prefix.
         * Public on purpose (see the class docs).
         */
        fun demoSeed(label: String): ByteArray {
            val pattern = "citizen-wallet demo $label ".toByteArray(Charsets.UTF_8)
            return ByteArray(32) { pattern[it % pattern.size] }
        }
    }
}

/** A credential an authority issued, as the `VN1C:` transfer text an issuer app hands over. */
data class IssuedCredential(
    val type: CredentialType,
    val iss: String,
    val statusIndex: Long,
    val transferText: String,
)

/** The sample people (an embedded copy of core/tests/data/people.json), grouped by person. */
class SamplePeople(peopleJson: String) {
    val credentials: List<PersonCredential> = credentialsFromPeopleJson(peopleJson)

    /** Person handles in file order ("ha", "minh", ...). */
    val keys: List<String> = credentials.map { it.personKey }.distinct()

    fun of(personKey: String): List<PersonCredential> =
        credentials.filter { it.personKey == personKey }.ifEmpty {
            throw IllegalArgumentException("no sample person '$personKey'")
        }

    /** The person's full name as written in their citizen ID ("Nguyễn Thị Thu Hà"), for a picker. */
    fun fullName(personKey: String): String {
        val json = of(personKey).first { it.credentialType == CredentialType.CITIZEN_ID }.json
        return jsonStringField(json, "full_name") ?: personKey
    }
}

/** A wallet filled by [seedWallet]: what was imported, by type. */
data class SeededWallet(
    val personKey: String,
    val imported: Map<CredentialType, SeededCredential>,
)

data class SeededCredential(val id: String, val issued: IssuedCredential)

/**
 * Fills `wallet` with every credential of one sample person, the way a real wallet receives
 * them: the authority issues to the wallet's holder key, the app imports the `VN1C:` transfer
 * text, and the wallet checks it against the trust list before storing it.
 */
fun seedWallet(wallet: Wallet, authorities: DemoAuthorities, people: SamplePeople, personKey: String): SeededWallet {
    val holder = wallet.holderPublicKey()
    val imported = people.of(personKey).associate { cred ->
        val issued = authorities.issue(cred, holder)
        cred.credentialType to SeededCredential(wallet.importIssuedText(issued.transferText, authorities.trustList), issued)
    }
    return SeededWallet(personKey, imported)
}

/** A card on the citizen's home screen. */
data class CredentialCard(
    val id: String,
    val type: CredentialType,
    val titleVi: String,
    val titleEn: String,
    /** Claims to show on the card (all of them: it is the citizen's own phone). */
    val claims: List<ClaimRow>,
    /** Claims the citizen may choose to show or hide in a QR code (empty: the issuer fixed them). */
    val choosable: List<String>,
    val signed: Boolean,
)

/** The citizen's credentials as cards, check-in first. */
fun walletCards(wallet: Wallet): List<CredentialCard> =
    wallet.list(null)
        .sortedBy { CARD_ORDER.indexOf(it.credentialType) }
        .map { card(it, wallet.get(it.id), wallet.disclosableClaims(it.id).toSet()) }

private val CARD_ORDER = listOf(
    CredentialType.CLINIC_CHECKIN, CredentialType.CITIZEN_ID, CredentialType.HEALTH_INSURANCE,
    CredentialType.HEALTH_BOOK, CredentialType.JUDICIAL_RECORD,
)

/** `sd`: the claims the issuer made selectively disclosable, as the wallet read them from the credential. */
private fun card(summary: CredentialSummary, detail: CredentialDetail, sd: Set<String>): CredentialCard {
    return CredentialCard(
        id = summary.id,
        type = summary.credentialType,
        titleVi = summary.labelVi,
        titleEn = summary.labelEn,
        claims = detail.claims.map { ClaimRow(it.name, it.labelVi, it.labelEn, it.displayValue, it.name in sd) },
        choosable = detail.claims.map { it.name }.filter { it in sd },
        signed = summary.signed,
    )
}

/** A QR code ready to show: its text, modules and validity. */
class ShownCode(val presentation: Presentation, val createdAt: Long) {
    val qrText: String = presentation.qrText()
    val matrix: QrMatrix = presentation.matrix()
    val expiresAt: Long = presentation.expiresAt()
    val qrVersion: Int = presentation.qrVersion()
    val shownClaims: List<String> = presentation.alwaysVisible() + presentation.disclosed()
    val countdown: Countdown = Countdown(createdAt, expiresAt)
}

/**
 * The citizen's side: the check-in code (the issuer fixed its four claims: name, date of birth,
 * citizen ID number, health insurance code) and codes with claims the citizen chose.
 */
class CitizenFlow(private val wallet: Wallet, private val clock: Clock = SystemClock) {
    /** The clinic check-in credential's id, or null when the wallet has none. */
    fun checkInId(): String? = wallet.list(CredentialType.CLINIC_CHECKIN).firstOrNull()?.id

    /** A fresh check-in QR code for counter `counterId` (null: any counter, "offline"). */
    fun checkInCode(counterId: String? = null): ShownCode {
        val id = checkInId() ?: throw WalletException.NotFound("clinic check-in credential")
        return show(id, emptyList(), counterId)
    }

    /**
     * A QR code showing `claims` of credential `id`, chosen by the citizen. Throws
     * [WalletException.QrTooLarge] when they do not fit ([describeError] explains it).
     */
    fun show(id: String, claims: List<String>, counterId: String? = null): ShownCode {
        val createdAt = clock.nowUnix()
        return ShownCode(wallet.present(id, claims, counterId, null), createdAt)
    }
}

/** What the counter got from one scan. */
sealed class ScanResult {
    /** A QR code was read and verified (valid or not: see [VerdictScreen.tone]). */
    data class Checked(val screen: VerdictScreen) : ScanResult()

    /** No QR code could be read from the image: ask for another scan. */
    data class Unreadable(val messageVi: String, val messageEn: String) : ScanResult()

    /** The QR printed on a chip ID card: NOT verified (nothing signs it). The screen shows it in
     * its own colour, never green, with [IdCardData.messageVi] / [IdCardData.messageEn], for the
     * officer to compare with the card and its holder. */
    data class IdCard(val card: IdCardData) : ScanResult()
}

/** The clinic counter: verifies scanned codes offline and formats the verdict for the officer. */
class Counter(private val verifier: Verifier) {
    /** Reads scanned (or pasted) QR text: a wallet code (verified) or a chip ID card's printed
     * QR (unverified card data), through the library's one scanner, `Verifier.scanText`. */
    fun scanText(text: String): ScanResult = when (val r = verifier.scanText(text.trim())) {
        is org.citizenwallet.ScanResult.Presentation -> ScanResult.Checked(formatVerdict(r.verdict))
        is org.citizenwallet.ScanResult.IdCard -> ScanResult.IdCard(r.card)
    }

    /** Reads and verifies the QR code in a PNG image. */
    fun scanPng(png: ByteArray): ScanResult = unreadableOnInput { verifier.verifyPng(png) }

    /** Reads and verifies the QR code in a camera frame's or picture's 8-bit luma plane. */
    fun scanLuma(width: Int, height: Int, luma: ByteArray): ScanResult =
        unreadableOnInput { verifier.verifyLuma(width, height, luma) }

    /** [scanLuma] from a coroutine: decoding a camera frame takes longer than a frame. */
    suspend fun scanLumaAsync(width: Int, height: Int, luma: ByteArray): ScanResult =
        unreadableOnInput { verifier.verifyLumaAsync(width, height, luma) }

    /** Offers an authority's newer signed status list (e.g. after a revocation); the answer says
     * whether it is now in use or why the counter refused it (older, conflicting, from the future). */
    fun updateStatusList(signed: ByteArray): ListUpdate = verifier.updateStatusList(signed)

    private inline fun unreadableOnInput(verify: () -> org.citizenwallet.Verdict): ScanResult = try {
        ScanResult.Checked(formatVerdict(verify()))
    } catch (e: WalletException.Image) {
        ScanResult.Unreadable(
            "Không đọc được mã QR trong ảnh. Hãy chụp lại: đủ sáng, không lóa, cả mã nằm trong khung.",
            "No QR code could be read from the image. Scan again: good light, no glare, the whole code in the frame.",
        )
    }
}

/** The value of a top-level string field of a flat JSON object (enough for the sample files). */
internal fun jsonStringField(json: String, field: String): String? {
    val key = "\"$field\""
    var i = json.indexOf(key)
    while (i >= 0) {
        var j = i + key.length
        while (j < json.length && json[j].isWhitespace()) j++
        if (j < json.length && json[j] == ':') {
            j++
            while (j < json.length && json[j].isWhitespace()) j++
            if (j < json.length && json[j] == '"') return readJsonString(json, j + 1)
            return null
        }
        i = json.indexOf(key, i + 1)
    }
    return null
}

private fun readJsonString(s: String, start: Int): String? {
    val out = StringBuilder()
    var i = start
    while (i < s.length) {
        when (val c = s[i]) {
            '"' -> return out.toString()
            '\\' -> {
                if (i + 1 >= s.length) return null
                when (val e = s[i + 1]) {
                    'n' -> out.append('\n')
                    't' -> out.append('\t')
                    'r' -> out.append('\r')
                    'b' -> out.append('\b')
                    'f' -> out.append('\u000C')
                    'u' -> {
                        if (i + 6 > s.length) return null
                        out.append(s.substring(i + 2, i + 6).toInt(16).toChar())
                        i += 4
                    }
                    else -> out.append(e)
                }
                i += 2
                continue
            }
            else -> out.append(c)
        }
        i++
    }
    return null
}
