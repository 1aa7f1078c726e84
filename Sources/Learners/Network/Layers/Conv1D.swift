import LinearAlgebra

/// A 1-D convolution: x [Cin, L] → y [Cout, Lout], Lout = (L + 2·padding − k)/stride + 1, as one
/// GEMM over im2col columns. θ: W [Cout, Cin·k] row-major, then b [Cout].
///
/// Scratch per sample (values), in order: columns col [Lout, Cin·k] (im2col of x, kept with the
/// forward pass), R-columns [Lout, Cin·k] (im2col of R(x)), δ-columns [Lout, Cin·k], Yᵀ
/// [Lout, Cout] (the GEMM's output, then δ in that layout), R(Y)ᵀ [Lout, Cout].
public struct Conv1D: LayerKind {
    public let input: Shape
    public let channels, kernel, stride, padding: Int
    public let output: Shape
    public var spec: LayerSpec { .conv1d(channels: channels, kernel: kernel, stride: stride, padding: padding) }
    public var weightCount: Int { channels * input.channels * kernel }
    public var parameterCount: Int { weightCount + channels }

    init(channels: Int, kernel: Int, stride: Int, padding: Int, input: Shape) throws {
        guard channels >= 1, kernel >= 1, stride >= 1, padding >= 0 else {
            throw GenLabError.usage(
                "a convolution needs channels, kernel and stride ≥ 1, got \(channels), \(kernel), \(stride)")
        }
        let length = (input.length + 2 * padding - kernel) / stride + 1
        guard length >= 1 else {
            throw GenLabError.usage(
                "a convolution with kernel \(kernel), stride \(stride), padding \(padding) does not fit an input of "
                    + "length \(input.length)"
            )
        }
        self.channels = channels
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.input = input
        output = (channels, length)
    }

    var width: Int { input.channels * kernel }
    var columnsPerSample: Int { output.length * width }
    public func scratch(position: Int) -> (values: Int, indices: Int, fixedValues: Int) {
        (3 * columnsPerSample + 2 * outputFeatures, 0, 0)
    }
    public func trainingFlops(first: Bool) -> Double { Double(2 * weightCount * output.length) * (first ? 2 : 3) }
    public func tangentReadsDelta(first: Bool) -> Bool { !first }
    /// x·Wᵀ + b (a convolution's im2col product likewise).
    public var isLinearInParameters: Bool { true }

