import Foundation

/// A map from data values to pixels, linear or logarithmic, with readable tick values.
public struct Axis: Sendable {
    public var lo: Double
    public var hi: Double
    public var log: Bool
    public var pixelLo: Double
    public var pixelHi: Double

    /// Covers [min, max] of the data, padded, with ends on tick values where that is cheap.
    public init(values: [Double], log: Bool, pixels: (Double, Double)) {
        self.log = log
        pixelLo = pixels.0
        pixelHi = pixels.1
        let finite = values.filter { $0.isFinite && (!log || $0 > 0) }
        var a = finite.min() ?? (log ? 1 : 0)
        var b = finite.max() ?? (log ? 10 : 1)
        if log {
            a = Foundation.log10(a)
            b = Foundation.log10(b)
            if b - a < 1e-9 {
                a -= 0.5
                b += 0.5
            }
            lo = Foundation.pow(10, a - 0.03 * (b - a))
            hi = Foundation.pow(10, b + 0.03 * (b - a))
        } else {
            if b - a < 1e-12 * max(1, abs(a)) {
                a -= max(0.5, abs(a) * 0.1)
                b += max(0.5, abs(b) * 0.1)
            }
            let step = Axis.niceStep((b - a) / 5)
            // Snap to ticks when that adds little padding.
            let sa = (a / step).rounded(.down) * step
            let sb = (b / step).rounded(.up) * step
            lo = sa
            hi = sb
        }
    }

    public func position(_ v: Double) -> Double {
        let t =
            log
            ? (Foundation.log10(v) - Foundation.log10(lo)) / (Foundation.log10(hi) - Foundation.log10(lo))
            : (v - lo) / (hi - lo)
        return pixelLo + t * (pixelHi - pixelLo)
    }

    func contains(_ v: Double) -> Bool { v.isFinite && (!log || v > 0) }

    /// 1, 2 or 5 times a power of ten, the nearest at or above `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let p = Foundation.pow(10, Foundation.floor(Foundation.log10(raw)))
        for m in [1.0, 2, 5, 10] where m * p >= raw * 0.999 { return m * p }
        return 10 * p
    }

    public var ticks: [Double] {
        if log {
            let a = Int(Foundation.floor(Foundation.log10(lo)))
            let b = Int(Foundation.ceil(Foundation.log10(hi)))
            var t = [Double]()
            let decades = b - a
            for e in a...b {
                let base = Foundation.pow(10, Double(e))
                let mults: [Double] = decades <= 1 ? [1, 2, 5] : (decades <= 3 ? [1, 3] : [1])
                for m in mults {
                    let v = m * base
                    if v >= lo * 0.9999 && v <= hi * 1.0001 { t.append(v) }
                }
            }
            if t.count < 2 { t = [lo, hi] }
            return t
        }
        let step = Axis.niceStep((hi - lo) / 5)
        var t = [Double]()
        var v = (lo / step).rounded(.up) * step
        while v <= hi + step * 1e-9 {
            t.append(abs(v) < step * 1e-9 ? 0 : v)
            v += step
        }
        return t
    }

    public static func label(_ v: Double) -> String {
        if v == 0 { return "0" }
        let a = abs(v)
        if a >= 1e5 || a < 1e-3 {
            return String(format: "%.0e", v).replacingOccurrences(of: "e+0", with: "e").replacingOccurrences(
                of: "e-0", with: "e-")
        }
        if a >= 1000 { return String(format: "%.0f", v) }
        var s = String(format: "%.4g", v)
        if s.contains(".") && !s.contains("e") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s
    }
}
