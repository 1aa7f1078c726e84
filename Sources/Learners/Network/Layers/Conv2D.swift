import LinearAlgebra

/// A 2-D convolution over images in NCHW order (a sample's features are [channels, height, width],
/// row-major: PyTorch's layout, so θ and a state dict agree without a transpose):
/// x [Cin, H, W] → y [Cout, Hout, Wout], Hout = (H + 2·padding − k)/stride + 1 (Wout likewise),
/// as one GEMM per batch over im2col rows. θ: W [Cout, Cin·k·k] row-major (`nn.Conv2d`'s
/// [out, in, k, k]), then b [Cout].
///
/// Scratch per sample (values), in order: columns col [Hout·Wout, Cin·k·k] (im2col of x, kept
/// with the forward pass); a second set of columns [Hout·Wout, Cin·k·k] (im2col of R(x) from the
/// tangent forward pass, then the δ-columns: `tangentBackward` reads R(col) before it writes δcol;
/// not carved for the first layer, which has neither); Yᵀ [Hout·Wout, Cout] (the GEMM's output,
/// then δ in that layout); R(Y)ᵀ [Hout·Wout, Cout]. Fixed scratch, for the per-sample passes
/// (`ExecutionPlan.convolvesPerSample`): per core, a group of samples' columns as planes
/// [Cin·k·k, G·Hout·Wout], their outputs [Cout, G·Hout·Wout] and a gradient block
/// [parameterCount]; then G·Hout·Wout ones (`group`).
public struct Conv2D: LayerKind {
    public let input: Shape
    public let image: ImageSize, outputImage: ImageSize
    public let channels, kernel, stride, padding: Int
    public var output: Shape { (channels, outputImage.pixels) }
    public var spec: LayerSpec { .conv2d(channels: channels, kernel: kernel, stride: stride, padding: padding) }
    public var weightCount: Int { channels * input.channels * kernel * kernel }
    public var parameterCount: Int { weightCount + channels }

    init(channels: Int, kernel: Int, stride: Int, padding: Int, input: Shape, height: Int) throws {
        guard channels >= 1, kernel >= 1, stride >= 1, padding >= 0 else {
            throw GenLabError.usage(
                "a 2-D convolution needs channels, kernel and stride ≥ 1 and padding ≥ 0, got \(channels), "
                    + "\(kernel), \(stride), \(padding)"
            )
        }
        let image = try ImageSize(input: input, height: height, for: "a 2-D convolution")
        let out = ImageSize(
            height: (image.height + 2 * padding - kernel) / stride + 1,
            width: (image.width + 2 * padding - kernel) / stride + 1)
        guard image.height + 2 * padding >= kernel, image.width + 2 * padding >= kernel else {
            throw GenLabError.usage(
                "a 2-D convolution with kernel \(kernel), stride \(stride), "
                    + "padding \(padding) does not fit an image of \(image)"
            )
        }
        self.channels = channels
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.input = input
        self.image = image
        outputImage = out
    }

    public func outputHeight(inputHeight: Int) -> Int { outputImage.height }
    var width: Int { input.channels * kernel * kernel }
    var columnsPerSample: Int { outputImage.pixels * width }
    public func scratch(position: Int) -> (values: Int, indices: Int, fixedValues: Int) {
        ((position == 0 ? 1 : 2) * columnsPerSample + 2 * outputFeatures, 0, fixedValues)
    }
    public func accepts(_ epilogue: Epilogue) -> Bool { epilogue == .relu }
    public func trainingFlops(first: Bool) -> Double { Double(2 * weightCount * outputImage.pixels) * (first ? 2 : 3) }
    public func tangentReadsDelta(first: Bool) -> Bool { !first }
    /// im2col(x)·Wᵀ + b is linear in (W, b).
    public var isLinearInParameters: Bool { true }

    /// The scratch, carved: columns, second columns (R(x), then δ; nil for the first layer), Yᵀ, R(Y)ᵀ.
    func buffers<T>(_ p: LayerPass<T>) -> (
        col: UnsafeMutablePointer<T>, work: UnsafeMutablePointer<T>?,
        yt: UnsafeMutablePointer<T>, ryt: UnsafeMutablePointer<T>
    ) {
        let s = p.scratch!
        let c = p.batch * columnsPerSample
        let o = p.batch * outputFeatures
        let second = p.rdx != nil
        let yt = s + (second ? 2 : 1) * c
        return (s, second ? s + c : nil, yt, yt + o)
    }

    var columns: ImageColumns {
        ImageColumns(
            channels: input.channels, image: image, output: outputImage, kernel: kernel, stride: stride,
            padding: padding)
    }
    var transposer: ChannelTranspose { ChannelTranspose(channels: channels, pixels: outputImage.pixels) }

