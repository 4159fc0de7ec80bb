// Versions: Android Gradle plugin 8.10.0 (needs Gradle 8.11.1+, JDK 17+), Kotlin 2.1.20.
// The generated bindings and :shared were compiled and tested here with kotlinc 2.4.20; the
// Android build itself was not run here (no Android SDK on the test machine: see README.md).
plugins {
    id("com.android.application") version "8.10.0" apply false
    id("org.jetbrains.kotlin.android") version "2.1.20" apply false
    id("org.jetbrains.kotlin.jvm") version "2.1.20" apply false
}
