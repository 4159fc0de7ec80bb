// The demo's flow on the JVM against the real library (libcitizen_wallet_ffi through JNA):
// the citizen's wallet seeded with the sample people's credentials through a key provider
// written in Kotlin, the check-in QR code, the counter's verdicts, the countdown and the texts
// the screens show. Run by android-demo/test-jvm.sh (or `gradle :shared:test`).
package org.citizenwallet.demo

import org.citizenwallet.WalletException
import org.citizenwallet.core.CredentialType
import org.citizenwallet.core.DisclosedClaim
import org.citizenwallet.core.Outcome
import org.citizenwallet.core.RejectReason
import org.citizenwallet.core.StaleReason
import org.citizenwallet.core.VerdictStatus
import org.citizenwallet.Verdict
import kotlinx.coroutines.runBlocking
import org.junit.AfterClass
import org.junit.Assume.assumeTrue
import org.junit.BeforeClass
import org.junit.Test
import java.io.File
import java.nio.file.Files
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotEquals
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlin.test.fail

/** A software AES-256 key: the tests' stand-in for the AndroidKeyStore key. */
fun softwareAesKey(): SecretKey = KeyGenerator.getInstance("AES").apply { init(256) }.generateKey()

/** The key provider the tests use: the app's own wrap construction over a software key. */
fun testKeyProvider(id: String, key: SecretKey = softwareAesKey()) = AesGcmKeyProvider(id) { _ -> key }

/** A clock the test moves by hand. */
class FixedClock(var now: Long) : Clock {
    override fun nowUnix(): Long = now
}

class ClinicFlowTest {
    companion object {
        private lateinit var dir: File
        private lateinit var people: SamplePeople
        private lateinit var authorities: DemoAuthorities

        /** The app's embedded copy of core/tests/data/people.json. */
        private val peopleFile: File
            get() = File(System.getenv("CWALLET_DEMO_PEOPLE_JSON") ?: "../app/src/main/assets/people.json")

        @BeforeClass
        @JvmStatic
        fun setUp() {
            dir = Files.createTempDirectory("android-demo-test").toFile()
            people = SamplePeople(peopleFile.readText())
            authorities = DemoAuthorities()
        }

        @AfterClass
        @JvmStatic
        fun tearDown() {
            dir.deleteRecursively()
        }

        private var n = 0

        @Synchronized
        fun dbPath(name: String): String = File(dir, "${n++}-$name.db").path

        /** A provider-protected wallet holding every credential of `person`. */
        fun seeded(person: String): Triple<WalletAccess, org.citizenwallet.Wallet, SeededWallet> {
            val access = WalletAccess(dbPath(person))
            val (wallet, seed) = access.createAndSeed(testKeyProvider("test-$person"), "135792", authorities, people, person)
            return Triple(access, wallet, seed)
        }

        /** Changes one base45 character in the middle of the code (still decodable base45). */
        fun tamper(text: String): String {
            val alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
            val i = text.length / 2
            return text.substring(0, i) + alphabet[(alphabet.indexOf(text[i]) + 1) % 45] + text.substring(i + 1)
        }

        fun checked(r: ScanResult): VerdictScreen = when (r) {
            is ScanResult.Checked -> r.screen
            is ScanResult.Unreadable -> fail("expected a verdict, got: ${r.messageEn}")
            is ScanResult.IdCard -> fail("expected a verdict, got an ID card")
        }
    }

    @Test
    fun aChipIdCardQrIsUnverifiedCardDataNotAVerdict() {
        // A synthetic 2021 CCCD line (core/tests/data/cccd-qr.txt): read by the counter's one
        // scanner as card data, never as a verdict (so the screen cannot paint it green).
        val text = "001192034517|013482957|Nguyễn Thị Thu Hà|14031992|Nữ|" +
            "Số 18 Ngõ 42 Trần Cung, Nghĩa Tân, Cầu Giấy, Hà Nội|12082021"
        val card = when (val r = authorities.counter().scanText(text)) {
            is ScanResult.IdCard -> r.card
            else -> fail("expected ID card data, got $r")
        }
        assertEquals("001192034517", card.citizenId)
        assertEquals("013482957", card.oldId)
        assertEquals("Nguyễn Thị Thu Hà", card.fullName)
        assertEquals("1992-03-14", card.dateOfBirth)
        assertEquals(org.citizenwallet.core.Sex.FEMALE, card.sex)
        assertEquals("2021-08-12", card.issueDate)
        assertTrue(card.messageEn.isNotBlank() && card.messageVi.isNotBlank())
        // A wallet code still reads as a verdict through the same scanner.
        assertTrue(authorities.counter().scanText("VN1:not a code") is ScanResult.Checked)
    }

