// Versions: Android Gradle plugin 8.10.0 (Gradle 8.11.1+, JDK 17+), Kotlin 2.1.20: the same as
// android-demo/. Not run on the machine this repository is developed on (no Android SDK there):
// see bindings/android/README.md.
plugins {
    id("com.android.library") version "8.10.0" apply false
    id("org.jetbrains.kotlin.android") version "2.1.20" apply false
}
