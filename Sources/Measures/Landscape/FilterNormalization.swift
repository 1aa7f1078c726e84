import Learners
import LinearAlgebra

/// Random directions in parameter space for loss surfaces, filter-normalized (Li et al. 2018,
/// "Visualizing the loss landscape of neural nets", §4): a Gaussian direction whose every filter
/// — the weights of one output unit of a dense layer, or of one output channel of a convolution —
/// is rescaled to the norm of the same filter in θ, with the biases' entries 0 (their "ignore
/// biasbn"). The scale of the surface then follows the scale of each filter, so two networks
/// that compute the same function with rescaled layers (`SharpnessRescaling`) get the same surface.
public enum FilterNormalization {
    /// The direction for θ (the network's layout: per layer, weights [filters, fan-in] then biases).
    public static func direction<T: Scalar>(
        _ network: Network<T>, at theta: UnsafePointer<T>, seed: UInt64, stream: UInt64
    ) -> [T] {
        var g = Generator(seed: seed, stream: stream)
        var d = [T](repeating: 0, count: network.parameterCount)
        for layer in network.layers {
            let k = layer.kind
            let filters = k.parameterCount - k.weightCount
            guard filters > 0 else { continue }
            let fanIn = k.weightCount / filters
            for f in 0..<filters {
                let start = layer.parameterOffset + f * fanIn
                var dn = 0.0
                var wn = 0.0
                for j in start..<(start + fanIn) {
                    let z = g.normal()
                    d[j] = T(z)
                    dn += z * z
                    wn += Double(theta[j]) * Double(theta[j])
                }
                let scale = dn > 0 ? (wn / dn).squareRoot() : 0
                for j in start..<(start + fanIn) { d[j] = T(Double(d[j]) * scale) }
            }
        }
        return d
    }
}
