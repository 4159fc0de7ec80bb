// Stub of android.system.SystemCleaner (API 33+) for the JVM tests (see AndroidStubs.kt).
@file:Suppress("unused", "PackageDirectoryMismatch")

package android.system

object SystemCleaner {
    @JvmStatic fun cleaner(): java.lang.ref.Cleaner = java.lang.ref.Cleaner.create()
}
