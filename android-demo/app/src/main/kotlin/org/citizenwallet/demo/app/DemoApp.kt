// The app's shared state: the demo authorities, the sample people (assets/people.json), the
// wallet file and the unlocked wallet, one background thread for library calls, and the wallet
// locked whenever the app leaves the screen.
package org.citizenwallet.demo.app

import android.app.Activity
import android.app.Application
import android.app.Application.ActivityLifecycleCallbacks
import android.os.Bundle
import android.os.Handler
import android.os.Looper
import org.citizenwallet.Wallet
import org.citizenwallet.demo.Counter
import org.citizenwallet.demo.DemoAuthorities
import org.citizenwallet.demo.DemoReader
import org.citizenwallet.demo.RequestingCounter
import org.citizenwallet.demo.SamplePeople
import org.citizenwallet.demo.ScanResult
import org.citizenwallet.demo.WalletAccess
import java.io.File
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.launch

/** What the QR screen shows: a credential and the claims the citizen chose (empty: check-in). */
data class ShowRequest(val credentialId: String, val claims: List<String>, val titleVi: String, val titleEn: String)

class DemoApp : Application() {
    private val executor: ExecutorService = Executors.newSingleThreadExecutor()
    private val main = Handler(Looper.getMainLooper())
    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.Main.immediate)

    val authorities: DemoAuthorities by lazy { DemoAuthorities() }
    val people: SamplePeople by lazy {
        SamplePeople(assets.open("people.json").bufferedReader(Charsets.UTF_8).use { it.readText() })
    }

    /** The wallet database, outside Auto Backup (its data key is wrapped by a device-bound key). */
    val access: WalletAccess by lazy { WalletAccess(File(noBackupFilesDir, "wallet.db").path) }
    val keyProvider: AndroidKeystoreKeyProvider by lazy { AndroidKeystoreKeyProvider() }

    /** The counter, trusting the demo authorities (the same on every phone running the demo). */
    val counter: Counter by lazy { authorities.counter() }

    /** The demo clinic's reader (fixed public seed) and the trust list naming it: the citizen's
     * side checks a counter's request against it. */
    val reader: DemoReader by lazy { DemoReader(authorities) }

    /** The counter with a screen (two-way): shows requests, accepts each answer once. */
    val requestingCounter: RequestingCounter by lazy { reader.counter(authorities) }

    /** The unlocked wallet, or null. */
    @Volatile
    var wallet: Wallet? = null

    var showRequest: ShowRequest? = null
    var lastScan: ScanResult? = null

    /** Whether the camera reads an answer to this phone's request (two-way) rather than a code. */
    var scanningAnswer = false

    private var started = 0

    override fun onCreate() {
        super.onCreate()
        registerActivityLifecycleCallbacks(object : ActivityLifecycleCallbacks {
            override fun onActivityStarted(activity: Activity) {
                started++
            }

            override fun onActivityStopped(activity: Activity) {
                // The app left the screen: lock the wallet (its keys leave memory).
                if (--started == 0 && !activity.isChangingConfigurations) lockWallet()
            }

            override fun onActivityCreated(activity: Activity, savedInstanceState: Bundle?) {}
            override fun onActivityResumed(activity: Activity) {}
            override fun onActivityPaused(activity: Activity) {}
            override fun onActivitySaveInstanceState(activity: Activity, outState: Bundle) {}
            override fun onActivityDestroyed(activity: Activity) {}
        })
    }

    fun lockWallet() {
        val w = wallet ?: return
        wallet = null
        background({ w.lock(); w.close() }) {}
    }

    /** Runs `work` off the main thread (library calls can take a moment: Argon2 for a PIN,
     * camera-frame decoding), then `done` on the main thread. */
    fun <T> background(work: () -> T, done: (Result<T>) -> Unit) {
        executor.execute {
            val result = runCatching(work)
            main.post { done(result) }
        }
    }

    /** Runs `work` in a coroutine on the main thread, then `done` there. `work` calls the
     * library's async variants (`Wallet.openAsync`, `createAsync`, `verifyLumaAsync`...): they
     * suspend while the library works on a thread of its own, so the main thread never waits
     * (Argon2id for a PIN, the keystore, decoding a picture). */
    fun <T> launch(work: suspend () -> T, done: (Result<T>) -> Unit) {
        scope.launch {
            val result = try {
                Result.success(work())
            } catch (e: CancellationException) {
                throw e
            } catch (e: Exception) {
                Result.failure(e)
            }
            done(result)
        }
    }

    /** Small non-secret demo state: the chosen sample person, the check-in's status index. */
    val prefs get() = getSharedPreferences("demo", MODE_PRIVATE)

    /** Deletes the wallet, its keystore key and the demo state. */
    fun resetDemo() {
        lockWallet()
        background({
            access.delete()
            AndroidKeystoreKeyProvider.deleteKey()
        }) {}
        prefs.edit().clear().apply()
    }

    companion object {
        fun of(activity: Activity): DemoApp = activity.application as DemoApp
    }
}
