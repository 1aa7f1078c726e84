import Datasets
import Foundation
import LinearAlgebra

/// A network's outputs on a sample, in evaluation mode (no dropout).
public struct Predictions: Sendable {
    /// [n, K]: class probabilities (softmax of the logits) for cross-entropy; for the logistic
    /// loss one column, P(class 1) = σ(z); for regression one column, the prediction.
    public var outputs: Matrix<Double>
    /// Predicted class per sample (argmax, ties to the lower index; z > 0 for the logistic loss); empty for regression.
    public var labels: [Int]
}

extension Network where T == Float {
    /// The outputs and predicted classes for every row of `x` ([n, inputFeatures]), in chunks.
    public func predict(_ x: Matrix<Float>, chunk: Int = 1000) -> Predictions {
        precondition(x.cols == inputFeatures, "\(x.cols) features for a network with \(inputFeatures) inputs")
        let n = x.rows
        let k = outputCount
        var out = Matrix<Double>(rows: n, cols: k)
        var labels = [Int]()
        let regression = loss == .meanSquaredError && k == 1
        if !regression { labels.reserveCapacity(n) }
        x.storage.withUnsafeBufferPointer { xs in
            var start = 0
            while start < n {
                let b = min(chunk, n - start)
                let z = forward(xs.baseAddress! + start * inputFeatures, batch: b, training: false)  // [b, K] logits
                for i in 0..<b {
                    let zi = z + i * k
                    let r = start + i
                    switch loss {
                    case .crossEntropy:
                        var m = zi[0]
                        var best = 0
                        for c in 1..<max(1, k) where zi[c] > m {
                            m = zi[c]
                            best = c
                        }
                        var s = 0.0
                        for c in 0..<k {
                            let e = exp(Double(zi[c] - m))
                            out[r, c] = e
                            s += e
                        }
                        for c in 0..<k { out[r, c] /= s }
                        labels.append(best)
                    case .logistic:
                        out[r, 0] = 1 / (1 + exp(-Double(zi[0])))
                        labels.append(zi[0] > 0 ? 1 : 0)
                    case .meanSquaredError:
                        var best = 0
                        for c in 0..<k {
                            out[r, c] = Double(zi[c])
                            if zi[c] > zi[best] { best = c }
                        }
                        if !regression { labels.append(best) }
                    }
                }
                start += b
            }
        }
        return Predictions(outputs: out, labels: labels)
    }
}