    @Test
    fun sampleAssetIsTheCoreTestData() {
        val core = System.getenv("CWALLET_CORE_PEOPLE_JSON")?.let(::File) ?: File("../../core/tests/data/people.json")
        assumeTrue("core/tests/data/people.json not found from ${File(".").absolutePath}", core.exists())
        assertContentEquals(core.readBytes(), peopleFile.readBytes(), "app/src/main/assets/people.json is out of date: copy core/tests/data/people.json")
    }

    @Test
    fun keyProviderWrapsWithFreshIvAndRejectsOtherKeysAndTampering() {
        val key = softwareAesKey()
        val p = testKeyProvider("alias-1", key)
        val dataKey = ByteArray(32) { it.toByte() }
        val w1 = p.wrap(dataKey)
        val w2 = p.wrap(dataKey)
        assertEquals(12 + 32 + 16, w1.size, "IV || ciphertext || tag")
        assertFalse(w1.contentEquals(w2), "a fresh IV per wrap")
        assertFalse(w1.copyOfRange(12, 44).contentEquals(dataKey), "no plaintext in the blob")
        assertContentEquals(dataKey, p.unwrap(w1))
        assertContentEquals(dataKey, p.unwrap(w2))
        // Another key, the same key under another alias (AAD), a flipped bit, a short blob.
        assertFailsWith<WalletException.WrongKey> { testKeyProvider("alias-1").unwrap(w1) }
        assertFailsWith<WalletException.WrongKey> { testKeyProvider("alias-2", key).unwrap(w1) }
        val flipped = w1.copyOf().also { it[20] = (it[20].toInt() xor 1).toByte() }
        assertFailsWith<WalletException.WrongKey> { p.unwrap(flipped) }
        assertFailsWith<WalletException.WrongKey> { p.unwrap(w1.copyOf(40)) }
        // A keystore that fails is a KeyProvider error, not a crash.
        val broken = AesGcmKeyProvider("broken") { _ -> throw java.security.KeyStoreException("no such alias") }
        val e = assertFailsWith<WalletException.KeyProvider> { broken.wrap(dataKey) }
        assertEquals("KeyStoreException", e.reason)
        // Unwrap never asks for a new key; wrap may.
        val asked = mutableListOf<Boolean>()
        val spy = AesGcmKeyProvider("spy") { create -> asked += create; key }
        spy.unwrap(spy.wrap(dataKey))
        assertEquals(listOf(true, false), asked)
    }

