// The citizen's wallet file: first run (create, protect, seed) and unlock (platform key, or
// the PIN as a fallback when the key is gone: a new phone restored from backup, a reset
// screen lock that invalidated the keystore key).
package org.citizenwallet.demo

import org.citizenwallet.KeyProvider
import org.citizenwallet.Wallet
import java.io.File

class WalletAccess(val path: String) {
    /** Whether the wallet database exists (first run when not). */
    fun exists(): Boolean = File(path).exists()

    /**
     * First run: creates the wallet protected by the platform key AND a PIN (either opens it;
     * the data key is wrapped twice, nothing is encrypted twice), then imports every credential
     * of the sample person `personKey`.
     */
    fun createAndSeed(
        keyProvider: KeyProvider,
        pin: String,
        authorities: DemoAuthorities,
        people: SamplePeople,
        personKey: String,
    ): Pair<Wallet, SeededWallet> {
        people.of(personKey) // an unknown person fails before any file is made
        val wallet = Wallet.createWithKeyProvider(path, keyProvider)
        try {
            wallet.setPin(pin)
            return wallet to seedWallet(wallet, authorities, people, personKey)
        } catch (e: Exception) {
            // A half-made demo wallet is of no use: start over next time.
            wallet.close()
            delete()
            throw e
        }
    }

    /** Unlocks with the platform key (the usual way). */
    fun unlockWithKey(keyProvider: KeyProvider): Wallet = Wallet.openWithKeyProvider(path, keyProvider)

    /** Unlocks with the PIN (fallback). Throws WrongPin / PinBackoff with the wait. */
    fun unlockWithPin(pin: String): Wallet = Wallet.openWithPin(path, pin)

    /** [unlockWithKey] from a coroutine: the key provider (which may show a biometric prompt)
     * and the unlock run on the library's thread, the calling thread stays free. */
    suspend fun unlockWithKeyAsync(keyProvider: KeyProvider): Wallet = Wallet.openAsync(path, keyProvider = keyProvider)

    /** [unlockWithPin] from a coroutine: Argon2id takes most of a second on a phone. */
    suspend fun unlockWithPinAsync(pin: String): Wallet = Wallet.openAsync(path, pin = pin.toByteArray(Charsets.UTF_8))

    /** [createAndSeed] from a coroutine: the wallet is created with the key provider and the PIN
     * set (Argon2id) off the calling thread; the imports follow on the caller's dispatcher. */
    suspend fun createAndSeedAsync(
        keyProvider: KeyProvider,
        pin: String,
        authorities: DemoAuthorities,
        people: SamplePeople,
        personKey: String,
    ): Pair<Wallet, SeededWallet> {
        people.of(personKey) // an unknown person fails before any file is made
        val wallet = Wallet.createAsync(path, keyProvider = keyProvider)
        try {
            wallet.setPinAsync(pin.toByteArray(Charsets.UTF_8))
            return wallet to seedWallet(wallet, authorities, people, personKey)
        } catch (e: Exception) {
            wallet.close()
            delete()
            throw e
        }
    }

    /** Seconds before the next PIN attempt is allowed (0: now). */
    fun pinRetryAfterSecs(): Long = Wallet.openLocked(path).use { it.pinRetryAfterSecs() }

    /** Deletes the wallet and its SQLite side files ("reset demo"). */
    fun delete() {
        for (suffix in listOf("", "-wal", "-shm", "-journal")) File(path + suffix).delete()
    }
}
