// A command-line runner for the JUnit 4 tests (android-demo/test-jvm.sh): prints each test's
// outcome and the closing line "android-demo: N passed, N failed"; exits 1 on any failure or
// when no test ran. Gradle does not use it (`gradle :shared:test` runs the same classes).
package org.citizenwallet.demo

import org.junit.runner.Description
import org.junit.runner.JUnitCore
import org.junit.runner.notification.Failure
import org.junit.runner.notification.RunListener
import kotlin.system.exitProcess

fun main() {
    val core = JUnitCore()
    val failed = mutableSetOf<Description>()
    val skipped = mutableSetOf<Description>()
    core.addListener(object : RunListener() {
        override fun testFailure(failure: Failure) {
            failed += failure.description
            println("FAIL  ${failure.description.methodName ?: failure.description.displayName}")
            println(failure.trace.prependIndent("      "))
        }

        override fun testAssumptionFailure(failure: Failure) {
            skipped += failure.description
            println("SKIP  ${failure.description.methodName}: ${failure.message}")
        }

        override fun testFinished(description: Description) {
            if (description !in failed && description !in skipped) println("ok    ${description.methodName}")
        }
    })
    val result = core.run(ClinicFlowTest::class.java, TwoWayTest::class.java)
    val nFailed = result.failureCount
    val nSkipped = skipped.size
    val nPassed = result.runCount - nFailed - nSkipped
    val tail = if (nSkipped > 0) ", $nSkipped skipped" else ""
    println("android-demo: $nPassed passed, $nFailed failed$tail")
    exitProcess(if (nFailed == 0 && nPassed > 0) 0 else 1)
}
