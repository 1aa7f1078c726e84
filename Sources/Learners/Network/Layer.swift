/// A layer placed in a network: its shapes, where its parameters live in the flat parameter
/// buffer, and where its output lives in the activation arena.
public struct Layer: Sendable {
    public var spec: LayerSpec
    /// Input and output as (channels, length); a dense layer's features are (features, 1).
    public var input: (channels: Int, length: Int)
    public var output: (channels: Int, length: Int)
    public var parameterOffset: Int
    public var parameterCount: Int

    public var inputFeatures: Int { input.channels * input.length }
    public var outputFeatures: Int { output.channels * output.length }

    /// Weights first ([outputs, inputs] or [Cout, Cin·k]), then biases.
    public var weightCount: Int {
        switch spec {
        case .dense(let o): return o * inputFeatures
        case .conv1d(let c, let k, _, _): return c * input.channels * k
        default: return 0
        }
    }

    static func place(_ spec: LayerSpec, input: (channels: Int, length: Int), offset: Int) throws -> Layer {
        var out = input, count = 0
        switch spec {
        case .dense(let o):
            out = (o, 1); count = o * input.channels * input.length + o
        case .relu, .tanh, .dropout:
            break
        case .conv1d(let c, let k, let s, let p):
            let l = (input.length + 2 * p - k) / s + 1
            guard l >= 1 else {
                throw GenLabError.usage("a convolution with kernel \(k), stride \(s), padding \(p) does not fit an input of length \(input.length)")
            }
            out = (c, l); count = c * input.channels * k + c
        case .maxPool(let size):
            guard input.length / size >= 1 else { throw GenLabError.usage("max pooling of size \(size) does not fit length \(input.length)") }
            out = (input.channels, input.length / size)
        }
        return Layer(spec: spec, input: input, output: out, parameterOffset: offset, parameterCount: count)
    }
}

import LinearAlgebra
