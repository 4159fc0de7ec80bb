// The citizen-wallet Android demo: open this folder in Android Studio.
//   :shared  plain Kotlin/JVM: the demo's flow (no Android API) + the generated bindings;
//            its JUnit tests run on the JVM (also from android-demo/test-jvm.sh)
//   :app     the Android app: screens, Android Keystore key provider, camera, QR bitmap
// Before the first build: bindings/scripts/build-android.sh (see README.md).
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

rootProject.name = "citizen-wallet-android-demo"
include(":shared", ":app")