    /// The layer's helper (`ColumnPair`), made on first use.
    func pair<T: Scalar>(_ p: LayerPass<T>) -> ColumnPair<T> { p.helper { ColumnPair<T>() } }

    /// Makes sure col holds im2col of x (a per-sample forward pass keeps no columns).
    func holdColumns<T: Scalar>(_ p: LayerPass<T>, _ col: UnsafeMutablePointer<T>) {
        let pair = pair(p)
        guard !pair.columnsHeld else { return }
        toColumns(p, p.x, col)
        pair.columnsHeld = true
    }

    /// im2col of x into col, half the batch per core where the plan splits columns.
    func toColumns<T: Scalar>(_ p: LayerPass<T>, _ x: UnsafePointer<T>, _ col: UnsafeMutablePointer<T>) {
        guard p.plan.splitsColumns && p.batch >= 2 else {
            columns.im2col(x, col, samples: 0..<p.batch)
            return
        }
        let pair = pair(p)
        pair.columns = columns
        pair.job = .im2col
        pair.images = UnsafeMutablePointer(mutating: x)
        pair.cols = col
        pair.batch = p.batch
        ForkJoin.run(pair, linger: false)  // a threaded product follows
    }

    /// col2im of col into dx, likewise.
    func toImages<T: Scalar>(_ p: LayerPass<T>, _ col: UnsafeMutablePointer<T>, _ dx: UnsafeMutablePointer<T>) {
        guard p.plan.splitsColumns && p.batch >= 2 else {
            columns.col2im(col, dx, samples: 0..<p.batch)
            return
        }
        let pair = pair(p)
        pair.columns = columns
        pair.job = .col2im
        pair.images = dx
        pair.cols = col
        pair.batch = p.batch
        ForkJoin.run(pair, linger: false)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func forward<T: Scalar>(_ p: LayerPass<T>, training: Bool, rng: inout Generator) {
        if p.plan.convolvesPerSample { return forwardPerSample(p) }
        let (col, _, yt, _) = buffers(p)
        let b = p.batch
        toColumns(p, p.x, col)
        pair(p).columnsHeld = true
        T.gemm(
            transA: false, transB: true, m: b * outputImage.pixels, n: channels, k: width, alpha: 1, a: col, lda: width,
            b: p.theta, ldb: width,
            beta: 0, c: yt, ldc: channels)
        transposer.toImages(yt, plus: p.theta + weightCount, into: p.y, batch: b, relu: p.epilogue == .relu)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func backward<T: Scalar>(_ p: LayerPass<T>, into sink: GradientSink<T>?) {
        if p.plan.convolvesPerSample { return backwardPerSample(p, into: sink) }
        let (col, work, dyt, _) = buffers(p)
        let b = p.batch
        let rows = b * outputImage.pixels
        if sink != nil { holdColumns(p, col) }
        transposer.toRows(p.dy!, into: dyt, batch: b)
        if let dx = p.dx, let dcol = work {  // first: the fused step changes W below
            T.gemm(
                transA: false, transB: false, m: rows, n: width, k: channels, alpha: 1, a: dyt, lda: channels,
                b: p.theta, ldb: width, beta: 0, c: dcol, ldc: width)
            toImages(p, dcol, dx)
        }
        guard let s = sink else { return }
        // ∂W += α·δᵀ·col [Cout, Cin·k·k], ∂b += α·Σ δ
        T.gemm(
            transA: true, transB: false, m: channels, n: width, k: rows, alpha: s.alpha, a: dyt, lda: channels, b: col,
            ldb: width, beta: 1, c: s.into, ldc: width)
        Elementwise.addColumnSums(s.into + weightCount, dyt, rows: rows, width: channels, alpha: s.alpha)
    }

    /// R(y) = col·Vᵀ + im2col(R(x))·Wᵀ + V_b
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func tangentForward<T: Scalar>(_ p: LayerPass<T>, v: UnsafePointer<T>) {
        let (col, work, yt, _) = buffers(p)
        let b = p.batch
        let rows = b * outputImage.pixels
        holdColumns(p, col)
        T.gemm(
            transA: false, transB: true, m: rows, n: channels, k: width, alpha: 1, a: col, lda: width, b: v, ldb: width,
            beta: 0, c: yt, ldc: channels)
        if let rx = p.rx, let rcol = work {
            toColumns(p, rx, rcol)
            T.gemm(
                transA: false, transB: true, m: rows, n: channels, k: width, alpha: 1, a: rcol, lda: width, b: p.theta,
                ldb: width, beta: 1, c: yt, ldc: channels)
        }
        transposer.toImages(yt, plus: v + weightCount, into: p.ry, batch: b)
        if p.epilogue == .relu { Elementwise.reluMask(p.ry, p.y, count: b * outputFeatures) }
    }

    /// H·v block R(δ)ᵀ·col + δᵀ·R(col), Σ R(δ); then R(δcol) = R(δ)·W + δ·V (over R(col), read
    /// by then) and δx.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func tangentBackward<T: Scalar>(_ p: LayerPass<T>, v: UnsafePointer<T>, into hv: UnsafeMutablePointer<T>) {
        let (col, work, dyt, rdyt) = buffers(p)
        let b = p.batch
        let rows = b * outputImage.pixels
        holdColumns(p, col)
        if let d = p.dy { transposer.toRows(d, into: dyt, batch: b) }
        transposer.toRows(p.rdy, into: rdyt, batch: b)
        T.gemm(
            transA: true, transB: false, m: channels, n: width, k: rows, alpha: 1, a: rdyt, lda: channels, b: col,
            ldb: width, beta: 1, c: hv, ldc: width)
        Elementwise.addColumnSums(hv + weightCount, rdyt, rows: rows, width: channels, alpha: 1)
        guard let rdx = p.rdx, let work else { return }  // the first layer: R(x) = 0, no δx
        T.gemm(
            transA: true, transB: false, m: channels, n: width, k: rows, alpha: 1, a: dyt, lda: channels, b: work,
            ldb: width, beta: 1, c: hv, ldc: width)
        T.gemm(
            transA: false, transB: false, m: rows, n: width, k: channels, alpha: 1, a: rdyt, lda: channels, b: p.theta,
            ldb: width, beta: 0, c: work, ldc: width)
        T.gemm(
            transA: false, transB: false, m: rows, n: width, k: channels, alpha: 1, a: dyt, lda: channels, b: v,
            ldb: width, beta: 1, c: work, ldc: width)
        toImages(p, work, rdx)
        if let dx = p.dx {
            T.gemm(
                transA: false, transB: false, m: rows, n: width, k: channels, alpha: 1, a: dyt, lda: channels,
                b: p.theta, ldb: width, beta: 0, c: work, ldc: width)
            toImages(p, work, dx)
        }
    }

    // MARK: the per-sample passes (`ExecutionPlan.convolvesPerSample`)

    /// Samples per product: small images (7×7) are grouped, their planes side by side, so that
    /// each product has about `groupColumns` columns (one sample of 28×28 has 784).
    static let groupColumns = 512
    var group: Int { max(1, Self.groupColumns / outputImage.pixels) }
    var groupPixels: Int { group * outputImage.pixels }
    /// Per core: a group's planes [Cin·k·k, G·P], its outputs or δ [Cout, G·P], a gradient block.
    var coreValues: Int { (width + channels) * groupPixels + parameterCount }
    var fixedValues: Int { 2 * coreValues + groupPixels }

    /// Core `part`'s slice of the fixed scratch: planes, outputs, gradient block.
    func coreScratch<T>(_ fixed: UnsafeMutablePointer<T>, _ part: Int) -> (
        cols: UnsafeMutablePointer<T>, stage: UnsafeMutablePointer<T>, gradient: UnsafeMutablePointer<T>
    ) {
        let c = fixed + part * coreValues
        return (c, c + width * groupPixels, c + (width + channels) * groupPixels)
    }
    /// G·P ones, after both cores' slices (the bias gradient as a product).
    func ones<T>(_ fixed: UnsafeMutablePointer<T>) -> UnsafePointer<T> { UnsafePointer(fixed + 2 * coreValues) }

    /// y = W·planes(x) + b per sample (or group of small samples), into NCHW (with the ReLU above
    /// where it is fused), half of the batch per core: the planes stay in the cache between
    /// im2col and the product.
    func forwardPerSample<T: Scalar>(_ p: LayerPass<T>) {
        let pair = pair(p)
        pair.columnsHeld = false
        pair.conv = self
        pair.job = .forwardSamples
        pair.batch = p.batch
        pair.x = p.x
        pair.y = p.y
        pair.theta = p.theta
        pair.fixed = p.fixedScratch!
        pair.relu = p.epilogue == .relu
        ForkJoin.run(pair, linger: false)
    }

    /// δx per sample (col2im of Wᵀ·δ) and the gradient per core, each core's block added into the
    /// sink after both are done (θ is read before the fused step writes it).
    func backwardPerSample<T: Scalar>(_ p: LayerPass<T>, into sink: GradientSink<T>?) {
        guard p.dx != nil || sink != nil else { return }
        let pair = pair(p)
        let fixed = p.fixedScratch!
        (fixed + 2 * coreValues).update(repeating: 1, count: groupPixels)
        pair.conv = self
        pair.job = .backwardSamples
        pair.batch = p.batch
        pair.x = p.x
        pair.y = p.dy!
        pair.dx = p.dx
        pair.theta = p.theta
        pair.fixed = fixed
        pair.wantsGradient = sink != nil
        ForkJoin.run(pair, linger: false)
        guard let s = sink else { return }
        let g0 = UnsafePointer(coreScratch(fixed, 0).gradient)
        let g1 = UnsafePointer(coreScratch(fixed, 1).gradient)
        let a = s.alpha
        for j in 0..<parameterCount { s.into[j] += a * (g0[j] + g1[j]) }
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func forwardSamples<T: Scalar>(
        _ samples: Range<Int>, x: UnsafePointer<T>, y: UnsafeMutablePointer<T>, theta: UnsafePointer<T>,
        relu: Bool,
        core: (cols: UnsafeMutablePointer<T>, stage: UnsafeMutablePointer<T>, gradient: UnsafeMutablePointer<T>)
    ) {
        let n = outputImage.pixels
        let bias = theta + weightCount
        let c = columns
        for r0 in Swift.stride(from: samples.lowerBound, to: samples.upperBound, by: group) {
            let g = min(group, samples.upperBound - r0)
            let ld = g * n
            for q in 0..<g { c.im2planes(x + (r0 + q) * inputFeatures, core.cols + q * n, rowStride: ld) }
            // One sample: straight into y; several: into the stage [Cout, g·P], then out per sample.
            let out = g == 1 ? y + r0 * outputFeatures : core.stage
            for o in 0..<channels { (out + o * ld).update(repeating: bias[o], count: ld) }
            T.gemm(
                transA: false, transB: false, m: channels, n: ld, k: width, alpha: 1, a: theta, lda: width,
                b: core.cols, ldb: ld, beta: 1, c: out, ldc: ld)
            if relu { Elementwise.relu(out, count: channels * ld) }
            guard g > 1 else { continue }
            for q in 0..<g {
                let ys = y + (r0 + q) * outputFeatures
                for o in 0..<channels { (ys + o * n).update(from: out + o * ld + q * n, count: n) }
            }
        }
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func backwardSamples<T: Scalar>(
        _ samples: Range<Int>, x: UnsafePointer<T>, dy: UnsafePointer<T>, dx: UnsafeMutablePointer<T>?,
        theta: UnsafePointer<T>, wantsGradient: Bool,
        core: (cols: UnsafeMutablePointer<T>, stage: UnsafeMutablePointer<T>, gradient: UnsafeMutablePointer<T>),
        ones: UnsafePointer<T>
    ) {
        let n = outputImage.pixels
        let c = columns
        let cols = core.cols
        let grad = core.gradient
        if wantsGradient { grad.update(repeating: 0, count: parameterCount) }
        for r0 in Swift.stride(from: samples.lowerBound, to: samples.upperBound, by: group) {
            let g = min(group, samples.upperBound - r0)
            let ld = g * n
            // δ of the group as [Cout, g·P]: the sample's own δ when alone, else gathered.
            let d: UnsafePointer<T>
            if g == 1 {
                d = dy + r0 * outputFeatures
            } else {
                for q in 0..<g {
                    let ds = dy + (r0 + q) * outputFeatures
                    for o in 0..<channels { (core.stage + o * ld + q * n).update(from: ds + o * n, count: n) }
                }
                d = UnsafePointer(core.stage)
            }
            if let dx {
                T.gemm(
                    transA: true, transB: false, m: width, n: ld, k: channels, alpha: 1, a: theta, lda: width, b: d,
                    ldb: ld, beta: 0, c: cols, ldc: ld)
                for q in 0..<g { c.planes2im(cols + q * n, dx + (r0 + q) * inputFeatures, rowStride: ld) }
            }
            guard wantsGradient else { continue }
            for q in 0..<g { c.im2planes(x + (r0 + q) * inputFeatures, cols + q * n, rowStride: ld) }
            T.gemm(
                transA: false, transB: true, m: channels, n: width, k: ld, alpha: 1, a: d, lda: ld, b: cols, ldb: ld,
                beta: 1, c: grad, ldc: width)
            T.gemv(trans: false, m: channels, n: ld, alpha: 1, a: d, lda: ld, x: ones, beta: 1, y: grad + weightCount)
        }
    }
}
