// The QR code, full screen, for the counter to scan: maximum brightness, the screen kept on,
// screenshots and the recent-apps thumbnail blocked (a screenshot could be replayed within the
// code's two minutes), and a countdown to the code's expiry. An expired code is greyed out; a
// tap makes a fresh one.
package org.citizenwallet.demo.app

import android.app.Activity
import android.graphics.Color
import android.os.Bundle
import android.os.Handler
import android.os.Looper
import android.view.Gravity
import android.view.WindowManager
import android.widget.LinearLayout
import android.widget.ProgressBar
import android.widget.TextView
import org.citizenwallet.demo.CitizenFlow
import org.citizenwallet.demo.ShownCode
import org.citizenwallet.demo.SystemClock
import org.citizenwallet.demo.describeError

class QrActivity : Activity() {
    private lateinit var app: DemoApp
    private lateinit var qr: QrView
    private lateinit var caption: TextView
    private lateinit var captionEn: TextView
    private lateinit var progress: ProgressBar
    private val ticker = Handler(Looper.getMainLooper())
    private var code: ShownCode? = null
    private var loading = false

    private val tick = object : Runnable {
        override fun run() {
            render()
            ticker.postDelayed(this, 250)
        }
    }

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        app = DemoApp.of(this)
        window.addFlags(WindowManager.LayoutParams.FLAG_SECURE or WindowManager.LayoutParams.FLAG_KEEP_SCREEN_ON)
        window.attributes = window.attributes.apply { screenBrightness = WindowManager.LayoutParams.BRIGHTNESS_OVERRIDE_FULL }

        val request = app.showRequest
        val col = column(20).apply {
            gravity = Gravity.CENTER_HORIZONTAL
            setBackgroundColor(Color.WHITE)
        }
        col.addView(bilingual(request?.titleVi ?: "", request?.titleEn ?: "", 20f, bold = true))
        qr = QrView(this).apply {
            setOnClickListener { if (isExpired()) refresh() }
            // TalkBack reads what the code is for (the picture itself says nothing to a listener).
            contentDescription = getString(R.string.qr_description, documentTitle())
        }
        col.addView(qr, LinearLayout.LayoutParams(LinearLayout.LayoutParams.MATCH_PARENT, LinearLayout.LayoutParams.WRAP_CONTENT))
        progress = ProgressBar(this, null, android.R.attr.progressBarStyleHorizontal).apply { max = 1000 }
        col.addView(progress, LinearLayout.LayoutParams(LinearLayout.LayoutParams.MATCH_PARENT, dp(8)))
        caption = label("", 22f, bold = true).apply { gravity = Gravity.CENTER }
        captionEn = label("", 16f, color = Color.DKGRAY).apply { gravity = Gravity.CENTER }
        col.addView(caption)
        col.addView(captionEn)
        col.addView(label(stacked(R.string.qr_instruction), 14f, color = Color.DKGRAY).apply { gravity = Gravity.CENTER })
        col.addView(button(both(R.string.done)) { finish() })
        setContentView(col)
        refresh()
    }

    override fun onResume() {
        super.onResume()
        ticker.post(tick)
    }

    override fun onPause() {
        ticker.removeCallbacks(tick)
        super.onPause()
    }

    /** The document's title in the phone's language, for the QR code's content description. */
    private fun documentTitle(): String {
        val request = app.showRequest ?: return ""
        return if (prefersVietnamese()) request.titleVi else request.titleEn
    }

    private fun isExpired(): Boolean = code?.countdown?.isExpired(SystemClock.nowUnix()) ?: false

    /** Makes a fresh presentation (a new signature and a new two-minute window). */
    private fun refresh() {
        val request = app.showRequest
        val wallet = app.wallet
        if (request == null || wallet == null) return finish() // locked meanwhile: back to unlock
        if (loading) return
        loading = true
        app.background({ CitizenFlow(wallet).show(request.credentialId, request.claims) }) { result ->
            loading = false
            result.onSuccess {
                code = it
                qr.bitmap = QrBitmap.of(it.matrix, 1) // one pixel per module; QrView scales it up crisply
                render()
            }.onFailure {
                // e.g. QrTooLarge: too many fields for one code.
                val text = describeError(it)
                caption.text = text.vi
                captionEn.text = text.en
                caption.setTextColor(Color.rgb(0xB3, 0x26, 0x1E))
            }
        }
    }

    private fun render() {
        val c = code ?: return
        val now = SystemClock.nowUnix()
        val countdown = c.countdown
        progress.progress = (countdown.fraction(now) * 1000).toInt()
        caption.text = countdown.captionVi(now)
        captionEn.text = countdown.captionEn(now)
        val expired = countdown.isExpired(now)
        qr.alpha = if (expired) 0.12f else 1f
        val description = getString(if (expired) R.string.qr_description_expired else R.string.qr_description, documentTitle())
        if (qr.contentDescription != description) qr.contentDescription = description
        caption.setTextColor(if (expired) Color.rgb(0xB3, 0x26, 0x1E) else Color.BLACK)
    }
}
