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

val androidStubs: SourceSet by sourceSets.creating
kotlin.sourceSets["androidStubs"].kotlin.srcDir(rootProject.file("../bindings/tests/kotlin/android-stubs"))

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
    // The async variants are suspend functions (the app adds kotlinx-coroutines-android).
    api("org.jetbrains.kotlinx:kotlinx-coroutines-core:1.8.1")
    // The generated Kotlin (uniffi.toml: android = true) names android.os.Build,
    // android.system.SystemCleaner and androidx.annotation.RequiresApi: this JVM module compiles
    // against stubs of them (never packaged: the app has the real classes) and its tests run
    // with them (SDK_INT 0: the JNA cleaner).
    compileOnly(androidStubs.output)
    testImplementation(androidStubs.output)
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
