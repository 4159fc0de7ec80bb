// swift-tools-version:5.9
// ClinicFlow: the iOS demo's logic that needs no UIKit/SwiftUI (demo authorities, seeding a
// wallet, the check-in code, the counter's bilingual verdict, the countdown, QR rasterizing, the
// key-provider framing), tested with XCTest.
//
// On Apple platforms it depends on the CitizenWallet Swift package that
// bindings/scripts/build-xcframework.sh writes to target/apple/CitizenWallet.
//
// On Linux (ios-demo/test-linux.sh, in the Debian chroot of bindings/test.sh) the script puts the
// generated bindings next to the sources, as bindings/test.sh does for its own tests:
//   Sources/CitizenWallet/      citizen_wallet_core.swift + citizen_wallet_ffi.swift (generated)
//   Sources/CitizenWalletFFI/   both generated C headers and one module.modulemap
import PackageDescription

#if os(Linux)
let bindingTargets: [Target] = [
    .systemLibrary(name: "CitizenWalletFFI", path: "Sources/CitizenWalletFFI"),
    .target(name: "CitizenWallet", dependencies: ["CitizenWalletFFI"], path: "Sources/CitizenWallet"),
]
let citizenWallet: Target.Dependency = "CitizenWallet"
let packageDependencies: [Package.Dependency] = []
#else
let bindingTargets: [Target] = []
let citizenWallet: Target.Dependency = .product(name: "CitizenWallet", package: "CitizenWallet")
let packageDependencies: [Package.Dependency] = [.package(path: "../../target/apple/CitizenWallet")]
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
