// The wrap/unwrap construction of the app's key provider, on plain javax.crypto: the Android app
// passes an AndroidKeyStore key (app/.../AndroidKeystoreKeyProvider.kt), the JVM tests a software
// key. Same code, same wire format, so the tests exercise exactly what the phone runs (all but the
// keystore itself).
package org.citizenwallet.demo

import org.citizenwallet.KeyProvider
import org.citizenwallet.WalletException
import java.security.GeneralSecurityException
import javax.crypto.AEADBadTagException
import javax.crypto.Cipher
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec

/**
 * Wraps the wallet's 32-byte data key with AES-256-GCM under `key`.
 *
 * Wrapped format: `IV (12 bytes) || ciphertext (32) || GCM tag (16)`, 60 bytes. The cipher picks
 * the IV itself (AndroidKeyStore requires that: its keys refuse caller-chosen IVs for
 * encryption). The associated data binds the blob to this format and to `keyId`, so a blob
 * made for another alias does not open. A wrong key or an altered blob fails the tag check:
 * [WalletException.WrongKey], which the library reports as "the key does not open this
 * wallet". Any other keystore failure (key deleted, invalidated by a new screen lock...) is
 * [WalletException.KeyProvider] naming only the exception type.
 *
 * @param key returns the key for each call (the Android provider looks it up in the keystore);
 *   `create` is true for [wrap] only, so a key that went missing is an error on unwrap rather
 *   than silently replaced by a new one.
 */
open class AesGcmKeyProvider(
    private val keyId: String,
    private val key: (create: Boolean) -> SecretKey,
) : KeyProvider {
    override fun keyId(): String = keyId

    private val aad: ByteArray = (AAD_PREFIX + keyId).toByteArray(Charsets.UTF_8)

    override fun wrap(dataKey: ByteArray): ByteArray = keystoreCall {
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.ENCRYPT_MODE, key(true))
        val iv = cipher.iv
        if (iv == null || iv.size != IV_LEN) throw WalletException.KeyProvider("unexpected GCM IV length")
        cipher.updateAAD(aad)
        iv + cipher.doFinal(dataKey)
    }

    override fun unwrap(wrapped: ByteArray): ByteArray {
        // A blob of another format or size was not made by this provider.
        if (wrapped.size != IV_LEN + DATA_KEY_LEN + TAG_LEN) throw WalletException.WrongKey()
        return keystoreCall {
            val cipher = Cipher.getInstance(TRANSFORMATION)
            cipher.init(Cipher.DECRYPT_MODE, key(false), GCMParameterSpec(TAG_LEN * 8, wrapped, 0, IV_LEN))
            cipher.updateAAD(aad)
            try {
                cipher.doFinal(wrapped, IV_LEN, wrapped.size - IV_LEN)
            } catch (e: AEADBadTagException) {
                throw WalletException.WrongKey()
            }
        }
    }

    private inline fun <T> keystoreCall(f: () -> T): T = try {
        f()
    } catch (e: WalletException) {
        throw e
    } catch (e: GeneralSecurityException) {
        throw WalletException.KeyProvider(e.javaClass.simpleName)
    } catch (e: RuntimeException) {
        // e.g. android.security.keystore.KeyPermanentlyInvalidatedException's relatives, ProviderException
        throw WalletException.KeyProvider(e.javaClass.simpleName)
    }

    companion object {
        const val TRANSFORMATION = "AES/GCM/NoPadding"
        const val IV_LEN = 12
        const val TAG_LEN = 16
        const val DATA_KEY_LEN = 32
        const val AAD_PREFIX = "org.citizenwallet.demo/dek-wrap/v1/"
    }
}
