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
        col.addView(bilingual(R.string.home_title, 26f, bold = true))
        col.addView(label(stacked(R.string.home_intro), 14f, color = Color.DKGRAY))
        col.addView(button(stacked(R.string.home_citizen)) {
            startActivity(Intent(this, CitizenActivity::class.java))
        })
        col.addView(button(stacked(R.string.home_counter)) {
            startActivity(Intent(this, CounterActivity::class.java))
        })
        col.addView(rule())
        col.addView(button(both(R.string.reset_demo)) {
            AlertDialog.Builder(this)
                .setTitle(both(R.string.reset_demo_title))
                .setMessage(stacked(R.string.reset_demo_message))
                .setPositiveButton(both(R.string.delete)) { _, _ -> app.resetDemo() }
                .setNegativeButton(both(R.string.cancel), null)
                .show()
        })
        col.addView(label("citizen-wallet ${coreVersion()}", 12f, color = Color.GRAY))
        setContentView(page(col))
    }
}
