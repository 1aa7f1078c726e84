import Foundation

/// The few distribution functions the intervals need, written from their definitions.
public enum Distributions {
    /// Φ(x) = erfc(−x/√2)/2
    public static func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

    /// Φ⁻¹(p) by bisection on Φ (monotone, so it cannot diverge in the tails; erfc keeps Φ
    /// accurate far into the lower tail), then two Newton steps to polish the last bits.
    public static func normalQuantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "normalQuantile needs 0 < p < 1, got \(p)")
        var lo = -40.0
        var hi = 40.0
        for _ in 0..<120 {
            let mid = (lo + hi) / 2
            if normalCDF(mid) < p { lo = mid } else { hi = mid }
            if hi - lo < 1e-15 * max(1, abs(mid)) { break }
        }
        var x = (lo + hi) / 2
        for _ in 0..<2 {
            let density = exp(-x * x / 2) / (2 * Double.pi).squareRoot()
            if density > 1e-300 { x -= (normalCDF(x) - p) / density }
        }
        return x
    }

    /// Regularized incomplete beta I_x(a, b), continued fraction (modified Lentz).
    public static func regularizedIncompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logBeta: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
        let logFront: Double = logBeta + a * log(x) + b * log(1 - x)
        // The fraction converges fast for x < (a+1)/(a+b+2); use the symmetry otherwise.
        if x > (a + 1) / (a + b + 2) { return 1 - regularizedIncompleteBeta(1 - x, a: b, b: a) }
        let tiny = 1e-300
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var f = d
        for m in 1...300 {
            let m = Double(m)
            let twoM: Double = 2 * m
            var num: Double = m * (b - m) * x / ((a + twoM - 1) * (a + twoM))
            d = 1 + num * d
            if abs(d) < tiny { d = tiny }
            c = 1 + num / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            f *= d * c
            num = -(a + m) * (a + b + m) * x / ((a + twoM) * (a + twoM + 1))
            d = 1 + num * d
            if abs(d) < tiny { d = tiny }
            c = 1 + num / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            f *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return exp(logFront) * f / a
    }

    /// CDF of Student's t with ν degrees of freedom.
    public static func studentTCDF(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        let x = nu / (nu + t * t)
        let tail = 0.5 * regularizedIncompleteBeta(x, a: nu / 2, b: 0.5)
        return t >= 0 ? 1 - tail : tail
    }

    /// Inverse of `studentTCDF` by bisection (monotone, so robust; 200 halvings reach Double precision).
    public static func studentTQuantile(_ p: Double, degreesOfFreedom nu: Double) -> Double {
        precondition(p > 0 && p < 1, "studentTQuantile needs 0 < p < 1, got \(p)")
        var lo = -1e6
        var hi = 1e6
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if studentTCDF(mid, degreesOfFreedom: nu) < p { lo = mid } else { hi = mid }
            if hi - lo < 1e-13 * max(1, abs(mid)) { break }
        }
        return (lo + hi) / 2
    }
}