    /// The scratch, carved: columns, R-columns, δ-columns, Yᵀ, R(Y)ᵀ.
    func buffers<T>(_ p: LayerPass<T>) -> (
        col: UnsafeMutablePointer<T>, rcol: UnsafeMutablePointer<T>, dcol: UnsafeMutablePointer<T>,
        yt: UnsafeMutablePointer<T>, ryt: UnsafeMutablePointer<T>
    ) {
        let s = p.scratch!
        let c = p.batch * columnsPerSample
        let o = p.batch * outputFeatures
        return (s, s + c, s + 2 * c, s + 3 * c, s + 3 * c + o)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func forward<T: Scalar>(_ p: LayerPass<T>, training: Bool, rng: inout Generator) {
        let (col, _, _, yt, _) = buffers(p)
        let b = p.batch
        im2col(p.x, col, batch: b)
        T.gemm(
            transA: false, transB: true, m: b * output.length, n: channels, k: width, alpha: 1, a: col, lda: width,
            b: p.theta, ldb: width,
            beta: 0, c: yt, ldc: channels)
        fromColumns(yt, plus: p.theta + weightCount, into: p.y, batch: b)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func backward<T: Scalar>(_ p: LayerPass<T>, into sink: GradientSink<T>?) {
        let (col, _, dcol, dyt, _) = buffers(p)
        let b = p.batch
        let rows = b * output.length
        toColumns(p.dy!, into: dyt, batch: b)
        if let dx = p.dx {  // first: the fused step changes W below
            T.gemm(
                transA: false, transB: false, m: rows, n: width, k: channels, alpha: 1, a: dyt, lda: channels,
                b: p.theta, ldb: width, beta: 0, c: dcol, ldc: width)
            col2im(dcol, dx, batch: b)
        }
        guard let s = sink else { return }
        // ∂W += α·δᵀ·col [Cout, Cin·k], ∂b += α·Σ δ
        T.gemm(
            transA: true, transB: false, m: channels, n: width, k: rows, alpha: s.alpha, a: dyt, lda: channels, b: col,
            ldb: width, beta: 1, c: s.into, ldc: width)
        Elementwise.addColumnSums(s.into + weightCount, dyt, rows: rows, width: channels, alpha: s.alpha)
    }

    /// R(y) = col·Vᵀ + im2col(R(x))·Wᵀ + V_b
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func tangentForward<T: Scalar>(_ p: LayerPass<T>, v: UnsafePointer<T>) {
        let (col, rcol, _, yt, _) = buffers(p)
        let b = p.batch
        let rows = b * output.length
        T.gemm(
            transA: false, transB: true, m: rows, n: channels, k: width, alpha: 1, a: col, lda: width, b: v, ldb: width,
            beta: 0, c: yt, ldc: channels)
        if let rx = p.rx {
            im2col(rx, rcol, batch: b)
            T.gemm(
                transA: false, transB: true, m: rows, n: channels, k: width, alpha: 1, a: rcol, lda: width, b: p.theta,
                ldb: width, beta: 1, c: yt, ldc: channels)
        }
        fromColumns(yt, plus: v + weightCount, into: p.ry, batch: b)
    }

    /// H·v block R(δ)ᵀ·col + δᵀ·R(col), Σ R(δ); R(δcol) = R(δ)·W + δ·V; then δx.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func tangentBackward<T: Scalar>(_ p: LayerPass<T>, v: UnsafePointer<T>, into hv: UnsafeMutablePointer<T>) {
        let (col, rcol, dcol, dyt, rdyt) = buffers(p)
        let b = p.batch
        let rows = b * output.length
        if let d = p.dy { toColumns(d, into: dyt, batch: b) }
        toColumns(p.rdy, into: rdyt, batch: b)
        T.gemm(
            transA: true, transB: false, m: channels, n: width, k: rows, alpha: 1, a: rdyt, lda: channels, b: col,
            ldb: width, beta: 1, c: hv, ldc: width)
        if p.rx != nil {
            T.gemm(
                transA: true, transB: false, m: channels, n: width, k: rows, alpha: 1, a: dyt, lda: channels, b: rcol,
                ldb: width, beta: 1, c: hv, ldc: width)
        }
        Elementwise.addColumnSums(hv + weightCount, rdyt, rows: rows, width: channels, alpha: 1)
        if let rdx = p.rdx {
            T.gemm(
                transA: false, transB: false, m: rows, n: width, k: channels, alpha: 1, a: rdyt, lda: channels,
                b: p.theta, ldb: width, beta: 0, c: dcol, ldc: width)
            T.gemm(
                transA: false, transB: false, m: rows, n: width, k: channels, alpha: 1, a: dyt, lda: channels, b: v,
                ldb: width, beta: 1, c: dcol, ldc: width)
            col2im(dcol, rdx, batch: b)
        }
        if let dx = p.dx {
            T.gemm(
                transA: false, transB: false, m: rows, n: width, k: channels, alpha: 1, a: dyt, lda: channels,
                b: p.theta, ldb: width, beta: 0, c: dcol, ldc: width)
            col2im(dcol, dx, batch: b)
        }
    }

    /// y[r, o, t] = yt[r·Lout + t, o] + bias[o]
    func fromColumns<T: Scalar>(
        _ yt: UnsafePointer<T>, plus bias: UnsafePointer<T>, into y: UnsafeMutablePointer<T>, batch b: Int
    ) {
        let lout = output.length
        let c = channels
        for r in 0..<b {
            for o in 0..<c { for t in 0..<lout { y[(r * c + o) * lout + t] = yt[(r * lout + t) * c + o] + bias[o] } }
        }
    }

    /// yt[r·Lout + t, o] = y[r, o, t]
    func toColumns<T: Scalar>(_ y: UnsafePointer<T>, into yt: UnsafeMutablePointer<T>, batch b: Int) {
        let lout = output.length
        let c = channels
        for r in 0..<b {
            for o in 0..<c { for t in 0..<lout { yt[(r * lout + t) * c + o] = y[(r * c + o) * lout + t] } }
        }
    }

    /// col[(r·Lout + t), (c·k + j)] = x[r, c, t·s − p + j], zero outside the input.
    func im2col<T: Scalar>(_ x: UnsafePointer<T>, _ col: UnsafeMutablePointer<T>, batch b: Int) {
        let cin = input.channels
        let lin = input.length
        let lout = output.length
        let k = kernel
        for r in 0..<b {
            for t in 0..<lout {
                let row = col + (r * lout + t) * width
                for c in 0..<cin {
                    let src = x + (r * cin + c) * lin
                    for j in 0..<k {
                        let pos = t * stride - padding + j
                        row[c * k + j] = pos >= 0 && pos < lin ? src[pos] : 0
                    }
                }
            }
        }
    }

    /// Adds each column entry back where `im2col` took it from (its adjoint).
    func col2im<T: Scalar>(_ col: UnsafePointer<T>, _ dx: UnsafeMutablePointer<T>, batch b: Int) {
        let cin = input.channels
        let lin = input.length
        let lout = output.length
        let k = kernel
        dx.update(repeating: 0, count: b * cin * lin)
        for r in 0..<b {
            for t in 0..<lout {
                let row = col + (r * lout + t) * width
                for c in 0..<cin {
                    let dst = dx + (r * cin + c) * lin
                    for j in 0..<k {
                        let pos = t * stride - padding + j
                        if pos >= 0 && pos < lin { dst[pos] += row[c * k + j] }
                    }
                }
            }
        }
    }
}
