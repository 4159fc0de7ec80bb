// QR modules (the packed QrMatrix) to pixels and pixels to luma, without UIKit: the app draws
// the modules with SwiftUI
// (CitizenWalletDemo/QrCodeView.swift) or a CGImage from `luma` (or from the library's own
// `Presentation.pixels(scale:format: .rgba)`), and turns a picked photo into
// the luma plane the verifier reads. The tests feed the drawn pixels back to the verifier, so
// what the citizen's screen draws is what the counter reads.

import CitizenWallet
import Foundation

public enum QrRaster {
    /// The quiet zone the QR standard asks for, in modules, on each side.
    public static let quietZone = 4

    /// Pixels per side for `scale` pixels per module, quiet zone included.
    public static func side(_ m: QrMatrix, scale: Int, quietZone: Int = quietZone) -> Int {
        (Int(m.size) + 2 * quietZone) * scale
    }

    /// The largest whole scale that fits `available` pixels (at least 1): whole pixels keep
    /// modules crisp, which matters more to a scanner than filling the screen.
    public static func fitScale(_ m: QrMatrix, available: Int, quietZone: Int = quietZone) -> Int {
        max(1, available / (Int(m.size) + 2 * quietZone))
    }

    /// Whether the module at (`x`, `y`) is dark (no quiet zone: 0 ..< size): bit `7 - i % 8` of
    /// byte `i / 8` of the packed bitmap, `i = y * size + x` (QrMatrix's docs).
    public static func isDark(_ m: QrMatrix, x: Int, y: Int) -> Bool {
        let i = y * Int(m.size) + x
        return (m.bits[m.bits.startIndex + i / 8] >> UInt8(7 - i % 8)) & 1 == 1
    }

    /// 8-bit luma, row-major, `side * side`: 0 for dark modules, 255 for light. Also the pixels
    /// of a grayscale CGImage.
    public static func luma(_ m: QrMatrix, scale: Int, quietZone: Int = quietZone) -> Data {
        precondition(scale >= 1 && quietZone >= 0, "scale >= 1, quietZone >= 0")
        let n = Int(m.size)
        precondition(m.bits.count == (n * n + 7) / 8, "matrix has \(m.bits.count) bytes, expected \((n * n + 7) / 8)")
        let side = (n + 2 * quietZone) * scale
        var out = [UInt8](repeating: 255, count: side * side)
        for my in 0..<n {
            for mx in 0..<n where isDark(m, x: mx, y: my) {
                let x0 = (mx + quietZone) * scale
                let y0 = (my + quietZone) * scale
                for py in y0..<(y0 + scale) {
                    for px in x0..<(x0 + scale) { out[py * side + px] = 0 }
                }
            }
        }
        return Data(out)
    }

    /// RGBA pixels (8 bits each, a decoded photo) to 8-bit luma (ITU-R BT.601), alpha blended on
    /// white. `rgba.count` must be `4 * width * height`.
    public static func lumaFromRGBA(_ rgba: Data) -> Data {
        let bytes = [UInt8](rgba)
        var out = [UInt8](repeating: 0, count: bytes.count / 4)
        for i in 0..<out.count {
            let r = Int(bytes[4 * i]), g = Int(bytes[4 * i + 1]), b = Int(bytes[4 * i + 2]), a = Int(bytes[4 * i + 3])
            let y = (299 * r + 587 * g + 114 * b) / 1000
            out[i] = UInt8(255 - (255 - y) * a / 255)
        }
        return Data(out)
    }

    /// Dark modules as rectangles in module units (quiet zone included), merged along rows: what
    /// a SwiftUI `Canvas` or `Path` fills.
    public static func darkRuns(_ m: QrMatrix, quietZone: Int = quietZone) -> [(x: Int, y: Int, width: Int)] {
        let n = Int(m.size)
        var runs: [(x: Int, y: Int, width: Int)] = []
        for y in 0..<n {
            var x = 0
            while x < n {
                if isDark(m, x: x, y: y) {
                    let start = x
                    while x < n && isDark(m, x: x, y: y) { x += 1 }
                    runs.append((x: start + quietZone, y: y + quietZone, width: x - start))
                } else {
                    x += 1
                }
            }
        }
        return runs
    }
}
