import LinearAlgebra

/// Average pooling over non-overlapping windows of each channel's image (NCHW): [C, H, W] →
/// [C, H/window.height, W/window.width] (rows and columns that do not fill a window are dropped,
/// as PyTorch's `AvgPool2d` does). Linear in its input: y = A·x, so the backward passes apply Aᵀ
/// (each δ spread evenly over its window) and R(y) = A·R(x).
public struct AvgPool2D: LayerKind {
    public let input: Shape
    public let image, outputImage, window: ImageSize
    public var output: Shape { (input.channels, outputImage.pixels) }
    public var spec: LayerSpec { .avgPool2d(size: window.height) }
    public func outputHeight(inputHeight: Int) -> Int { outputImage.height }

    init(size: Int, input: Shape, height: Int) throws {
        let image = try ImageSize(input: input, height: height, for: "2-D average pooling")
        try self.init(window: ImageSize(height: size, width: size), image: image, input: input)
    }

    /// A window of any height and width (the global average pool's is the whole image).
    init(window: ImageSize, image: ImageSize, input: Shape) throws {
        guard window.height >= 1, window.width >= 1, image.height / window.height >= 1, image.width / window.width >= 1
        else {
            throw GenLabError.usage("2-D average pooling over \(window) windows does not fit an image of \(image)")
        }
        self.input = input
        self.image = image
        self.window = window
        outputImage = ImageSize(height: image.height / window.height, width: image.width / window.width)
    }

    /// y = A·x
    func average<T: Scalar>(_ x: UnsafePointer<T>, into y: UnsafeMutablePointer<T>, batch b: Int) {
        let w = image.width
        let scale = 1 / T(window.pixels)
        for plane in 0..<(b * input.channels) {
            let src = x + plane * image.pixels
            let dst = y + plane * outputImage.pixels
            for oh in 0..<outputImage.height {
                for ow in 0..<outputImage.width {
                    var s: T = 0
                    for i in 0..<window.height {
                        let line = src + (oh * window.height + i) * w + ow * window.width
                        for j in 0..<window.width { s += line[j] }
                    }
                    dst[oh * outputImage.width + ow] = s * scale
                }
            }
        }
    }

    /// dx = Aᵀ·d: each δ spread evenly over its window (0 on dropped rows and columns).
    func spread<T: Scalar>(_ d: UnsafePointer<T>, into dx: UnsafeMutablePointer<T>, batch b: Int) {
        let w = image.width
        let scale = 1 / T(window.pixels)
        dx.update(repeating: 0, count: b * inputFeatures)
        for plane in 0..<(b * input.channels) {
            let src = d + plane * outputImage.pixels
            let dst = dx + plane * image.pixels
            for oh in 0..<outputImage.height {
                for ow in 0..<outputImage.width {
                    let g = src[oh * outputImage.width + ow] * scale
                    for i in 0..<window.height {
                        let line = dst + (oh * window.height + i) * w + ow * window.width
                        for j in 0..<window.width { line[j] = g }
                    }
                }
            }
        }
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func forward<T: Scalar>(_ p: LayerPass<T>, training: Bool, rng: inout Generator) {
        average(p.x, into: p.y, batch: p.batch)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func backward<T: Scalar>(_ p: LayerPass<T>, into sink: GradientSink<T>?) {
        if let dx = p.dx { spread(p.dy!, into: dx, batch: p.batch) }
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func tangentForward<T: Scalar>(_ p: LayerPass<T>, v: UnsafePointer<T>) {
        guard let rx = p.rx else {
            p.ry.update(repeating: 0, count: p.batch * outputFeatures)
            return
        }  // the input does not move
        average(rx, into: p.ry, batch: p.batch)
    }

    /// R(δx) = Aᵀ·R(δy) (A does not depend on θ), and δx as in `backward`.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func tangentBackward<T: Scalar>(_ p: LayerPass<T>, v: UnsafePointer<T>, into hv: UnsafeMutablePointer<T>) {
        if let rdx = p.rdx { spread(p.rdy, into: rdx, batch: p.batch) }
        if p.dy != nil { backward(p, into: nil) }
    }
}
