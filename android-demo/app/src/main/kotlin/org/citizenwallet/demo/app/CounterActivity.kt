// The clinic counter: scan a citizen's QR code with the camera, pick a picture of one, or paste
// its text; the verdict screen says in Vietnamese and English whether it is valid, shows the
// disclosed claims, or the reason for rejection. Everything is verified on this phone, offline.
// Two-way (issue 12): the counter shows a signed request QR, the citizen's wallet answers it,
// and the counter accepts that answer once. Pasted text goes through the library's one scanner
// (`scanText`), so a chip ID card's printed QR shows as UNVERIFIED card data, never green.
package org.citizenwallet.demo.app

import android.app.Activity
import android.content.ClipboardManager
import android.content.Intent
import android.graphics.Color
import android.os.Bundle
import android.view.Gravity
import android.view.View
import android.view.WindowManager
import android.widget.LinearLayout
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import org.citizenwallet.IdCardData
import org.citizenwallet.core.CredentialType
import org.citizenwallet.core.Sex
import org.citizenwallet.demo.ErrorText
import org.citizenwallet.demo.ScanResult
import org.citizenwallet.demo.Tone
import org.citizenwallet.demo.VerdictScreen
import org.citizenwallet.demo.describeError
import org.citizenwallet.demo.formatVnTime

