import LinearAlgebra

/// Branch-free SIMD passes for the activation layers. A ReLU written with `if` mispredicts on
/// half of its inputs; these compile to vector max / compare-and-select.
enum Elementwise {
    /// row[c] = max(row[c] + bias[c], 0) for each of `rows` rows of width `n`; or without the max.
    @inline(__always)
    static func addBias<T: Scalar>(
        _ y: UnsafeMutablePointer<T>, _ bias: UnsafePointer<T>, rows: Int, width n: Int, relu: Bool
    ) {
        if T.self == Float.self {
            let yf = UnsafeMutableRawPointer(y).assumingMemoryBound(to: Float.self)
            let bf = UnsafeRawPointer(bias).assumingMemoryBound(to: Float.self)
            addBiasF(yf, bf, rows, n, relu)
        } else {
            for r in 0..<rows {
                let row = y + r * n
                for c in 0..<n {
                    let v = row[c] + bias[c]
                    row[c] = relu ? Swift.max(v, 0) : v
                }
            }
        }
    }

    @inline(__always)
    static func addBiasF(
        _ y: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>, _ rows: Int, _ n: Int, _ relu: Bool
    ) {
        let zero = SIMD8<Float>(repeating: 0)
        let rb = UnsafeRawPointer(bias)
        for r in 0..<rows {
            let row = UnsafeMutableRawPointer(y + r * n)
            var c = 0
            while c + 8 <= n {
                var v =
                    row.loadUnaligned(fromByteOffset: 4 * c, as: SIMD8<Float>.self)
                    + rb.loadUnaligned(fromByteOffset: 4 * c, as: SIMD8<Float>.self)
                if relu { v.replace(with: zero, where: v .< zero) }
                row.storeBytes(of: v, toByteOffset: 4 * c, as: SIMD8<Float>.self)
                c += 8
            }
            let yr = y + r * n
            while c < n {
                let v = yr[c] + bias[c]
                yr[c] = relu ? Swift.max(v, 0) : v
                c += 1
            }
        }
    }

    /// y[j] = max(y[j], 0), in place.
    @inline(__always)
    static func relu<T: Scalar>(_ y: UnsafeMutablePointer<T>, count n: Int) {
        if T.self == Float.self {
            let yf = UnsafeMutableRawPointer(y)
            let zero = SIMD8<Float>(repeating: 0)
            var j = 0
            while j + 8 <= n {
                var v = yf.loadUnaligned(fromByteOffset: 4 * j, as: SIMD8<Float>.self)
                v.replace(with: zero, where: v .< zero)
                yf.storeBytes(of: v, toByteOffset: 4 * j, as: SIMD8<Float>.self)
                j += 8
            }
            while j < n {
                y[j] = Swift.max(y[j], 0)
                j += 1
            }
        } else {
            for j in 0..<n { y[j] = Swift.max(y[j], 0) }
        }
    }

    /// d[j] = y[j] > 0 ? d[j] : 0 (ReLU's backward, given its output y).
    @inline(__always)
    static func reluMask<T: Scalar>(_ d: UnsafeMutablePointer<T>, _ y: UnsafePointer<T>, count n: Int) {
        if T.self == Float.self {
            let df = UnsafeMutableRawPointer(d)
            let yf = UnsafeRawPointer(y)
            let zero = SIMD8<Float>(repeating: 0)
            var j = 0
            while j + 8 <= n {
                let yv = yf.loadUnaligned(fromByteOffset: 4 * j, as: SIMD8<Float>.self)
                let dv = df.loadUnaligned(fromByteOffset: 4 * j, as: SIMD8<Float>.self)
                df.storeBytes(
                    of: zero.replacing(with: dv, where: yv .> zero), toByteOffset: 4 * j, as: SIMD8<Float>.self)
                j += 8
            }
            while j < n {
                if !(y[j] > 0) { d[j] = 0 }
                j += 1
            }
        } else {
            for j in 0..<n where !(y[j] > 0) { d[j] = 0 }
        }
    }

    /// out[c] += α·Σ_r d[r, c]: the bias gradient (or step) of a dense layer.
    @inline(__always)
    static func addColumnSums<T: Scalar>(
        _ out: UnsafeMutablePointer<T>, _ d: UnsafePointer<T>, rows: Int, width n: Int, alpha: T
    ) {
        if T.self == Float.self {
            let o = UnsafeMutableRawPointer(out)
            let a = SIMD8<Float>(repeating: alpha as! Float)
            var c = 0
            while c + 8 <= n {
                var s = SIMD8<Float>(repeating: 0)
                for r in 0..<rows {
                    s += UnsafeRawPointer(d + r * n).loadUnaligned(fromByteOffset: 4 * c, as: SIMD8<Float>.self)
                }
                let v = o.loadUnaligned(fromByteOffset: 4 * c, as: SIMD8<Float>.self) + a * s
                o.storeBytes(of: v, toByteOffset: 4 * c, as: SIMD8<Float>.self)
                c += 8
            }
            while c < n {
                var s = T(0)
                for r in 0..<rows { s += d[r * n + c] }
                out[c] += alpha * s
                c += 1
            }
        } else {
            for r in 0..<rows {
                let row = d + r * n
                for c in 0..<n { out[c] += alpha * row[c] }
            }
        }
    }

    /// Rows of [z | r] (each `width` wide) into `a` and `b`; with `relu`, through the ReLU and
    /// its R-operator: a = max(z, 0), b = r·[z > 0].
    @inline(__always)
    static func split<T: Scalar>(
        _ zr: UnsafePointer<T>, rows: Int, width n: Int, into a: UnsafeMutablePointer<T>,
        and b: UnsafeMutablePointer<T>, relu: Bool
    ) {
        for row in 0..<rows {
            let z = zr + row * 2 * n
            let r = z + n
            let ai = a + row * n
            let bi = b + row * n
            guard relu else {
                ai.update(from: z, count: n)
                bi.update(from: r, count: n)
                continue
            }
            var c = 0
            if T.self == Float.self {
                let zs = UnsafeRawPointer(z)
                let rs = UnsafeRawPointer(r)
                let ad = UnsafeMutableRawPointer(ai)
                let bd = UnsafeMutableRawPointer(bi)
                let zero = SIMD8<Float>(repeating: 0)
                while c + 8 <= n {
                    let zv = zs.loadUnaligned(fromByteOffset: 4 * c, as: SIMD8<Float>.self)
                    let rv = rs.loadUnaligned(fromByteOffset: 4 * c, as: SIMD8<Float>.self)
                    let on = zv .> zero
                    ad.storeBytes(of: zero.replacing(with: zv, where: on), toByteOffset: 4 * c, as: SIMD8<Float>.self)
                    bd.storeBytes(of: zero.replacing(with: rv, where: on), toByteOffset: 4 * c, as: SIMD8<Float>.self)
                    c += 8
                }
            }
            while c < n {
                let on = z[c] > 0
                ai[c] = on ? z[c] : 0
                bi[c] = on ? r[c] : 0
                c += 1
            }
        }
    }
}
