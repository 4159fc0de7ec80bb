// The binding scenario, from Kotlin on the JVM, against the built library (run by
// bindings/test.sh: JNA loads libcitizen_wallet_ffi.so from -Djna.library.path). The same
// scenario runs in Python and Swift:
//
// * a wallet protected by a key provider written here with javax.crypto (AES-256-GCM), the way an
//   Android app wraps the data key with an Android Keystore AES key;
// * an issuer world built with the issuer functions: root key, four authorities, a signed trust
//   list and status lists;
// * the credentials of the five sample people issued, imported, the clinic check-in presented as a
//   QR code and verified (text and PNG);
// * typed errors: wrong PIN (with retry-after), back-off, the PIN disabled after 10 failures,
//   rejected credentials, tampered QR codes;
// * the PIN as bytes (the app wipes its arrays) and data key rotation;
// * one wallet and one verifier used from four threads at once;
// * the native-feeling API: signed numbers (negative -> InvalidInput), the packed QrMatrix and
//   pixel buffers, and the async variants as suspend functions (kotlinx-coroutines).
//
// Prints `kotlin: N passed, N failed` and exits non-zero on any failure.

import org.citizenwallet.*
import org.citizenwallet.core.CredentialType
import org.citizenwallet.core.ImageError
import org.citizenwallet.core.Lang
import org.citizenwallet.core.ListUpdate
import org.citizenwallet.core.Outcome
import org.citizenwallet.core.ReaderRole
import org.citizenwallet.core.RejectReason
import org.citizenwallet.core.RequestPurpose
import org.citizenwallet.core.Sex
import org.citizenwallet.core.StaleReason
import org.citizenwallet.core.StateError
import org.citizenwallet.core.VerdictStatus
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import java.io.File
import java.nio.ByteBuffer
import java.nio.file.Files
import java.security.SecureRandom
import java.util.Collections
import java.util.concurrent.CyclicBarrier
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import javax.crypto.AEADBadTagException
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotEquals
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlin.test.fail

const val DAY = 86_400L
val NOW = System.currentTimeMillis() / 1000
const val PIN = "246810"
val random = SecureRandom()

/** Wraps the data key with AES-256-GCM (random 96-bit IV, key id as AAD), as an Android app does
 * with a Keystore key. A wrong key fails the GCM tag check: that is WalletException.WrongKey. */
class AesGcmKeyProvider(private val id: String, private val key: SecretKey = newKey()) : KeyProvider {
    val wraps = AtomicInteger()
    val unwraps = AtomicInteger()

    companion object {
        fun newKey(): SecretKey = KeyGenerator.getInstance("AES").apply { init(256, random) }.generateKey()
    }

    override fun keyId(): String = id

    override fun wrap(dataKey: ByteArray): ByteArray {
        wraps.incrementAndGet()
        val iv = ByteArray(12).also { random.nextBytes(it) }
        val cipher = Cipher.getInstance("AES/GCM/NoPadding")
        cipher.init(Cipher.ENCRYPT_MODE, key, GCMParameterSpec(128, iv))
        cipher.updateAAD(id.toByteArray())
        return iv + cipher.doFinal(dataKey)
    }

    override fun unwrap(wrapped: ByteArray): ByteArray {
        unwraps.incrementAndGet()
        if (wrapped.size < 12 + 16) throw WalletException.WrongKey()
        val cipher = Cipher.getInstance("AES/GCM/NoPadding")
        cipher.init(Cipher.DECRYPT_MODE, key, GCMParameterSpec(128, wrapped.copyOfRange(0, 12)))
        cipher.updateAAD(id.toByteArray())
        try {
            return cipher.doFinal(wrapped, 12, wrapped.size - 12)
        } catch (e: AEADBadTagException) {
            throw WalletException.WrongKey()
        }
    }
}

/** A provider whose keystore throws something that is not a WalletException (an app bug). */
class BrokenKeyProvider : KeyProvider {
    override fun keyId() = "broken"
    override fun wrap(dataKey: ByteArray): ByteArray = throw IllegalStateException("keystore exploded")
    override fun unwrap(wrapped: ByteArray): ByteArray = throw IllegalStateException("keystore exploded")
}

/** UTF-8 bytes of a PIN typed into a CharArray, without making a String (which no app can
 * wipe); the encoder's own buffer is wiped. The caller wipes both arrays after use. */
fun utf8(chars: CharArray): ByteArray {
    val buf = Charsets.UTF_8.encode(java.nio.CharBuffer.wrap(chars))
    val out = ByteArray(buf.remaining())
    buf.get(out)
    if (buf.hasArray()) java.util.Arrays.fill(buf.array(), 0.toByte())
    return out
}

/** The app's own time source (a counter synchronised to a trusted server; here, a test). */
class SettableClock(@Volatile var now: Long) : TimeSource {
    override fun nowUnix(): Long = now
}

/** A root, four authorities, a signed trust list and status lists, built through the bindings. */
class World {
    val root = IssuerKey.generate()
    val keys = LinkedHashMap<String, IssuerKey>()
    private val issuers = HashMap<CredentialType, Issuer>()
    val trustBytes: ByteArray
    val trust: TrustList
    val entries: List<TrustedIssuer>
    val status = LinkedHashMap<String, StatusList>()
    private val nextIndex = AtomicInteger(1)

    init {
        val authorities = listOf(
            listOf("BCA", "Bộ Công an", "Ministry of Public Security") to listOf(CredentialType.CITIZEN_ID),
            listOf("BHXH", "Bảo hiểm xã hội Việt Nam", "Vietnam Social Security") to
                listOf(CredentialType.HEALTH_INSURANCE, CredentialType.CLINIC_CHECKIN),
            listOf("BYT", "Bộ Y tế", "Ministry of Health") to listOf(CredentialType.HEALTH_BOOK),
            listOf("BTP", "Bộ Tư pháp", "Ministry of Justice") to listOf(CredentialType.JUDICIAL_RECORD),
        )
        entries = authorities.mapIndexed { i, (names, types) ->
            val (iss, vi, en) = names
            val key = IssuerKey.fromSeed(ByteArray(32) { (i + 2).toByte() })
            keys[iss] = key
            val issuer = Issuer(key, iss)
            types.forEach { issuers[it] = issuer }
            status[iss] = StatusList(key.kid(), 4096L, NOW - 3600, (7 * DAY).toInt())
            TrustedIssuer(key.kid(), key.publicKey(), iss, vi, en, NOW - 365 * DAY, NOW + 5 * 365 * DAY, types)
        }
        trustBytes = signTrustList(root, NOW - DAY, entries)
        trust = TrustList.fromSigned(trustBytes, root.publicKey())
    }

