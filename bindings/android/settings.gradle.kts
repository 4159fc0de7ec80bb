// The citizen-wallet Android library (AAR) as its own Gradle build:
//   :citizen-wallet   the uniffi-generated Kotlin (org.citizenwallet, org.citizenwallet.core),
//                     libcitizen_wallet_ffi.so for arm64-v8a, armeabi-v7a and x86_64, JNA, and
//                     the R8 rules an app needs. Published as org.citizenwallet:citizen-wallet.
// Before the first build: bindings/scripts/build-android.sh (fills citizen-wallet/src/main/jniLibs
// and citizen-wallet/src/main/kotlin). See bindings/android/README.md.
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}

dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
    }
}

rootProject.name = "citizen-wallet-android"
include(":citizen-wallet")
