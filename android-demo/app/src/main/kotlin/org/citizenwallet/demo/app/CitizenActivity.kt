// The citizen's side: first run (choose a sample person, set a PIN: the wallet is created under
// the Android Keystore key AND the PIN, then filled with that person's credentials), unlock
// (device key, or PIN), the credential cards, and choosing what a QR code shows. Two-way
// (issue 12): read a counter's signed request, see who asks (name, role), for which claims and
// why, then accept (the answer QR, bound to that request) or decline.
package org.citizenwallet.demo.app

import android.app.Activity
import android.content.ClipboardManager
import android.content.Intent
import android.graphics.Color
import android.os.Bundle
import android.text.InputType
import android.view.View
import android.view.WindowManager
import android.widget.CheckBox
import android.widget.EditText
import android.widget.LinearLayout
import android.widget.RadioButton
import android.widget.RadioGroup
import org.citizenwallet.ReaderRequest
import org.citizenwallet.Wallet
import org.citizenwallet.core.CredentialType
import org.citizenwallet.demo.CredentialCard
import org.citizenwallet.demo.RequestFlow
import org.citizenwallet.demo.RequestScreen
import org.citizenwallet.demo.ShownCode
import org.citizenwallet.demo.describeError
import org.citizenwallet.demo.formatVnTime
import org.citizenwallet.demo.walletCards

