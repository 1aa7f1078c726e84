import LinearAlgebra

extension Network {
    /// The input of layer i: the network input for i = 0, else the output before it.
    @inline(__always)
    func layerInput(_ i: Int, _ x: UnsafePointer<T>) -> UnsafePointer<T> { i == 0 ? x : UnsafePointer(outputs[i - 1]) }

    /// Forward pass over a batch. x: [b, inputFeatures] → logits [b, outputCount] (returned pointer
    /// is valid until the next call). Dropout is active only when `training`.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    @discardableResult
    public func forward(_ x: UnsafePointer<T>, batch b: Int, training: Bool) -> UnsafePointer<T> {
        reserve(batch: b)
        forwardGeneration &+= 1
        return forwardLayers(x, batch: b, training: training, from: 0)
    }

    /// Layers `start…` of the forward pass (the arena is reserved; layers before `start` are done).
    @discardableResult
    func forwardLayers(_ x: UnsafePointer<T>, batch b: Int, training: Bool, from start: Int) -> UnsafePointer<T> {
        for (i, l) in layers.enumerated() where i >= start {
            let input = layerInput(i, x), y = outputs[i]
            let w = UnsafePointer(parameters + l.parameterOffset)
            switch l.spec {
            case .dense(let o):
                let n = l.inputFeatures
                T.gemm(transA: false, transB: true, m: b, n: o, k: n, alpha: 1, a: input, lda: n, b: w, ldb: n, beta: 0, c: y, ldc: o)
                let bias = w + l.weightCount
                // Bias and the following ReLU in one pass over the output.
                var relu = false
                if i + 1 < layers.count, case .relu = layers[i + 1].spec { relu = true }
                Elementwise.addBias(y, bias, rows: b, width: o, relu: relu)
            case .relu:
                if i > 0, case .dense = layers[i - 1].spec { break }  // fused above
                for j in 0..<(b * l.outputFeatures) { y[j] = Swift.max(y[j], 0) }
            case .tanh:
                for j in 0..<(b * l.outputFeatures) { y[j] = T(_tanh(Double(y[j]))) }
            case .dropout(let rate):
                let m = masks[i]!
                if training && rate > 0 {
                    let keep = T(1 / (1 - rate))
                    for j in 0..<(b * l.outputFeatures) { m[j] = rng.uniform() < rate ? 0 : keep; y[j] *= m[j] }
                } else {
                    for j in 0..<(b * l.outputFeatures) { m[j] = 1 }
                }
            case .conv1d(let cout, let k, let s, let p):
                let cin = l.input.channels, lin = l.input.length, lout = l.output.length
                let col = columns[i]!, yt = transposed[i]!
                Self.im2col(input, col, b, cin, lin, lout, k, s, p)
                T.gemm(transA: false, transB: true, m: b * lout, n: cout, k: cin * k, alpha: 1, a: col, lda: cin * k, b: w, ldb: cin * k, beta: 0, c: yt, ldc: cout)
                let bias = w + l.weightCount
                for r in 0..<b { for o in 0..<cout { for t in 0..<lout { y[(r * cout + o) * lout + t] = yt[(r * lout + t) * cout + o] + bias[o] } } }
            case .maxPool(let size):
                let c = l.input.channels, lin = l.input.length, lout = l.output.length
                let am = argmax[i]!
                for r in 0..<b {
                    for ch in 0..<c {
                        let src = input + (r * c + ch) * lin, dst = (r * c + ch) * lout
                        for t in 0..<lout {
                            var best = t * size
                            for j in (t * size)..<(t * size + size) where src[j] > src[best] { best = j }
                            y[dst + t] = src[best]; am[dst + t] = Int32(best)
                        }
                    }
                }
            }
        }
        return UnsafePointer(outputs[layers.count - 1])
    }

    /// col[(r·lout + t), (c·k + j)] = x[r, c, t·s − p + j], zero outside the input.
    @inline(__always)
    static func im2col(_ x: UnsafePointer<T>, _ col: UnsafeMutablePointer<T>, _ b: Int, _ cin: Int, _ lin: Int, _ lout: Int, _ k: Int, _ s: Int, _ p: Int) {
        let width = cin * k
        for r in 0..<b {
            for t in 0..<lout {
                let row = col + (r * lout + t) * width
                for c in 0..<cin {
                    let src = x + (r * cin + c) * lin
                    for j in 0..<k {
                        let pos = t * s - p + j
                        row[c * k + j] = pos >= 0 && pos < lin ? src[pos] : 0
                    }
                }
            }
        }
    }

    /// Adds each column entry back where `im2col` took it from (its adjoint).
    @inline(__always)
    static func col2im(_ col: UnsafePointer<T>, _ dx: UnsafeMutablePointer<T>, _ b: Int, _ cin: Int, _ lin: Int, _ lout: Int, _ k: Int, _ s: Int, _ p: Int) {
        let width = cin * k
        for j in 0..<(b * cin * lin) { dx[j] = 0 }
        for r in 0..<b {
            for t in 0..<lout {
                let row = col + (r * lout + t) * width
                for c in 0..<cin {
                    let dst = dx + (r * cin + c) * lin
                    for j in 0..<k {
                        let pos = t * s - p + j
                        if pos >= 0 && pos < lin { dst[pos] += row[c * k + j] }
                    }
                }
            }
        }
    }
}

import Foundation
@inline(__always) func _tanh(_ x: Double) -> Double { Foundation.tanh(x) }
