import LinearAlgebra

/// An image's height and width. A layer on images reads a sample's features as
/// [channels, height, width] (NCHW), so its `Shape` is (channels, height·width) and the height
/// travels beside it (`LayerKind.outputHeight`).
public struct ImageSize: Equatable, Sendable, CustomStringConvertible {
    public var height, width: Int
    public var pixels: Int { height * width }
    public var description: String { "\(height)×\(width)" }
    public init(height: Int, width: Int) { self.height = height; self.width = width }

    /// The image a layer is placed at: `input.length` pixels in rows of length/height.
    init(input: Shape, height: Int, for what: String) throws {
        guard height >= 1, input.length % height == 0, input.length / height >= 1 else {
            throw GenLabError.usage("\(what) needs images: an input of \(input.length) features per channel is not \(height) rows")
        }
        self.init(height: height, width: input.length / height)
    }
}

/// im2col for a 2-D convolution (NCHW): row (r, oh, ow) of the columns holds the window of sample
/// r under output pixel (oh, ow), ordered (channel, kernel row, kernel column) as W's rows are;
/// entries outside the image are 0. `col2im` is its adjoint (what a gradient needs).
struct ImageColumns {
    var channels: Int
    var image, output: ImageSize
    var kernel, stride, padding: Int
    var width: Int { channels * kernel * kernel }

    /// col[(r·P + oh·Wout + ow), (c·k + i)·k + j] = x[r, c, oh·s − p + i, ow·s − p + j], for the
    /// samples r in `samples`. A window inside the image's columns is copied without bounds checks.
    func im2col<T: Scalar>(_ x: UnsafePointer<T>, _ col: UnsafeMutablePointer<T>, samples: Range<Int>) {
        let (h, w, k) = (image.height, image.width, kernel)
        for r in samples {
            for oh in 0..<output.height {
                for ow in 0..<output.width {
                    var out = col + ((r * output.height + oh) * output.width + ow) * width
                    let top = oh * stride - padding, left = ow * stride - padding, inside = left >= 0 && left + k <= w
                    for c in 0..<channels {
                        let plane = x + (r * channels + c) * image.pixels
                        for i in 0..<k {
                            let ih = top + i
                            if ih < 0 || ih >= h { out.update(repeating: 0, count: k); out += k; continue }
                            let line = plane + ih * w + left
                            if inside {
                                for j in 0..<k { out[j] = line[j] }
                            } else {
                                for j in 0..<k { let iw = left + j; out[j] = iw >= 0 && iw < w ? line[j] : 0 }
                            }
                            out += k
                        }
                    }
                }
            }
        }
    }

    /// dx = col2im(col) for the samples in `samples`: each column entry added back where
    /// `im2col` took it from.
    func col2im<T: Scalar>(_ col: UnsafePointer<T>, _ dx: UnsafeMutablePointer<T>, samples: Range<Int>) {
        let (h, w, k) = (image.height, image.width, kernel)
        (dx + samples.lowerBound * channels * image.pixels).update(repeating: 0, count: samples.count * channels * image.pixels)
        for r in samples {
            for oh in 0..<output.height {
                for ow in 0..<output.width {
                    var from = col + ((r * output.height + oh) * output.width + ow) * width
                    let top = oh * stride - padding, left = ow * stride - padding, inside = left >= 0 && left + k <= w
                    for c in 0..<channels {
                        let plane = dx + (r * channels + c) * image.pixels
                        for i in 0..<k {
                            let ih = top + i
                            if ih >= 0 && ih < h {
                                let line = plane + ih * w + left
                                if inside {
                                    for j in 0..<k { line[j] += from[j] }
                                } else {
                                    for j in 0..<k { let iw = left + j; if iw >= 0 && iw < w { line[j] += from[j] } }
                                }
                            }
                            from += k
                        }
                    }
                }
            }
        }
    }
}

/// im2col or col2im of one layer over a batch, half of the samples on each core (`ForkJoin`;
/// `ExecutionPlan.splitsColumns`): these passes only move memory, and on one core they took as
/// long as the products. Each sample's columns and image are its own, so the halves write
/// disjoint memory and compute exactly what one pass computes. One per layer, reused.
final class ColumnPair<T: Scalar>: TwoParts {
    enum Job { case im2col, col2im }
    var columns: ImageColumns? = nil
    var job = Job.im2col
    var images: UnsafeMutablePointer<T>? = nil, cols: UnsafeMutablePointer<T>? = nil
    var batch = 0

    // Called through the protocol: specialized here, or every T operation goes through witness tables.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func run(part: Int) {
        let half = (batch + 1) / 2, samples = part == 0 ? 0..<half : half..<batch
        switch job {
        case .im2col: columns!.im2col(UnsafePointer(images!), cols!, samples: samples)
        case .col2im: columns!.col2im(UnsafePointer(cols!), images!, samples: samples)
        }
    }
}

/// Between the GEMM's layout [b·P, C] (a row per output pixel) and the images' [b, C, P].
struct ChannelTranspose {
    var channels, pixels: Int
    /// Pixels per tile: a tile's rows of the GEMM's output stay in L1 while its channels are written out.
    static let tile = 32

    /// y[r, o, t] = yt[r·P + t, o] + bias[o]
    func toImages<T: Scalar>(_ yt: UnsafePointer<T>, plus bias: UnsafePointer<T>, into y: UnsafeMutablePointer<T>, batch b: Int) {
        let (c, n) = (channels, pixels)
        for r in 0..<b {
            let from = yt + r * n * c, to = y + r * c * n
            for t0 in stride(from: 0, to: n, by: Self.tile) {
                let t1 = min(n, t0 + Self.tile)
                for o in 0..<c {
                    let line = to + o * n, bo = bias[o]
                    for t in t0..<t1 { line[t] = from[t * c + o] + bo }
                }
            }
        }
    }

    /// yt[r·P + t, o] = y[r, o, t]
    func toRows<T: Scalar>(_ y: UnsafePointer<T>, into yt: UnsafeMutablePointer<T>, batch b: Int) {
        let (c, n) = (channels, pixels)
        for r in 0..<b {
            let from = y + r * c * n, to = yt + r * n * c
            for t0 in stride(from: 0, to: n, by: Self.tile) {
                let t1 = min(n, t0 + Self.tile)
                for o in 0..<c {
                    let line = from + o * n
                    for t in t0..<t1 { to[t * c + o] = line[t] }
                }
            }
        }
    }
}
