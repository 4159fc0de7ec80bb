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
        title = "Người dân · Citizen"
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

    private fun busy(vi: String, en: String) {
        val col = column(24)
        col.addView(bilingual(vi, en, 18f))
        setContentView(col)
    }

    // ---- first run ---------------------------------------------------------------------------

    private fun showSetup(error: Throwable? = null) {
        val col = column()
        col.addView(bilingual("Tạo ví", "Create the wallet", 22f, bold = true))
        col.addView(label(
            "Chọn một người mẫu: cơ quan cấp (giả lập) sẽ cấp giấy tờ của người đó vào ví này.\n" +
                "Choose a sample person: the (simulated) authorities issue their documents to this wallet.",
            14f, color = Color.DKGRAY,
        ))
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
            hint = "Mã PIN dự phòng (6 số) · Backup PIN (6 digits)"
            inputType = InputType.TYPE_CLASS_NUMBER or InputType.TYPE_NUMBER_VARIATION_PASSWORD
        }
        col.addView(pin)
        col.addView(label(
            "Ví được khóa bằng khóa bảo mật của thiết bị (Android Keystore); mã PIN mở ví khi khóa đó không dùng được.\n" +
                "The wallet is locked by the phone's keystore key; the PIN opens it when that key is unavailable.",
            13f, color = Color.DKGRAY,
        ))
        error?.let { col.addView(errorBox(describeError(it))) }
        col.addView(button("Tạo ví và nhận giấy tờ · Create wallet and receive documents") {
            val person = group.findViewById<RadioButton>(group.checkedRadioButtonId)?.tag as? String ?: return@button
            val code = pin.text.toString()
            busy("Đang tạo ví và nhận giấy tờ…", "Creating the wallet and receiving documents…")
            app.background({
                app.access.createAndSeed(app.keyProvider, code, app.authorities, app.people, person)
            }) { result ->
                result.onSuccess { (wallet, seeded) ->
                    app.wallet = wallet
                    val checkIn = seeded.imported[CredentialType.CLINIC_CHECKIN]?.issued?.statusIndex
                    app.prefs.edit()
                        .putString("person", person)
                        .putLong("checkin_status_index", checkIn?.toLong() ?: -1L)
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
        col.addView(bilingual("Ví đang khóa", "The wallet is locked", 22f, bold = true))
        error?.let { col.addView(errorBox(describeError(it))) }
        col.addView(button("Mở khóa bằng thiết bị · Unlock with this phone's key") {
            unlock { app.access.unlockWithKey(app.keyProvider) }
        })
        col.addView(rule())
        val pin = EditText(this).apply {
            hint = "Mã PIN · PIN"
            inputType = InputType.TYPE_CLASS_NUMBER or InputType.TYPE_NUMBER_VARIATION_PASSWORD
        }
        col.addView(pin)
        col.addView(button("Mở bằng mã PIN · Unlock with the PIN") {
            val code = pin.text.toString()
            unlock { app.access.unlockWithPin(code) }
        })
        setContentView(page(col))
    }

    private fun unlock(open: () -> Wallet) {
        busy("Đang mở ví…", "Unlocking…")
        app.background(open) { result ->
            result.onSuccess {
                app.wallet = it
                showCards(it)
            }.onFailure { showUnlock(it) }
        }
    }

    // ---- cards -------------------------------------------------------------------------------

    private fun showCards(wallet: Wallet) {
        busy("Đang mở giấy tờ…", "Opening documents…")
        app.background({ walletCards(wallet) }) { result ->
            result.onSuccess { renderCards(it) }.onFailure { showUnlock(it) }
        }
    }

    private fun renderCards(cards: List<CredentialCard>) {
        val col = column()
        val name = app.prefs.getString("person", null)?.let { app.people.fullName(it) }
        col.addView(bilingual(name ?: "Giấy tờ của tôi", "My documents", 22f, bold = true))
        for (card in cards) {
            col.addView(rule())
            col.addView(bilingual(card.titleVi, card.titleEn, 18f, bold = true))
            for (c in card.claims) col.addView(label("${c.labelVi} · ${c.labelEn}: ${c.value}", 14f))
            if (card.type == CredentialType.CLINIC_CHECKIN) {
                col.addView(button("Hiện mã tiếp đón · Show the check-in code") {
                    show(ShowRequest(card.id, emptyList(), card.titleVi, card.titleEn))
                })
            } else if (card.choosable.isNotEmpty()) {
                col.addView(label("Chọn mục sẽ hiện trong mã QR · Choose what the QR code shows:", 14f, bold = true))
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
                col.addView(button("Tạo mã QR · Make the QR code") {
                    val chosen = boxes.filter { it.isChecked }.map { it.tag as String }
                    show(ShowRequest(card.id, chosen, card.titleVi, card.titleEn))
                })
            }
        }
        col.addView(rule())
        col.addView(button("Khóa ví · Lock the wallet") {
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
