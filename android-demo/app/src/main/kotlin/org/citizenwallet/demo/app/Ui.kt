// Small helpers for building the screens in code (no XML layouts, no AndroidX).
package org.citizenwallet.demo.app

import android.app.Activity
import android.content.Context
import android.content.res.Configuration
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
import java.util.Locale

// ---- text from res/values (English) and res/values-vi (Vietnamese) ---------------------------
// The demo shows every line in Vietnamese with English under it, whatever the phone's language,
// so it reads each string in both languages explicitly. An app that shows one language calls
// getString(id) as usual; accessibility texts here do (they follow the phone's language).

private val VIETNAMESE: Locale = Locale.forLanguageTag("vi")

private fun Context.inLocale(locale: Locale): Context =
    createConfigurationContext(Configuration(resources.configuration).apply { setLocale(locale) })

/** The string in Vietnamese (res/values-vi). */
fun Context.vi(id: Int, vararg args: Any): String = inLocale(VIETNAMESE).stringOf(id, args)

/** The string in English (res/values, the default resources). */
fun Context.en(id: Int, vararg args: Any): String = inLocale(Locale.ENGLISH).stringOf(id, args)

// getString(id) for a plain string: a format call only when there are arguments.
private fun Context.stringOf(id: Int, args: Array<out Any>): String =
    if (args.isEmpty()) getString(id) else getString(id, *args)

/** "Vietnamese · English" on one line (short buttons, titles). */
fun Context.both(id: Int, vararg args: Any): String = "${vi(id, *args)} · ${en(id, *args)}"

/** Vietnamese, then English on the next line (longer texts). */
fun Context.stacked(id: Int, vararg args: Any): String = "${vi(id, *args)}\n${en(id, *args)}"

/** Whether the phone's language is Vietnamese: picks the language of texts the library gives in
 * both (a verdict's headline and sentence) for accessibility. */
fun Context.prefersVietnamese(): Boolean =
    resources.configuration.locales[0].language == VIETNAMESE.language

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

/** [bilingual] of a string resource. */
fun Context.bilingual(id: Int, sizeSp: Float = 16f, bold: Boolean = false, color: Int = Color.BLACK): LinearLayout =
    bilingual(vi(id), en(id), sizeSp, bold, color)

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
