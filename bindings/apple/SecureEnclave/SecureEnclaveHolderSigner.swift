// UNVERIFIED HERE: this file needs an iPhone (or a Mac with a Secure Enclave) and Xcode. It was
// written against Apple's CryptoKit and Keychain documentation and reviewed, never compiled or
// run in this repository (Linux: no CryptoKit, no Security framework; see the README's "What is
// verified here" table). What IS tested here is the contract it implements: the bindings'
// HolderSigner with a software P-256 key, from Swift on Linux
// (bindings/tests/swift/Tests/CitizenWalletTests/HolderSignerTests.swift).
//
// An ES256 holder key in the Secure Enclave: created there, never exported (the Keychain keeps
// only CryptoKit's `dataRepresentation`, a blob only this device's Secure Enclave can use).
// Where there is no Secure Enclave (the simulator, old Macs), a software P-256 key kept in the
// Keychain (this device only) stands in, and `backing` says so.

#if canImport(CryptoKit) && canImport(Security)
import CitizenWallet
import CryptoKit
import Foundation
import LocalAuthentication
import Security

public enum HolderKeyBacking: Sendable {
    case secureEnclave
    case keychainSoftware
}

/// A `HolderSigner` over a P-256 key in the Secure Enclave, stored under `tag` in the Keychain.
///
/// With `requireBiometry` the key is created with `.privateKeyUsage` and `.biometryCurrentSet`:
/// every signature shows Face ID / Touch ID (the system prompt; `prompt` is its reason text),
/// run off the caller's thread so `sign` can be awaited. A refused prompt throws
/// `WalletError.keyProvider`; a prompt left open ends when `Wallet.presentWithSigner` times out
/// (default 60 s) and cancels the task. If the enrolled biometrics change, the key is
/// invalidated: make a new one and have credentials reissued to it.
public final class SecureEnclaveHolderSigner: HolderSigner, @unchecked Sendable {
    public let backing: HolderKeyBacking
    private let seKey: SecureEnclave.P256.Signing.PrivateKey?
    private let softKey: P256.Signing.PrivateKey?
    private let prompt: String

    /// Opens the key `tag`, or creates it.
    public init(tag: String, requireBiometry: Bool = true, prompt: String = "Show your health check-in code") throws {
        self.prompt = prompt
        if SecureEnclave.isAvailable {
            let context = LAContext()
            context.localizedReason = prompt
            if let blob = try Self.load(tag: tag) {
                seKey = try SecureEnclave.P256.Signing.PrivateKey(dataRepresentation: blob, authenticationContext: context)
            } else {
                var flags: SecAccessControlCreateFlags = [.privateKeyUsage]
                if requireBiometry { flags.insert(.biometryCurrentSet) }
                var error: Unmanaged<CFError>?
                guard let access = SecAccessControlCreateWithFlags(
                    nil, kSecAttrAccessibleWhenUnlockedThisDeviceOnly, flags, &error)
                else { throw WalletError.keyProvider(reason: "holder key: access control") }
                let key = try SecureEnclave.P256.Signing.PrivateKey(accessControl: access, authenticationContext: context)
                try Self.store(tag: tag, data: key.dataRepresentation)
                seKey = key
            }
            softKey = nil
            backing = .secureEnclave
        } else {
            if let raw = try Self.load(tag: tag) {
                softKey = try P256.Signing.PrivateKey(rawRepresentation: raw)
            } else {
                let key = P256.Signing.PrivateKey()
                try Self.store(tag: tag, data: key.rawRepresentation)
                softKey = key
            }
            seKey = nil
            backing = .keychainSoftware
        }
    }

    public func algorithm() -> HolderAlg { .es256 }

    /// The 65-byte uncompressed point (X9.63; `compressedRepresentation` needs iOS 16, the
    /// package supports 15): the bindings compress it for `cnf`.
    public func publicKey() throws -> Data {
        if let k = seKey { return k.publicKey.x963Representation }
        if let k = softKey { return k.publicKey.x963Representation }
        throw WalletError.keyProvider(reason: "holder key missing")
    }

    /// `r || s` (64 bytes): CryptoKit's raw form is COSE's.
    public func sign(message: Data) async throws -> Data {
        let seKey = self.seKey, softKey = self.softKey
        return try await Task.detached(priority: .userInitiated) {
            do {
                if let k = seKey { return try k.signature(for: message).rawRepresentation }
                if let k = softKey { return try k.signature(for: message).rawRepresentation }
            } catch {
                // LAError.userCancel, .authenticationFailed, a key invalidated by new biometrics
                throw WalletError.keyProvider(reason: "holder key: \(type(of: error))")
            }
            throw WalletError.keyProvider(reason: "holder key missing")
        }.value
    }

    // MARK: Keychain (kSecClassGenericPassword; this device only, after first unlock)

    private static func query(tag: String) -> [String: Any] {
        [kSecClass as String: kSecClassGenericPassword,
         kSecAttrService as String: "org.citizenwallet.holder-key",
         kSecAttrAccount as String: tag]
    }

    private static func load(tag: String) throws -> Data? {
        var q = query(tag: tag)
        q[kSecReturnData as String] = true
        var out: CFTypeRef?
        let status = SecItemCopyMatching(q as CFDictionary, &out)
        if status == errSecItemNotFound { return nil }
        guard status == errSecSuccess, let data = out as? Data else {
            throw WalletError.keyProvider(reason: "holder key: keychain status \(status)")
        }
        return data
    }

    private static func store(tag: String, data: Data) throws {
        var q = query(tag: tag)
        q[kSecValueData as String] = data
        q[kSecAttrAccessible as String] = kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly
        let status = SecItemAdd(q as CFDictionary, nil)
        guard status == errSecSuccess else {
            throw WalletError.keyProvider(reason: "holder key: keychain status \(status)")
        }
    }
}
#endif
