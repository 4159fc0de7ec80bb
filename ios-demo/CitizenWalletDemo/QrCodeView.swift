// Drawing a QR code from the library's module matrix: a SwiftUI Canvas (the screen) and a
// grayscale CGImage (sharing, printing). Module edges snap to device pixels so the code stays
// crisp. The module runs and the luma pixels come from ClinicFlow's QrRaster, which the tests
// read back through the verifier.
import CitizenWallet
import ClinicFlow
import CoreGraphics
import SwiftUI

struct QrCodeView: View {
    let matrix: QrMatrix
    @Environment(\.displayScale) private var displayScale

    var body: some View {
        Canvas { context, size in
            let modules = CGFloat(Int(matrix.size) + 2 * QrRaster.quietZone)
            let raw = min(size.width, size.height) / modules
            let unit = max(1 / displayScale, (raw * displayScale).rounded(.down) / displayScale)
            let side = unit * modules
            let origin = CGPoint(x: ((size.width - side) / 2 * displayScale).rounded() / displayScale,
                                 y: ((size.height - side) / 2 * displayScale).rounded() / displayScale)
            context.fill(Path(CGRect(origin: origin, size: CGSize(width: side, height: side))), with: .color(.white))
            var dark = Path()
            for run in QrRaster.darkRuns(matrix) {
                dark.addRect(CGRect(x: origin.x + CGFloat(run.x) * unit, y: origin.y + CGFloat(run.y) * unit,
                                    width: CGFloat(run.width) * unit, height: unit))
            }
            context.fill(dark, with: .color(.black))
        }
        .aspectRatio(1, contentMode: .fit)
        // An image to VoiceOver; CodeScreen gives it a label that says what the code is for.
        .accessibilityElement()
        .accessibilityAddTraits(.isImage)
    }
}

enum QrImage {
    /// The code as an 8-bit grayscale image, `scale` pixels per module, quiet zone included.
    static func cgImage(_ matrix: QrMatrix, scale: Int) -> CGImage? {
        let side = QrRaster.side(matrix, scale: scale)
        let luma = QrRaster.luma(matrix, scale: scale)
        guard let provider = CGDataProvider(data: luma as CFData) else { return nil }
        return CGImage(width: side, height: side, bitsPerComponent: 8, bitsPerPixel: 8, bytesPerRow: side,
                       space: CGColorSpaceCreateDeviceGray(), bitmapInfo: CGBitmapInfo(rawValue: CGImageAlphaInfo.none.rawValue),
                       provider: provider, decode: nil, shouldInterpolate: false, intent: .defaultIntent)
    }

    /// A picture's 8-bit luma plane within the verifier's pixel limit (width, height, bytes).
    static func lumaPlane(_ image: CGImage, maxPixels: Int = 1_000_000) -> (Int, Int, Data)? {
        var w = image.width, h = image.height
        let n = Double(w) * Double(h)
        if n > Double(maxPixels) {
            let f = (Double(maxPixels) / n).squareRoot()
            w = max(1, Int(Double(w) * f))
            h = max(1, Int(Double(h) * f))
        }
        var bytes = [UInt8](repeating: 255, count: w * h)
        let drawn: Bool = bytes.withUnsafeMutableBytes { buffer in
            guard let ctx = CGContext(data: buffer.baseAddress, width: w, height: h, bitsPerComponent: 8, bytesPerRow: w,
                                      space: CGColorSpaceCreateDeviceGray(), bitmapInfo: CGImageAlphaInfo.none.rawValue)
            else { return false }
            ctx.interpolationQuality = .high
            ctx.draw(image, in: CGRect(x: 0, y: 0, width: w, height: h))
            return true
        }
        return drawn ? (w, h, Data(bytes)) : nil
    }
}