    @Test
    fun walletOpensWithItsKeyOrPinOnlyAndErrorsReadInBothLanguages() {
        val key = softwareAesKey()
        val access = WalletAccess(dbPath("unlock"))
        assertFalse(access.exists())
        val (wallet, _) = access.createAndSeed(testKeyProvider("k", key), "135792", authorities, people, "linh")
        val holder = wallet.holderPublicKey()
        wallet.close()
        assertTrue(access.exists())
        access.unlockWithKey(testKeyProvider("k", key)).use { assertContentEquals(holder, it.holderPublicKey()) }
        access.unlockWithPin("135792").use { assertContentEquals(holder, it.holderPublicKey()) }
        // Another device key (a restored backup): WrongKey, and the screen says to use the PIN.
        val wrongKey = assertFailsWith<WalletException.WrongKey> { access.unlockWithKey(testKeyProvider("k")) }
        assertEquals("This device's security key does not open this wallet. Use the PIN.", describeError(wrongKey).en)
        assertTrue(describeError(wrongKey).vi.startsWith("Khóa bảo mật của thiết bị"))
        // A wrong PIN: typed, with the wait, in both languages.
        val wrongPin = assertFailsWith<WalletException.WrongPin> { access.unlockWithPin("000000") }
        assertEquals(1, wrongPin.failedAttempts)
        val text = describeError(wrongPin)
        assertEquals("Wrong PIN (attempt 1). Try again in ${wrongPin.retryAfterSecs} s.", text.en)
        assertEquals("Sai mã PIN (lần 1). Thử lại sau ${wrongPin.retryAfterSecs} giây.", text.vi)
        // The locked screen's timer never says more than the error did; after it, the PIN works.
        val left = access.pinRetryAfterSecs()
        assertTrue(left <= wrongPin.retryAfterSecs && wrongPin.retryAfterSecs >= 1L, "$left of ${wrongPin.retryAfterSecs}")
        Thread.sleep(left * 1000 + 1200)
        access.unlockWithPin("135792").use { assertContentEquals(holder, it.holderPublicKey()) }
        // An unknown person leaves no file behind.
        val other = WalletAccess(dbPath("nobody"))
        assertFailsWith<IllegalArgumentException> { other.createAndSeed(testKeyProvider("x"), "135792", authorities, people, "nobody") }
        assertFalse(other.exists())
    }

    @Test
    fun demoAuthoritiesAreTheSameOnEveryPhone() {
        val other = DemoAuthorities()
        assertContentEquals(authorities.rootPublicKey, other.rootPublicKey)
        assertEquals(authorities.authorities.map { it.key.kid().toList() }, other.authorities.map { it.key.kid().toList() })
        assertEquals(listOf("BCA", "BHXH", "BYT", "BTP"), authorities.trustList.issuers().map { it.iss })
        assertEquals("BHXH", authorities.authorityFor(CredentialType.CLINIC_CHECKIN).iss)
        assertEquals("BTP", authorities.authorityFor(CredentialType.JUDICIAL_RECORD).iss)
        assertEquals(32, DemoAuthorities.demoSeed("BCA").size)
        assertFalse(DemoAuthorities.demoSeed("BCA").contentEquals(DemoAuthorities.demoSeed("BYT")))
        // So a code made on the citizen's phone passes on another phone's counter.
        val (_, wallet, _) = seeded("bao")
        val code = CitizenFlow(wallet).checkInCode()
        assertEquals(Tone.VALID, checked(other.counter().scanText(code.qrText)).tone)
    }

    @Test
    fun seedingImportsEveryCredentialOfEverySamplePerson() {
        assertEquals(listOf("ha", "minh", "linh", "bao", "anh"), people.keys)
        assertEquals("Nguyễn Thị Thu Hà", people.fullName("ha"))
        assertEquals("H'Linh Niê", people.fullName("linh"))
        for (person in people.keys) {
            val (_, wallet, seed) = seeded(person)
            val expected = people.of(person).map { it.credentialType }
            assertEquals(expected.toSet(), seed.imported.keys, person)
            val cards = walletCards(wallet)
            assertEquals(expected.size, cards.size, person)
            assertTrue(cards.all { it.signed }, "every card is issuer-signed ($person)")
            assertEquals(CredentialType.CLINIC_CHECKIN, cards.first().type, "check-in first ($person)")
            assertEquals("Thông tin tiếp đón khám bệnh", cards.first().titleVi)
            assertEquals(emptyList(), cards.first().choosable, "the issuer fixed the check-in's claims")
            val id = cards.first { it.type == CredentialType.CITIZEN_ID }
            assertEquals(people.fullName(person), id.claims.first { it.name == "full_name" }.value)
            assertTrue("full_name" in id.choosable && "address" in id.choosable)
            // Status indices are unique per authority.
            val byIss = seed.imported.values.groupBy { it.issued.iss }
            for ((iss, creds) in byIss) assertEquals(creds.size, creds.map { it.issued.statusIndex }.toSet().size, iss)
            wallet.close()
        }
    }

