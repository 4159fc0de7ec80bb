// Stub of androidx.annotation.RequiresApi for the JVM tests (see AndroidStubs.kt).
@file:Suppress("unused", "PackageDirectoryMismatch")

package androidx.annotation

@Retention(AnnotationRetention.BINARY)
annotation class RequiresApi(val value: Int = 1, val api: Int = 1)
