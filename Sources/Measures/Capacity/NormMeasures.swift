import Foundation
import Learners
import LinearAlgebra

/// Norm-based capacity measures of a ReLU MLP (Jiang et al. 2020, "Fantastic generalization
/// measures", §A; Neyshabur et al. 2015; Bartlett, Foster & Telgarsky 2017), computed from the
/// network's dense layers in order. A network with any other parameterized layer (a
/// convolution) has no such list: `layers(of:)` returns nil.
public enum NormMeasures {
    /// One dense layer: W [out, in] and b [out], in Double.
    public struct Layer: Sendable, Equatable {
        public var weights: Matrix<Double>
        public var bias: [Double]
        public init(weights: Matrix<Double>, bias: [Double]) {
            self.weights = weights
            self.bias = bias
        }
    }

    /// The dense layers of θ (the network's layout: per layer W row-major, then b); nil when a
    /// layer with parameters is not dense.
    public static func layers<T: Scalar>(of network: Network<T>, theta: [T]) -> [Layer]? {
        precondition(
            theta.count == network.parameterCount,
            "θ has \(theta.count) entries for \(network.parameterCount) parameters")
        var out = [Layer]()
        for layer in network.layers where layer.kind.parameterCount > 0 {
            guard let dense = layer.kind as? Dense else { return nil }
            let rows = dense.outputs
            let cols = dense.weightCount / dense.outputs
            let o = layer.parameterOffset
            let w = Matrix<Double>(rows: rows, cols: cols, storage: (0..<(rows * cols)).map { Double(theta[o + $0]) })
            out.append(Layer(weights: w, bias: (0..<rows).map { Double(theta[o + rows * cols + $0]) }))
        }
        return out
    }

    /// ‖W‖_F.
    public static func frobenius(_ w: Matrix<Double>) -> Double { w.storage.reduce(0) { $0 + $1 * $1 }.squareRoot() }

    /// ‖W‖₂, the largest singular value, by power iteration on WᵀW from a fixed start (converged
    /// to a relative change below 1e-12, or `iterations`).
    public static func spectral(_ w: Matrix<Double>, iterations: Int = 500) -> Double {
        var v = (0..<w.cols).map { 1 + 0.01 * Double($0 % 7) }
        var sigma = 0.0
        for _ in 0..<iterations {
            let u = matvec(w, v)
            var z = matvec(w, transposed: true, u)
            let n = norm(z)
            guard n > 0 else { return 0 }
            for i in z.indices { z[i] /= n }
            v = z
            let next = norm(matvec(w, v))
            if abs(next - sigma) <= 1e-12 * max(next, 1e-300) { return next }
            sigma = next
        }
        return sigma
    }

    /// The ℓ₂ path norm: the square root of the sum, over every path from an input (or a bias)
    /// to an output, of the product of its squared weights — the network with every parameter
    /// squared, biases included, applied to an all-ones input without activations, summed over
    /// its outputs (Neyshabur et al. 2015; Jiang et al.'s f_{w²}(1)).
    public static func pathNorm(_ layers: [Layer]) -> Double {
        guard let first = layers.first else { return 0 }
        var a = [Double](repeating: 1, count: first.weights.cols)
        for l in layers {
            var next = l.bias.map { $0 * $0 }
            for r in 0..<l.weights.rows {
                var s = 0.0
                for c in 0..<l.weights.cols {
                    let x = l.weights[r, c]
                    s += x * x * a[c]
                }
                next[r] += s
            }
            a = next
        }
        return a.reduce(0, +).squareRoot()
    }

    /// Bartlett et al.'s spectral complexity: (Π ‖Wᵢ‖₂) · (Σ (‖Wᵢᵀ − Mᵢᵀ‖_{2,1} /
    /// ‖Wᵢ‖₂)^{2/3})^{3/2},
    /// with Mᵢ the reference (initial) weights and ‖A‖_{2,1} the sum of A's column norms
    /// (for Wᵀ: the sum of W's row norms).
    public static func spectralComplexity(_ layers: [Layer], reference: [Layer]) -> Double {
        precondition(layers.count == reference.count, "\(layers.count) layers against \(reference.count) references")
        var product = 1.0
        var sum = 0.0
        for (l, m) in zip(layers, reference) {
            let s = spectral(l.weights)
            product *= s
            var rowNorms = 0.0
            for r in 0..<l.weights.rows {
                var q = 0.0
                for c in 0..<l.weights.cols {
                    let d = l.weights[r, c] - m.weights[r, c]
                    q += d * d
                }
                rowNorms += q.squareRoot()
            }
            sum += pow(rowNorms / s, 2.0 / 3.0)
        }
        return product * pow(sum, 1.5)
    }

    /// ‖θ − θ₀‖₂ over the weights (biases left out, as in Jiang et al.).
    public static func distanceFromInitialization(_ layers: [Layer], _ initial: [Layer]) -> Double {
        zip(layers, initial).reduce(0) { acc, p in
            acc + zip(p.0.weights.storage, p.1.weights.storage).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        }.squareRoot()
    }
}
