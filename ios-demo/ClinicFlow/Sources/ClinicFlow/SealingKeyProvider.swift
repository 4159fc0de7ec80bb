// The framing of the app's key provider: wire format, associated data and error mapping, around
// an AEAD the platform supplies. On iOS the AEAD is CryptoKit's AES.GCM with a key from the
// Keychain (KeychainKeyProvider.swift) or a Secure Enclave key agreement; the Linux tests plug in
// an AEAD written in Swift. Same framing code either way. Mirrors android-demo's
// AesGcmKeyProvider.kt.

import CitizenWallet
import Foundation

/// Seals and opens the data key. `seal` returns `nonce || ciphertext || tag` (CryptoKit's
/// `AES.GCM.SealedBox.combined`); `open` throws `SealerError.authenticationFailed` when the key is
/// wrong or the blob was altered.
public protocol DataKeySealer: AnyObject {
    /// Bytes `seal` adds to the plaintext (nonce + tag, plus e.g. an ephemeral public key).
    var overhead: Int { get }
    func seal(_ plaintext: Data, aad: Data) throws -> Data
    func open(_ sealed: Data, aad: Data) throws -> Data
}

public enum SealerError: Error, Equatable {
    /// Wrong key or altered blob (the AEAD tag did not verify).
    case authenticationFailed
    /// The platform keystore failed (key missing, access denied, device locked...). No secrets.
    case keystore(String)
}

/// A `KeyProvider` that wraps the wallet's 32-byte data key with `sealer`.
///
/// The associated data binds the blob to this format and to `keyId`, so a blob made for another
/// key id does not open. A wrong key, an altered blob or one of another size is
/// `WalletError.wrongKey` (the library then reports "the key does not open this wallet"); any other
/// failure is `WalletError.keyProvider` naming only the error's type or keystore status.
public final class SealingKeyProvider: KeyProvider, @unchecked Sendable {
    public static let aadPrefix = "org.citizenwallet.demo/dek-wrap/v1/"
    public static let dataKeyLength = 32

    private let id: String
    private let sealer: DataKeySealer
    private let aad: Data

    public init(keyId: String, sealer: DataKeySealer) {
        id = keyId
        self.sealer = sealer
        aad = Data((Self.aadPrefix + keyId).utf8)
    }

    public func keyId() -> String { id }

    public func wrap(dataKey: Data) throws -> Data {
        try mapped { try sealer.seal(dataKey, aad: aad) }
    }

    public func unwrap(wrapped: Data) throws -> Data {
        // A blob of another format or size was not made by this provider.
        guard wrapped.count == Self.dataKeyLength + sealer.overhead else { throw WalletError.wrongKey }
        return try mapped { try sealer.open(wrapped, aad: aad) }
    }

    private func mapped(_ f: () throws -> Data) throws -> Data {
        do {
            return try f()
        } catch let e as WalletError {
            throw e
        } catch SealerError.authenticationFailed {
            throw WalletError.wrongKey
        } catch let SealerError.keystore(reason) {
            throw WalletError.keyProvider(reason: reason)
        } catch {
            throw WalletError.keyProvider(reason: String(describing: type(of: error)))
        }
    }
}
