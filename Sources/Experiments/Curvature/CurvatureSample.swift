import Datasets
import LinearAlgebra

extension Dataset {
    /// The samples a curvature measure averages the loss over: `n` drawn at random with `seed`
    /// (in their order in the set), or all of them when `n` is nil or not smaller than the set.
    func curvatureSample(_ n: Int?, seed: UInt64) -> Dataset {
        guard let n, n < count else { return self }
        var rng = Generator(seed: seed, stream: 31)
        return subset(rng.sample(n, from: count).sorted())
    }
}
