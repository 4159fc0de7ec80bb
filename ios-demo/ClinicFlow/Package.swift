// swift-tools-version:5.9
// ClinicFlow: the iOS demo's logic that needs no UIKit/SwiftUI (demo authorities, seeding a
// wallet, the check-in code, the counter's bilingual verdict, the countdown, QR rasterizing, the
// key-provider framing), tested with XCTest.
//
// On Apple platforms it depends on the CitizenWallet Swift package at the repository root
// (../../Package.swift), whose XCFramework and generated sources
// bindings/scripts/build-xcframework.sh writes to bindings/apple/. An app outside this
// repository depends on the same package by URL instead (see the root Package.swift).
//
// On Linux (ios-demo/test-linux.sh, in the Debian chroot of bindings/test.sh) the script puts the
// generated bindings next to the sources, as bindings/test.sh does for its own tests:
//   Sources/CitizenWallet/      citizen_wallet_core.swift + citizen_wallet_ffi.swift (generated)
//   Sources/CitizenWalletFFI/   both generated C headers and one module.modulemap
import Foundation
import PackageDescription

#if os(Linux)
let bindingTargets: [Target] = [
    .systemLibrary(name: "CitizenWalletFFI", path: "Sources/CitizenWalletFFI"),
    .target(name: "CitizenWallet", dependencies: ["CitizenWalletFFI"], path: "Sources/CitizenWallet"),
]
let citizenWallet: Target.Dependency = "CitizenWallet"
let packageDependencies: [Package.Dependency] = []
#else
// SwiftPM names a local package by its folder (lowercased), not by its `name:`: the repository's
// folder may be called anything (a clone, a worktree), so take its name from this file's place.
let repositoryIdentity = URL(fileURLWithPath: Context.packageDirectory)
    .deletingLastPathComponent().deletingLastPathComponent().lastPathComponent.lowercased()
let bindingTargets: [Target] = []
let citizenWallet: Target.Dependency = .product(name: "CitizenWallet", package: repositoryIdentity)
let packageDependencies: [Package.Dependency] = [.package(path: "../..")]
#endif

let package = Package(
    name: "ClinicFlow",
    platforms: [.iOS(.v15), .macOS(.v12)],
    products: [
        .library(name: "ClinicFlow", targets: ["ClinicFlow"]),
    ],
    dependencies: packageDependencies,
    targets: bindingTargets + [
        .target(
            name: "ClinicFlow",
            dependencies: [citizenWallet],
            path: "Sources/ClinicFlow",
            // A copy of core/tests/data/people.json (synthetic people): SamplePeople.bundled().
            resources: [.copy("Resources/people.json")]
        ),
        .testTarget(name: "ClinicFlowTests", dependencies: ["ClinicFlow", citizenWallet], path: "Tests/ClinicFlowTests"),
    ]
)
