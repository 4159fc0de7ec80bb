// QR codes to and from Bitmaps: the citizen's screen draws the module matrix; the counter turns
// a picked photo into the luma plane the verifier reads. The pixel work is :shared's QrRaster,
// which the JVM tests check against the verifier.
package org.citizenwallet.demo.app

import android.content.ContentResolver
import android.content.Context
import android.graphics.Bitmap
import android.graphics.BitmapFactory
import android.graphics.Canvas
import android.graphics.Paint
import android.graphics.Rect
import android.net.Uri
import android.view.View
import org.citizenwallet.QrMatrix
import org.citizenwallet.demo.QrRaster
import kotlin.math.sqrt

object QrBitmap {
    /** The verifier reads images up to 2^20 pixels: stay under it. */
    const val MAX_SCAN_PIXELS = 1_000_000

    /** The code as a Bitmap at the largest whole scale that fits `maxSidePx`, quiet zone included. */
    fun of(matrix: QrMatrix, maxSidePx: Int): Bitmap {
        val scale = QrRaster.fitScale(matrix, maxSidePx)
        val side = QrRaster.side(matrix, scale)
        return Bitmap.createBitmap(QrRaster.argb(matrix, scale), side, side, Bitmap.Config.ARGB_8888)
    }

    /** A picked image, decoded at a size the verifier accepts, or null when it is not an image. */
    fun decodeForScan(resolver: ContentResolver, uri: Uri): Bitmap? {
        val bounds = BitmapFactory.Options().apply { inJustDecodeBounds = true }
        resolver.openInputStream(uri)?.use { BitmapFactory.decodeStream(it, null, bounds) }
        if (bounds.outWidth <= 0 || bounds.outHeight <= 0) return null
        var sample = 1
        while (bounds.outWidth.toLong() * bounds.outHeight / (sample.toLong() * sample) > 4L * MAX_SCAN_PIXELS) sample *= 2
        val opts = BitmapFactory.Options().apply { inSampleSize = sample }
        val bitmap = resolver.openInputStream(uri)?.use { BitmapFactory.decodeStream(it, null, opts) } ?: return null
        return fitPixels(bitmap, MAX_SCAN_PIXELS)
    }

    /** The 8-bit luma plane of a bitmap (width, height, bytes). */
    fun luma(bitmap: Bitmap): Triple<Int, Int, ByteArray> {
        val b = fitPixels(bitmap, MAX_SCAN_PIXELS)
        val pixels = IntArray(b.width * b.height)
        b.getPixels(pixels, 0, b.width, 0, 0, b.width, b.height)
        return Triple(b.width, b.height, QrRaster.lumaFromArgb(pixels))
    }

    private fun fitPixels(b: Bitmap, max: Int): Bitmap {
        val n = b.width.toLong() * b.height
        if (n <= max) return b
        val f = sqrt(max.toDouble() / n)
        return Bitmap.createScaledBitmap(b, maxOf(1, (b.width * f).toInt()), maxOf(1, (b.height * f).toInt()), true)
    }
}

/** Shows a QR bitmap as large as fits, scaled by whole pixels without smoothing (crisp modules). */
class QrView(context: Context) : View(context) {
    private val paint = Paint().apply { isFilterBitmap = false; isAntiAlias = false }
    private val dst = Rect()

    var bitmap: Bitmap? = null
        set(value) {
            field = value
            invalidate()
        }

    override fun onMeasure(widthMeasureSpec: Int, heightMeasureSpec: Int) {
        val w = MeasureSpec.getSize(widthMeasureSpec)
        setMeasuredDimension(w, w) // square
    }

    override fun onDraw(canvas: Canvas) {
        val b = bitmap ?: return
        val k = maxOf(1, minOf(width, height) / b.width)
        val side = b.width * k
        val left = (width - side) / 2
        val top = (height - side) / 2
        dst.set(left, top, left + side, top + side)
        canvas.drawBitmap(b, null, dst, paint)
    }
}
