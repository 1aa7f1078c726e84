import LinearAlgebra

/// Max pooling over non-overlapping `size`×`size` windows of each channel's image (NCHW):
/// [C, H, W] → [C, H/size, W/size] (rows and columns that do not fill a window are dropped, as
/// PyTorch's `MaxPool2d(size)` does). Ties go to the first maximum in row-major order.
///
/// Scratch: indices, argmax [b, C, Hout·Wout]: where in its channel's image each maximum came from.
public struct MaxPool2D: LayerKind {
    public let input: Shape
    public let image, outputImage: ImageSize
    public let size: Int
    public var output: Shape { (input.channels, outputImage.pixels) }
    public var spec: LayerSpec { .maxPool2d(size: size) }
    public func scratch(position: Int) -> (values: Int, indices: Int, fixedValues: Int) { (0, outputFeatures, 0) }
    public func outputHeight(inputHeight: Int) -> Int { outputImage.height }

    init(size: Int, input: Shape, height: Int) throws {
        image = try ImageSize(input: input, height: height, for: "2-D max pooling")
        guard size >= 1, image.height / size >= 1, image.width / size >= 1 else {
            throw GenLabError.usage("2-D max pooling of size \(size) does not fit an image of \(image)")
        }
        self.size = size
        self.input = input
        outputImage = ImageSize(height: image.height / size, width: image.width / size)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func forward<T: Scalar>(_ p: LayerPass<T>, training: Bool, rng: inout Generator) {
        let w = image.width
        let am = p.indices!
        if size == 2 { return forwardPairs(p.x, p.y, am, planes: p.batch * input.channels) }
        if size == 1 { return forwardOnes(p.x, p.y, am, planes: p.batch * input.channels) }
        for plane in 0..<(p.batch * input.channels) {
            let src = p.x + plane * image.pixels
            let dst = plane * outputImage.pixels
            for oh in 0..<outputImage.height {
                for ow in 0..<outputImage.width {
                    var best = oh * size * w + ow * size
                    for i in 0..<size {
                        let line = (oh * size + i) * w + ow * size
                        for j in 0..<size where src[line + j] > src[best] { best = line + j }
                    }
                    let t = dst + oh * outputImage.width + ow
                    p.y[t] = src[best]
                    am[t] = Int32(best)
                }
            }
        }
    }

    /// `forward` for 2×2 windows: the four entries compared in row-major order (ties to the first).
    func forwardPairs<T: Scalar>(
        _ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, _ am: UnsafeMutablePointer<Int32>, planes: Int
    ) {
        let w = image.width
        let (ho, wo) = (outputImage.height, outputImage.width)
        for plane in 0..<planes {
            let src = x + plane * image.pixels
            let dst = plane * outputImage.pixels
            for oh in 0..<ho {
                let top = 2 * oh * w
                let t = dst + oh * wo
                for ow in 0..<wo {
                    let a = top + 2 * ow
                    var best = a
                    var v = src[a]
                    if src[a + 1] > v {
                        best = a + 1
                        v = src[a + 1]
                    }
                    if src[a + w] > v {
                        best = a + w
                        v = src[a + w]
                    }
                    if src[a + w + 1] > v {
                        best = a + w + 1
                        v = src[a + w + 1]
                    }
                    y[t + ow] = v
                    am[t + ow] = Int32(best)
                }
            }
        }
    }

    /// `forward` for 1×1 windows (the standard CNN's first block, `pool=1x…`): the identity, each
    /// maximum where it stands. The general loop spent about 9% of that CNN's time on it.
    func forwardOnes<T: Scalar>(
        _ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, _ am: UnsafeMutablePointer<Int32>, planes: Int
    ) {
        let n = image.pixels
        if UnsafePointer(y) != x { y.update(from: x, count: planes * n) }
        for plane in 0..<planes {
            let a = am + plane * n
            for t in 0..<n { a[t] = Int32(t) }
        }
    }

    /// Each δ goes back to where its maximum came from.
    func scatter<T: Scalar>(
        _ d: UnsafePointer<T>, into dx: UnsafeMutablePointer<T>, _ am: UnsafePointer<Int32>, batch b: Int
    ) {
        dx.update(repeating: 0, count: b * inputFeatures)
        for plane in 0..<(b * input.channels) {
            let to = dx + plane * image.pixels
            let base = plane * outputImage.pixels
            for t in 0..<outputImage.pixels { to[Int(am[base + t])] += d[base + t] }
        }
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func backward<T: Scalar>(_ p: LayerPass<T>, into sink: GradientSink<T>?) {
        guard let dx = p.dx else { return }
        scatter(p.dy!, into: dx, p.indices!, batch: p.batch)
    }

    /// R(y) = R(x) at the argmax.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func tangentForward<T: Scalar>(_ p: LayerPass<T>, v: UnsafePointer<T>) {
        guard let rx = p.rx else {
            p.ry.update(repeating: 0, count: p.batch * outputFeatures)
            return
        }  // the input does not move
        let am = p.indices!
        for plane in 0..<(p.batch * input.channels) {
            let src = rx + plane * image.pixels
            let base = plane * outputImage.pixels
            for t in 0..<outputImage.pixels { p.ry[base + t] = src[Int(am[base + t])] }
        }
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func tangentBackward<T: Scalar>(_ p: LayerPass<T>, v: UnsafePointer<T>, into hv: UnsafeMutablePointer<T>) {
        if let rdx = p.rdx { scatter(p.rdy, into: rdx, p.indices!, batch: p.batch) }
        if p.dy != nil { backward(p, into: nil) }
    }
}
