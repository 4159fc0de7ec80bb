// :citizen-wallet — the citizen-wallet Android library (AAR), published as
// org.citizenwallet:citizen-wallet:<version>, <version> being the workspace version in the
// repository's Cargo.toml ([workspace.package] version): one version for the crates, this AAR and
// the Swift package.
//
// What the AAR holds, all written by bindings/scripts/build-android.sh (not committed):
//   src/main/kotlin/org/citizenwallet/citizen_wallet_ffi.kt          the API (uniffi, generated)
//   src/main/kotlin/org/citizenwallet/core/citizen_wallet_core.kt    the core's enums and records
//   src/main/jniLibs/{arm64-v8a,armeabi-v7a,x86_64}/libcitizen_wallet_ffi.so   16 KB-aligned
// and, committed, library code in src/main/java/org/citizenwallet/platform/ (the Keystore
// holder signer: UNVERIFIED here, no device).
// plus consumer-rules.pro (R8 keeps JNA and the bindings in the app) and a dependency on JNA's AAR.
//
// Not run where this repository is developed (no Android SDK there): see README.md beside it.
import org.jetbrains.kotlin.gradle.dsl.JvmTarget

plugins {
    id("com.android.library")
    id("org.jetbrains.kotlin.android")
    `maven-publish`
}

// ---- workspaceVersion: begin (bindings/scripts/check-packaging.sh runs this function) ----
/** The `version` of `[workspace.package]` in the workspace's Cargo.toml text. */
fun workspaceVersion(cargoToml: String): String {
    var inSection = false
    for (raw in cargoToml.lines()) {
        val line = raw.substringBefore('#').trim()
        if (line.startsWith("[")) {
            inSection = line == "[workspace.package]"
            continue
        }
        if (!inSection) continue
        val match = Regex("""^version\s*=\s*"([^"]+)"$""").find(line)
        if (match != null) return match.groupValues[1]
    }
    throw GradleException("Cargo.toml: no `version = \"...\"` in [workspace.package]")
}
// ---- workspaceVersion: end ----

// This module sits at bindings/android/citizen-wallet in the repository, whichever build
// includes it (its own settings.gradle.kts, or an app's), so the workspace manifest is 3 up.
val cargoToml = layout.projectDirectory.file("../../../Cargo.toml")
val libraryVersion = workspaceVersion(providers.fileContents(cargoToml).asText.get())

// The repository URL for the POM. No default on purpose (the project has no public home yet):
// -PcitizenWallet.repositoryUrl=https://... or CWALLET_REPOSITORY_URL=https://...
val repositoryUrl: String? = providers.gradleProperty("citizenWallet.repositoryUrl")
    .orElse(providers.environmentVariable("CWALLET_REPOSITORY_URL"))
    .orNull?.trim()?.takeIf { it.isNotEmpty() }

// The ABIs build-android.sh builds by default (ANDROID_ABIS there; citizenWallet.abis here).
val abis: List<String> = providers.gradleProperty("citizenWallet.abis")
    .getOrElse("arm64-v8a,armeabi-v7a,x86_64").split(',').map { it.trim() }.filter { it.isNotEmpty() }

group = "org.citizenwallet"
version = libraryVersion

android {
    // The namespace of the AAR's (empty) resources; the Kotlin API is org.citizenwallet.
    namespace = "org.citizenwallet.ffi"
    compileSdk = 35

    defaultConfig {
        // The library is linked for API 24 (build-android.sh, ANDROID_MIN_SDK).
        minSdk = 24
        // Applied to every app that depends on this AAR when it minifies with R8.
        consumerProguardFiles("consumer-rules.pro")
    }

    // src/main/kotlin and src/main/jniLibs are the default source directories: build-android.sh
    // writes the generated Kotlin and the .so files there.

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }

    publishing {
        singleVariant("release") {
            withSourcesJar()
        }
    }
}

kotlin {
    compilerOptions { jvmTarget.set(JvmTarget.JVM_17) }
}

dependencies {
    // uniffi's generated Kotlin calls the Rust library through JNA (its public classes take a
    // com.sun.jna.Pointer, hence `api`). The AAR form carries JNA's libjnidispatch.so per ABI.
    // 5.17.0 or newer: 5.14 predates JNA's 16 KB page-size alignment fix for Android.
    api("net.java.dev.jna:jna:5.17.0@aar")
    // The async variants are suspend functions; the generated code runs them with
    // kotlinx-coroutines (apps add kotlinx-coroutines-android for Dispatchers.Main).
    api("org.jetbrains.kotlinx:kotlinx-coroutines-core:1.8.1")
    // uniffi.toml `android = true`: the generated object cleaner uses android.system.SystemCleaner
    // on API 34+ and is annotated @RequiresApi.
    implementation("androidx.annotation:annotation:1.9.1")
}

// Fails early, with the command to run, when build-android.sh has not filled src/main.
val checkGeneratedSources by tasks.registering {
    val required = listOf(
        layout.projectDirectory.file("src/main/kotlin/org/citizenwallet/citizen_wallet_ffi.kt"),
        layout.projectDirectory.file("src/main/kotlin/org/citizenwallet/core/citizen_wallet_core.kt"),
    ) + abis.map { layout.projectDirectory.file("src/main/jniLibs/$it/libcitizen_wallet_ffi.so") }
    doLast {
        val missing = required.map { it.asFile }.filterNot { it.isFile }
        if (missing.isNotEmpty()) {
            throw GradleException(
                "missing ${missing.joinToString()}: run bindings/scripts/build-android.sh first " +
                    "(it builds the .so files and generates the Kotlin into src/main)",
            )
        }
    }
}
tasks.named("preBuild") { dependsOn(checkGeneratedSources) }

publishing {
    publications {
        register<MavenPublication>("release") {
            groupId = "org.citizenwallet"
            artifactId = "citizen-wallet"
            version = libraryVersion
            afterEvaluate { from(components["release"]) }
            pom {
                name.set("citizen-wallet")
                description.set(
                    "Offline citizen credential wallet: encrypted store, signed QR presentations " +
                        "and an offline verifier (Rust core, uniffi Kotlin bindings).",
                )
                licenses {
                    license {
                        name.set("Apache-2.0")
                        url.set("https://www.apache.org/licenses/LICENSE-2.0.txt")
                        distribution.set("repo")
                    }
                }
                if (repositoryUrl != null) {
                    url.set(repositoryUrl)
                    scm { url.set(repositoryUrl) }
                }
            }
        }
    }
    repositories {
        // A Maven repository in a folder (build/maven): attach it to a release, or copy it to a
        // server. `publishToMavenLocal` puts the same files in ~/.m2 for a local app build.
        maven {
            name = "dist"
            url = uri(layout.buildDirectory.dir("maven"))
        }
    }
}
