// Home: the two sides of the demo. One phone can play both; two phones running the demo trust
// each other's codes (the demo authorities use the same public seeds everywhere).
package org.citizenwallet.demo.app

import android.app.Activity
import android.app.AlertDialog
import android.content.Intent
import android.graphics.Color
import android.os.Bundle
import org.citizenwallet.coreVersion

class MainActivity : Activity() {
    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        val app = DemoApp.of(this)
        val col = column(24)
        col.addView(bilingual("Ví giấy tờ công dân", "Citizen wallet", 26f, bold = true))
        col.addView(label(
            "Bản thử nghiệm với dữ liệu giả lập. Không cần mạng.\nA demo on synthetic data. Works offline.",
            14f, color = Color.DKGRAY,
        ))
        col.addView(button("Người dân: giấy tờ và mã QR\nCitizen: documents and QR codes") {
            startActivity(Intent(this, CitizenActivity::class.java))
        })
        col.addView(button("Quầy tiếp đón: quét và kiểm tra mã\nClinic counter: scan and verify") {
            startActivity(Intent(this, CounterActivity::class.java))
        })
        col.addView(rule())
        col.addView(button("Đặt lại demo · Reset the demo") {
            AlertDialog.Builder(this)
                .setTitle("Đặt lại demo? · Reset the demo?")
                .setMessage("Xóa ví và khóa của nó trên máy này.\nDeletes the wallet and its key on this phone.")
                .setPositiveButton("Xóa · Delete") { _, _ -> app.resetDemo() }
                .setNegativeButton("Hủy · Cancel", null)
                .show()
        })
        col.addView(label("citizen-wallet ${coreVersion()}", 12f, color = Color.GRAY))
        setContentView(page(col))
    }
}
