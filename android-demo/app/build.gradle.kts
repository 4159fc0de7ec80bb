// :app — the Android demo app: citizen screens (unlock, cards, choose claims, full-screen QR
// with countdown) and the clinic counter (camera / picked image / pasted text -> verdict).
import org.jetbrains.kotlin.gradle.dsl.JvmTarget

plugins {
    id("com.android.application")
    id("org.jetbrains.kotlin.android")
}

val androidOut = rootProject.file(providers.gradleProperty("citizenWallet.androidOut").get())

android {
    namespace = "org.citizenwallet.demo.app"
    compileSdk = 35

    defaultConfig {
        applicationId = "org.citizenwallet.demo"
        // The library is built for API 24 (bindings/scripts/build-android.sh, ANDROID_MIN_SDK).
        minSdk = 24
        targetSdk = 35
        versionCode = 1
        versionName = "0.1.0"
    }

    sourceSets["main"].jniLibs.srcDir(androidOut.resolve("jniLibs"))

    buildTypes {
        release {
            // With R8 on, keep JNA and the generated bindings: see proguard-rules.pro.
            isMinifyEnabled = false
            proguardFiles(getDefaultProguardFile("proguard-android-optimize.txt"), "proguard-rules.pro")
        }
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
}

kotlin {
    compilerOptions { jvmTarget.set(JvmTarget.JVM_17) }
}

dependencies {
    implementation(project(":shared"))
    // JNA's Android AAR (libjnidispatch.so per ABI). 5.17.0 or newer for 16 KB page-size devices.
    implementation("net.java.dev.jna:jna:5.17.0@aar")
    // Dispatchers.Main for DemoApp.launch (the screens await the library's async variants).
    implementation("org.jetbrains.kotlinx:kotlinx-coroutines-android:1.8.1")
    // The generated bindings' Android cleaner is annotated @RequiresApi (uniffi.toml: android = true).
    implementation("androidx.annotation:annotation:1.9.1")
}
