// UNVERIFIED HERE: this file needs an Android device or emulator (the Android Keystore, and
// StrongBox where the device has it). It was written against the Android API documentation and
// reviewed, never compiled or run in this repository (no Android SDK; see the README's
// "What is verified here" table). What IS tested here is the contract it implements: the
// bindings' HolderSigner with a software P-256 key, from Kotlin on the JVM
// (bindings/tests/kotlin/HolderSignerTest.kt), including DER-to-raw conversion rules below.
//
// An ES256 holder key that never leaves the device's secure hardware: a P-256 key in the
// Android Keystore, in StrongBox when the device has one (Android 9+, FEATURE_STRONGBOX_KEYSTORE),
// otherwise in the TEE. `backing` reports which was used, so an app can show or log it.

package org.citizenwallet.platform

import android.content.pm.PackageManager
import android.content.Context
import android.os.Build
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyInfo
import android.security.keystore.KeyProperties
import android.security.keystore.StrongBoxUnavailableException
import java.security.KeyFactory
import java.security.KeyPairGenerator
import java.security.KeyStore
import java.security.PrivateKey
import java.security.Signature
import java.security.interfaces.ECPublicKey
import java.security.spec.ECGenParameterSpec
import org.citizenwallet.HolderSigner
import org.citizenwallet.WalletException
import org.citizenwallet.core.HolderAlg

/** Where the key lives. */
enum class KeyBacking { STRONGBOX, TEE, SOFTWARE, UNKNOWN }

/**
 * A [HolderSigner] over an Android Keystore P-256 key (alias [alias]).
 *
 * * [create] makes the key (StrongBox first, the TEE when StrongBox is absent or refuses), or
 *   opens an existing one; [backing] says where it is.
 * * With [requireUserAuthentication], every signature needs the user: the key is created with
 *   `setUserAuthenticationRequired(true)` and a zero timeout (one authentication per use), and
 *   [authenticate] is awaited with the initialised [Signature] before signing: show a
 *   `BiometricPrompt` with `BiometricPrompt.CryptoObject(signature)` there and resume when it
 *   succeeds (throw to refuse: the presentation call then fails with that error).
 * * [sign] returns COSE's `r || s` (64 bytes): the Keystore gives DER, converted by [derToRaw].
 *
 * Pass it to `Wallet.importIssuedForSigner` (with the credential issued to [publicKey]) and
 * `Wallet.presentWithSigner`, which times out (default 60 s) if the prompt is left open.
 */