    fun signedStatusLists() = status.map { (iss, list) -> list.sign(keys.getValue(iss)) }

    fun verifier(clock: TimeSource? = null) = Verifier.withConfig(
        trustBytes, root.publicKey(), signedStatusLists(),
        VerifierConfig(audience = null, acceptOfflineAudience = true, clockSkewSecs = 60),
        clock = clock,
    )

    /** Issues to `holder`; returns the SD-CWT and its status index. */
    fun issue(cred: PersonCredential, holder: ByteArray): Pair<ByteArray, Long> {
        val index = nextIndex.getAndIncrement().toLong()
        val bytes = issuers.getValue(cred.credentialType).issueDefault(
            cred.credentialType, cred.json, holder, NOW - DAY, NOW + 365 * DAY, index,
        )
        return bytes to index
    }
}

// --- the tiny harness --------------------------------------------------------------------------

var passed = 0
var failed = 0

fun test(name: String, body: () -> Unit) {
    try {
        body()
        passed++
        println("ok      $name")
    } catch (t: Throwable) {
        failed++
        println("FAILED  $name: $t")
        t.printStackTrace(System.out)
    }
}

// --- the scenario ------------------------------------------------------------------------------

val tmp: File = Files.createTempDirectory("cwallet-kotlin").toFile()
fun path(name: String) = File(tmp, name).path

lateinit var world: World
lateinit var verifier: Verifier
lateinit var people: Map<String, List<PersonCredential>>

class Holder(val wallet: Wallet, val provider: AesGcmKeyProvider, val ids: Map<CredentialType, Triple<String, Long, String>>)

/** A provider-protected wallet holding every issued credential of one person. */
fun walletWithCredentials(name: String, person: String): Holder {
    val provider = AesGcmKeyProvider("test-key-$name")
    val wallet = Wallet.createWithKeyProvider(path("$name.db"), provider)
    val holder = wallet.holderPublicKey()
    val ids = HashMap<CredentialType, Triple<String, Long, String>>()
    people.getValue(person).forEachIndexed { n, cred ->
        val (issued, index) = world.issue(cred, holder)
        val id = if (n % 2 == 0) wallet.importIssued(issued, world.trust)
        else wallet.importIssuedText(transferText(issued), world.trust)
        ids[cred.credentialType] = Triple(id, index, cred.json)
    }
    return Holder(wallet, provider, ids)
}

/** Module (x, y) of the packed bitmap: row-major, MSB first, 1 = dark (QrMatrix's docs). */
fun isDark(m: QrMatrix, x: Int, y: Int): Boolean {
    val i = y * m.size + x
    return (m.bits[i / 8].toInt() shr (7 - i % 8)) and 1 == 1
}

/** A key provider whose keystore takes `millis` (a biometric prompt, a slow StrongBox). */
class SlowKeyProvider(private val inner: KeyProvider, private val millis: Long) : KeyProvider {
    override fun keyId() = inner.keyId()
    override fun wrap(dataKey: ByteArray): ByteArray = inner.wrap(dataKey).also { Thread.sleep(millis) }
    override fun unwrap(wrapped: ByteArray): ByteArray = inner.unwrap(wrapped).also { Thread.sleep(millis) }
}

/** A string field of a credential's JSON (the test needs no JSON library for four fields). */
fun jsonField(json: String, field: String): String =
    Regex("\"$field\"\\s*:\\s*\"([^\"]*)\"").find(json)?.groupValues?.get(1) ?: fail("no $field in JSON")

