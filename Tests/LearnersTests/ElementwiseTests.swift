import LinearAlgebra
import XCTest

@testable import Learners

/// The SIMD kernels of `Elementwise` against plain loops, in Float (the SIMD path) and Double,
/// at widths that leave a tail after the 8-wide vectors. Each kernel does one add or a select
/// per element, in the loop's order, so the results are bit-identical — except the column sums,
/// whose 8-wide accumulation adds the rows in the loop's order too (equal to the bit).
final class ElementwiseTests: XCTestCase {
    static let widths = [1, 7, 8, 9, 16, 29]

    func values<T: Scalar>(_ n: Int, seed: UInt64) -> [T] {
        var g = Generator(seed: seed)
        // Exact zeros too: the kink of the ReLU.
        return (0..<n).map { i in i % 5 == 0 ? 0 : T(g.normal()) }
    }

    func check<T: Scalar>(_: T.Type) {
        for n in Self.widths {
            let rows = 3
            let y0: [T] = values(rows * n, seed: UInt64(n))
            let bias: [T] = values(n, seed: 99)
            let d0: [T] = values(rows * n, seed: UInt64(n) + 7)
            for relu in [false, true] {
                var fast = y0
                fast.withUnsafeMutableBufferPointer { y in
                    bias.withUnsafeBufferPointer {
                        Elementwise.addBias(y.baseAddress!, $0.baseAddress!, rows: rows, width: n, relu: relu)
                    }
                }
                let naive = y0.indices.map { j -> T in
                    let v = y0[j] + bias[j % n]
                    return relu ? max(v, 0) : v
                }
                XCTAssertEqual(fast, naive, "addBias \(T.self) n=\(n) relu=\(relu)")
            }
            var r = y0
            r.withUnsafeMutableBufferPointer { Elementwise.relu($0.baseAddress!, count: rows * n) }
            XCTAssertEqual(r, y0.map { max($0, 0) }, "relu \(T.self) n=\(n)")

            var masked = d0
            masked.withUnsafeMutableBufferPointer { d in
                y0.withUnsafeBufferPointer { Elementwise.reluMask(d.baseAddress!, $0.baseAddress!, count: rows * n) }
            }
            XCTAssertEqual(masked, zip(d0, y0).map { $1 > 0 ? $0 : 0 }, "reluMask \(T.self) n=\(n)")

            var sums: [T] = values(n, seed: 5)
            let start = sums
            let alpha = T(-0.75)
            sums.withUnsafeMutableBufferPointer { o in
                d0.withUnsafeBufferPointer {
                    Elementwise.addColumnSums(o.baseAddress!, $0.baseAddress!, rows: rows, width: n, alpha: alpha)
                }
            }
            let naiveSums = (0..<n).map { c -> T in
                var s = T(0)
                for row in 0..<rows { s += d0[row * n + c] }
                return start[c] + alpha * s
            }
            for c in 0..<n {
                XCTAssertEqual(
                    sums[c], naiveSums[c], accuracy: 4 * T.ulpOfOne * max(1, abs(naiveSums[c])),
                    "addColumnSums \(T.self) n=\(n)")
            }

            let zr: [T] = values(rows * 2 * n, seed: UInt64(n) + 11)
            for relu in [false, true] {
                var a = [T](repeating: 9, count: rows * n)
                var b = [T](repeating: 9, count: rows * n)
                zr.withUnsafeBufferPointer { s in
                    a.withUnsafeMutableBufferPointer { ap in
                        b.withUnsafeMutableBufferPointer { bp in
                            Elementwise.split(
                                s.baseAddress!, rows: rows, width: n, into: ap.baseAddress!, and: bp.baseAddress!,
                                relu: relu)
                        }
                    }
                }
                for row in 0..<rows {
                    for c in 0..<n {
                        let z = zr[row * 2 * n + c]
                        let t = zr[row * 2 * n + n + c]
                        XCTAssertEqual(a[row * n + c], relu ? (z > 0 ? z : 0) : z, "split \(T.self) n=\(n)")
                        XCTAssertEqual(b[row * n + c], relu ? (z > 0 ? t : 0) : t, "split tangent \(T.self) n=\(n)")
                    }
                }
            }
        }
    }

    func testFloatKernelsAgainstLoops() { check(Float.self) }
    func testDoubleKernelsAgainstLoops() { check(Double.self) }
}
