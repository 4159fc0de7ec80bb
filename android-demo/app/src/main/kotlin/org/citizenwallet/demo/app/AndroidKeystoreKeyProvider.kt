// The wallet's platform key provider on Android: an AES-256-GCM key generated inside the
// Android Keystore (StrongBox when the phone has one), never exportable. It wraps the wallet's
// data key as IV || ciphertext || tag; the wrap construction is :shared's AesGcmKeyProvider,
// which the JVM tests run with a software key.
package org.citizenwallet.demo.app

import android.os.Build
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyProperties
import org.citizenwallet.KeyProvider
import org.citizenwallet.demo.AesGcmKeyProvider
import java.security.KeyStore
import java.security.KeyStoreException
import java.security.ProviderException
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey

/**
 * `key_id` is "android-keystore:<alias>". A key that disappears (app data cleared, a keystore
 * reset) makes unwrap fail with WalletException.KeyProvider: the app then offers the PIN.
 *
 * Not done in the demo, and worth doing in a real app: `setUserAuthenticationRequired(true)`
 * with `setUserAuthenticationParameters(0, AUTH_BIOMETRIC_STRONG or AUTH_DEVICE_CREDENTIAL)`
 * (API 30+), and unwrap inside a BiometricPrompt with a CryptoObject built from the same
 * Cipher; then a stolen, unlocked phone still needs the owner's fingerprint or screen lock.
 */
class AndroidKeystoreKeyProvider(
    alias: String = DEFAULT_ALIAS,
    preferStrongBox: Boolean = true,
) : KeyProvider by AesGcmKeyProvider("android-keystore:$alias", { create -> keystoreKey(alias, create, preferStrongBox) }) {

    companion object {
        const val DEFAULT_ALIAS = "org.citizenwallet.demo.dek-wrap.v1"
        private const val ANDROID_KEYSTORE = "AndroidKeyStore"

        private fun keystore(): KeyStore = KeyStore.getInstance(ANDROID_KEYSTORE).apply { load(null) }

        /** The key under `alias`; made on wrap only (never on unwrap: a missing key is an error). */
        fun keystoreKey(alias: String, create: Boolean, preferStrongBox: Boolean): SecretKey {
            (keystore().getKey(alias, null) as? SecretKey)?.let { return it }
            if (!create) throw KeyStoreException("key missing")
            if (preferStrongBox && Build.VERSION.SDK_INT >= Build.VERSION_CODES.P) {
                try {
                    return generate(alias, strongBox = true)
                } catch (e: ProviderException) {
                    // StrongBoxUnavailableException (a ProviderException): the TEE it is.
                }
            }
            return generate(alias, strongBox = false)
        }

        private fun generate(alias: String, strongBox: Boolean): SecretKey {
            val spec = KeyGenParameterSpec.Builder(alias, KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
                .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
                .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
                .setKeySize(256)
                .setRandomizedEncryptionRequired(true) // the keystore picks every IV
                .apply { if (strongBox && Build.VERSION.SDK_INT >= Build.VERSION_CODES.P) setIsStrongBoxBacked(true) }
                .build()
            val generator = KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, ANDROID_KEYSTORE)
            generator.init(spec)
            return generator.generateKey()
        }

        /** Forgets the key ("reset demo"): wallets wrapped with it open with their PIN only. */
        fun deleteKey(alias: String = DEFAULT_ALIAS) {
            keystore().deleteEntry(alias)
        }
    }
}
