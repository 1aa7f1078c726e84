import LinearAlgebra

/// Features stored as bytes: feature i is `Float(bytes[i]) * scale`, bit for bit (the IEEE
/// product, as the image loaders compute it). Row-major like the Float matrix they mirror.
public struct ByteFeatures: Sendable, Equatable {
    public var bytes: [UInt8]
    public var scale: Float

    /// Pixels k ∈ 0…255 as k·(1/255) in [0, 1], the scale of every image loader.
    public static let pixelScale: Float = 1 / 255

    public init(bytes: [UInt8], scale: Float) {
        self.bytes = bytes
        self.scale = scale
    }

    /// The Float matrix these bytes stand for.
    public func matrix(rows: Int, cols: Int) -> Matrix<Float> {
        precondition(rows * cols == bytes.count, "\(bytes.count) bytes for a \(rows)×\(cols) matrix")
        var m = Matrix<Float>(rows: rows, cols: cols)
        let s = scale
        bytes.withUnsafeBufferPointer { src in
            m.storage.withUnsafeMutableBufferPointer { dst in
                for i in 0..<src.count { dst[i] = Float(src[i]) * s }
            }
        }
        return m
    }

    /// The rows at `indices`, in that order (`width` bytes per row).
    public func rows(_ indices: [Int], width: Int) -> ByteFeatures {
        var out = [UInt8](repeating: 0, count: indices.count * width)
        bytes.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { d in
                for (r, i) in indices.enumerated() { for j in 0..<width { d[r * width + j] = s[i * width + j] } }
            }
        }
        return ByteFeatures(bytes: out, scale: scale)
    }

    /// Each row with a constant byte appended (the perceptron's bias feature: 255·(1/255) = 1).
    public func appendingConstantColumn(_ value: UInt8, width: Int) -> ByteFeatures {
        let n = bytes.count / max(1, width)
        var out = [UInt8]()
        out.reserveCapacity(n * (width + 1))
        for r in 0..<n {
            out += bytes[(r * width)..<((r + 1) * width)]
            out.append(value)
        }
        return ByteFeatures(bytes: out, scale: scale)
    }
}