    @Test
    fun checkInCodeVerifiesValidWithItsFourClaims() {
        for (person in listOf("ha", "minh")) {
            val (_, wallet, _) = seeded(person)
            val clock = FixedClock(SystemClock.nowUnix())
            val code = CitizenFlow(wallet, clock).checkInCode()
            assertTrue(code.qrText.startsWith("VN2:"))
            assertTrue(code.qrVersion <= 15, "fits a counter imager (version ${code.qrVersion})")
            assertEquals(setOf("full_name", "dob", "citizen_id", "bhyt_code"), code.shownClaims.toSet())
            val screen = checked(authorities.counter().scanText(code.qrText))
            assertEquals(Tone.VALID, screen.tone, screen.asText())
            assertEquals("HỢP LỆ", screen.headlineVi)
            assertEquals("VALID", screen.headlineEn)
            assertTrue(screen.messageVi.startsWith("HỢP LỆ (trạng thái kiểm tra đến ngày"), screen.messageVi)
            assertTrue(screen.messageEn.startsWith("VALID (status verified as of"), screen.messageEn)
            assertNull(screen.rejectReason)
            assertEquals("Thông tin tiếp đón khám bệnh", screen.documentVi)
            assertEquals("Clinic check-in", screen.documentEn)
            assertEquals("Bảo hiểm xã hội Việt Nam", screen.issuerVi)
            assertEquals("Vietnam Social Security", screen.issuerEn)
            val claims = screen.claims.associateBy { it.name }
            assertEquals(setOf("full_name", "dob", "citizen_id", "bhyt_code"), claims.keys)
            // The values are the person's, as the wallet holds them.
            val held = walletCards(wallet).first { it.type == CredentialType.CLINIC_CHECKIN }.claims.associate { it.name to it.value }
            for (name in claims.keys) assertEquals(held[name], claims.getValue(name).value, "$person $name")
            assertEquals(people.fullName(person), claims.getValue("full_name").value)
            assertEquals("Full name", claims.getValue("full_name").labelEn)
            assertNotEquals(claims.getValue("full_name").labelEn, claims.getValue("full_name").labelVi)
            assertTrue(screen.facts.any { it.labelEn == "Holder key" && it.value.matches(Regex("[0-9A-F]{4}( [0-9A-F]{4}){3}")) })
            val text = screen.asText()
            assertTrue(text.startsWith("HỢP LỆ / VALID\n"), text)
            assertTrue("Cơ quan cấp / Issuer: Bảo hiểm xã hội Việt Nam / Vietnam Social Security" in text, text)
            wallet.close()
        }
    }

    @Test
    fun theAsyncFlowUnlocksShowsAndScansFromCoroutines() = runBlocking {
        val key = softwareAesKey()
        val access = WalletAccess(dbPath("async"))
        val (created, _) = access.createAndSeedAsync(testKeyProvider("k", key), "135792", authorities, people, "ha")
        val holder = created.holderPublicKey()
        created.close()
        access.unlockWithKeyAsync(testKeyProvider("k", key)).use { assertContentEquals(holder, it.holderPublicKey()) }
        val wrongPin = assertFailsWith<WalletException.WrongPin> { access.unlockWithPinAsync("000000") }
        assertEquals(1, wrongPin.failedAttempts)
        val wallet = access.unlockWithKeyAsync(testKeyProvider("k", key))
        val code = CitizenFlow(wallet).checkInCode()
        val counter = authorities.counter()
        val side = QrRaster.side(code.matrix, 2)
        assertEquals(Tone.VALID, checked(counter.scanLumaAsync(side, side, QrRaster.luma(code.matrix, 2))).tone)
        assertTrue(counter.scanLumaAsync(64, 64, ByteArray(64 * 64) { -1 }) is ScanResult.Unreadable)
        wallet.close()
    }