class AndroidKeystoreHolderSigner private constructor(
    private val alias: String,
    val backing: KeyBacking,
    private val authenticate: (suspend (Signature) -> Unit)?,
) : HolderSigner {

    override fun algorithm(): HolderAlg = HolderAlg.ES256

    /** The 65-byte uncompressed SEC1 point (the bindings compress it). */
    override fun publicKey(): ByteArray {
        val key = keyStore().getCertificate(alias)?.publicKey as? ECPublicKey
            ?: throw WalletException.KeyProvider("holder key $alias is missing")
        return uncompressed(key)
    }

    override suspend fun sign(message: ByteArray): ByteArray {
        val private = keyStore().getKey(alias, null) as? PrivateKey
            ?: throw WalletException.KeyProvider("holder key $alias is missing")
        val signature = Signature.getInstance("SHA256withECDSA")
        try {
            signature.initSign(private)
            authenticate?.invoke(signature)
            signature.update(message)
            return derToRaw(signature.sign())
        } catch (e: WalletException) {
            throw e
        } catch (e: Exception) {
            // UserNotAuthenticatedException, KeyPermanentlyInvalidatedException (biometrics
            // changed: the app must make a new key and have credentials reissued), ...
            throw WalletException.KeyProvider("holder key: ${e.javaClass.simpleName}")
        }
    }

    companion object {
        private const val ANDROID_KEYSTORE = "AndroidKeyStore"

        private fun keyStore(): KeyStore = KeyStore.getInstance(ANDROID_KEYSTORE).apply { load(null) }

        /** Opens the key [alias], or creates it (StrongBox when available). */
        fun create(
            context: Context,
            alias: String,
            requireUserAuthentication: Boolean = true,
            authenticate: (suspend (Signature) -> Unit)? = null,
        ): AndroidKeystoreHolderSigner {
            if (!keyStore().containsAlias(alias)) {
                val strongBox = Build.VERSION.SDK_INT >= Build.VERSION_CODES.P &&
                    context.packageManager.hasSystemFeature(PackageManager.FEATURE_STRONGBOX_KEYSTORE)
                try {
                    generate(alias, requireUserAuthentication, strongBox)
                } catch (e: Exception) {
                    if (strongBox && Build.VERSION.SDK_INT >= Build.VERSION_CODES.P && e is StrongBoxUnavailableException) {
                        generate(alias, requireUserAuthentication, false)
                    } else {
                        throw WalletException.KeyProvider("holder key: ${e.javaClass.simpleName}")
                    }
                }
            }
            return AndroidKeystoreHolderSigner(alias, backingOf(alias), if (requireUserAuthentication) authenticate else null)
        }

        private fun generate(alias: String, userAuth: Boolean, strongBox: Boolean) {
            val spec = KeyGenParameterSpec.Builder(alias, KeyProperties.PURPOSE_SIGN)
                .setAlgorithmParameterSpec(ECGenParameterSpec("secp256r1"))
                .setDigests(KeyProperties.DIGEST_SHA256)
                .apply {
                    if (userAuth) {
                        setUserAuthenticationRequired(true)
                        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.R) {
                            setUserAuthenticationParameters(0, KeyProperties.AUTH_BIOMETRIC_STRONG or KeyProperties.AUTH_DEVICE_CREDENTIAL)
                        }
                    }
                    if (strongBox && Build.VERSION.SDK_INT >= Build.VERSION_CODES.P) setIsStrongBoxBacked(true)
                }
                .build()
            KeyPairGenerator.getInstance(KeyProperties.KEY_ALGORITHM_EC, ANDROID_KEYSTORE).run {
                initialize(spec)
                generateKeyPair()
            }
        }

        private fun backingOf(alias: String): KeyBacking = try {
            val key = keyStore().getKey(alias, null) as PrivateKey
            val info = KeyFactory.getInstance(key.algorithm, ANDROID_KEYSTORE).getKeySpec(key, KeyInfo::class.java)
            when {
                Build.VERSION.SDK_INT >= Build.VERSION_CODES.S ->
                    when (info.securityLevel) {
                        KeyProperties.SECURITY_LEVEL_STRONGBOX -> KeyBacking.STRONGBOX
                        KeyProperties.SECURITY_LEVEL_TRUSTED_ENVIRONMENT -> KeyBacking.TEE
                        KeyProperties.SECURITY_LEVEL_SOFTWARE -> KeyBacking.SOFTWARE
                        else -> KeyBacking.UNKNOWN
                    }
                @Suppress("DEPRECATION") info.isInsideSecureHardware -> KeyBacking.TEE
                else -> KeyBacking.SOFTWARE
            }
        } catch (e: Exception) {
            KeyBacking.UNKNOWN
        }

        /** `04 || x || y`, each coordinate left-padded to 32 bytes. */
        fun uncompressed(key: ECPublicKey): ByteArray =
            byteArrayOf(4) + fixed32(key.w.affineX.toByteArray()) + fixed32(key.w.affineY.toByteArray())

        /**
         * An ECDSA signature in DER (`SEQUENCE { INTEGER r, INTEGER s }`, what the Keystore
         * returns) as COSE's `r || s`, 32 bytes each. Anything else throws.
         */
        fun derToRaw(der: ByteArray): ByteArray {
            fun fail(): Nothing = throw WalletException.KeyProvider("holder key: not a DER ECDSA signature")
            var i = 0
            fun byte(): Int = if (i < der.size) der[i++].toInt() and 0xff else fail()
            if (byte() != 0x30) fail()
            var len = byte()
            if (len == 0x81) len = byte()
            if (len != der.size - i) fail()
            fun integer(): ByteArray {
                if (byte() != 0x02) fail()
                val n = byte()
                if (n == 0 || n > 33 || i + n > der.size) fail()
                return der.copyOfRange(i, i + n).also { i += n }
            }
            val r = integer()
            val s = integer()
            if (i != der.size) fail()
            return fixed32(r) + fixed32(s)
        }

        private fun fixed32(b: ByteArray): ByteArray {
            val t = b.dropWhile { it == 0.toByte() }.toByteArray()
            require(t.size <= 32) { "coordinate longer than 32 bytes" }
            return ByteArray(32 - t.size) + t
        }
    }
}
