// The iOS key providers: they wrap the wallet's data key with a key the phone keeps.
//
// * KeychainKeyProvider: a random 256-bit key stored as a Keychain generic password
//   (kSecAttrAccessibleWhenUnlockedThisDeviceOnly: not in backups, not on another phone, readable
//   only while the phone is unlocked); wrap = CryptoKit AES.GCM, blob = nonce || ciphertext || tag.
// * SecureEnclaveKeyProvider: a P-256 key-agreement key generated INSIDE the Secure Enclave (it
//   never leaves it; the Keychain keeps only an opaque handle that works on this device only).
//   Wrap = ephemeral P-256 key, ECDH with the enclave's public key, HKDF-SHA256, AES.GCM; blob =
//   ephemeral public key (65 bytes, X9.63) || nonce || ciphertext || tag. Unwrap needs the enclave
//   to do the ECDH, optionally behind Face ID / Touch ID / passcode (`requireUserPresence`). The
//   enclave does P-256 only, which is why the data key (not the Ed25519 holder key) is what it
//   protects (see DESIGN.md, "Key hierarchy").
//
// Both compile only where CryptoKit and the Security framework exist (iOS, macOS): on Linux this
// file is empty, and the tests exercise the shared framing (SealingKeyProvider) with an AEAD
// written in Swift instead. NOT run here: see ios-demo/README.md.

#if canImport(CryptoKit) && canImport(Security)
import CitizenWallet
import CryptoKit
import Foundation
import Security

/// Reads and writes one Keychain generic password.
struct KeychainItem {
    let service: String
    let account: String

    private var baseQuery: [String: Any] {
        [kSecClass as String: kSecClassGenericPassword,
         kSecAttrService as String: service,
         kSecAttrAccount as String: account]
    }

    /// The stored bytes, or nil when there is no such item.
    func read() throws -> Data? {
        var query = baseQuery
        query[kSecReturnData as String] = true
        query[kSecMatchLimit as String] = kSecMatchLimitOne
        var result: CFTypeRef?
        let status = SecItemCopyMatching(query as CFDictionary, &result)
        switch status {
        case errSecSuccess:
            guard let data = result as? Data else { throw SealerError.keystore("keychain item without data") }
            return data
        case errSecItemNotFound:
            return nil
        default:
            throw SealerError.keystore("keychain read status \(status)")
        }
    }

    /// Stores `data` unless an item exists already; returns what is stored (a concurrent first
    /// run may have won the race).
    func add(_ data: Data) throws -> Data {
        var query = baseQuery
        query[kSecValueData as String] = data
        query[kSecAttrAccessible as String] = kSecAttrAccessibleWhenUnlockedThisDeviceOnly
        let status = SecItemAdd(query as CFDictionary, nil)
        switch status {
        case errSecSuccess:
            return data
        case errSecDuplicateItem:
            guard let existing = try read() else { throw SealerError.keystore("keychain item vanished") }
            return existing
        default:
            throw SealerError.keystore("keychain add status \(status)")
        }
    }

    func delete() {
        SecItemDelete(baseQuery as CFDictionary)
    }
}

/// AES-256-GCM under a random key kept as a Keychain generic password.
public final class KeychainAESGCMSealer: DataKeySealer {
    private let item: KeychainItem
    public let overhead = 12 + 16

    public init(service: String, account: String) {
        item = KeychainItem(service: service, account: account)
    }

    /// The key; made on the first wrap only (an unwrap never makes a key: a missing key is an error).
    private func key(create: Bool) throws -> SymmetricKey {
        if let data = try item.read() { return SymmetricKey(data: data) }
        guard create else { throw SealerError.keystore("keychain key missing") }
        let fresh = SymmetricKey(size: .bits256)
        return SymmetricKey(data: try item.add(fresh.withUnsafeBytes { Data($0) }))
    }

    public func seal(_ plaintext: Data, aad: Data) throws -> Data {
        let box = try AES.GCM.seal(plaintext, using: key(create: true), authenticating: aad)
        guard let combined = box.combined else { throw SealerError.keystore("AES.GCM without a 12-byte nonce") }
        return combined
    }

    public func open(_ sealed: Data, aad: Data) throws -> Data {
        let key = try key(create: false)
        do {
            return try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: key, authenticating: aad)
        } catch CryptoKitError.authenticationFailure {
            throw SealerError.authenticationFailed
        }
    }

    /// Forgets the key ("reset demo"): wallets wrapped with it open with their PIN only.
    public func deleteKey() { item.delete() }
}

/// The Keychain key provider the demo app uses.
public final class KeychainKeyProvider: KeyProvider, @unchecked Sendable {
    private let inner: SealingKeyProvider
    private let sealer: KeychainAESGCMSealer

    /// `account` names the Keychain item; it is also the provider's key id.
    public init(service: String = "org.citizenwallet.demo.dek-wrap", account: String = "wallet-v1") {
        sealer = KeychainAESGCMSealer(service: service, account: account)
        inner = SealingKeyProvider(keyId: "keychain:\(service)/\(account)", sealer: sealer)
    }