class CitizenActivity : Activity() {
    private lateinit var app: DemoApp

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        app = DemoApp.of(this)
        title = both(R.string.citizen_title)
    }

    override fun onResume() {
        super.onResume()
        window.clearFlags(WindowManager.LayoutParams.FLAG_SECURE or WindowManager.LayoutParams.FLAG_KEEP_SCREEN_ON)
        val wallet = app.wallet
        when {
            wallet != null -> showCards(wallet)
            app.access.exists() -> showUnlock()
            else -> showSetup()
        }
    }

    private fun busy(text: Int) {
        val col = column(24)
        col.addView(bilingual(text, 18f))
        setContentView(col)
    }

    // ---- first run ---------------------------------------------------------------------------

    private fun showSetup(error: Throwable? = null) {
        val col = column()
        col.addView(bilingual(R.string.setup_title, 22f, bold = true))
        col.addView(label(stacked(R.string.setup_intro), 14f, color = Color.DKGRAY))
        val group = RadioGroup(this)
        app.people.keys.forEachIndexed { i, key ->
            group.addView(RadioButton(this).apply {
                id = 1000 + i
                text = app.people.fullName(key)
                textSize = 18f
                tag = key
            })
        }
        group.check(1000)
        col.addView(group)
        val pin = EditText(this).apply {
            hint = both(R.string.backup_pin_hint)
            inputType = InputType.TYPE_CLASS_NUMBER or InputType.TYPE_NUMBER_VARIATION_PASSWORD
        }
        col.addView(pin)
        col.addView(label(stacked(R.string.setup_key_note), 13f, color = Color.DKGRAY))
        error?.let { col.addView(errorBox(describeError(it))) }
        col.addView(button(both(R.string.create_wallet)) {
            val person = group.findViewById<RadioButton>(group.checkedRadioButtonId)?.tag as? String ?: return@button
            val code = pin.text.toString()
            busy(R.string.creating_wallet)
            app.launch({
                app.access.createAndSeedAsync(app.keyProvider, code, app.authorities, app.people, person)
            }) { result ->
                result.onSuccess { (wallet, seeded) ->
                    app.wallet = wallet
                    val checkIn = seeded.imported[CredentialType.CLINIC_CHECKIN]?.issued?.statusIndex
                    app.prefs.edit()
                        .putString("person", person)
                        .putLong("checkin_status_index", checkIn ?: -1L)
                        .apply()
                    showCards(wallet)
                }.onFailure { showSetup(it) }
            }
        })
        setContentView(page(col))
    }

    // ---- unlock ------------------------------------------------------------------------------

    private fun showUnlock(error: Throwable? = null) {
        val col = column()
        col.addView(bilingual(R.string.locked_title, 22f, bold = true))
        error?.let { col.addView(errorBox(describeError(it))) }
        col.addView(button(both(R.string.unlock_with_key)) {
            unlock { app.access.unlockWithKeyAsync(app.keyProvider) }
        })
        col.addView(rule())
        val pin = EditText(this).apply {
            hint = both(R.string.pin_hint)
            inputType = InputType.TYPE_CLASS_NUMBER or InputType.TYPE_NUMBER_VARIATION_PASSWORD
        }
        col.addView(pin)
        col.addView(button(both(R.string.unlock_with_pin)) {
            val code = pin.text.toString()
            unlock { app.access.unlockWithPinAsync(code) }
        })
        setContentView(page(col))
    }

    private fun unlock(open: suspend () -> Wallet) {
        busy(R.string.unlocking)
        app.launch(open) { result ->
            result.onSuccess {
                app.wallet = it
                showCards(it)
            }.onFailure { showUnlock(it) }
        }
    }

    // ---- cards -------------------------------------------------------------------------------

    private fun showCards(wallet: Wallet) {
        busy(R.string.opening_documents)
        app.background({ walletCards(wallet) }) { result ->
            result.onSuccess { renderCards(it) }.onFailure { showUnlock(it) }
        }
    }

    private fun renderCards(cards: List<CredentialCard>) {
        // Back from an answer QR: screenshots allowed again, the screen may sleep.
        window.clearFlags(WindowManager.LayoutParams.FLAG_SECURE or WindowManager.LayoutParams.FLAG_KEEP_SCREEN_ON)
        val col = column()
        val name = app.prefs.getString("person", null)?.let { app.people.fullName(it) }
        col.addView(bilingual(name ?: vi(R.string.my_documents), en(R.string.my_documents), 22f, bold = true))
        col.addView(button(stacked(R.string.read_counter_request)) { readRequest() })
        for (card in cards) {
            col.addView(rule())
            col.addView(bilingual(card.titleVi, card.titleEn, 18f, bold = true))
            for (c in card.claims) col.addView(label("${c.labelVi} · ${c.labelEn}: ${c.value}", 14f))
            if (card.type == CredentialType.CLINIC_CHECKIN) {
                col.addView(button(both(R.string.show_checkin_code)) {
                    show(ShowRequest(card.id, emptyList(), card.titleVi, card.titleEn))
                })
            } else if (card.choosable.isNotEmpty()) {
                col.addView(label(both(R.string.choose_claims), 14f, bold = true))
                val boxes = card.choosable.map { claim ->
                    val row = card.claims.first { it.name == claim }
                    CheckBox(this).apply {
                        text = "${row.labelVi} · ${row.labelEn}"
                        tag = claim
                        isChecked = claim in DEFAULT_CHOICE
                    }
                }
                val list = LinearLayout(this).apply { orientation = LinearLayout.VERTICAL }
                boxes.forEach(list::addView)
                col.addView(list)
                col.addView(button(both(R.string.make_qr_code)) {
                    val chosen = boxes.filter { it.isChecked }.map { it.tag as String }
                    show(ShowRequest(card.id, chosen, card.titleVi, card.titleEn))
                })
            }
        }
        col.addView(rule())
        col.addView(button(both(R.string.lock_wallet)) {
            app.lockWallet()
            showUnlock()
        })
        setContentView(page(col))
    }

    // ---- two-way: a counter's request -------------------------------------------------------

    /** Reads a counter's request QR text (copied from the scanner app: the library exports no
     * camera decoder that returns text) and checks it against the trust list. */
    private fun readRequest() {
        val wallet = app.wallet ?: return showUnlock()
        val clip = getSystemService(ClipboardManager::class.java)?.primaryClip
        val text = clip?.takeIf { it.itemCount > 0 }?.getItemAt(0)?.coerceToText(this)?.toString().orEmpty()
        busy(R.string.checking_request)
        val flow = RequestFlow(wallet, app.reader.trustList)
        app.background({ flow.read(text) }) { result ->
            result.onSuccess { (request, screen) -> renderRequest(flow, request, screen) }
                .onFailure { renderRequestError(it) }
        }
    }

    private fun renderRequestError(e: Throwable) {
        val col = column()
        col.addView(bilingual(R.string.request_refused, 22f, bold = true, color = Color.rgb(0xB3, 0x26, 0x1E)))
        col.addView(errorBox(describeError(e)))
        col.addView(button(both(R.string.back_to_documents)) { app.wallet?.let(::showCards) ?: showUnlock() })
        setContentView(page(col))
    }

    /** Who asks, their role, the document and claims asked, why, until when; accept or decline. */
    private fun renderRequest(flow: RequestFlow, request: ReaderRequest, s: RequestScreen) {
        val col = column()
        val heading = bilingual(R.string.request_title, 22f, bold = true)
        // TalkBack: one sentence with the reader, the claims and the purpose, in the phone's language.
        val vietnamese = prefersVietnamese()
        heading.contentDescription = getString(
            R.string.request_description,
            if (vietnamese) s.readerVi else s.readerEn,
            if (vietnamese) s.roleVi else s.roleEn,
            (if (vietnamese) s.claimsVi else s.claimsEn).joinToString(", "),
            if (vietnamese) s.purposeVi else s.purposeEn,
        )
        heading.importantForAccessibility = View.IMPORTANT_FOR_ACCESSIBILITY_YES
        heading.isFocusable = true
        col.addView(heading)
        heading.announceForAccessibility(heading.contentDescription)
        col.addView(rule())
        col.addView(label(both(R.string.request_reader), 13f, color = Color.DKGRAY))
        col.addView(bilingual(s.readerVi, s.readerEn, 18f, bold = true))
        col.addView(label(both(R.string.request_role), 13f, color = Color.DKGRAY))
        col.addView(bilingual(s.roleVi, s.roleEn, 16f))
        col.addView(label(both(R.string.request_document), 13f, color = Color.DKGRAY))
        col.addView(bilingual(s.documentVi, s.documentEn, 16f))
        col.addView(label(both(R.string.request_claims), 13f, color = Color.DKGRAY))
        s.claimsVi.zip(s.claimsEn).forEach { (v, e) -> col.addView(label("• $v · $e", 16f, bold = true)) }
        col.addView(label(both(R.string.request_purpose), 13f, color = Color.DKGRAY))
        col.addView(bilingual(s.purposeVi, s.purposeEn, 16f))
        val until = formatVnTime(s.expiresAt)
        col.addView(label("${vi(R.string.request_valid_until, until)} · ${en(R.string.request_valid_until, until)}", 13f, color = Color.DKGRAY))
        col.addView(rule())
        col.addView(button(both(R.string.request_accept)) {
            busy(R.string.making_answer)
            app.background({ flow.answer(request) }) { result ->
                result.onSuccess { renderAnswer(it, s) }.onFailure { renderRequestError(it) }
            }
        })
        col.addView(button(both(R.string.request_decline)) {
            // Nothing is sent or kept: the counter's request simply expires.
            app.wallet?.let(::showCards) ?: showUnlock()
        })
        setContentView(page(col))
    }

    /** The answer QR, bound to the request: for the counter's camera. Screenshots blocked. */
    private fun renderAnswer(code: ShownCode, s: RequestScreen) {
        window.addFlags(WindowManager.LayoutParams.FLAG_SECURE or WindowManager.LayoutParams.FLAG_KEEP_SCREEN_ON)
        val col = column(20).apply { setBackgroundColor(Color.WHITE) }
        col.addView(bilingual(R.string.answer_title, 20f, bold = true))
        val qr = QrView(this).apply {
            bitmap = QrBitmap.of(code.matrix, 1) // one pixel per module; QrView scales it up crisply
            contentDescription = getString(R.string.answer_qr_description, if (prefersVietnamese()) s.readerVi else s.readerEn)
        }
        col.addView(qr, LinearLayout.LayoutParams(LinearLayout.LayoutParams.MATCH_PARENT, LinearLayout.LayoutParams.WRAP_CONTENT))
        val until = formatVnTime(code.expiresAt)
        col.addView(label("${vi(R.string.request_valid_until, until)} · ${en(R.string.request_valid_until, until)}", 13f, color = Color.DKGRAY))
        col.addView(label(stacked(R.string.answer_instruction), 14f, color = Color.DKGRAY))
        col.addView(button(both(R.string.done)) { app.wallet?.let(::showCards) ?: showUnlock() })
        setContentView(col)
    }

    private fun show(request: ShowRequest) {
        // In memory, not in the Intent: no personal data in Intents, Bundles or saved state.
        app.showRequest = request
        startActivity(Intent(this, QrActivity::class.java))
    }

    companion object {
        /** Pre-ticked claims when choosing: name and date of birth only (data minimisation). */
        private val DEFAULT_CHOICE = setOf("full_name", "dob")
    }
}
