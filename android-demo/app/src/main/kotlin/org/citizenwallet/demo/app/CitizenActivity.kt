// The citizen's side: first run (choose a sample person, set a PIN: the wallet is created under
// the Android Keystore key AND the PIN, then filled with that person's credentials), unlock
// (device key, or PIN), the credential cards, and choosing what a QR code shows.
package org.citizenwallet.demo.app

import android.app.Activity
import android.content.Intent
import android.graphics.Color
import android.os.Bundle
import android.text.InputType
import android.widget.CheckBox
import android.widget.EditText
import android.widget.LinearLayout
import android.widget.RadioButton
import android.widget.RadioGroup
import org.citizenwallet.Wallet
import org.citizenwallet.core.CredentialType
import org.citizenwallet.demo.CredentialCard
import org.citizenwallet.demo.describeError
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
        val col = column()
        val name = app.prefs.getString("person", null)?.let { app.people.fullName(it) }
        col.addView(bilingual(name ?: vi(R.string.my_documents), en(R.string.my_documents), 22f, bold = true))
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
