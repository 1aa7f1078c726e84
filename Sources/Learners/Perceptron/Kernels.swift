import CBLAS

/// Hand-vectorized kernels for the perceptron's inner loop, where a BLAS call per
/// 784-float row costs as much as the arithmetic. `PerceptronKernelTests` checks them against
/// plain loops.
public enum PerceptronKernels {
    /// ⟨a, b⟩ over n floats, 32 lanes per step in two accumulators.
    @inline(__always)
    public static func dot(_ n: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>) -> Float {
        var s0 = SIMD16<Float>()
        var s1 = SIMD16<Float>()
        var j = 0
        let ra = UnsafeRawPointer(a)
        let rb = UnsafeRawPointer(b)
        while j + 32 <= n {
            s0.addProduct(
                ra.loadUnaligned(fromByteOffset: 4 * j, as: SIMD16<Float>.self),
                rb.loadUnaligned(fromByteOffset: 4 * j, as: SIMD16<Float>.self))
            s1.addProduct(
                ra.loadUnaligned(fromByteOffset: 4 * j + 64, as: SIMD16<Float>.self),
                rb.loadUnaligned(fromByteOffset: 4 * j + 64, as: SIMD16<Float>.self))
            j += 32
        }
        var s = (s0 + s1).sum()
        while j < n {
            s += a[j] * b[j]
            j += 1
        }
        return s
    }

    /// The binary perceptron's row kernels (C, `rowkernels.c`): ⟨w, x⟩ and w += α·x with x as floats
    /// or as bytes standing for Float(byte)·scale, the two with the same arithmetic, so a fit on
    /// bytes equals the fit on their floats bit for bit.
    @inline(__always)
    public static func rowDot(_ n: Int, _ w: UnsafePointer<Float>, _ x: UnsafePointer<Float>) -> Float {
        genlab_row_dot_f32(n, w, x)
    }
    @inline(__always)
    public static func rowDot(_ n: Int, _ w: UnsafePointer<Float>, bytes: UnsafePointer<UInt8>, scale: Float) -> Float {
        genlab_row_dot_u8(n, w, bytes, scale)
    }
    @inline(__always)
    public static func rowAxpy(_ n: Int, _ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        genlab_row_axpy_f32(n, alpha, x, y)
    }
    @inline(__always)
    public static func rowAxpy(
        _ n: Int, _ alpha: Float, bytes: UnsafePointer<UInt8>, scale: Float, _ y: UnsafeMutablePointer<Float>
    ) {
        genlab_row_axpy_u8(n, alpha, bytes, scale, y)
    }

    /// ⟨a, b⟩ over n doubles (the SVM's inner loop).
    @inline(__always)
    public static func dot(_ n: Int, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>) -> Double {
        var s0 = SIMD8<Double>()
        var s1 = SIMD8<Double>()
        var j = 0
        let ra = UnsafeRawPointer(a)
        let rb = UnsafeRawPointer(b)
        while j + 16 <= n {
            s0.addProduct(
                ra.loadUnaligned(fromByteOffset: 8 * j, as: SIMD8<Double>.self),
                rb.loadUnaligned(fromByteOffset: 8 * j, as: SIMD8<Double>.self))
            s1.addProduct(
                ra.loadUnaligned(fromByteOffset: 8 * j + 64, as: SIMD8<Double>.self),
                rb.loadUnaligned(fromByteOffset: 8 * j + 64, as: SIMD8<Double>.self))
            j += 16
        }
        var s = (s0 + s1).sum()
        while j < n {
            s += a[j] * b[j]
            j += 1
        }
        return s
    }

    /// y += α·x over n doubles.
    @inline(__always)
    public static func axpy(_ n: Int, _ alpha: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>) {
        var j = 0
        let rx = UnsafeRawPointer(x)
        let ry = UnsafeMutableRawPointer(y)
        let a = SIMD8<Double>(repeating: alpha)
        while j + 8 <= n {
            var v = ry.loadUnaligned(fromByteOffset: 8 * j, as: SIMD8<Double>.self)
            v.addProduct(a, rx.loadUnaligned(fromByteOffset: 8 * j, as: SIMD8<Double>.self))
            ry.storeBytes(of: v, toByteOffset: 8 * j, as: SIMD8<Double>.self)
            j += 8
        }
        while j < n {
            y[j] += alpha * x[j]
            j += 1
        }
    }

    /// y += α·x over n floats.
    @inline(__always)
    public static func axpy(_ n: Int, _ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        var j = 0
        let rx = UnsafeRawPointer(x)
        let ry = UnsafeMutableRawPointer(y)
        let a = SIMD16<Float>(repeating: alpha)
        while j + 16 <= n {
            var v = ry.loadUnaligned(fromByteOffset: 4 * j, as: SIMD16<Float>.self)
            v.addProduct(a, rx.loadUnaligned(fromByteOffset: 4 * j, as: SIMD16<Float>.self))
            ry.storeBytes(of: v, toByteOffset: 4 * j, as: SIMD16<Float>.self)
            j += 16
        }
        while j < n {
            y[j] += alpha * x[j]
            j += 1
        }
    }

    /// out[c] = ⟨W_c, x⟩ for the k rows of a row-major [k, n] matrix.
    /// Rows go in blocks of five: five 8-lane accumulators, one load of x and five of W per
    /// step fit the sixteen AVX registers, so each load of x serves five rows.
    @inline(__always)
    public static func scores(
        _ k: Int, _ n: Int, _ w: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>
    ) {
        var c = 0
        let rx = UnsafeRawPointer(x)
        while c + 5 <= k {
            var s0 = SIMD8<Float>()
            var s1 = SIMD8<Float>()
            var s2 = SIMD8<Float>()
            var s3 = SIMD8<Float>()
            var s4 = SIMD8<Float>()
            let r0 = UnsafeRawPointer(w + c * n)
            let r1 = UnsafeRawPointer(w + (c + 1) * n)
            let r2 = UnsafeRawPointer(w + (c + 2) * n)
            let r3 = UnsafeRawPointer(w + (c + 3) * n)
            let r4 = UnsafeRawPointer(w + (c + 4) * n)
            var j = 0
            while j + 8 <= n {
                let o = 4 * j
                let xv = rx.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
                s0.addProduct(xv, r0.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self))
                s1.addProduct(xv, r1.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self))
                s2.addProduct(xv, r2.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self))
                s3.addProduct(xv, r3.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self))
                s4.addProduct(xv, r4.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self))
                j += 8
            }
            var t0 = s0.sum()
            var t1 = s1.sum()
            var t2 = s2.sum()
            var t3 = s3.sum()
            var t4 = s4.sum()
            while j < n {
                let xv = x[j]
                t0 += xv * w[c * n + j]
                t1 += xv * w[(c + 1) * n + j]
                t2 += xv * w[(c + 2) * n + j]
                t3 += xv * w[(c + 3) * n + j]
                t4 += xv * w[(c + 4) * n + j]
                j += 1
            }
            out[c] = t0
            out[c + 1] = t1
            out[c + 2] = t2
            out[c + 3] = t3
            out[c + 4] = t4
            c += 5
        }
        while c < k {
            out[c] = dot(n, w + c * n, x)
            c += 1
        }
    }
}