    @Test
    fun theDrawnQrCodeIsWhatTheCounterReads() {
        val (_, wallet, _) = seeded("anh")
        val code = CitizenFlow(wallet).checkInCode()
        val m = code.matrix
        assertEquals(code.qrVersion, m.version)
        assertEquals(17 + 4 * m.version, m.size)
        val scale = 3
        val side = QrRaster.side(m, scale)
        assertEquals((m.size + 8) * scale, side)
        val argb = QrRaster.argb(m, scale)
        assertEquals(side * side, argb.size)
        assertEquals(QrRaster.WHITE, argb[0], "quiet zone is light")
        assertEquals(QrRaster.BLACK, argb[(4 * scale) * side + 4 * scale], "finder pattern corner is dark")
        assertEquals(m.bits.sumOf { Integer.bitCount(it.toInt() and 0xFF) } * scale * scale, argb.count { it == QrRaster.BLACK })
        // What the screen draws, read back as a camera would see it: valid, same claims.
        val fromPixels = checked(authorities.counter().scanLuma(side, side, QrRaster.lumaFromArgb(argb)))
        assertEquals(Tone.VALID, fromPixels.tone, fromPixels.asText())
        assertEquals(checked(authorities.counter().scanText(code.qrText)).claims, fromPixels.claims)
        // And the library's own PNG.
        assertEquals(Tone.VALID, checked(authorities.counter().scanPng(code.presentation.png(4))).tone)
        assertEquals(QrRaster.luma(m, 2).size, QrRaster.side(m, 2) * QrRaster.side(m, 2))
        assertEquals(5, QrRaster.fitScale(m, 5 * QrRaster.side(m, 1) + 4))
        // Semi-transparent pixels are blended on white.
        assertEquals(255.toByte(), QrRaster.lumaFromArgb(intArrayOf(0x00000000))[0])
        assertEquals(0.toByte(), QrRaster.lumaFromArgb(intArrayOf(QrRaster.BLACK))[0])
        wallet.close()
    }

    @Test
    fun tamperedCodeIsRejectedWithItsReasonInVietnameseAndEnglish() {
        val (_, wallet, _) = seeded("minh")
        val counter = authorities.counter()
        val text = CitizenFlow(wallet).checkInCode().qrText
        assertEquals(Tone.VALID, checked(counter.scanText(text)).tone)
        val screen = checked(counter.scanText(tamper(text)))
        assertEquals(Tone.INVALID, screen.tone)
        assertEquals("KHÔNG HỢP LỆ", screen.headlineVi)
        assertEquals("INVALID", screen.headlineEn)
        val reason = screen.rejectReason
        assertTrue(
            reason in setOf(RejectReason.BAD_ISSUER_SIGNATURE, RejectReason.BAD_HOLDER_SIGNATURE, RejectReason.MALFORMED),
            "reason $reason",
        )
        assertTrue(screen.messageVi.startsWith("KHÔNG HỢP LỆ: "), screen.messageVi)
        assertTrue(screen.messageEn.startsWith("INVALID: "), screen.messageEn)
        assertTrue(screen.messageEn.length > "INVALID: ".length + 10, "the reason is spelled out: ${screen.messageEn}")
        assertEquals(emptyList(), screen.claims, "an invalid code shows nothing")
        assertNull(screen.issuerEn)
        assertEquals("Reason code", screen.facts.first().labelEn)
        assertEquals(reason!!.name, screen.facts.first().value)
        val shown = screen.asText()
        assertTrue(shown.startsWith("KHÔNG HỢP LỆ / INVALID\n${screen.messageVi}\n${screen.messageEn}\n"), shown)
        // Damaged, foreign and unreadable input.
        assertEquals(RejectReason.MALFORMED, checked(counter.scanText(text.dropLast(20))).rejectReason)
        val dcc = checked(counter.scanText("HC1:NCFOXN%TS3DH3ZSUZK+.V0ET"))
        assertEquals(RejectReason.NOT_OUR_FORMAT, dcc.rejectReason)
        assertEquals("INVALID: this is not a citizen-wallet QR code", dcc.messageEn)
        val unreadable = counter.scanPng("not a png".toByteArray()) as? ScanResult.Unreadable
            ?: fail("an image without a QR code is 'unreadable'")
        assertTrue(unreadable.messageVi.startsWith("Không đọc được mã QR"))
        assertTrue(counter.scanLuma(8, 8, ByteArray(64) { -1 }) is ScanResult.Unreadable)
        wallet.close()
    }

