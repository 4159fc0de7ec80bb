// Small helpers for building the screens in code (no XML layouts, no AndroidX).
package org.citizenwallet.demo.app

import android.app.Activity
import android.content.Context
import android.graphics.Color
import android.graphics.Typeface
import android.view.Gravity
import android.view.View
import android.view.ViewGroup
import android.widget.Button
import android.widget.LinearLayout
import android.widget.ScrollView
import android.widget.TextView
import org.citizenwallet.demo.ErrorText

fun Context.dp(v: Int): Int = (v * resources.displayMetrics.density).toInt()

fun Context.column(padding: Int = 16): LinearLayout = LinearLayout(this).apply {
    orientation = LinearLayout.VERTICAL
    setPadding(dp(padding), dp(padding), dp(padding), dp(padding))
}

/** A scrolling page holding `content`. */
fun Activity.page(content: View): ScrollView = ScrollView(this).apply { addView(content) }

fun Context.label(text: String, sizeSp: Float = 16f, bold: Boolean = false, color: Int = Color.BLACK): TextView =
    TextView(this).apply {
        this.text = text
        textSize = sizeSp
        setTextColor(color)
        if (bold) typeface = Typeface.DEFAULT_BOLD
        setPadding(0, dp(4), 0, dp(4))
    }

/** A Vietnamese line with its English translation under it, smaller and grey. */
fun Context.bilingual(vi: String, en: String, sizeSp: Float = 16f, bold: Boolean = false, color: Int = Color.BLACK): LinearLayout =
    LinearLayout(this).apply {
        orientation = LinearLayout.VERTICAL
        addView(label(vi, sizeSp, bold, color))
        addView(label(en, sizeSp - 2, false, if (color == Color.BLACK) Color.DKGRAY else color))
    }

fun Context.button(text: String, onClick: () -> Unit): Button = Button(this).apply {
    this.text = text
    isAllCaps = false
    setOnClickListener { onClick() }
    layoutParams = LinearLayout.LayoutParams(ViewGroup.LayoutParams.MATCH_PARENT, ViewGroup.LayoutParams.WRAP_CONTENT)
        .apply { topMargin = dp(8) }
}

fun Context.errorBox(e: ErrorText): LinearLayout =
    bilingual(e.vi, e.en, 15f, bold = true, color = Color.rgb(0xB3, 0x26, 0x1E)).apply { gravity = Gravity.START }

/** A thin horizontal rule. */
fun Context.rule(): View = View(this).apply {
    setBackgroundColor(Color.LTGRAY)
    layoutParams = LinearLayout.LayoutParams(ViewGroup.LayoutParams.MATCH_PARENT, dp(1)).apply {
        topMargin = dp(12); bottomMargin = dp(12)
    }
}
