import LinearAlgebra

/// Inverted dropout, in place: in training each unit is kept with probability 1 − rate and
/// scaled by 1/(1 − rate); in evaluation it is the identity.
///
/// Scratch: values, the mask m [b, features] (0 or 1/(1 − rate); all 1 in evaluation).
public struct Dropout: LayerKind {
    public let input: Shape
    public let rate: Double
    public var output: Shape { input }
    public var spec: LayerSpec { .dropout(rate: rate) }
    public var worksInPlace: Bool { true }
    public func scratch(position: Int) -> (values: Int, indices: Int, fixedValues: Int) { (inputFeatures, 0, 0) }

    init(rate: Double, input: Shape) throws {
        guard rate >= 0 && rate < 1 else { throw GenLabError.usage("dropout must be in [0, 1), got \(rate)") }
        self.rate = rate
        self.input = input
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func forward<T: Scalar>(_ p: LayerPass<T>, training: Bool, rng: inout Generator) {
        let m = p.scratch!
        let y = p.y
        let n = p.batch * outputFeatures
        if training && rate > 0 {
            // m = uniform() < rate ? 0 : keep, the same draws as that comparison, written as bits
            // (keep's bit pattern, masked to +0 on a drop) so that no branch follows a coin flip:
            // with one this loop cost about a third of a dropout MLP's training.
            let keep = T(1 / (1 - rate))
            let threshold = Generator.threshold(below: rate)
            if MemoryLayout<T>.size == 4 {
                maskBits(UInt32.self, keep: keep, threshold: threshold, into: m, count: n, rng: &rng)
            } else {
                maskBits(UInt64.self, keep: keep, threshold: threshold, into: m, count: n, rng: &rng)
            }
            for j in 0..<n { y[j] *= m[j] }
        } else {
            for j in 0..<n { m[j] = 1 }
        }
    }

    /// m[j] = keep, or +0 with probability p (`threshold` from `Generator.threshold(below: p)`),
    /// written through `Bits`, an unsigned integer of T's size.
    @inline(__always)
    private func maskBits<T: Scalar, Bits: FixedWidthInteger & UnsignedInteger>(
        _: Bits.Type, keep: T, threshold: UInt64, into m: UnsafeMutablePointer<T>, count n: Int, rng: inout Generator
    ) {
        precondition(MemoryLayout<Bits>.size == MemoryLayout<T>.size)
        let keepBits = withUnsafeBytes(of: keep) { $0.loadUnaligned(as: Bits.self) }
        UnsafeMutableRawPointer(m).withMemoryRebound(to: Bits.self, capacity: n) { b in
            for j in 0..<n {
                let drop = Bits(truncatingIfNeeded: rng.bit(below: threshold))
                b[j] = keepBits & (drop &- 1)
            }
        }
    }

    /// δx = δy·m (in place).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func backward<T: Scalar>(_ p: LayerPass<T>, into sink: GradientSink<T>?) {
        guard let d = p.dy else { return }
        let m = p.scratch!
        for j in 0..<(p.batch * outputFeatures) { d[j] *= m[j] }
    }

    /// R(y) = R(x)·m
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func tangentForward<T: Scalar>(_ p: LayerPass<T>, v: UnsafePointer<T>) {
        let m = p.scratch!
        let ry = p.ry
        for j in 0..<(p.batch * outputFeatures) { ry[j] *= m[j] }
    }

    /// R(δx) = R(δy)·m, and δx.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func tangentBackward<T: Scalar>(_ p: LayerPass<T>, v: UnsafePointer<T>, into hv: UnsafeMutablePointer<T>) {
        let m = p.scratch!
        let rd = p.rdy
        for j in 0..<(p.batch * outputFeatures) { rd[j] *= m[j] }
        backward(p, into: nil)
    }
}