    @Test
    fun codesFromAnotherTrustWorldAndRevokedCardsAreRejected() {
        val (_, wallet, seed) = seeded("ha")
        val code = CitizenFlow(wallet).checkInCode()
        // A counter of another world (other root and issuers) does not know our issuers.
        val foreign = DemoAuthorities(seed = { label -> ByteArray(32) { (label.hashCode() + it).toByte() } })
        assertFalse(foreign.rootPublicKey.contentEquals(authorities.rootPublicKey))
        val unknown = checked(foreign.counter().scanText(code.qrText))
        // Format 2 credentials name no issuer: a check-in its own BHXH did not sign reads as forged.
        assertEquals(RejectReason.BAD_ISSUER_SIGNATURE, unknown.rejectReason)
        // Revocation: the authority signs a new status list, the counter installs it.
        val counter = authorities.counter()
        assertEquals(Tone.VALID, checked(counter.scanText(code.qrText)).tone)
        val checkIn = seed.imported.getValue(CredentialType.CLINIC_CHECKIN).issued
        counter.updateStatusList(authorities.revoke(CredentialType.CLINIC_CHECKIN, checkIn.statusIndex))
        val revoked = checked(counter.scanText(code.qrText))
        assertEquals(Tone.INVALID, revoked.tone)
        assertEquals(RejectReason.REVOKED, revoked.rejectReason)
        assertEquals("INVALID: the document has been revoked by its issuer", revoked.messageEn)
        assertTrue(revoked.messageVi.startsWith("KHÔNG HỢP LỆ: "))
        assertTrue(revoked.messageVi.contains("thu hồi"), revoked.messageVi)
        // The citizen ID of the same person is another authority's: still valid.
        val id = seed.imported.getValue(CredentialType.CITIZEN_ID).id
        assertEquals(Tone.VALID, checked(counter.scanText(CitizenFlow(wallet).show(id, listOf("full_name")).qrText)).tone)
        wallet.close()
    }

    /**
     * A counter never given status lists cannot know that a card was revoked: amber, with "—" for
     * the status date and the reason, never green. (Finding 4: the tone follows the library's
     * three-way outcome; there is no `isValid` in the verdict any more.)
     */
    @Test
    fun aCounterWithoutStatusListsShowsARevokedCardAmberNeverGreen() {
        val (_, wallet, seed) = seeded("minh")
        val code = CitizenFlow(wallet).checkInCode()
        val checkIn = seed.imported.getValue(CredentialType.CLINIC_CHECKIN).issued
        val withLists = authorities.counter()
        withLists.updateStatusList(authorities.revoke(CredentialType.CLINIC_CHECKIN, checkIn.statusIndex))
        assertEquals(Tone.INVALID, checked(withLists.scanText(code.qrText)).tone)
        val bare = Counter(org.citizenwallet.Verifier(authorities.trustListBytes, authorities.rootPublicKey))
        val screen = checked(bare.scanText(code.qrText))
        assertEquals(Tone.STATUS_NOT_CURRENT, screen.tone, screen.asText())
        assertEquals("VALID – REVOCATION STATUS NOT CURRENT", screen.headlineEn)
        assertEquals(StaleReason.NO_STATUS_LIST, screen.staleReason)
        assertNull(screen.rejectReason)
        assertTrue(Fact("Tình trạng thu hồi tính đến", "Revocation status as of", "—") in screen.facts, screen.asText())
        assertTrue(Fact("Mã lý do", "Reason code", "NO_STATUS_LIST") in screen.facts, screen.asText())
        assertTrue(screen.messageEn.contains("no status list from this issuer"), screen.messageEn)
        wallet.close()
    }

    @Test
    fun countdownReachesZeroAtExpiresAt() {
        val (_, wallet, _) = seeded("linh")
        val clock = FixedClock(SystemClock.nowUnix())
        val code = CitizenFlow(wallet, clock).checkInCode()
        val c = code.countdown
        assertEquals(clock.now, c.startedAt)
        assertEquals(code.expiresAt, c.expiresAt)
        assertTrue(c.totalSecs in 60..600, "a short-lived code (${c.totalSecs} s)")
        assertEquals(c.totalSecs, c.remainingSecs(clock.now))
        assertEquals(1.0, c.fraction(clock.now))
        assertFalse(c.isExpired(code.expiresAt - 1))
        assertEquals(1, c.remainingSecs(code.expiresAt - 1))
        assertEquals("0:01", c.label(code.expiresAt - 1))
        assertEquals(0, c.remainingSecs(code.expiresAt))
        assertTrue(c.isExpired(code.expiresAt))
        assertEquals("0:00", c.label(code.expiresAt))
        assertEquals(0.0, c.fraction(code.expiresAt))
        assertEquals(0, c.remainingSecs(code.expiresAt + 3600), "never negative")
        assertEquals("Code expired – tap for a fresh one", c.captionEn(code.expiresAt))
        assertEquals("Mã đã hết hạn – chạm để tạo mã mới", c.captionVi(code.expiresAt))
        wallet.close()
    }

