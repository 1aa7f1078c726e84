import LinearAlgebra

/// An image's height and width. A layer on images reads a sample's features as
/// [channels, height, width] (NCHW), so its `Shape` is (channels, height·width) and the height
/// travels beside it (`LayerKind.outputHeight`).
public struct ImageSize: Equatable, Sendable, CustomStringConvertible {
    public var height, width: Int
    public var pixels: Int { height * width }
    public var description: String { "\(height)×\(width)" }
    public init(height: Int, width: Int) {
        self.height = height
        self.width = width
    }

    /// The image a layer is placed at: `input.length` pixels in rows of length/height.
    init(input: Shape, height: Int, for what: String) throws {
        guard height >= 1, input.length % height == 0, input.length / height >= 1 else {
            throw GenLabError.usage(
                "\(what) needs images: an input of \(input.length) features per channel is not \(height) rows")
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
                    let top = oh * stride - padding
                    let left = ow * stride - padding
                    let inside = left >= 0 && left + k <= w
                    for c in 0..<channels {
                        let plane = x + (r * channels + c) * image.pixels
                        for i in 0..<k {
                            let ih = top + i
                            if ih < 0 || ih >= h {
                                out.update(repeating: 0, count: k)
                                out += k
                                continue
                            }
                            let line = plane + ih * w + left
                            if inside {
                                for j in 0..<k { out[j] = line[j] }
                            } else {
                                for j in 0..<k {
                                    let iw = left + j
                                    out[j] = iw >= 0 && iw < w ? line[j] : 0
                                }
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
        (dx + samples.lowerBound * channels * image.pixels).update(
            repeating: 0, count: samples.count * channels * image.pixels)
        for r in samples {
            for oh in 0..<output.height {
                for ow in 0..<output.width {
                    var from = col + ((r * output.height + oh) * output.width + ow) * width
                    let top = oh * stride - padding
                    let left = ow * stride - padding
                    let inside = left >= 0 && left + k <= w
                    for c in 0..<channels {
                        let plane = dx + (r * channels + c) * image.pixels
                        for i in 0..<k {
                            let ih = top + i
                            if ih >= 0 && ih < h {
                                let line = plane + ih * w + left
                                if inside {
                                    for j in 0..<k { line[j] += from[j] }
                                } else {
                                    for j in 0..<k {
                                        let iw = left + j
                                        if iw >= 0 && iw < w { line[j] += from[j] }
                                    }
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

extension ImageColumns {
    /// The output columns ow whose input column ow·s − p + j lies inside the image, for kernel
    /// column j: lo..<hi (empty when lo == hi).
    @inline(__always)
    func inside(kernelColumn j: Int) -> (lo: Int, hi: Int) {
        let wo = output.width
        let need = padding - j
        let top = image.width - 1 + padding - j
        let lo = min(wo, need <= 0 ? 0 : (need + stride - 1) / stride)
        let hi = top < 0 ? 0 : min(wo, top / stride + 1)
        return (lo, max(lo, hi))
    }

    /// One sample's columns as planes (the transpose of `im2col`'s rows, the layout of a
    /// per-sample GEMM W·col that writes NCHW): col[(c·k + i)·k + j, oh·Wout + ow] =
    /// x[c, oh·s − p + i, ow·s − p + j] (zero outside), rows `ld` apart (several samples' planes
    /// side by side). x is the sample's [C, H, W].
    func im2planes<T: Scalar>(_ x: UnsafePointer<T>, _ col: UnsafeMutablePointer<T>, rowStride ld: Int) {
        if stride == 1 && output.width == image.width { return shiftPlanes(x, col, rowStride: ld) }
        let (h, w, k, ho, wo, s) = (image.height, image.width, kernel, output.height, output.width, stride)
        var row = col
        for c in 0..<channels {
            let plane = x + c * image.pixels
            for i in 0..<k {
                for j in 0..<k {
                    let (lo, hi) = inside(kernelColumn: j)
                    for oh in 0..<ho {
                        let out = row + oh * wo
                        let ih = oh * s - padding + i
                        guard ih >= 0 && ih < h else {
                            out.update(repeating: 0, count: wo)
                            continue
                        }
                        let base = ih * w - padding + j  // x[c, ih, ow·s − p + j] = plane[base + ow·s]
                        for ow in 0..<lo { out[ow] = 0 }
                        for ow in lo..<hi { out[ow] = plane[base + ow * s] }
                        for ow in hi..<wo { out[ow] = 0 }
                    }
                    row += ld
                }
            }
        }
    }

    /// Where a stride-1 convolution keeps the width (padding (k − 1)/2), kernel offset (i, j)'s
    /// plane is the image shifted by δ = (i − p)·W + (j − p), its rows `rows` inside the image: one
    /// contiguous range of pixels t ∈ t0..<t1 reads plane[t + δ], and the `edge` columns that
    /// wrapped into the next or previous row are zero.
    @inline(__always)
    func shift(_ i: Int, _ j: Int) -> (rows: Range<Int>, delta: Int, t0: Int, t1: Int, dj: Int) {
        let w = image.width
        let di = i - padding
        let dj = j - padding
        let ho = output.height
        let lo = min(ho, max(0, -di))
        let hi = max(lo, min(ho, image.height - di))
        let delta = di * w + dj
        let t0 = min(hi * w, max(lo * w, -delta))
        let t1 = max(t0, min(hi * w, image.pixels - delta))
        return (lo..<hi, delta, t0, t1, dj)
    }

    /// Zeroes the columns of a shifted plane that wrapped around a row: the first −dj columns
    /// (dj < 0) or the last dj, in `rows` (column by column: a few entries per row, no memset call).
    @inline(__always)
    func zeroWrapped<T: Scalar>(_ plane: UnsafeMutablePointer<T>, _ rows: Range<Int>, _ dj: Int) {
        let w = image.width
        let columns = dj < 0 ? 0..<(-dj) : (w - dj)..<w
        for q in columns { for oh in rows { plane[oh * w + q] = 0 } }
    }

    /// `im2planes` by shifted planes (`shift`): a copy per kernel offset instead of one per row.
    func shiftPlanes<T: Scalar>(_ x: UnsafePointer<T>, _ col: UnsafeMutablePointer<T>, rowStride ld: Int) {
        let (k, n) = (kernel, output.pixels)
        var out = col
        for c in 0..<channels {
            let plane = x + c * image.pixels
            for i in 0..<k {
                for j in 0..<k {
                    let s = shift(i, j)
                    out.update(repeating: 0, count: s.t0)
                    (out + s.t0).update(from: plane + (s.t0 + s.delta), count: s.t1 - s.t0)
                    (out + s.t1).update(repeating: 0, count: n - s.t1)
                    zeroWrapped(out, s.rows, s.dj)
                    out += ld
                }
            }
        }
    }

    /// dx = the adjoint of `im2planes` for one sample: dx is overwritten (and col's entries that
    /// `im2planes` would leave zero may be zeroed).
    func planes2im<T: Scalar>(_ col: UnsafeMutablePointer<T>, _ dx: UnsafeMutablePointer<T>, rowStride ld: Int) {
        let (h, w, k, ho, wo, s) = (image.height, image.width, kernel, output.height, output.width, stride)
        dx.update(repeating: 0, count: channels * image.pixels)
        if s == 1 && wo == w { return shiftImages(col, dx, rowStride: ld) }
        var row = col
        for c in 0..<channels {
            let plane = dx + c * image.pixels
            for i in 0..<k {
                for j in 0..<k {
                    let (lo, hi) = inside(kernelColumn: j)
                    for oh in 0..<ho {
                        let ih = oh * s - padding + i
                        guard ih >= 0 && ih < h else { continue }
                        let from = row + oh * wo
                        let base = ih * w - padding + j
                        for ow in lo..<hi { plane[base + ow * s] += from[ow] }
                    }
                    row += ld
                }
            }
        }
    }
}

extension ImageColumns {
    /// The adjoint of `shiftPlanes`, into a zeroed dx: the wrapped columns of col are zeroed,
    /// then each plane is added back shifted, one contiguous range per kernel offset.
    func shiftImages<T: Scalar>(_ col: UnsafeMutablePointer<T>, _ dx: UnsafeMutablePointer<T>, rowStride ld: Int) {
        let k = kernel
        var from = col
        for c in 0..<channels {
            let plane = dx + c * image.pixels
            for i in 0..<k {
                for j in 0..<k {
                    let s = shift(i, j)
                    zeroWrapped(from, s.rows, s.dj)
                    let to = plane + (s.t0 + s.delta)
                    let f = from + s.t0
                    for t in 0..<(s.t1 - s.t0) { to[t] += f[t] }
                    from += ld
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
    enum Job { case im2col, col2im, forwardSamples, backwardSamples }
    var columns: ImageColumns? = nil
    var job = Job.im2col
    var images: UnsafeMutablePointer<T>? = nil, cols: UnsafeMutablePointer<T>? = nil
    var batch = 0
    /// Whether the layer's batch columns (its scratch) hold im2col of the forward pass's x: false
    /// after a per-sample forward pass (`ExecutionPlan.convolvesPerSample`), which keeps none.
    var columnsHeld = false
    /// The per-sample passes' arguments (`Conv2D.forwardSamples`, `backwardSamples`).
    var conv: Conv2D? = nil
    var x: UnsafePointer<T>? = nil, y: UnsafeMutablePointer<T>? = nil, dx: UnsafeMutablePointer<T>? = nil
    var theta: UnsafePointer<T>? = nil, fixed: UnsafeMutablePointer<T>? = nil
    var relu = false, wantsGradient = false

    // Called through the protocol: specialized here, or every T operation goes through witness tables.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func run(part: Int) {
        let half = (batch + 1) / 2
        let samples = part == 0 ? 0..<half : half..<batch
        switch job {
        case .im2col: columns!.im2col(UnsafePointer(images!), cols!, samples: samples)
        case .col2im: columns!.col2im(UnsafePointer(cols!), images!, samples: samples)
        case .forwardSamples:
            conv!.forwardSamples(
                samples, x: x!, y: y!, theta: theta!, relu: relu, core: conv!.coreScratch(fixed!, part))
        case .backwardSamples:
            conv!.backwardSamples(
                samples, x: x!, dy: UnsafePointer(y!), dx: dx, theta: theta!, wantsGradient: wantsGradient,
                core: conv!.coreScratch(fixed!, part), ones: conv!.ones(fixed!))
        }
    }
}

/// Between the GEMM's layout [b·P, C] (a row per output pixel) and the images' [b, C, P].
struct ChannelTranspose {
    var channels, pixels: Int
    /// Pixels per tile: a tile's rows of the GEMM's output stay in L1 while its channels are written out.
    static let tile = 32

    /// y[r, o, t] = yt[r·P + t, o] + bias[o] (through a ReLU with `relu`)
    func toImages<T: Scalar>(
        _ yt: UnsafePointer<T>, plus bias: UnsafePointer<T>, into y: UnsafeMutablePointer<T>, batch b: Int,
        relu: Bool = false
    ) {
        let (c, n) = (channels, pixels)
        for r in 0..<b {
            let from = yt + r * n * c
            let to = y + r * c * n
            for t0 in stride(from: 0, to: n, by: Self.tile) {
                let t1 = min(n, t0 + Self.tile)
                for o in 0..<c {
                    let line = to + o * n
                    let bo = bias[o]
                    if relu {
                        for t in t0..<t1 { line[t] = Swift.max(from[t * c + o] + bo, 0) }
                    } else {
                        for t in t0..<t1 { line[t] = from[t * c + o] + bo }
                    }
                }
            }
        }
    }

    /// yt[r·P + t, o] = y[r, o, t]
    func toRows<T: Scalar>(_ y: UnsafePointer<T>, into yt: UnsafeMutablePointer<T>, batch b: Int) {
        let (c, n) = (channels, pixels)
        for r in 0..<b {
            let from = y + r * c * n
            let to = yt + r * n * c
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
