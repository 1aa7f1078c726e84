import Foundation

extension Stats {
    /// P(Binomial(n, p) ≤ k), summed in log space (exact to rounding for the n of a simulation).
    public static func binomialCDF(_ k: Int, n: Int, p: Double) -> Double {
        if k < 0 { return 0 }
        if k >= n || p <= 0 { return 1 }
        if p >= 1 { return 0 }
        let lp = log(p)
        let lq = log1p(-p)
        var logTerm = Double(n) * lq  // log P(X = 0)
        var total = exp(logTerm)
        for i in stride(from: 1, through: k, by: 1) {
            logTerm += log(Double(n - i + 1) / Double(i)) + lp - lq
            total += exp(logTerm)
        }
        return min(1, total)
    }

    /// The Clopper–Pearson interval for a proportion: k successes in n trials, two-sided at
    /// `level` (each end at (1 − level)/2). Exact: it covers p with probability ≥ level for every p.
    /// Each end found by bisection on the binomial tail.
    public static func clopperPearson(successes k: Int, trials n: Int, level: Double = 0.95) -> Interval {
        precondition(n >= 1 && k >= 0 && k <= n, "\(k) successes in \(n) trials")
        let tail = (1 - level) / 2
        func solve(_ f: (Double) -> Double) -> Double {
            // f rises with p from below 0 to above 0.
            var lo = 0.0
            var hi = 1.0
            for _ in 0..<60 {
                let mid = (lo + hi) / 2
                if f(mid) < 0 { lo = mid } else { hi = mid }
            }
            return (lo + hi) / 2
        }
        // Lower end: P(X ≥ k | p) = tail; upper end: P(X ≤ k | p) = tail.
        let lower = k == 0 ? 0 : solve { p in (1 - binomialCDF(k - 1, n: n, p: p)) - tail }
        let upper = k == n ? 1 : solve { p in tail - binomialCDF(k, n: n, p: p) }
        return Interval(estimate: Double(k) / Double(n), lower: lower, upper: upper, level: level)
    }
}
