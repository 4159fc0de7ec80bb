// :shared — the demo's flow without Android APIs, plus the uniffi-generated Kotlin bindings.
// A plain Kotlin/JVM module: the app depends on it, and its JUnit tests run on a desktop JVM
// against the host build of the library.
import org.jetbrains.kotlin.gradle.dsl.JvmTarget

plugins {
    id("org.jetbrains.kotlin.jvm")
}

val androidOut = rootProject.file(providers.gradleProperty("citizenWallet.androidOut").get())
val hostLibDir = rootProject.file(providers.gradleProperty("citizenWallet.hostLibDir").get())

java {
    sourceCompatibility = JavaVersion.VERSION_17
    targetCompatibility = JavaVersion.VERSION_17
}

kotlin {
    compilerOptions { jvmTarget.set(JvmTarget.JVM_17) }
    // The generated bindings: org.citizenwallet (citizen_wallet_ffi.kt) and
    // org.citizenwallet.core (citizen_wallet_core.kt), from bindings/scripts/build-android.sh.
    sourceSets["main"].kotlin.srcDir(androidOut.resolve("kotlin"))
}

dependencies {
    // The bindings call the library through JNA. The app brings JNA's Android AAR (with its
    // per-ABI native dispatch library); the JVM tests bring the desktop jar.
    compileOnly("net.java.dev.jna:jna:5.17.0")
    testImplementation("net.java.dev.jna:jna:5.17.0")
    testImplementation("junit:junit:4.13.2")
    testImplementation(kotlin("test"))
}

tasks.test {
    useJUnit()
    // The host library: `cargo build -p citizen-wallet-ffi --lib` (see gradle.properties).
    systemProperty("jna.library.path", hostLibDir.path)
    environment("CWALLET_DEMO_PEOPLE_JSON", rootProject.file("app/src/main/assets/people.json").path)
    environment("CWALLET_CORE_PEOPLE_JSON", rootProject.file("../core/tests/data/people.json").path)
}
