import Foundation
import Learners
import LinearAlgebra

extension Curvature {
    /// The Hessian's diagonal of a network of dense and ReLU layers, exactly. Along one weight,
    /// holding the others fixed, such a network's logits are piecewise linear (the weight enters
    /// one layer linearly and ReLU'' = 0 almost everywhere), so H_ii equals the Gauss–Newton
    /// diagonal (1/N)·Σ_n J_n,iᵀ A_n J_n,i with A_n = ∂²ℓ/∂z². Factor A_n = B_n B_nᵀ (cross-entropy:
    /// columns √p_c·(e_c − p); squared error: √(2/K)·e_c) and back-propagate each column of B for
    /// all samples at once: a dense layer's entries are then (δ∘δ)ᵀ(x∘x) and Σ δ² — K backward
    /// sweeps of products on squared matrices, in Double.
    public static func gaussNewtonDiagonal<T: Scalar>(_ f: Objective<T>) throws -> [Double] {
        let net = f.network
        guard net.loss != .logistic else {
            throw GenLabError.usage(
                "the exact Hessian diagonal covers cross-entropy and squared error, not the logistic loss")
        }
        var dense = [(offset: Int, outputs: Int, inputs: Int)]()
        var relu = [Bool]()
        for l in net.layers {
            if case .dense(let o) = l.spec {
                dense.append((l.parameterOffset, o, l.inputFeatures))
                relu.append(false)
            } else if l.spec == .relu, !relu.isEmpty, !relu[relu.count - 1] {
                relu[relu.count - 1] = true
            }
            // Dropout is the identity in evaluation mode, where the objective is measured.
            else if case .dropout = l.spec {
                continue
            } else {
                throw GenLabError.usage(
                    "the exact Hessian diagonal needs a network of dense "
                        + "layers, each followed by at most one ReLU; got \(l.spec)"
                )
            }
        }
        let theta = net.parameterArray.map(Double.init)
        let n = f.sampleCount
        // Forward in Double: each dense layer's input x_l [n, in] and its ReLU mask [n, out].
        var inputs = [Matrix<Double>]()
        var masks = [[Bool]]()
        var x: Matrix<Double> = Matrix(rows: n, cols: f.x.cols, storage: f.x.storage.map(Double.init))
        for (l, d) in dense.enumerated() {
            inputs.append(x)
            let w = Matrix(
                rows: d.outputs, cols: d.inputs, storage: Array(theta[d.offset..<(d.offset + d.outputs * d.inputs)]))
            var z = matmul(x, w, transB: true)
            for r in 0..<n { for c in 0..<d.outputs { z[r, c] += theta[d.offset + d.outputs * d.inputs + c] } }
            var mask = [Bool](repeating: true, count: relu[l] ? n * d.outputs : 0)
            if relu[l] {
                for j in 0..<(n * d.outputs) {
                    mask[j] = z.storage[j] > 0
                    if !mask[j] { z.storage[j] = 0 }
                }
            }
            masks.append(mask)
            x = z
        }
        let k = dense.last!.outputs
        let weights = dense.map { d in
            Matrix(rows: d.outputs, cols: d.inputs, storage: Array(theta[d.offset..<(d.offset + d.outputs * d.inputs)]))
        }
        // S_l = Σ_c δ_c∘δ_c at each dense layer's output: x_l² does not depend on c, so one product
        // per layer, S_lᵀ·x_l², gives that layer's diagonal for all K columns of B at once.
        var squares = dense.map { Matrix<Double>(rows: n, cols: $0.outputs) }
        // Cross-entropy's softmax p [n, K] of the logits, once for all columns c.
        var p = Matrix<Double>(rows: n, cols: k)
        if net.loss == .crossEntropy {
            for r in 0..<n {
                let m = (0..<k).map { x[r, $0] }.max()!
                let e = (0..<k).map { exp(x[r, $0] - m) }
                let s = e.reduce(0, +)
                for j in 0..<k { p[r, j] = e[j] / s }
            }
        }
        for c in 0..<k {
            var delta = Matrix<Double>(rows: n, cols: k)  // column c of B_n for every sample
            for r in 0..<n {
                if net.loss == .crossEntropy {
                    for j in 0..<k { delta[r, j] = p[r, c].squareRoot() * ((j == c ? 1 : 0) - p[r, j]) }
                } else {  // mean over outputs of (z − t)²: A = (2/K)·I
                    delta[r, c] = (2 / Double(k)).squareRoot()
                }
            }
            for l in stride(from: dense.count - 1, through: 0, by: -1) {
                if relu[l] { for j in 0..<delta.storage.count where !masks[l][j] { delta.storage[j] = 0 } }
                for j in 0..<delta.storage.count { squares[l].storage[j] += delta.storage[j] * delta.storage[j] }
                if l > 0 { delta = matmul(delta, weights[l]) }  // [n, in]
            }
        }
        var diagonal = [Double](repeating: 0, count: net.parameterCount)
        for (l, d) in dense.enumerated() {
            let x2 = Matrix(rows: n, cols: d.inputs, storage: inputs[l].storage.map { $0 * $0 })
            let w2 = matmul(squares[l], transA: true, x2)  // [out, in]
            for j in 0..<(d.outputs * d.inputs) { diagonal[d.offset + j] = w2.storage[j] / Double(n) }
            for o in 0..<d.outputs {
                var s = 0.0
                for r in 0..<n { s += squares[l][r, o] }
                diagonal[d.offset + d.outputs * d.inputs + o] = s / Double(n)
            }
        }
        return diagonal
    }
}