fun main() {
    val peopleJson = System.getenv("CWALLET_PEOPLE_JSON") ?: "core/tests/data/people.json"

    test("setup: issuer world, verifier, sample people") {
        world = World()
        verifier = world.verifier()
        people = credentialsFromPeopleJson(File(peopleJson).readText()).groupBy { it.personKey }
        assertEquals(5, people.size)
    }

    test("version") {
        assertTrue(Regex("""^\d+\.\d+\.\d+""").containsMatchIn(coreVersion()))
    }

    test("Kotlin AES-GCM key provider creates, unlocks and guards the wallet") {
        val provider = AesGcmKeyProvider("test-key-unlock")
        val wallet = Wallet.createWithKeyProvider(path("unlock.db"), provider)
        assertEquals(1, provider.wraps.get())
        val holder = wallet.holderPublicKey()
        assertEquals(32, holder.size)
        wallet.lock()
        assertTrue(wallet.isLocked())
        assertFailsWith<WalletException.Locked> { wallet.holderPublicKey() }
        wallet.unlockWithKeyProvider(provider)
        assertEquals(1, provider.unwraps.get())
        assertContentEquals(holder, wallet.holderPublicKey())
        assertContentEquals(holder, Wallet.openWithKeyProvider(path("unlock.db"), provider).holderPublicKey())
        // Same key id, another AES key: GCM rejects it, typed end to end.
        assertFailsWith<WalletException.WrongKey> {
            Wallet.openWithKeyProvider(path("unlock.db"), AesGcmKeyProvider("test-key-unlock"))
        }
        val dk = ByteArray(32).also { random.nextBytes(it) }
        val w1 = provider.wrap(dk)
        assertFalse(w1.contentEquals(provider.wrap(dk)), "random IV")
        assertContentEquals(dk, provider.unwrap(w1))
        w1[w1.size - 1] = (w1[w1.size - 1].toInt() xor 1).toByte()
        assertFailsWith<WalletException.WrongKey> { provider.unwrap(w1) }
    }

    test("a provider exception that is not a WalletException becomes KeyProvider") {
        assertFailsWith<WalletException.KeyProvider> {
            Wallet.createWithKeyProvider(path("broken.db"), BrokenKeyProvider())
        }
        assertFalse(File(path("broken.db")).exists(), "a failed create leaves no file")
    }

    test("Rust software key provider through the foreign trait") {
        val provider = softwareKeyProvider("software")
        assertEquals("software", provider.keyId())
        val wallet = Wallet.createWithKeyProvider(path("software.db"), provider)
        wallet.lock()
        wallet.unlockWithKeyProvider(provider)
        assertFalse(wallet.isLocked())
    }

    test("five people: import all, present the check-in QR, verify text and PNG") {
        for ((person, creds) in people) {
            val h = walletWithCredentials("p-$person", person)
            assertEquals(1, h.provider.wraps.get())
            val listed = h.wallet.list(null)
            assertEquals(creds.size, listed.size, person)
            assertTrue(listed.all { it.signed })
            assertEquals(1, h.wallet.list(CredentialType.CLINIC_CHECKIN).size)
            assertEquals(listed.map { it.id }, h.wallet.listSummaries(null).map { it.id })

            val (id, _, json) = h.ids.getValue(CredentialType.CLINIC_CHECKIN)
            val p = h.wallet.present(id, emptyList())
            assertTrue(p.qrText().startsWith("VN2:"))
            assertEquals(listOf("bhyt_code", "citizen_id", "dob", "full_name"), p.alwaysVisible().sorted())
            assertEquals("offline", p.audience())
            assertTrue(p.expiresAt() > NOW)
            assertTrue(p.byteCount() > 100L)
            assertTrue(p.qrVersion() <= 15, "check-in QR fits a counter imager: ${p.qrVersion()}")
            val m = p.matrix()
            assertEquals(p.qrVersion(), m.version)
            assertEquals(17 + 4 * m.version, m.size)
            assertEquals((m.size * m.size + 7) / 8, m.bits.size)
            assertTrue(isDark(m, 0, 0), "finder pattern corner is dark")
            val png = p.png(4)
            assertContentEquals(byteArrayOf(0x89.toByte(), 'P'.code.toByte(), 'N'.code.toByte(), 'G'.code.toByte()), png.copyOfRange(0, 4))
            assertTrue(p.svg().contains("<svg"))

            val v = verifier.verifyText(p.qrText())
            assertEquals(Outcome.VALID, v.outcome, v.messageEn)
            assertEquals(VerdictStatus.Valid, v.status, v.messageEn)
            assertNull(v.rejectReason)
            assertTrue(v.messageEn.startsWith("VALID"), v.messageEn)
            assertTrue(v.messageVi.startsWith("HỢP LỆ"), v.messageVi)
            assertEquals(CredentialType.CLINIC_CHECKIN, v.credentialType)
            assertEquals("Vietnam Social Security", v.issuerNameEn)
            val claims = v.claims.associateBy { it.name }
            assertEquals(setOf("full_name", "dob", "citizen_id", "bhyt_code"), claims.keys)
            assertEquals(jsonField(json, "full_name"), claims.getValue("full_name").value)
            assertEquals(jsonField(json, "citizen_id"), claims.getValue("citizen_id").value)
            assertEquals(jsonField(json, "bhyt_code"), claims.getValue("bhyt_code").value)
            assertTrue(claims.getValue("dob").value.contains(jsonField(json, "dob").substring(0, 4)))
            assertEquals("Full name", claims.getValue("full_name").labelEn)
            assertNotEquals(claims.getValue("full_name").labelEn, claims.getValue("full_name").labelVi)

            val fromPng = verifier.verifyPng(png)
            assertEquals(Outcome.VALID, fromPng.outcome, fromPng.messageEn)
            assertEquals(v.claims, fromPng.claims)
        }
    }

    test("selective disclosure hides what was not chosen") {
        val h = walletWithCredentials("sd", "ha")
        val v = verifier.verifyText(h.wallet.present(h.ids.getValue(CredentialType.CITIZEN_ID).first, listOf("full_name")).qrText())
        assertEquals(Outcome.VALID, v.outcome, v.messageEn)
        val shown = v.claims.associateBy { it.name }
        assertTrue(shown.getValue("full_name").selectivelyDisclosed)
        assertFalse("citizen_id" in shown)
        assertFalse("address" in shown)
        // The claim picker offers the issuer's selectively disclosable claims this credential has.
        val id = h.ids.getValue(CredentialType.CITIZEN_ID).first
        val offered = h.wallet.disclosableClaims(id)
        val has = h.wallet.get(id).claims.map { it.name }
        assertEquals(has.filter { it in defaultSdClaims(CredentialType.CITIZEN_ID) }, offered)
        val p = h.wallet.present(id, listOf("full_name"))
        assertEquals(listOf("full_name"), p.disclosed())
        assertTrue(p.alwaysVisible().none { it in offered })
        assertEquals(has.sorted(), (p.alwaysVisible() + offered).sorted())
    }

    test("wrong PIN is WalletException.WrongPin with retry-after; back-off is PinBackoff") {
        val p = path("pin.db")
        val holder = Wallet.createWithPin(p, PIN).holderPublicKey()
        val e1 = assertFailsWith<WalletException.WrongPin> { Wallet.openWithPin(p, "135790") }
        assertEquals(1L, e1.retryAfterSecs)
        assertEquals(1, e1.failedAttempts)
        Thread.sleep(e1.retryAfterSecs * 1000 + 200)
        val e2 = assertFailsWith<WalletException.WrongPin> { Wallet.openWithPin(p, "135790") }
        assertEquals(2L, e2.retryAfterSecs, "back-off doubles")
        assertEquals(2, e2.failedAttempts)
        val b = assertFailsWith<WalletException.PinBackoff> { Wallet.openWithPin(p, PIN) }
        assertTrue(b.retryAfterSecs >= 1L)
        val locked = Wallet.openLocked(p)
        assertTrue(locked.isLocked())
        val wait = locked.pinRetryAfterSecs()
        assertTrue(wait <= 2L)
        Thread.sleep(wait * 1000 + 200)
        assertContentEquals(holder, Wallet.openWithPin(p, PIN).holderPublicKey())
        assertFailsWith<WalletException.InvalidInput> { Wallet.createWithPin(path("short-pin.db"), "12") }
    }

    test("the PIN as a ByteArray: byte entry points, and the app wipes its own arrays") {
        val p = path("pin-bytes.db")
        // From a CharArray (what a PIN field can give) to UTF-8 bytes without a String.
        val typed = PIN.toCharArray()
        val pin = utf8(typed)
        typed.fill('\u0000')
        val wallet = Wallet.createWithPinBytes(p, pin)
        val holder = wallet.holderPublicKey()
        wallet.lock()
        wallet.unlockWithPinBytes(pin)
        assertContentEquals(holder, Wallet.openWithPin(p, PIN).holderPublicKey())
        assertContentEquals(holder, Wallet.openWithPinBytes(p, pin).holderPublicKey())
        val newPin = "mật khẩu 2468".toByteArray(Charsets.UTF_8)
        wallet.changePinBytes(pin, newPin)
        // The library wiped its copies; the app wipes its own arrays.
        pin.fill(0)
        newPin.fill(0)
        assertTrue(pin.all { it == 0.toByte() } && newPin.all { it == 0.toByte() })
        assertContentEquals(holder, Wallet.openWithPin(p, "mật khẩu 2468").holderPublicKey())
        assertFailsWith<WalletException.InvalidInput> { wallet.setPinBytes(byteArrayOf(-1, -2, -3, -4, -5, -6)) }
        wallet.setPinBytes("97531086".toByteArray(Charsets.UTF_8))
        assertContentEquals(holder, Wallet.openWithPinBytes(p, "97531086".toByteArray(Charsets.UTF_8)).holderPublicKey())
    }

    test("ten wrong PINs disable the PIN (PinLocked) until the key provider unlocks") {
        val clock = SettableClock(NOW)
        val provider = AesGcmKeyProvider("pin-locked")
        val p = path("pin-locked.db")
        Wallet.createWithPin(p, PIN, clock).setKeyProvider(provider)
        for (n in 1..10) {
            if (n < 10) {
                val e = assertFailsWith<WalletException.WrongPin> { Wallet.openWithPin(p, "135790", clock) }
                assertEquals(n, e.failedAttempts)
                clock.now += e.retryAfterSecs
            } else {
                assertFailsWith<WalletException.PinLocked> { Wallet.openWithPin(p, "135790", clock) }
            }
        }
        clock.now += 365 * DAY
        assertFailsWith<WalletException.PinLocked> { Wallet.openWithPin(p, PIN, clock) }
        assertFailsWith<WalletException.PinLocked> { Wallet.openLocked(p, clock).pinRetryAfterSecs() }
        Wallet.openWithKeyProvider(p, provider, clock)
        assertFalse(Wallet.openWithPin(p, PIN, clock).isLocked())
    }

    test("rotateDataKey re-encrypts under a fresh key and needs every way of unlocking") {
        val provider = AesGcmKeyProvider("rotate")
        val p = path("rotate.db")
        val wallet = Wallet.createWithPin(p, PIN)
        wallet.setKeyProvider(provider)
        val first = people.getValue("ha")[0]
        wallet.addJson(first.credentialType, first.json)
        val missing = assertFailsWith<WalletException.InvalidInput> {
            wallet.rotateDataKey(pin = "24682468".toByteArray(Charsets.UTF_8))
        }
        assertEquals("key provider", missing.field)
        // The PIN changes with the key: the old PIN no longer opens the wallet.
        assertEquals(1L, wallet.rotateDataKey(pin = "24682468".toByteArray(Charsets.UTF_8), keyProvider = provider))
        val later = people.getValue("ha")[1]
        wallet.addJson(later.credentialType, later.json)
        assertEquals(2, Wallet.openWithPin(p, "24682468").list(null).size)
        assertEquals(2, Wallet.openWithKeyProvider(p, provider).list(null).size)
        assertFailsWith<WalletException.WrongPin> { Wallet.openWithPin(p, PIN) }
    }

    test("one scanner: a presentation is verified, an ID card's printed QR is unverified card data") {
        val h = walletWithCredentials("scan", "minh")
        val text = h.wallet.present(h.ids.getValue(CredentialType.CLINIC_CHECKIN).first, emptyList()).qrText()
        val presented = verifier.scanText(text)
        assertTrue(presented is ScanResult.Presentation, "$presented")
        assertEquals(verifier.verifyText(text), presented.verdict)
        assertEquals(Outcome.VALID, presented.verdict.outcome)
        val cardQr = "\uFEFF079085012384||Trần Văn Minh|02111985|Nam|123/45 Lê Văn Sỹ, Phường 13, Quận 3, Hồ Chí Minh|25042021\n"
        val scanned = verifier.scanText(cardQr)
        assertTrue(scanned is ScanResult.IdCard, "$scanned")
        val card = scanned.card
        assertEquals("079085012384", card.citizenId)
        assertEquals(null, card.oldId)
        assertEquals("Trần Văn Minh", card.fullName)
        assertEquals("1985-11-02", card.dateOfBirth)
        assertEquals(Sex.MALE, card.sex)
        assertEquals("2021-04-25", card.issueDate)
        assertTrue(card.messageEn.startsWith("ID CARD: UNVERIFIED DATA"), card.messageEn)
        assertTrue(card.messageVi.startsWith("THẺ CCCD: DỮ LIỆU CHƯA XÁC THỰC"), card.messageVi)
        assertEquals(RejectReason.NOT_OUR_FORMAT, verifier.verifyText(cardQr).rejectReason)
        assertFailsWith<WalletException.InvalidInput> { verifier.scanText(cardQr.replace("02111985", "31021985")) }
        val damaged = verifier.scanText(text.dropLast(20))
        assertTrue(damaged is ScanResult.Presentation && damaged.verdict.outcome == Outcome.INVALID, "$damaged")
    }

    test("a tampered QR is an Invalid verdict") {
        val h = walletWithCredentials("tamper", "minh")
        val text = h.wallet.present(h.ids.getValue(CredentialType.CLINIC_CHECKIN).first, emptyList()).qrText()
        assertEquals(Outcome.VALID, verifier.verifyText(text).outcome)
        val alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
        val i = text.length / 2
        val tampered = text.substring(0, i) + alphabet[(alphabet.indexOf(text[i]) + 1) % 45] + text.substring(i + 1)
        val v = verifier.verifyText(tampered)
        assertEquals(Outcome.INVALID, v.outcome)
        assertTrue(v.status is VerdictStatus.Invalid)
        assertTrue(
            v.rejectReason in setOf(RejectReason.BAD_ISSUER_SIGNATURE, RejectReason.BAD_HOLDER_SIGNATURE, RejectReason.MALFORMED),
            "reason ${v.rejectReason}",
        )
        assertTrue(v.messageEn.startsWith("INVALID"), v.messageEn)
        assertTrue(v.messageVi.startsWith("KHÔNG HỢP LỆ"), v.messageVi)
        assertEquals(emptyList(), v.claims, "an invalid code shows nothing")
        assertEquals(RejectReason.MALFORMED, verifier.verifyText(text.dropLast(20)).rejectReason)
        assertEquals(RejectReason.NOT_OUR_FORMAT, verifier.verifyText("HC1:NCFOXN%TS3DH3ZSUZK+.V0ET").rejectReason)
        val notAnImage = assertFailsWith<WalletException.Image> { verifier.verifyPng("not a png".toByteArray()) }
        assertEquals(ImageError.NOT_AN_IMAGE, notAnImage.problem)
    }

    test("tampered, foreign and misaddressed credentials are rejected on import") {
        val wallet = Wallet.createWithKeyProvider(path("import.db"), AesGcmKeyProvider("imp"))
        val cred = people.getValue("linh")[0]
        val (issued, _) = world.issue(cred, wallet.holderPublicKey())
        val bad = issued.copyOf().also { it[it.size - 1] = (it[it.size - 1].toInt() xor 1).toByte() }
        val e = assertFailsWith<WalletException.Rejected> { wallet.importIssued(bad, world.trust) }
        assertEquals(RejectReason.BAD_ISSUER_SIGNATURE, e.reason)
        assertTrue(e.messageEn.isNotEmpty() && e.messageVi.isNotEmpty())
        val rogue = Issuer(IssuerKey.generate(), "BCA")
            .issueDefault(cred.credentialType, cred.json, wallet.holderPublicKey(), NOW - DAY, NOW + DAY, 1L)
        // Format 2 names no issuer: a type the trusted BCA issues, signed by no trusted key.
        assertEquals(RejectReason.BAD_ISSUER_SIGNATURE, assertFailsWith<WalletException.Rejected> { wallet.importIssued(rogue, world.trust) }.reason)
        val other = Wallet.createWithKeyProvider(path("other.db"), AesGcmKeyProvider("other"))
        val (foreign, _) = world.issue(cred, other.holderPublicKey())
        assertFailsWith<WalletException.InvalidInput> { wallet.importIssued(foreign, world.trust) }
        assertEquals(0, wallet.list(null).size, "nothing stored after rejections")
        val e3 = assertFailsWith<WalletException.Rejected> { TrustList.fromSigned(world.trustBytes, IssuerKey.generate().publicKey()) }
        assertEquals(RejectReason.BAD_TRUST_DATA, e3.reason)
        assertFailsWith<WalletException.InvalidInput> { TrustList.fromSigned(world.trustBytes, ByteArray(5)) }
    }

    test("a revoked credential is invalid once the verifier has the new status list") {
        val h = walletWithCredentials("revoked", "bao")
        val (id, index, _) = h.ids.getValue(CredentialType.CLINIC_CHECKIN)
        val v = world.verifier()
        val text = h.wallet.present(id, emptyList()).qrText()
        assertEquals(Outcome.VALID, v.verifyText(text).outcome)
        val status = world.status.getValue("BHXH")
        status.revoke(index)
        assertTrue(status.isRevoked(index))
        status.setIssuedAt(NOW - 60)
        v.updateStatusList(status.sign(world.keys.getValue("BHXH")))
        assertEquals(RejectReason.REVOKED, v.verifyText(text).rejectReason)
        assertFailsWith<WalletException.InvalidInput> { status.sign(world.keys.getValue("BCA")) }
    }

    // Finding 4: a counter never given status lists cannot know whether a credential was revoked.
    // Its verdict is amber, never the green VALID a screen shows without question; there is no
    // `isValid` that used to be true here. A skew above five minutes is refused (finding 6).
    test("a counter without status lists shows amber (STATUS_NOT_CURRENT), never VALID") {
        val h = walletWithCredentials("amber", "ha")
        val (id, index, _) = h.ids.getValue(CredentialType.CITIZEN_ID)
        val text = h.wallet.present(id, listOf("full_name")).qrText()
        val status = world.status.getValue("BCA")
        status.revoke(index)
        status.setIssuedAt(NOW - 60)
        val current = world.verifier()
        assertEquals(Outcome.INVALID, current.verifyText(text).outcome)
        assertEquals(RejectReason.REVOKED, current.verifyText(text).rejectReason)
        val bare = Verifier(world.trustBytes, world.root.publicKey())
        val v = bare.verifyText(text)
        assertEquals(Outcome.STATUS_NOT_CURRENT, v.outcome, v.messageEn)
        assertEquals(VerdictStatus.ValidStale(null, StaleReason.NO_STATUS_LIST), v.status)
        assertNull(v.statusAsOf)
        assertNull(v.rejectReason)
        assertTrue(v.messageEn.contains("no status list from this issuer"), v.messageEn)
        assertTrue(v.claims.any { it.name == "full_name" }, "amber still shows what was checked")
        val e = assertFailsWith<WalletException.InvalidInput> {
            Verifier.withConfig(
                world.trustBytes, world.root.publicKey(), emptyList(),
                VerifierConfig(audience = null, acceptOfflineAudience = true, clockSkewSecs = 301),
            )
        }
        assertTrue(e.reason.contains("300"), e.reason)
    }

    test("a counter state refuses rolled-back lists after a restart (hardening findings 2 and 3)") {
        val h = walletWithCredentials("state", "bao")
        val (checkinId, index, _) = h.ids.getValue(CredentialType.CLINIC_CHECKIN)
        val checkin = h.wallet.present(checkinId, emptyList()).qrText()
        val cccd = h.wallet.present(h.ids.getValue(CredentialType.CITIZEN_ID).first, listOf("full_name")).qrText()
        val key = world.keys.getValue("BHXH")
        val bhxh = StatusList(key.kid(), 4096L, NOW - 3600, (7 * DAY).toInt())
        val before = bhxh.sign(key)
        bhxh.revoke(index)
        val revoking = bhxh.sign(key) // edition 2, most likely in the same second
        val dir = path("counter-state")
        val root = world.root.publicKey()
        val config = VerifierConfig(audience = null, clockSkewSecs = 60)
        assertNull(config.acceptOfflineAudience)
        val v2 = signTrustList(world.root, NOW - 60, world.entries.filter { it.iss != "BCA" }, sequence = 2L)
        val first = Verifier.withState(dir, root, config, trustList = world.trustBytes)
        assertEquals(ListUpdate.APPLIED, first.updateStatusList(revoking))
        assertEquals(ListUpdate.APPLIED, first.updateTrustList(v2))
        first.close()
        // Restarted, and offered the old lists again.
        val again = Verifier.withState(dir, root, config, trustList = world.trustBytes)
        assertEquals(2L, again.trustListSequence())
        assertEquals(ListUpdate.OLDER_THAN_CURRENT, again.updateStatusList(before))
        assertEquals(ListUpdate.OLDER_THAN_CURRENT, again.updateTrustList(world.trustBytes))
        assertEquals(RejectReason.REVOKED, again.verifyText(checkin).rejectReason)
        assertEquals(RejectReason.UNKNOWN_ISSUER, again.verifyText(cccd).rejectReason)
        assertTrue(listUpdateMessage(ListUpdate.OLDER_THAN_CURRENT, Lang.VI).isNotEmpty())
        again.close()
        // A damaged state file is a typed error and stays as it was.
        val file = File(dir, "counter-state.bin")
        val bytes = file.readBytes()
        bytes[bytes.size / 2] = (bytes[bytes.size / 2].toInt() xor 1).toByte()
        file.writeBytes(bytes)
        val e = assertFailsWith<WalletException.CounterState> { Verifier.withState(dir, root, config) }
        assertEquals(StateError.DAMAGED, e.problem)
        assertContentEquals(bytes, file.readBytes())
    }

    test("a counter with its own id refuses any-counter presentations unless told (hardening finding 5)") {
        val h = walletWithCredentials("audience", "minh")
        val text = h.wallet.present(h.ids.getValue(CredentialType.CLINIC_CHECKIN).first, emptyList()).qrText()
        val root = world.root.publicKey()
        assertTrue(Verifier(world.trustBytes, root).verifyText(text).outcome != Outcome.INVALID)
        val mine = Verifier(world.trustBytes, root, audience = "quay-3")
        assertEquals(RejectReason.WRONG_AUDIENCE, mine.verifyText(text).rejectReason)
        val explicit = Verifier.withConfig(
            world.trustBytes, root, emptyList(),
            VerifierConfig(audience = "quay-3", acceptOfflineAudience = true, clockSkewSecs = 60),
        )
        assertTrue(explicit.verifyText(text).outcome != Outcome.INVALID)
    }

    test("a presentation too large for a QR code is QrTooLarge") {
        val h = walletWithCredentials("large", "minh")
        val id = h.ids.getValue(CredentialType.HEALTH_BOOK).first
        val all = h.wallet.get(id).claims.map { it.name }
        val e = assertFailsWith<WalletException.QrTooLarge> { h.wallet.present(id, all) }
        assertTrue(e.neededVersion > e.maxVersion)
        assertTrue(e.bytes > 0L)
    }

    test("the app's clocks drive presentation and verification times") {
        val walletClock = SettableClock(NOW - 30)
        val wallet = Wallet.createWithKeyProvider(path("clock.db"), AesGcmKeyProvider("clock"), clock = walletClock)
        val cred = people.getValue("ha").first { it.credentialType == CredentialType.CLINIC_CHECKIN }
        val id = wallet.importIssued(world.issue(cred, wallet.holderPublicKey()).first, world.trust)
        val p = wallet.present(id, emptyList(), ttlSecs = 120)
        assertEquals(NOW - 30 + 120, p.expiresAt()) // the wallet read our clock, not the system's

        val counterClock = SettableClock(NOW)
        val counter = world.verifier(counterClock)
        val v = counter.verifyText(p.qrText())
        assertEquals(Outcome.VALID, v.outcome, v.messageEn)
        assertEquals(NOW to NOW - 30, v.verifiedAt to v.presentedAt)
        counterClock.now = NOW - 30 + 120 + 60 + 1 // past exp and the 60 s skew tolerance
        assertEquals(RejectReason.PRESENTATION_EXPIRED, counter.verifyText(p.qrText()).rejectReason)
        counterClock.now = NOW - 30 - 60 - 1 // a counter clock behind the holder's beyond the skew
        assertEquals(RejectReason.PRESENTATION_FROM_FUTURE, counter.verifyText(p.qrText()).rejectReason)
    }

    test("four threads share one wallet and one verifier") {
        val h = walletWithCredentials("threads", "anh")
        val id = h.ids.getValue(CredentialType.CLINIC_CHECKIN).first
        val barrier = CyclicBarrier(4)
        val errors = Collections.synchronizedList(ArrayList<Throwable>())
        val verdicts = Collections.synchronizedList(ArrayList<Boolean>())
        val threads = (0 until 4).map { n ->
            Thread {
                try {
                    barrier.await(30, TimeUnit.SECONDS)
                    repeat(5) { i ->
                        val nonce = ByteArray(16) { (n * 16 + i).toByte() }
                        val p = h.wallet.present(id, emptyList(), null, nonce)
                        verdicts.add(verifier.verifyTextWithNonce(p.qrText(), nonce).outcome == Outcome.VALID)
                        assertEquals(people.getValue("anh").size, h.wallet.list(null).size)
                    }
                } catch (t: Throwable) {
                    errors.add(t)
                }
            }.also { it.start() }
        }
        threads.forEach { it.join(120_000) }
        assertEquals(emptyList(), errors.map { it.toString() })
        assertEquals(List(20) { true }, verdicts.toList())
    }

    test("QrMatrix is a packed bitmap; pixels() is a ready ARGB / RGBA buffer, bounded") {
        val h = walletWithCredentials("pixels", "ha")
        val p = h.wallet.present(h.ids.getValue(CredentialType.CLINIC_CHECKIN).first, emptyList())
        val m = p.matrix()
        val scale = 3
        val side = (m.size + 8) * scale
        val argb = p.pixels(scale, PixelFormat.ARGB)
        assertEquals(side to side, argb.width to argb.height)
        assertEquals(side * side * 4, argb.bytes.size)
        // What an Android app hands Bitmap.createBitmap(IntArray, w, h, ARGB_8888).
        val ints = IntArray(side * side).also { ByteBuffer.wrap(argb.bytes).asIntBuffer().get(it) }
        val rgba = p.pixels(scale, PixelFormat.RGBA).bytes
        for (y in 0 until m.size) for (x in 0 until m.size) {
            val px = (4 + x) * scale + 1 + ((4 + y) * scale + 1) * side
            val dark = isDark(m, x, y)
            assertEquals(if (dark) 0xFF000000.toInt() else -1, ints[px], "($x, $y)")
            assertEquals(if (dark) 0 else 255, rgba[px * 4].toInt() and 0xFF)
            assertEquals(255, rgba[px * 4 + 3].toInt() and 0xFF, "opaque")
        }
        assertEquals(-1, ints[0], "quiet zone is white")
        for (bad in listOf(0, -1, 100_000, Int.MAX_VALUE)) {
            val e = assertFailsWith<WalletException.InvalidInput> { p.pixels(bad, PixelFormat.RGBA) }
            assertEquals("scale", e.field)
        }
        assertFailsWith<WalletException.InvalidInput> { p.png(-4) }
    }

    test("negative or oversized numbers are InvalidInput naming the argument, never a crash") {
        val key = world.keys.getValue("BCA")
        fun field(body: () -> Unit) = assertFailsWith<WalletException.InvalidInput> { body() }.field
        assertEquals("status list length", field { StatusList(key.kid(), -1L, NOW, 60) })
        assertEquals("max_age_secs", field { StatusList(key.kid(), 16L, NOW, -1) })
        val list = StatusList(key.kid(), 16L, NOW, 60)
        assertEquals("index", field { list.revoke(-1L) })
        assertEquals("index", field { list.isRevoked(-5L) })
        assertEquals("sequence", field { list.setSequence(-1L) })
        assertEquals("sequence", field { signTrustList(world.root, NOW, world.entries, sequence = -2L) })
        val cred = people.getValue("ha")[0]
        assertEquals("status_index", field {
            Issuer(key, "BCA").issueDefault(cred.credentialType, cred.json, ByteArray(32), NOW, NOW + DAY, -1L)
        })
        assertEquals("clock_skew_secs", field {
            Verifier.withConfig(world.trustBytes, world.root.publicKey(), emptyList(), VerifierConfig(clockSkewSecs = -1))
        })
        assertEquals("width", field { verifier.verifyLuma(-1, 10, ByteArray(10)) })
        val h = walletWithCredentials("negative", "ha")
        assertEquals("ttl_secs", field { h.wallet.present(h.ids.getValue(CredentialType.CLINIC_CHECKIN).first, emptyList(), ttlSecs = -5) })
        assertEquals(VerifierConfig(null, null, 60), VerifierConfig(), "defaults")
    }

    test("async variants: suspend functions from coroutines, typed exceptions") { runBlocking {
        val p = path("async.db")
        val pin = PIN.toByteArray()
        val wallet = Wallet.createAsync(p, pin = pin)
        val holder = wallet.holderPublicKey()
        wallet.lock()
        wallet.unlockAsync(pin = pin)
        assertContentEquals(holder, Wallet.openAsync(p, pin = pin).holderPublicKey())
        val wrong = assertFailsWith<WalletException.WrongPin> { Wallet.openAsync(p, pin = "135790".toByteArray()) }
        assertEquals(1, wrong.failedAttempts)
        delay(wrong.retryAfterSecs * 1000 + 200)
        // Exactly one way of unlocking: none or both is InvalidInput, before any work.
        assertEquals("pin / key provider", assertFailsWith<WalletException.InvalidInput> { Wallet.openAsync(p) }.field)
        assertFailsWith<WalletException.InvalidInput> { wallet.unlockAsync(pin, softwareKeyProvider("x")) }

        val cred = people.getValue("ha").first { it.credentialType == CredentialType.CLINIC_CHECKIN }
        val (issued, _) = world.issue(cred, holder)
        val bad = issued.copyOf().also { it[it.size - 1] = (it[it.size - 1].toInt() xor 1).toByte() }
        val rejected = assertFailsWith<WalletException.Rejected> { wallet.importIssuedAsync(bad, world.trust) }
        assertEquals(RejectReason.BAD_ISSUER_SIGNATURE, rejected.reason)
        val id = wallet.importIssuedAsync(transferText(issued).toByteArray(), world.trust)
        val qr = wallet.present(id, emptyList())
        val px = qr.pixels(2, PixelFormat.RGBA)
        val luma = ByteArray(px.width * px.height) { px.bytes[it * 4] }
        assertEquals(Outcome.VALID, verifier.verifyLumaAsync(px.width, px.height, luma).outcome)
        val blank = assertFailsWith<WalletException.Image> { verifier.verifyLumaAsync(64, 64, ByteArray(64 * 64) { -1 }) }
        assertEquals(ImageError.NO_CODE_FOUND, blank.problem)
        assertEquals("luma", assertFailsWith<WalletException.InvalidInput> { verifier.verifyLumaAsync(10, 10, ByteArray(3)) }.field)

        val provider = AesGcmKeyProvider("async")
        wallet.setKeyProvider(provider)
        wallet.setPinAsync("13572468".toByteArray(), oldPin = pin)
        assertFailsWith<WalletException.WrongPin> { wallet.setPinAsync("11112222".toByteArray(), oldPin = pin) }
        wallet.setPinAsync("24681357".toByteArray())
        assertEquals(1L, wallet.rotateDataKeyAsync("24681357".toByteArray(), provider))
        val viaProvider = Wallet.openAsync(p, keyProvider = provider)
        viaProvider.lock()
        viaProvider.unlockAsync(keyProvider = provider)
        assertEquals(1, viaProvider.list(null).size)
        val created = Wallet.createAsync(path("async-kp.db"), keyProvider = softwareKeyProvider("async"))
        assertFalse(created.isLocked())
        assertFailsWith<WalletException.KeyProvider> {
            Wallet.createAsync(path("async-broken.db"), keyProvider = BrokenKeyProvider())
        }
        assertFailsWith<WalletException.InvalidInput> { Wallet.createAsync(path("async-short.db"), pin = "1".toByteArray()) }
    } }

    test("a suspended call does not block its thread: a slow key provider, one-thread dispatcher") { runBlocking {
        val p = path("async-slow.db")
        val fast = softwareKeyProvider("slow")
        Wallet.createWithKeyProvider(p, fast)
        var ticks = 0
        val ticker = launch { while (true) { ticks++; delay(20) } }
        // runBlocking's event loop is this one thread: the ticker runs only while we are suspended.
        val wallet = Wallet.openAsync(p, keyProvider = SlowKeyProvider(fast, 600))
        ticker.cancel()
        assertFalse(wallet.isLocked())
        assertTrue(ticks >= 10, "the thread kept running coroutines while the provider was slow: $ticks ticks")
    } }

    test("many concurrent async calls complete (48 imports and scans, 16 Argon2id calls)") {
        val h = walletWithCredentials("async-many", "anh")
        val id = h.ids.getValue(CredentialType.CLINIC_CHECKIN).first
        val cred = people.getValue("anh").first { it.credentialType == CredentialType.CLINIC_CHECKIN }
        // Eight wallet files: concurrent PIN attempts on one file are refused with PinBackoff
        // (an attempt is counted before the PIN is tested), so each unlock has its own file.
        val files = (0 until 8).map { path("async-many-$it.db") }
        runBlocking(Dispatchers.Default) {
            withTimeout(300_000) {
                files.map { async { Wallet.createAsync(it, pin = PIN.toByteArray()) } }.awaitAll()
                val scans = (0 until 32).map { n ->
                    async {
                        val nonce = ByteArray(16) { (n + it).toByte() }
                        val qr = h.wallet.present(id, emptyList(), null, nonce)
                        if (n % 4 == 0) {
                            val px = qr.pixels(2, PixelFormat.RGBA)
                            verifier.verifyLumaAsync(px.width, px.height, ByteArray(px.width * px.height) { px.bytes[it * 4] }).outcome
                        } else {
                            verifier.verifyTextWithNonce(qr.qrText(), nonce).outcome
                        }
                    }
                }
                val imports = (0 until 16).map {
                    async { h.wallet.importIssuedAsync(world.issue(cred, h.wallet.holderPublicKey()).first, world.trust) }
                }
                val opened = files.map { async { Wallet.openAsync(it, pin = PIN.toByteArray()).isLocked() } }
                assertEquals(List(32) { Outcome.VALID }, scans.awaitAll())
                assertEquals(16, imports.awaitAll().toSet().size)
                assertEquals(List(8) { false }, opened.awaitAll())
            }
        }
    }

    test("two-way request: reader roles, the wallet's check, one answer per nonce") {
        val clinic = IssuerKey.fromSeed(ByteArray(32) { 21 })
        val readers = listOf(
            TrustedReader(clinic.kid(), clinic.publicKey(), "BM-Q1", "Bệnh viện Bạch Mai, quầy 1",
                "Bach Mai Hospital, desk 1", NOW - DAY, NOW + DAY, ReaderRole.CLINIC),
        )
        val trustBytes = signTrustListWithReaders(world.root, NOW - DAY, world.entries, readers)
        val trust = TrustList.fromSigned(trustBytes, world.root.publicKey())
        assertEquals(listOf("BM-Q1"), trust.readers().map { it.readerId })
        assertFalse(CredentialType.JUDICIAL_RECORD in readerRoleAllowedTypes(ReaderRole.CLINIC))
        val counter = Verifier.withConfig(
            trustBytes, world.root.publicKey(), world.signedStatusLists(),
            VerifierConfig(audience = "BM-Q1", acceptOfflineAudience = null, clockSkewSecs = 60),
        )
        val asked = listOf("full_name", "dob", "citizen_id", "bhyt_code")
        val req = counter.makeRequest(clinic, CredentialType.CLINIC_CHECKIN, asked, RequestPurpose.CLINIC_CHECKIN)
        assertTrue(req.qrText.startsWith("VN1R:"))
        assertTrue(req.qrVersion <= 10, "request QR version ${req.qrVersion}")
        assertEquals(16, req.nonce.size)
        assertFailsWith<WalletException.InvalidInput> {
            counter.makeRequest(clinic, CredentialType.JUDICIAL_RECORD, listOf("status"), RequestPurpose.CLINIC_CHECKIN)
        }
        val h = walletWithCredentials("two-way", "linh")
        val seen = h.wallet.readRequest(req.qrText, trust)
        assertEquals("Bach Mai Hospital, desk 1", seen.readerNameEn)
        assertEquals(ReaderRole.CLINIC, seen.role)
        assertEquals(asked, seen.claims)
        assertEquals("Họ và tên", seen.claimLabelsVi[0])
        assertEquals("clinic check-in", seen.purposeEn)
        val e = assertFailsWith<WalletException.Rejected> { h.wallet.readRequest(req.qrText, world.trust) }
        assertEquals(RejectReason.UNKNOWN_READER, e.reason)
        assertEquals("quầy yêu cầu không có trong danh sách tin cậy", e.messageVi)
        val answer = h.wallet.answerRequest(seen, h.ids.getValue(CredentialType.CLINIC_CHECKIN).first)
        assertEquals("BM-Q1", answer.audience())
        assertEquals(Outcome.VALID, counter.verifyResponse(answer.qrText()).outcome)
        assertEquals(RejectReason.REQUEST_ALREADY_ANSWERED, counter.verifyResponse(answer.qrText()).rejectReason)
        counter.setRequireRequests(true)
        val oneWay = h.wallet.present(h.ids.getValue(CredentialType.CLINIC_CHECKIN).first, emptyList(), "BM-Q1")
        assertEquals(RejectReason.REQUEST_REQUIRED, counter.verifyText(oneWay.qrText()).rejectReason)
    }

    // ES256 holder keys and the async holder signer (HolderSignerTest.kt).
    holderSignerTests()

    tmp.deleteRecursively()
    println("kotlin: $passed passed, $failed failed")
    System.exit(if (failed == 0 && passed > 0) 0 else 1)
}
