import Foundation
import LinearAlgebra

/// Unregularized logistic regression without a bias, L(w) = (1/n) Σᵢ log(1 + exp(−yᵢ⟨w, xᵢ⟩)),
/// by full-batch gradient descent from w = 0 — the setting of Soudry, Hoffer, Nacson, Gunasekar &
/// Srebro (2018): on separable data L has no minimizer, ‖w‖ grows without bound, and the direction
/// w/‖w‖ converges to the hard-margin SVM's. Each step is two matrix–vector products with
/// A = diag(y)·X (margins m = A·w, then w += (η/n)·Aᵀσ(−m)); the iterate is recorded only at the
/// steps asked for, and nothing is allocated inside the loop.
public struct LogisticDescent: Sendable {
    /// One recorded iterate.
    public struct Record: Sendable {
        public var step: Int
        public var loss: Double
        public var weights: [Double]
    }

    /// Step size η; by default 1/β with β = λ_max(XᵀX)/(4n), the gradient's Lipschitz constant.
    public var stepSize: Double?
    public init(stepSize: Double? = nil) { self.stepSize = stepSize }

    /// β = λ_max(XᵀX)/(4n): σ' ≤ 1/4.
    public static func smoothness(_ x: Matrix<Double>) throws -> Double {
        let gram = x.rows <= x.cols ? matmul(x, x, transB: true) : matmul(x, transA: true, x)
        return try symmetricEigen(gram, vectors: false).values.last! / (4 * Double(x.rows))
    }

    /// Runs until the last of `record` (ascending steps ≥ 1) and returns the iterates there.
    public func run(_ x: Matrix<Double>, labels y: [Double], record: [Int]) throws -> (
        stepSize: Double, records: [Record]
    ) {
        precondition(y.count == x.rows && y.allSatisfy { $0 == 1 || $0 == -1 }, "labels must be ±1, one per row")
        let n = x.rows
        let d = x.cols
        let eta = try stepSize ?? 1 / Self.smoothness(x)
        var a = x.storage
        for i in 0..<n where y[i] < 0 { for j in 0..<d { a[i * d + j] = -a[i * d + j] } }
        var w = [Double](repeating: 0, count: d)
        var m = [Double](repeating: 0, count: n)
        var s = [Double](repeating: 0, count: n)
        var records = [Record]()
        let last = record.last ?? 0
        var next = 0
        // Tiny products: BLAS on one thread (its hand-over would cost more than the product).
        let threads = BLAS.threads
        BLAS.setThreads(1)
        defer { BLAS.setThreads(threads) }
        a.withUnsafeBufferPointer { ap in
            w.withUnsafeMutableBufferPointer { wp in
                m.withUnsafeMutableBufferPointer { mp in
                    s.withUnsafeMutableBufferPointer { sp in
                        let A = ap.baseAddress!
                        let W = wp.baseAddress!
                        let M = mp.baseAddress!
                        let S = sp.baseAddress!
                        for t in 1...max(last, 1) {
                            Double.gemv(
                                trans: false, m: n, n: d, alpha: 1, a: A, lda: d, x: UnsafePointer(W), beta: 0, y: M)
                            // σ(−m) = 1/(1 + eᵐ), stable for either sign of m.
                            for i in 0..<n { S[i] = 1 / (1 + Foundation.exp(M[i])) }
                            Double.gemv(
                                trans: true, m: n, n: d, alpha: eta / Double(n), a: A, lda: d, x: UnsafePointer(S),
                                beta: 1, y: W)
                            if next < record.count && record[next] == t {
                                Double.gemv(
                                    trans: false, m: n, n: d, alpha: 1, a: A, lda: d, x: UnsafePointer(W), beta: 0, y: M
                                )
                                var loss = 0.0
                                // log(1 + e^{−m}) without overflow for large |m|.
                                for i in 0..<n {
                                    let v = -M[i]
                                    loss +=
                                        v > 0
                                        ? v + Foundation.log1p(Foundation.exp(-v)) : Foundation.log1p(Foundation.exp(v))
                                }
                                records.append(
                                    Record(
                                        step: t, loss: loss / Double(n),
                                        weights: Array(UnsafeBufferPointer(start: W, count: d))))
                                next += 1
                            }
                        }
                    }
                }
            }
        }
        return (eta, records)
    }
}
