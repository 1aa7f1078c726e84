import LinearAlgebra
import XCTest

final class RandomTests: XCTestCase {
    /// Recorded from an independent Python transcription of xoshiro256** + SplitMix64: the same seed must give these
    /// bits on every machine.
    func testRecordedValues() {
        var g = Generator(seed: 42)
        let first = (0..<3).map { _ in g.next() }
        XCTAssertEqual(first, RandomTests.recorded42)
        var h = Generator(seed: 42)
        XCTAssertEqual(h.int(below: 1000), RandomTests.recordedInt)
        var n = Generator(seed: 7)
        XCTAssertEqual(n.normal(), RandomTests.recordedNormal, accuracy: 1e-12)
    }

    static let recorded42: [UInt64] = [
        1_546_998_764_402_558_742, 6_990_951_692_964_543_102, 12_544_586_762_248_559_009,
    ]
    static let recordedInt = 83
    static let recordedNormal = -0.15157274547711355

    func testStreamsDiffer() {
        var a = Generator(seed: 1, stream: 0)
        var b = Generator(seed: 1, stream: 1)
        var c = Generator(seed: 1, stream: 0)
        let x = a.next()
        let y = b.next()
        let z = c.next()
        XCTAssertNotEqual(x, y)
        XCTAssertEqual(x, z)
    }

    /// Moments of 10⁵ draws: the standard error of the mean is ≈ 0.003, 5 SE tolerances.
    func testMoments() {
        var g = Generator(seed: 3)
        let u = (0..<100_000).map { _ in g.uniform() }
        XCTAssertEqual(Stats.mean(u), 0.5, accuracy: 0.005)
        XCTAssertTrue(u.allSatisfy { $0 >= 0 && $0 < 1 })
        let z = (0..<100_000).map { _ in g.normal() }
        XCTAssertEqual(Stats.mean(z), 0, accuracy: 0.016)
        XCTAssertEqual(Stats.variance(z), 1, accuracy: 0.03)
        let r = (0..<100_000).map { _ in g.rademacher() }
        XCTAssertTrue(r.allSatisfy { $0 == 1 || $0 == -1 })
        XCTAssertEqual(Stats.mean(r), 0, accuracy: 0.016)
        let ints = (0..<60_000).map { _ in g.int(below: 6) }
        for k in 0..<6 { XCTAssertEqual(Double(ints.filter { $0 == k }.count), 10_000, accuracy: 500) }
    }

    /// `bit(below: threshold(below: p))` is `uniform() < p` drawn from the same state: on the
    /// integers k around each threshold (where uniform() is exactly k·2⁻⁵³), and on a million draws
    /// at rates that are and are not multiples of 2⁻⁵³.
    func testBitBelowIsTheUniformComparison() {
        let exact: [Double] = [0.5, 0.25, 0x1.0p-53, 3 * 0x1.0p-52]
        var rates: [Double] = [0, 1, 0.1, 0.3, 1.0 / 3, 0.999_999, 1e-300] + exact
        rates += exact.flatMap { [$0.nextUp, $0.nextDown] }
        for p in rates {
            let t = Generator.threshold(below: p)
            let top: UInt64 = 1 << 53
            for k: UInt64 in [t &- 2, t &- 1, t, t + 1, 0, top - 1] where k < top {
                XCTAssertEqual(Generator.bit(k, below: t) == 1, Double(k) * 0x1.0p-53 < p, "p \(p), k \(k)")
            }
        }
        for p: Double in [0, 0.1, 0.5, 1.0 / 3, 1] {
            var a = Generator(seed: 11)
            var b = Generator(seed: 11)
            let t = Generator.threshold(below: p)
            var (ones, disagreements) = (0, 0)
            for _ in 0..<1_000_000 {
                let x = b.bit(below: t)
                if (a.uniform() < p) != (x == 1) { disagreements += 1 }
                ones += Int(x)
            }
            XCTAssertEqual(disagreements, 0, "p \(p)")
            XCTAssertEqual(Double(ones) / 1e6, p, accuracy: 0.002)
        }
    }

    func testPermutationAndSample() {
        var g = Generator(seed: 4)
        XCTAssertEqual(g.permutation(100).sorted(), Array(0..<100))
        for (k, n) in [(0, 5), (5, 5), (3, 1000), (400, 1000)] {
            let s = g.sample(k, from: n)
            XCTAssertEqual(s.count, k)
            XCTAssertEqual(Set(s).count, k)
            XCTAssertTrue(s.allSatisfy { $0 >= 0 && $0 < n })
        }
        // Sampling 1 of 4 many times: each index ≈ 1/4 of the time.
        var counts = [0, 0, 0, 0]
        for _ in 0..<40_000 { counts[g.sample(1, from: 4)[0]] += 1 }
        for c in counts { XCTAssertEqual(Double(c), 10_000, accuracy: 500) }
    }
}
