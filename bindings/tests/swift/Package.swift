// swift-tools-version:5.9
// The Swift binding tests. bindings/test.sh copies this package next to the generated sources:
//   Sources/CitizenWallet/      citizen_wallet_core.swift + citizen_wallet_ffi.swift (generated)
//   Sources/CitizenWalletFFI/   both generated C headers and one module.modulemap
// and runs `swift test` with the library's directory on the linker and loader paths.
import PackageDescription

let package = Package(
    name: "CitizenWalletBindingsTests",
    targets: [
        .systemLibrary(name: "CitizenWalletFFI", path: "Sources/CitizenWalletFFI"),
        .target(name: "CitizenWallet", dependencies: ["CitizenWalletFFI"], path: "Sources/CitizenWallet"),
        .testTarget(name: "CitizenWalletTests", dependencies: ["CitizenWallet"], path: "Tests/CitizenWalletTests"),
    ]
)