class CounterActivity : Activity() {
    private lateinit var app: DemoApp
    private lateinit var result: LinearLayout

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        app = DemoApp.of(this)
        title = both(R.string.counter_title)
        val col = column()
        col.addView(button(both(R.string.scan_with_camera)) {
            app.scanningAnswer = false
            startActivityForResult(Intent(this, ScanActivity::class.java), REQ_SCAN)
        })
        col.addView(button(both(R.string.pick_picture)) {
            val pick = Intent(Intent.ACTION_OPEN_DOCUMENT).addCategory(Intent.CATEGORY_OPENABLE).setType("image/*")
            startActivityForResult(pick, REQ_PICK)
        })
        col.addView(button(both(R.string.paste_text)) {
            val text = clipboardText()
            verify { app.counter.scanText(text) }
        })
        col.addView(button(stacked(R.string.two_way_show_request)) {
            showRequestQr()
        })
        col.addView(button(stacked(R.string.revoke_demo)) {
            revokeDemo()
        })
        result = column(0)
        col.addView(rule())
        col.addView(result)
        setContentView(page(col))
    }

    override fun onActivityResult(requestCode: Int, resultCode: Int, data: Intent?) {
        super.onActivityResult(requestCode, resultCode, data)
        if (resultCode != RESULT_OK) return
        when (requestCode) {
            REQ_SCAN, REQ_SCAN_ANSWER -> {
                app.scanningAnswer = false
                app.lastScan?.let(::show)
            }
            REQ_PICK -> {
                val uri = data?.data ?: return
                verifyAsync {
                    // Decoding the file is blocking I/O: the IO dispatcher; reading the code in
                    // it, the library's own thread (scanLumaAsync).
                    val picture = withContext(Dispatchers.IO) {
                        QrBitmap.decodeForScan(contentResolver, uri)?.let(QrBitmap::luma)
                    } ?: return@verifyAsync ScanResult.Unreadable(vi(R.string.not_a_picture), en(R.string.not_a_picture))
                    val (w, h, luma) = picture
                    app.counter.scanLumaAsync(w, h, luma)
                }
            }
        }
    }

    private fun verify(scan: () -> ScanResult) {
        result.removeAllViews()
        result.addView(bilingual(R.string.checking))
        app.background(scan) { r -> r.onSuccess(::show).onFailure { showError(describeError(it)) } }
    }

    private fun verifyAsync(scan: suspend () -> ScanResult) {
        result.removeAllViews()
        result.addView(bilingual(R.string.checking))
        app.launch(scan) { r -> r.onSuccess(::show).onFailure { showError(describeError(it)) } }
    }

    private fun showError(e: ErrorText) {
        result.removeAllViews()
        result.addView(errorBox(e))
    }

    private fun show(scan: ScanResult) {
        when (scan) {
            is ScanResult.Unreadable -> showError(ErrorText(scan.messageVi, scan.messageEn))
            is ScanResult.Checked -> renderVerdict(scan.screen)
            is ScanResult.IdCard -> renderIdCard(scan.card)
        }
    }

    // ---- two-way: the request QR, then the citizen's answer ----------------------------------

    /** Makes a signed check-in request and shows its QR code for the citizen's wallet to scan,
     * with the two ways to read the answer back. */
    private fun showRequestQr() {
        result.removeAllViews()
        result.addView(bilingual(R.string.checking))
        app.background({ app.requestingCounter.checkInRequest() }) { r ->
            result.removeAllViews()
            r.onSuccess { request ->
                // The citizen's phone scans this screen: keep it on while the request is shown.
                window.addFlags(WindowManager.LayoutParams.FLAG_KEEP_SCREEN_ON)
                result.addView(bilingual(R.string.two_way_request_title, 20f, bold = true))
                val qr = QrView(this).apply {
                    bitmap = QrBitmap.of(request.matrix, 1) // one pixel per module; QrView scales it up
                    // TalkBack: the picture says nothing to a listener.
                    contentDescription = getString(R.string.request_qr_description)
                }
                result.addView(qr, LinearLayout.LayoutParams(LinearLayout.LayoutParams.MATCH_PARENT, LinearLayout.LayoutParams.WRAP_CONTENT))
                result.addView(label(stacked(R.string.two_way_instruction), 14f, color = Color.DKGRAY).apply { gravity = Gravity.CENTER })
                val until = formatVnTime(request.expiresAt)
                result.addView(label("${vi(R.string.request_valid_until, until)} · ${en(R.string.request_valid_until, until)}", 13f, color = Color.DKGRAY))
                result.addView(button(both(R.string.scan_answer_with_camera)) {
                    app.scanningAnswer = true
                    startActivityForResult(Intent(this, ScanActivity::class.java), REQ_SCAN_ANSWER)
                })
                result.addView(button(both(R.string.paste_answer)) {
                    val text = clipboardText()
                    verify { ScanResult.Checked(app.requestingCounter.scanAnswer(text)) }
                })
            }.onFailure { showError(describeError(it)) }
        }
    }

    private fun clipboardText(): String {
        val clip = getSystemService(ClipboardManager::class.java)?.primaryClip
        return clip?.takeIf { it.itemCount > 0 }?.getItemAt(0)?.coerceToText(this)?.toString().orEmpty()
    }

    // ---- a chip ID card's printed QR: unverified data, its own colour ------------------------

    private fun renderIdCard(card: IdCardData) {
        window.clearFlags(WindowManager.LayoutParams.FLAG_KEEP_SCREEN_ON)
        result.removeAllViews()
        // Blue: neither the green of a verified code nor the red of a refused one.
        val banner = column(16).apply { setBackgroundColor(Color.rgb(0x1F, 0x4E, 0x9C)) }
        banner.addView(label(vi(R.string.id_card_headline), 26f, bold = true, color = Color.WHITE))
        banner.addView(label(en(R.string.id_card_headline), 16f, color = Color.WHITE))
        val vietnamese = prefersVietnamese()
        banner.contentDescription = getString(
            R.string.id_card_description,
            if (vietnamese) card.messageVi else card.messageEn,
        )
        banner.importantForAccessibility = View.IMPORTANT_FOR_ACCESSIBILITY_YES
        banner.isFocusable = true
        result.addView(banner)
        banner.announceForAccessibility(banner.contentDescription)
        result.addView(label(card.messageVi, 16f, bold = true))
        result.addView(label(card.messageEn, 14f, color = Color.DKGRAY))
        result.addView(label(stacked(R.string.id_card_compare), 14f, color = Color.DKGRAY))
        val sex = when (card.sex) {
            Sex.MALE -> R.string.sex_male
            Sex.FEMALE -> R.string.sex_female
            Sex.OTHER -> R.string.sex_other
        }
        val rows = listOfNotNull(
            R.string.field_full_name to card.fullName,
            R.string.field_citizen_id to card.citizenId,
            card.oldId?.let { R.string.field_old_id to it },
            R.string.field_date_of_birth to card.dateOfBirth,
            R.string.field_sex to both(sex),
            R.string.field_address to card.address,
            card.issueDate?.let { R.string.field_issue_date to it },
        )
        for ((name, value) in rows) {
            result.addView(label(both(name), 13f, color = Color.DKGRAY))
            result.addView(label(value, 20f, bold = true))
        }
    }

    private fun renderVerdict(v: VerdictScreen) {
        window.clearFlags(WindowManager.LayoutParams.FLAG_KEEP_SCREEN_ON)
        result.removeAllViews()
        val color = when (v.tone) {
            Tone.VALID -> Color.rgb(0x1B, 0x7F, 0x3B)
            Tone.STATUS_NOT_CURRENT -> Color.rgb(0xB2, 0x6A, 0x00)
            Tone.INVALID -> Color.rgb(0xB3, 0x26, 0x1E)
        }
        val banner = column(16).apply { setBackgroundColor(color) }
        banner.addView(label(v.headlineVi, 30f, bold = true, color = Color.WHITE))
        banner.addView(label(v.headlineEn, 18f, color = Color.WHITE))
        // TalkBack: one element saying the verdict, its reason and the document in the phone's
        // language (colour alone says nothing), announced as soon as it appears.
        val vietnamese = prefersVietnamese()
        banner.contentDescription = getString(
            R.string.verdict_description,
            if (vietnamese) v.headlineVi else v.headlineEn,
            if (vietnamese) v.messageVi else v.messageEn,
            (if (vietnamese) v.documentVi else v.documentEn).orEmpty(),
        ).trim()
        banner.importantForAccessibility = View.IMPORTANT_FOR_ACCESSIBILITY_YES
        banner.isFocusable = true
        result.addView(banner)
        banner.announceForAccessibility(banner.contentDescription)
        result.addView(label(v.messageVi, 16f, bold = true))
        result.addView(label(v.messageEn, 14f, color = Color.DKGRAY))
        if (v.documentVi != null) result.addView(bilingual(v.documentVi!!, v.documentEn.orEmpty(), 18f, bold = true))
        if (v.issuerVi != null) result.addView(label("${both(R.string.issuer)}: ${v.issuerVi} · ${v.issuerEn}", 14f))
        for (c in v.claims) {
            result.addView(label("${c.labelVi} · ${c.labelEn}", 13f, color = Color.DKGRAY))
            result.addView(label(c.value, 22f, bold = true))
        }
        if (v.facts.isNotEmpty()) result.addView(rule())
        for (f in v.facts) result.addView(label("${f.labelVi} · ${f.labelEn}: ${f.value}", 13f, color = Color.DKGRAY))
    }

    /** The issuer (simulated on this phone) revokes the check-in card this phone's wallet holds,
     * and the counter installs the new status list: that card's codes are now refused. */
    private fun revokeDemo() {
        val index = app.prefs.getLong("checkin_status_index", -1L)
        if (index < 0) {
            showError(ErrorText(vi(R.string.no_wallet_yet), en(R.string.no_wallet_yet)))
            return
        }
        app.background({
            app.counter.updateStatusList(app.authorities.revoke(CredentialType.CLINIC_CHECKIN, index))
        }) { r ->
            result.removeAllViews()
            r.onSuccess {
                result.addView(bilingual(vi(R.string.revoked, index), en(R.string.revoked, index)))
            }.onFailure { showError(describeError(it)) }
        }
    }

    companion object {
        private const val REQ_SCAN = 1
        private const val REQ_PICK = 2
        private const val REQ_SCAN_ANSWER = 3
    }
}
