// swift-tools-version:5.9
// citizen-wallet for iOS (and macOS): the Swift package `CitizenWallet`.
//
//   dependencies: [.package(url: "<this repository>", from: "0.1.0")]
//   target dependency: .product(name: "CitizenWallet", package: "<repository name>")
//   in code: import CitizenWallet
//
// Two targets, both build output of bindings/scripts/build-xcframework.sh (macOS + Xcode), in
// bindings/apple/ (not committed on branches):
//   CitizenWalletFFI  the Rust library as an XCFramework: static libraries for iOS devices and the
//                     simulator (+ macOS with CWALLET_MACOS=1), the two uniffi C headers and one
//                     module map in Headers/CitizenWalletFFI/ (a subfolder, so the module map
//                     cannot clash with another framework's top-level module.modulemap)
//   CitizenWallet     the uniffi-generated Swift API: both crates compile into this one module
//
// On a branch the binary target is the local XCFramework (`path:`): build it, then add this
// folder as a local package in Xcode. A release tag carries the generated Swift sources and this
// file with the `url:` + `checksum:` form, both written by bindings/scripts/release-swift.sh.
// One version for the crates, the AAR and this package: the workspace version in Cargo.toml.
//
// This is the only manifest at the repository root. The Swift test packages
// (bindings/tests/swift, ios-demo/ClinicFlow) are separate; bindings/test.sh and
// ios-demo/test-linux.sh copy them to their own folder to run, so they never read this file.
import PackageDescription

// BEGIN CitizenWalletFFI (bindings/scripts/release-swift.sh replaces this block for a release)
let citizenWalletFFI: Target = .binaryTarget(
    name: "CitizenWalletFFI",
    path: "bindings/apple/CitizenWalletFFI.xcframework"
)
// END CitizenWalletFFI

let package = Package(
    name: "CitizenWallet",
    platforms: [.iOS(.v15), .macOS(.v12)],
    products: [
        .library(name: "CitizenWallet", targets: ["CitizenWallet"]),
        // The Secure Enclave holder signer (ES256): library code, UNVERIFIED here (no device).
        .library(name: "CitizenWalletSecureEnclave", targets: ["CitizenWalletSecureEnclave"]),
    ],
    targets: [
        citizenWalletFFI,
        .target(
            name: "CitizenWallet",
            dependencies: ["CitizenWalletFFI"],
            path: "bindings/apple/Sources/CitizenWallet",
            linkerSettings: [.linkedFramework("Security")]  // getrandom: SecRandomCopyBytes
        ),
        .target(
            name: "CitizenWalletSecureEnclave",
            dependencies: ["CitizenWallet"],
            path: "bindings/apple/SecureEnclave",
            linkerSettings: [.linkedFramework("Security"), .linkedFramework("LocalAuthentication")]
        ),
    ]
)
