// The citizen's wallet file: first run (create, protect, seed) and unlock (platform key, or the
// PIN as a fallback when the key is gone: a phone restored from a backup, where Keychain items
// marked ThisDeviceOnly do not travel). Mirrors android-demo's WalletAccess.kt.

import CitizenWallet
import Foundation

public final class WalletAccess {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// Whether the wallet database exists (first run when not).
    public var exists: Bool { FileManager.default.fileExists(atPath: path) }

    /// First run: creates the wallet protected by the platform key AND a PIN (either opens it;
    /// the data key is wrapped twice, nothing is encrypted twice), then imports every credential
    /// of the sample person `personKey`.
    public func createAndSeed(
        keyProvider: KeyProvider, pin: String, authorities: DemoAuthorities, people: SamplePeople, personKey: String
    ) throws -> (Wallet, SeededWallet) {
        _ = try people.of(personKey) // an unknown person fails before any file is made
        let wallet = try Wallet.createWithKeyProvider(path: path, keyProvider: keyProvider)
        do {
            try wallet.setPin(newPin: pin)
            return (wallet, try seedWallet(wallet, authorities: authorities, people: people, personKey: personKey))
        } catch {
            // A half-made demo wallet is of no use: start over next time.
            wallet.lock()
            delete()
            throw error
        }
    }

    /// Unlocks with the platform key (the usual way).
    public func unlock(keyProvider: KeyProvider) throws -> Wallet {
        try Wallet.openWithKeyProvider(path: path, keyProvider: keyProvider)
    }

    /// Unlocks with the PIN (fallback). Throws WrongPin / PinBackoff with the wait.
    public func unlock(pin: String) throws -> Wallet {
        try Wallet.openWithPin(path: path, pin: pin)
    }

    /// `createAndSeed` from Swift concurrency: the wallet is created with the key provider and
    /// the PIN set (Argon2id) on the library's thread; the imports follow on the caller's.
    public func createAndSeedAsync(
        keyProvider: KeyProvider, pin: String, authorities: DemoAuthorities, people: SamplePeople, personKey: String
    ) async throws -> (Wallet, SeededWallet) {
        _ = try people.of(personKey) // an unknown person fails before any file is made
        let wallet = try await Wallet.createAsync(path: path, keyProvider: keyProvider)
        do {
            try await wallet.setPinAsync(newPin: Data(pin.utf8))
            return (wallet, try seedWallet(wallet, authorities: authorities, people: people, personKey: personKey))
        } catch {
            wallet.lock()
            delete()
            throw error
        }
    }

    /// `unlock(keyProvider:)` from Swift concurrency: the key provider (which may show a Face ID
    /// prompt) and the unlock run on the library's thread, the caller is suspended.
    public func unlockAsync(keyProvider: KeyProvider) async throws -> Wallet {
        try await Wallet.openAsync(path: path, keyProvider: keyProvider)
    }

    /// `unlock(pin:)` from Swift concurrency: Argon2id takes most of a second on a phone.
    public func unlockAsync(pin: String) async throws -> Wallet {
        try await Wallet.openAsync(path: path, pin: Data(pin.utf8))
    }

    /// Seconds before the next PIN attempt is allowed (0: now).
    public func pinRetryAfterSecs() throws -> Int64 {
        try Wallet.openLocked(path: path).pinRetryAfterSecs()
    }

    /// Deletes the wallet and its SQLite side files ("reset demo").
    public func delete() {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            try? FileManager.default.removeItem(atPath: path + suffix)
        }
    }
}