    @Test
    fun countdownLabels() {
        val c = Countdown(1_000, 1_120)
        assertEquals(120, c.totalSecs)
        assertEquals("2:00", c.label(1_000))
        assertEquals("1:59", c.label(1_001))
        assertEquals("1:00", c.label(1_060))
        assertEquals("0:59", c.label(1_061))
        assertEquals("Expires in 0:59", c.captionEn(1_061))
        assertEquals("Mã hết hạn sau 0:59", c.captionVi(1_061))
        assertEquals(0.5, c.fraction(1_060))
        assertEquals("2:00", c.label(990), "a clock set back shows at most the lifetime")
        assertEquals(0, Countdown(1_000, 900).totalSecs)
    }

    @Test
    fun citizenChoosesWhichClaimsToShow() {
        val (_, wallet, seed) = seeded("ha")
        val id = seed.imported.getValue(CredentialType.CITIZEN_ID).id
        val code = CitizenFlow(wallet).show(id, listOf("full_name", "dob"))
        val screen = checked(authorities.counter().scanText(code.qrText))
        assertEquals(Tone.VALID, screen.tone, screen.asText())
        assertEquals(listOf("dob", "full_name"), screen.claims.map { it.name }.sorted())
        assertTrue(screen.claims.all { it.selectivelyDisclosed })
        assertFalse("citizen_id" in screen.asText() || "001192034517" in screen.asText(), "the ID number stays hidden")
        assertEquals("Căn cước công dân", screen.documentVi)
        assertEquals("Ministry of Public Security", screen.issuerEn)
        // The whole health book does not fit one QR code: the citizen is told to choose fewer.
        val book = seed.imported.getValue(CredentialType.HEALTH_BOOK).id
        val all = walletCards(wallet).first { it.id == book }.choosable
        val e = assertFailsWith<WalletException.QrTooLarge> { CitizenFlow(wallet).show(book, all) }
        assertTrue(e.neededVersion > e.maxVersion)
        val text = describeError(e)
        assertEquals("Too much for one QR code (needs version ${e.neededVersion}, limit ${e.maxVersion}). Choose fewer fields.", text.en)
        assertTrue(text.vi.startsWith("Quá nhiều thông tin cho một mã QR"))
        wallet.close()
    }

