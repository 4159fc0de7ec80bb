// ES256 holder keys and the foreign, async holder signer (issue 14, item 5), from Kotlin on the
// JVM. An app's Android Keystore signer (bindings/android/.../AndroidKeystoreHolderSigner.kt,
// unverified here) is a HolderSigner whose `sign` is a suspend function; here the keys are
// software P-256 keys (the wallet's own, or softwareP256HolderSigner()), wrapped by Kotlin
// signers that fail, hang or answer DER. Called from BindingsTest.kt's main().

import kotlinx.coroutines.async
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import org.citizenwallet.HolderSigner
import org.citizenwallet.Wallet
import org.citizenwallet.WalletException
import org.citizenwallet.issueToHolderKey
import org.citizenwallet.softwareKeyProvider
import org.citizenwallet.softwareP256HolderSigner
import org.citizenwallet.core.CredentialType
import org.citizenwallet.core.HolderAlg
import org.citizenwallet.core.Outcome
import java.util.concurrent.atomic.AtomicInteger
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

/** A signer written in Kotlin around another (as an app wraps its keystore). */
open class DelegatingSigner(val inner: HolderSigner) : HolderSigner {
    val calls = AtomicInteger()
    override fun algorithm() = inner.algorithm()
    override fun publicKey() = inner.publicKey()
    override suspend fun sign(message: ByteArray): ByteArray {
        calls.incrementAndGet()
        return inner.sign(message)
    }
}

/** The citizen cancelled the biometric prompt. */
class RefusingSigner(inner: HolderSigner) : DelegatingSigner(inner) {
    override suspend fun sign(message: ByteArray): ByteArray =
        throw WalletException.KeyProvider("biometric prompt cancelled")
}

/** A prompt nobody answers. */
class HangingSigner(inner: HolderSigner) : DelegatingSigner(inner) {
    override suspend fun sign(message: ByteArray): ByteArray {
        delay(30_000)
        return inner.sign(message)
    }
}

/** Answers in DER instead of r || s. */
class DerSigner(inner: HolderSigner) : DelegatingSigner(inner) {
    override suspend fun sign(message: ByteArray): ByteArray {
        val raw = inner.sign(message)
        return byteArrayOf(0x30, 0x44, 0x02, 0x20) + raw.copyOfRange(0, 32) + byteArrayOf(0x02, 0x20) + raw.copyOfRange(32, 64)
    }
}

private fun es256Wallet(name: String) = Wallet.createWithKeyProvider(path("es256-$name.db"), softwareKeyProvider("es256-$name"))

private fun issueEs256(key: ByteArray, person: String = "ha"): ByteArray {
    val c = people.getValue(person).first { it.credentialType == CredentialType.CLINIC_CHECKIN }
    return issueToHolderKey(
        org.citizenwallet.Issuer(world.keys.getValue("BHXH"), "BHXH"), c.credentialType, c.json,
        HolderAlg.ES256, key, NOW - DAY, NOW + 365 * DAY, 4_000L, // within the fixture world's 4,096-entry status list
    )
}

fun holderSignerTests() {
    test("ES256: the wallet's own P-256 key, issue, import, present, verify") {
        val w = es256Wallet("own")
        val key = w.holderPublicKeyFor(HolderAlg.ES256)
        assertEquals(33, key.size)
        assertContentEquals(w.holderPublicKey(), w.holderPublicKeyFor(HolderAlg.ED25519))
        for (person in people.keys) {
            val id = w.importIssued(issueEs256(key, person), world.trust)
            val p = w.present(id, emptyList(), null, ByteArray(16))
            assertTrue(p.qrText().startsWith("VN2:"))
            assertTrue(p.qrVersion() <= 13, "$person: ${p.qrVersion()}")
            assertEquals(Outcome.VALID, verifier.verifyText(p.qrText()).outcome, person)
        }
    }

    test("ES256: a foreign suspend signer, issue, import, present, verify") {
        val w = es256Wallet("foreign")
        val signer = DelegatingSigner(softwareP256HolderSigner())
        assertEquals(HolderAlg.ES256, signer.algorithm())
        val issued = issueEs256(signer.publicKey())
        assertFailsWith<WalletException.InvalidInput> { w.importIssued(issued, world.trust) }
        val id = w.importIssuedForSigner(issued, world.trust, signer)
        assertFailsWith<WalletException.InvalidInput> { w.present(id, emptyList()) }
        val p = runBlocking { w.presentWithSigner(id, emptyList(), signer) }
        assertEquals(1, signer.calls.get())
        assertTrue(p.qrText().startsWith("VN2:"))
        assertEquals(Outcome.VALID, verifier.verifyText(p.qrText()).outcome)
        val other = DelegatingSigner(softwareP256HolderSigner())
        assertFailsWith<WalletException.InvalidInput> { runBlocking { w.presentWithSigner(id, emptyList(), other) } }
        assertEquals(0, other.calls.get(), "another key's signer is refused before it is asked")
    }

    test("ES256: a failing signer gives its typed error, a DER signature is InvalidInput") {
        val w = es256Wallet("refusing")
        val inner = softwareP256HolderSigner()
        val id = w.importIssuedForSigner(issueEs256(inner.publicKey()), world.trust, inner)
        val e = assertFailsWith<WalletException.KeyProvider> {
            runBlocking { w.presentWithSigner(id, emptyList(), RefusingSigner(inner)) }
        }
        assertTrue(e.reason.contains("cancelled"), e.reason)
        val bad = assertFailsWith<WalletException.InvalidInput> {
            runBlocking { w.presentWithSigner(id, emptyList(), DerSigner(inner)) }
        }
        assertEquals("holder signature", bad.field)
    }

    test("ES256: a slow signer times out and blocks nothing") {
        val w = es256Wallet("slow")
        val inner = softwareP256HolderSigner()
        val id = w.importIssuedForSigner(issueEs256(inner.publicKey()), world.trust, inner)
        val started = System.nanoTime()
        runBlocking {
            val slow = async { runCatching { w.presentWithSigner(id, emptyList(), HangingSigner(inner), timeoutMs = 300) } }
            delay(50)
            // While the prompt hangs, the same wallet answers other calls.
            assertEquals(1, w.list(null).size)
            val quick = w.presentWithSigner(id, emptyList(), inner)
            assertEquals(Outcome.VALID, verifier.verifyText(quick.qrText()).outcome)
            val e = slow.await().exceptionOrNull()
            assertTrue(e is WalletException.HolderSignerTimedOut, "$e")
            assertEquals(300L, (e as WalletException.HolderSignerTimedOut).timeoutMs)
        }
        assertTrue((System.nanoTime() - started) / 1_000_000_000 < 10, "abandoned at the timeout")
    }
}
