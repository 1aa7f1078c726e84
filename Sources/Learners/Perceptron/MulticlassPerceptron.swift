import CBLAS
import LinearAlgebra

/// Perceptrons for K classes over Float features, one pass per sample serving every class.
///
/// - `multiclass` (Crammer & Singer style, the talk's generalization): ŷ = argmax_c ⟨w_c, x⟩ + b_c;
///   on a mistake w_y += x, w_ŷ −= x (and b_y += 1, b_ŷ −= 1).
/// - `oneVsRest`: K binary perceptrons (class c against the rest, as scikit-learn's Perceptron),
///   each updated when y_c(⟨w_c, x⟩ + b_c) ≤ 0 with y_c = ±1; predict argmax_c.
///
/// `averaged` returns the average of the weights over all steps (Freund & Schapire), computed
/// with the usual lazy sum so that an update stays O(d).
public struct MulticlassPerceptron: Codable, Sendable {
    /// One weight vector per class updated together (multiclass), or K binary perceptrons (one-vs-rest).
    public enum Rule: String, Codable, Sendable, CaseIterable {
        case multiclass
        case oneVsRest = "one-vs-rest"
    }
    public var rule: Rule
    public var epochs: Int
    public var shuffleSeed: UInt64?
    public var averaged: Bool

    public init(rule: Rule = .oneVsRest, epochs: Int = 10, shuffleSeed: UInt64? = 0, averaged: Bool = false) {
        self.rule = rule
        self.epochs = epochs
        self.shuffleSeed = shuffleSeed
        self.averaged = averaged
    }

    /// The trained weights and what training did.
    public struct Fitted: Sendable {
        /// [K, d]
        public var weights: Matrix<Float>
        public var biases: [Float]
        public var mistakesPerEpoch: [Int]

        public func predict(_ x: Matrix<Float>) -> [Int] {
            var s = matmul(x, weights, transB: true)  // [n, K]
            let k = weights.rows
            return (0..<x.rows).map { i in
                var best = 0
                for c in 0..<k {
                    s[i, c] += biases[c]
                    if s[i, c] > s[i, best] { best = c }
                }
                return best
            }
        }

        public func accuracy(_ x: Matrix<Float>, _ labels: [Int]) -> Double {
            // No samples, no accuracy: NaN (written as null), never a made-up 0 or 1.
            labels.isEmpty ? .nan : Double(zip(predict(x), labels).filter { $0 == $1 }.count) / Double(labels.count)
        }
    }

    public func fit(_ x: Matrix<Float>, labels: [Int], classes k: Int) -> Fitted {
        let n = x.rows
        let d = x.cols
        var w = [Float](repeating: 0, count: k * d)
        var b = [Float](repeating: 0, count: k)
        // Lazy averaging: u accumulates t·Δw, so the average over c steps is w − u/c.
        var u = [Float](repeating: 0, count: averaged ? k * d : 0)
        var ub = [Float](repeating: 0, count: k)
        var scores = [Float](repeating: 0, count: k)
        var order = Array(0..<n)
        var rng = shuffleSeed.map { Generator(seed: $0) }
        var perEpoch = [Int]()
        var t: Float = 1
        x.storage.withUnsafeBufferPointer { px in
            w.withUnsafeMutableBufferPointer { pw in
                u.withUnsafeMutableBufferPointer { pu in
                    scores.withUnsafeMutableBufferPointer { ps in
                        for _ in 0..<epochs {
                            if rng != nil { rng!.shuffle(&order) }
                            var mistakes = 0
                            for (position, i) in order.enumerated() {
                                let xi = px.baseAddress! + i * d
                                if position + 4 < n {
                                    genlab_prefetch(px.baseAddress! + order[position + 4] * d, d * 4)
                                }
                                let y = labels[i]
                                PerceptronKernels.scores(k, d, pw.baseAddress!, xi, ps.baseAddress!)
                                switch rule {
                                case .multiclass:
                                    // The strongest rival r ≠ y; a tie s_r = s_y counts as a mistake,
                                    // as ⟨w, x⟩ = 0 does in the binary case.
                                    var r = y == 0 ? 1 : 0
                                    for c in 0..<k { ps[c] += b[c] }
                                    for c in 0..<k where c != y && ps[c] > ps[r] { r = c }
                                    if ps[r] >= ps[y] {
                                        PerceptronKernels.axpy(d, 1, xi, pw.baseAddress! + y * d)
                                        PerceptronKernels.axpy(d, -1, xi, pw.baseAddress! + r * d)
                                        b[y] += 1
                                        b[r] -= 1
                                        if averaged {
                                            PerceptronKernels.axpy(d, t, xi, pu.baseAddress! + y * d)
                                            PerceptronKernels.axpy(d, -t, xi, pu.baseAddress! + r * d)
                                            ub[y] += t
                                            ub[r] -= t
                                        }
                                        mistakes += 1
                                    }
                                case .oneVsRest:
                                    var any = false
                                    for c in 0..<k {
                                        let yc: Float = c == y ? 1 : -1
                                        if yc * (ps[c] + b[c]) <= 0 {
                                            PerceptronKernels.axpy(d, yc, xi, pw.baseAddress! + c * d)
                                            b[c] += yc
                                            if averaged {
                                                PerceptronKernels.axpy(d, yc * t, xi, pu.baseAddress! + c * d)
                                                ub[c] += yc * t
                                            }
                                            any = true
                                        }
                                    }
                                    if any { mistakes += 1 }
                                }
                                t += 1
                            }
                            perEpoch.append(mistakes)
                        }
                    }
                }
            }
        }
        if averaged {
            for j in 0..<(k * d) { w[j] -= u[j] / t }
            for c in 0..<k { b[c] -= ub[c] / t }
        }
        return Fitted(weights: Matrix(rows: k, cols: d, storage: w), biases: b, mistakesPerEpoch: perEpoch)
    }
}
