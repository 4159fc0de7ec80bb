// Stubs of the three Android classes the generated Kotlin names with `android = true` in
// uniffi.toml (the Android object cleaner), so the bindings compile and run on a plain JVM in
// bindings/test.sh and android-demo/test-jvm.sh. Never shipped: on a device the real classes are
// used. SDK_INT = 0 takes the generated code's JNA-cleaner branch, the one devices below API 34
// take; AndroidSystemCleaner (API 34+) compiles here but is not exercised.
@file:Suppress("unused", "ClassName", "PackageDirectoryMismatch")

package android.os

object Build {
    object VERSION {
        @JvmField val SDK_INT: Int = 0
    }

    object VERSION_CODES {
        const val UPSIDE_DOWN_CAKE: Int = 34
    }
}
