// An AEAD written in Swift for the tests' key provider, since Swift on Linux has no CryptoKit:
// encrypt-then-MAC with HMAC-SHA256 (keystream HMAC(encKey, nonce || counter), tag
// HMAC(macKey, aad || nonce || ciphertext)), with SHA-256 from FIPS 180-4. Test code only: the
// app seals with CryptoKit's AES.GCM (KeychainKeyProvider.swift). Its known-answer tests are in
// ClinicFlowTests.testTheTestSealersHashMatchesKnownAnswers.

import ClinicFlow
import Foundation

enum SHA256 {
    private static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }

    static func hash(_ message: [UInt8]) -> [UInt8] {
        var h: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
        var m = message
        let bitLength = UInt64(message.count) * 8
        m.append(0x80)
        while m.count % 64 != 56 { m.append(0) }
        for i in (0..<8).reversed() { m.append(UInt8((bitLength >> (UInt64(i) * 8)) & 0xff)) }
        var w = [UInt32](repeating: 0, count: 64)
        for chunk in stride(from: 0, to: m.count, by: 64) {
            for i in 0..<16 {
                let j = chunk + 4 * i
                w[i] = UInt32(m[j]) << 24 | UInt32(m[j + 1]) << 16 | UInt32(m[j + 2]) << 8 | UInt32(m[j + 3])
            }
            for i in 16..<64 {
                let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
                let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
                w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
            }
            var (a, b, c, d, e, f, g, hh) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7])
            for i in 0..<64 {
                let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
                let ch = (e & f) ^ (~e & g)
                let t1 = hh &+ s1 &+ ch &+ k[i] &+ w[i]
                let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
                let maj = (a & b) ^ (a & c) ^ (b & c)
                let t2 = s0 &+ maj
                (hh, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
            }
            h[0] = h[0] &+ a; h[1] = h[1] &+ b; h[2] = h[2] &+ c; h[3] = h[3] &+ d
            h[4] = h[4] &+ e; h[5] = h[5] &+ f; h[6] = h[6] &+ g; h[7] = h[7] &+ hh
        }
        return h.flatMap { v in (0..<4).map { UInt8((v >> (24 - 8 * UInt32($0))) & 0xff) } }
    }

    static func hmac(key: [UInt8], _ message: [UInt8]) -> [UInt8] {
        var k = key.count > 64 ? hash(key) : key
        k += [UInt8](repeating: 0, count: 64 - k.count)
        let inner = hash(k.map { $0 ^ 0x36 } + message)
        return hash(k.map { $0 ^ 0x5c } + inner)
    }
}

/// A software AEAD key: the tests' stand-in for the Keychain / Secure Enclave key.
final class HmacTestSealer: DataKeySealer {
    private let encKey: [UInt8]
    private let macKey: [UInt8]
    let overhead = 16 + 32

    init(secret: [UInt8] = (0..<32).map { _ in UInt8.random(in: 0...255) }) {
        encKey = SHA256.hmac(key: secret, Array("test sealer: enc".utf8))
        macKey = SHA256.hmac(key: secret, Array("test sealer: mac".utf8))
    }

    private func keystream(_ nonce: [UInt8], _ n: Int) -> [UInt8] {
        var out: [UInt8] = []
        var counter: UInt32 = 0
        while out.count < n {
            out += SHA256.hmac(key: encKey, nonce + withUnsafeBytes(of: counter.bigEndian, Array.init))
            counter += 1
        }
        return Array(out.prefix(n))
    }

    private func tag(_ aad: [UInt8], _ nonce: [UInt8], _ ct: [UInt8]) -> [UInt8] {
        SHA256.hmac(key: macKey, withUnsafeBytes(of: UInt64(aad.count).bigEndian, Array.init) + aad + nonce + ct)
    }

    func seal(_ plaintext: Data, aad: Data) throws -> Data {
        let nonce = (0..<16).map { _ in UInt8.random(in: 0...255) }
        let ct = zip(Array(plaintext), keystream(nonce, plaintext.count)).map { $0 ^ $1 }
        return Data(nonce + ct + tag(Array(aad), nonce, ct))
    }

    func open(_ sealed: Data, aad: Data) throws -> Data {
        let b = Array(sealed)
        guard b.count >= overhead else { throw SealerError.authenticationFailed }
        let nonce = Array(b[0..<16]), ct = Array(b[16..<(b.count - 32)]), t = Array(b[(b.count - 32)...])
        // Constant-time comparison.
        guard zip(tag(Array(aad), nonce, ct), t).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0 else {
            throw SealerError.authenticationFailed
        }
        return Data(zip(ct, keystream(nonce, ct.count)).map { $0 ^ $1 })
    }
}

/// A sealer whose keystore fails (a missing Keychain item, a locked phone).
final class FailingSealer: DataKeySealer {
    struct KeychainDown: Error {}
    let overhead = 48
    let keystoreStatus: Bool
    init(keystoreStatus: Bool) { self.keystoreStatus = keystoreStatus }
    func seal(_ plaintext: Data, aad: Data) throws -> Data {
        if keystoreStatus { throw SealerError.keystore("keychain read status -25308") }
        throw KeychainDown()
    }
    func open(_ sealed: Data, aad: Data) throws -> Data { try seal(sealed, aad: aad) }
}

func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef")
    return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] })
}
