import Foundation

/// GenLab's one random generator: xoshiro256** (Blackman & Vigna 2018), state seeded by
/// SplitMix64. Integer outputs are bit-exact on every machine; normals go through
/// `log`/`sqrt`/`cos` and so agree across machines to a few ULPs.
public struct Generator: RandomNumberGenerator, Sendable {
    // Visible to inlined code: other modules shuffle and draw in their hot loops.
    @usableFromInline var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64
    private var spareNormal: Double? = nil
    public let seed: UInt64

    /// `stream` selects an independent sequence for the same seed (one per trial or sweep point).
    public init(seed: UInt64, stream: UInt64 = 0) {
        self.seed = seed
        var x = seed ^ (stream &* 0x9E37_79B9_7F4A_7C15) ^ (stream == 0 ? 0 : 0xD1B5_4A32_D192_ED03)
        func splitmix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitmix()
        s1 = splitmix()
        s2 = splitmix()
        s3 = splitmix()
    }

    @inlinable @inline(__always)
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// Uniform on [0, 1) with 53 random bits. Inlinable: dropout draws one per unit in its hot
    /// loop, where a call per draw cost a third of a dropout network's training.
    @inlinable @inline(__always)
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// The integer form of `uniform() < p`: `next() >> 11 < threshold(below: p)` draws the same
    /// Bernoulli(p) from the same state. uniform() is k·2⁻⁵³ for the integer k = next() >> 11, and
    /// p·2⁵³ is exact for p in [0, 1], so k·2⁻⁵³ < p ⟺ k < ⌈p·2⁵³⌉. With it a hot loop compares
    /// integers without a branch (a branch on a coin flip is mispredicted half the time).
    @inlinable
    public static func threshold(below p: Double) -> UInt64 {
        precondition(p >= 0 && p <= 1, "threshold(below:) needs p in [0, 1], got \(p)")
        return UInt64((p * 0x1.0p53).rounded(.up))
    }

    /// 1 when `uniform() < p` would be true, else 0, without a branch (`threshold` from
    /// `Generator.threshold(below: p)`): k − threshold wraps past 2⁶³ exactly when k < threshold,
    /// since both are below 2⁵³ + 1.
    @inlinable @inline(__always)
    public mutating func bit(below threshold: UInt64) -> UInt64 { Self.bit(next() >> 11, below: threshold) }

    /// 1 when k < threshold, else 0, for k < 2⁵³ and threshold ≤ 2⁵³, without a branch.
    @inlinable @inline(__always)
    public static func bit(_ k: UInt64, below threshold: UInt64) -> UInt64 { (k &- threshold) >> 63 }

    /// Uniform on [a, b).
    public mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * uniform() }

    /// Uniform integer in 0..<n, unbiased (Lemire's multiply-and-reject).
    @inline(__always)
    @inlinable
    public mutating func int(below n: Int) -> Int {
        precondition(n > 0, "int(below:) needs n > 0, got \(n)")
        let bound = UInt64(n)
        var m = next().multipliedFullWidth(by: bound)
        if m.low < bound {
            let threshold = (0 &- bound) % bound
            while m.low < threshold { m = next().multipliedFullWidth(by: bound) }
        }
        return Int(m.high)
    }

    /// Uniform integer in the closed range.
    public mutating func int(in range: ClosedRange<Int>) -> Int { range.lowerBound + int(below: range.count) }

    /// Standard normal, Box–Muller (both outputs used).
    public mutating func normal() -> Double {
        if let z = spareNormal {
            spareNormal = nil
            return z
        }
        var u1 = uniform()
        while u1 == 0 { u1 = uniform() }
        let u2 = uniform()
        let r = (-2 * Foundation.log(u1)).squareRoot()
        let theta = 2 * Double.pi * u2
        spareNormal = r * Foundation.sin(theta)
        return r * Foundation.cos(theta)
    }

    public mutating func normal(mean: Double, std: Double) -> Double { mean + std * normal() }

    /// ±1 with equal probability.
    public mutating func rademacher() -> Double { next() >> 63 == 0 ? -1 : 1 }

    /// A uniformly random permutation of 0..<n (Fisher–Yates).
    public mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        shuffle(&p)
        return p
    }

    @inlinable
    public mutating func shuffle<C: MutableCollection & RandomAccessCollection>(_ c: inout C) where C.Index == Int {
        guard c.count > 1 else { return }
        for i in stride(from: c.count - 1, to: 0, by: -1) {
            let j = int(below: i + 1)
            c.swapAt(c.startIndex + i, c.startIndex + j)
        }
    }

    /// k distinct indices from 0..<n, in random order (partial Fisher–Yates; Floyd's method for k ≪ n).
    public mutating func sample(_ k: Int, from n: Int) -> [Int] {
        precondition(k >= 0 && k <= n, "cannot sample \(k) of \(n) without replacement")
        if k * 4 < n {
            var chosen = Set<Int>()
            var out = [Int]()
            out.reserveCapacity(k)
            for j in (n - k)..<n {
                let t = int(below: j + 1)
                if chosen.insert(t).inserted {
                    out.append(t)
                } else {
                    chosen.insert(j)
                    out.append(j)
                }
            }
            shuffle(&out)
            return out
        }
        var p = Array(0..<n)
        for i in 0..<k { p.swapAt(i, i + int(below: n - i)) }
        return Array(p[0..<k])
    }
}