    public func keyId() -> String { inner.keyId() }
    public func wrap(dataKey: Data) throws -> Data { try inner.wrap(dataKey: dataKey) }
    public func unwrap(wrapped: Data) throws -> Data { try inner.unwrap(wrapped: wrapped) }
    public func deleteKey() { sealer.deleteKey() }
}

/// ECDH with a Secure Enclave P-256 key, then AES-256-GCM.
@available(iOS 13.0, macOS 10.15, *)
public final class SecureEnclaveSealer: DataKeySealer {
    private let item: KeychainItem
    private let requireUserPresence: Bool
    public let overhead = 65 + 12 + 16
    private static let salt = Data("org.citizenwallet.demo/se-wrap/v1".utf8)

    public init(service: String, account: String, requireUserPresence: Bool) {
        item = KeychainItem(service: service, account: account)
        self.requireUserPresence = requireUserPresence
    }

    private func enclaveKey(create: Bool) throws -> SecureEnclave.P256.KeyAgreement.PrivateKey {
        guard SecureEnclave.isAvailable else { throw SealerError.keystore("no Secure Enclave") }
        if let handle = try item.read() {
            return try SecureEnclave.P256.KeyAgreement.PrivateKey(dataRepresentation: handle)
        }
        guard create else { throw SealerError.keystore("Secure Enclave key missing") }
        var flags: SecAccessControlCreateFlags = [.privateKeyUsage]
        if requireUserPresence { flags.insert(.userPresence) }
        var error: Unmanaged<CFError>?
        guard let access = SecAccessControlCreateWithFlags(
            kCFAllocatorDefault, kSecAttrAccessibleWhenUnlockedThisDeviceOnly, flags, &error)
        else { throw SealerError.keystore("access control") }
        let key = try SecureEnclave.P256.KeyAgreement.PrivateKey(accessControl: access)
        let stored = try item.add(key.dataRepresentation)
        return stored == key.dataRepresentation
            ? key : try SecureEnclave.P256.KeyAgreement.PrivateKey(dataRepresentation: stored)
    }

    private func symmetricKey(_ shared: SharedSecret, ephemeral: Data, recipient: Data, aad: Data) -> SymmetricKey {
        shared.hkdfDerivedSymmetricKey(
            using: SHA256.self, salt: Self.salt, sharedInfo: ephemeral + recipient + aad, outputByteCount: 32)
    }

    public func seal(_ plaintext: Data, aad: Data) throws -> Data {
        let recipient = try enclaveKey(create: true).publicKey
        let ephemeral = P256.KeyAgreement.PrivateKey()
        let shared = try ephemeral.sharedSecretFromKeyAgreement(with: recipient)
        let epk = ephemeral.publicKey.x963Representation
        let key = symmetricKey(shared, ephemeral: epk, recipient: recipient.x963Representation, aad: aad)
        guard let combined = try AES.GCM.seal(plaintext, using: key, authenticating: aad).combined else {
            throw SealerError.keystore("AES.GCM without a 12-byte nonce")
        }
        return epk + combined
    }

    public func open(_ sealed: Data, aad: Data) throws -> Data {
        let enclave = try enclaveKey(create: false)
        let epk = sealed.prefix(65)
        guard let ephemeral = try? P256.KeyAgreement.PublicKey(x963Representation: epk) else {
            throw SealerError.authenticationFailed
        }
        let shared = try enclave.sharedSecretFromKeyAgreement(with: ephemeral) // Face ID here if required
        let key = symmetricKey(shared, ephemeral: Data(epk), recipient: enclave.publicKey.x963Representation, aad: aad)
        do {
            return try AES.GCM.open(AES.GCM.SealedBox(combined: sealed.dropFirst(65)), using: key, authenticating: aad)
        } catch CryptoKitError.authenticationFailure {
            throw SealerError.authenticationFailed
        }
    }

    public func deleteKey() { item.delete() }
}

/// The Secure Enclave key provider (devices with an enclave; not the Simulator).
@available(iOS 13.0, macOS 10.15, *)
public final class SecureEnclaveKeyProvider: KeyProvider, @unchecked Sendable {
    private let inner: SealingKeyProvider
    private let sealer: SecureEnclaveSealer

    public static var isAvailable: Bool { SecureEnclave.isAvailable }

    public init(service: String = "org.citizenwallet.demo.se-wrap", account: String = "wallet-v1",
                requireUserPresence: Bool = false) {
        sealer = SecureEnclaveSealer(service: service, account: account, requireUserPresence: requireUserPresence)
        inner = SealingKeyProvider(keyId: "secure-enclave:\(service)/\(account)", sealer: sealer)
    }

    public func keyId() -> String { inner.keyId() }
    public func wrap(dataKey: Data) throws -> Data { try inner.wrap(dataKey: dataKey) }
    public func unwrap(wrapped: Data) throws -> Data { try inner.unwrap(wrapped: wrapped) }
    public func deleteKey() { sealer.deleteKey() }
}
#endif