    @Test
    fun verdictFormattingOfEachStatus() {
        val t = 1_768_453_200L // 2026-01-15 05:00:00 UTC = 12:00:00 in Vietnam
        assertEquals("15/01/2026 12:00:00", formatVnTime(t))
        assertEquals("01/01/2026 06:59:59", formatVnTime(1_767_225_599L)) // 2025-12-31 23:59:59 UTC
        assertEquals("01/01/1970 07:00:00", formatVnTime(0))
        assertEquals("29/02/2024", formatVnDate(1_709_164_800L + 3600))
        // A credential may expire at Long.MAX_VALUE: formatted, not wrapped into the past.
        assertTrue(formatVnTime(Long.MAX_VALUE).startsWith("04/12/292277026596 "), formatVnTime(Long.MAX_VALUE))
        val claim = DisclosedClaim("full_name", "Họ và tên", "Full name", "Trần Văn Minh", false)
        fun verdict(status: VerdictStatus, outcome: Outcome, reason: RejectReason?, en: String, vi: String) = Verdict(
            outcome = outcome, status = status, rejectReason = reason, messageEn = en, messageVi = vi,
            credentialType = CredentialType.CLINIC_CHECKIN, issuerNameVi = "Bảo hiểm xã hội Việt Nam",
            issuerNameEn = "Vietnam Social Security", claims = listOf(claim), verifiedAt = t, statusAsOf = t - 3600,
            holderThumbprint = "3f2a91c077b4e012aabbccdd", presentedAt = t - 30, credentialExpiresAt = t + 365 * DAY_SECS,
        )
        val valid = formatVerdict(verdict(VerdictStatus.Valid, Outcome.VALID, null, "VALID (status verified as of 2026-01-15)", "HỢP LỆ (trạng thái kiểm tra đến ngày 2026-01-15)"))
        assertEquals(
            """
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
            """.trimIndent(),
            valid.asText(),
        )
        // Amber (the tone follows the library's outcome): how old the status is, and why.
        val stale = formatVerdict(verdict(VerdictStatus.ValidStale(t - 30 * DAY_SECS, StaleReason.STATUS_LIST_EXPIRED), Outcome.STATUS_NOT_CURRENT, null, "VALID, status as of ...", "HỢP LỆ, trạng thái đến ngày ..."))
        assertEquals(Tone.STATUS_NOT_CURRENT, stale.tone)
        assertEquals(StaleReason.STATUS_LIST_EXPIRED, stale.staleReason)
        assertTrue(Fact("Mã lý do", "Reason code", "STATUS_LIST_EXPIRED") in stale.facts, stale.asText())
        assertEquals("VALID – REVOCATION STATUS NOT CURRENT", stale.headlineEn)
        assertEquals("HỢP LỆ – CHƯA RÕ TÌNH TRẠNG THU HỒI", stale.headlineVi)
        assertEquals(1, stale.claims.size)
        // Invalid: even if a claim were present, nothing but the reason is shown.
        val invalid = formatVerdict(verdict(VerdictStatus.Invalid(RejectReason.PRESENTATION_EXPIRED), Outcome.INVALID, RejectReason.PRESENTATION_EXPIRED, "INVALID: the QR code has expired; ask the citizen to show a fresh one", "KHÔNG HỢP LỆ: mã QR đã hết hạn"))
        assertEquals(
            """
            KHÔNG HỢP LỆ / INVALID
            KHÔNG HỢP LỆ: mã QR đã hết hạn
            INVALID: the QR code has expired; ask the citizen to show a fresh one
            Mã lý do / Reason code: PRESENTATION_EXPIRED
            Kiểm tra lúc / Checked at: 15/01/2026 12:00:00
            """.trimIndent(),
            invalid.asText(),
        )
        assertEquals(emptyList(), invalid.claims)
        assertNull(invalid.documentEn)
        // Every credential type has a label in both languages.
        for (type in CredentialType.values()) {
            assertTrue(typeLabelVi(type).isNotBlank() && typeLabelEn(type).isNotBlank())
            assertNotEquals(typeLabelVi(type), typeLabelEn(type))
        }
    }

    @Test
    fun errorTextsForRejectedAndKeystoreFailures() {
        val rejected = describeError(WalletException.Rejected(RejectReason.UNKNOWN_ISSUER, "the issuing authority is not in the trust list", "cơ quan cấp không có trong danh sách tin cậy"))
        assertEquals("the issuing authority is not in the trust list", rejected.en)
        assertEquals("cơ quan cấp không có trong danh sách tin cậy", rejected.vi)
        assertEquals("The device keystore failed (KeyStoreException). Use the PIN.", describeError(WalletException.KeyProvider("KeyStoreException")).en)
        assertEquals("Something went wrong (IllegalStateException).", describeError(IllegalStateException("x")).en)
        // A credential issued to another wallet is refused on import, and nothing is stored.
        val (_, wallet, _) = seeded("bao")
        val before = wallet.list(null).size
        val other = WalletAccess(dbPath("other")).createAndSeed(testKeyProvider("o"), "135792", authorities, people, "anh").first
        val foreign = authorities.issue(people.of("bao").first(), other.holderPublicKey())
        val e = assertFailsWith<WalletException> { wallet.importIssuedText(foreign.transferText, authorities.trustList) }
        assertTrue(e is WalletException.InvalidInput || e is WalletException.Rejected, "$e")
        assertEquals(before, wallet.list(null).size)
        wallet.close()
        other.close()
    }
}
