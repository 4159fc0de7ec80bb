// QR modules to pixels and pixels to luma, without Android: the app turns the ARGB array into a
// Bitmap (app/.../QrBitmap.kt) and a picked photo's pixels into the luma plane the verifier
// reads. The JVM tests feed the drawn pixels back to the verifier, so what the citizen's screen
// draws is what the counter reads.
package org.citizenwallet.demo

import org.citizenwallet.QrMatrix

object QrRaster {
    /** The quiet zone the QR standard asks for, in modules, on each side. */
    const val QUIET_ZONE = 4

    const val BLACK: Int = 0xFF000000.toInt()
    const val WHITE: Int = 0xFFFFFFFF.toInt()

    /** Pixels per side for `scale` pixels per module, quiet zone included. */
    fun side(matrix: QrMatrix, scale: Int, quietZone: Int = QUIET_ZONE): Int =
        (matrix.size + 2 * quietZone) * scale

    /** The largest whole scale that fits `availablePx` (at least 1): whole pixels keep modules
     * crisp, which matters more to a scanner than filling the screen. */
    fun fitScale(matrix: QrMatrix, availablePx: Int, quietZone: Int = QUIET_ZONE): Int =
        maxOf(1, availablePx / (matrix.size + 2 * quietZone))

    /** Whether the module at (`x`, `y`) is dark (no quiet zone: 0 until `size`): bit `7 - i % 8`
     * of byte `i / 8` of the packed bitmap, `i = y * size + x` (QrMatrix's docs). */
    fun isDark(matrix: QrMatrix, x: Int, y: Int): Boolean {
        val i = y * matrix.size + x
        return (matrix.bits[i / 8].toInt() shr (7 - i % 8)) and 1 == 1
    }

    /** ARGB pixels, row-major, `side * side`: dark modules `dark`, the rest `light`. */
    fun argb(
        matrix: QrMatrix,
        scale: Int,
        quietZone: Int = QUIET_ZONE,
        dark: Int = BLACK,
        light: Int = WHITE,
    ): IntArray = render(matrix, scale, quietZone) { if (it) dark else light }

    /** 8-bit luma, row-major, `side * side`: 0 for dark modules, 255 for light. */
    fun luma(matrix: QrMatrix, scale: Int, quietZone: Int = QUIET_ZONE): ByteArray {
        val px = render(matrix, scale, quietZone) { if (it) 0 else 255 }
        return ByteArray(px.size) { px[it].toByte() }
    }

    /** ARGB pixels (a decoded photo) to 8-bit luma (ITU-R BT.601), alpha blended on white. */
    fun lumaFromArgb(pixels: IntArray): ByteArray = ByteArray(pixels.size) { i ->
        val p = pixels[i]
        val a = (p ushr 24) and 0xFF
        val r = (p ushr 16) and 0xFF
        val g = (p ushr 8) and 0xFF
        val b = p and 0xFF
        val y = (299 * r + 587 * g + 114 * b) / 1000
        (255 - (255 - y) * a / 255).toByte()
    }

    private inline fun render(matrix: QrMatrix, scale: Int, quietZone: Int, color: (Boolean) -> Int): IntArray {
        require(scale >= 1) { "scale must be at least 1" }
        require(quietZone >= 0) { "quiet zone must not be negative" }
        val n = matrix.size
        require(matrix.bits.size == (n * n + 7) / 8) { "matrix has ${matrix.bits.size} bytes, expected ${(n * n + 7) / 8}" }
        val side = (n + 2 * quietZone) * scale
        val out = IntArray(side * side)
        val lightColor = color(false)
        val darkColor = color(true)
        for (py in 0 until side) {
            val my = py / scale - quietZone
            for (px in 0 until side) {
                val mx = px / scale - quietZone
                val dark = my in 0 until n && mx in 0 until n && isDark(matrix, mx, my)
                out[py * side + px] = if (dark) darkColor else lightColor
            }
        }
        return out
    }
}
