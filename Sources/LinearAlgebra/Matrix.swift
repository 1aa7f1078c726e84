/// A dense row-major matrix. Element (i, j) lives at `storage[i * cols + j]`.
/// Small on purpose: shapes and storage; products live in `Matrix+BLAS.swift`,
/// their naive references in `Reference.swift`, factorizations in `Matrix+LAPACK.swift`.
public struct Matrix<T: Scalar>: Equatable, Sendable {
    public let rows: Int
    public let cols: Int
    public var storage: [T]

    @inlinable
    public init(rows: Int, cols: Int, repeating value: T = 0) {
        precondition(rows >= 0 && cols >= 0, "Matrix shape must be non-negative, got \(rows)×\(cols)")
        self.rows = rows
        self.cols = cols
        let count = rows * cols
        if count * MemoryLayout<T>.stride >= Self.hugePageThreshold {
            // Ask for huge pages before the first touch: data sets visited in random row order
            // otherwise miss the TLB on nearly every row.
            storage = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                adviseHugePages(UnsafeMutableRawPointer(buffer.baseAddress!), count * MemoryLayout<T>.stride)
                buffer.initialize(repeating: value)
                initialized = count
            }
        } else {
            storage = [T](repeating: value, count: count)
        }
    }

    /// 8 MiB: below this the TLB covers the matrix anyway.
    public static var hugePageThreshold: Int { 8 << 20 }

    @inlinable
    public init(rows: Int, cols: Int, storage: [T]) {
        precondition(
            storage.count == rows * cols, "Matrix \(rows)×\(cols) needs \(rows * cols) values, got \(storage.count)")
        self.rows = rows
        self.cols = cols
        self.storage = storage
    }

    /// Rows given as arrays of equal length.
    public init(_ rowArrays: [[T]]) {
        let c = rowArrays.first?.count ?? 0
        precondition(rowArrays.allSatisfy { $0.count == c }, "ragged rows")
        self.init(rows: rowArrays.count, cols: c, storage: rowArrays.flatMap { $0 })
    }

    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, cols: n)
        for i in 0..<n { m.storage[i * n + i] = 1 }
        return m
    }

    public var count: Int { storage.count }
    public var shape: (rows: Int, cols: Int) { (rows, cols) }

    @inlinable
    public subscript(i: Int, j: Int) -> T {
        get { storage[i * cols + j] }
        set { storage[i * cols + j] = newValue }
    }

    /// Row i as a fresh array.
    @inlinable
    public func row(_ i: Int) -> [T] { Array(storage[(i * cols)..<((i + 1) * cols)]) }

    public func column(_ j: Int) -> [T] { (0..<rows).map { storage[$0 * cols + j] } }

    public var transposed: Matrix {
        var t = Matrix(rows: cols, cols: rows)
        storage.withUnsafeBufferPointer { s in
            t.storage.withUnsafeMutableBufferPointer { d in
                for i in 0..<rows { for j in 0..<cols { d[j * rows + i] = s[i * cols + j] } }
            }
        }
        return t
    }

    /// The rows at `indices`, in that order.
    public func rows(_ indices: [Int]) -> Matrix {
        var out = Matrix(rows: indices.count, cols: cols)
        storage.withUnsafeBufferPointer { s in
            out.storage.withUnsafeMutableBufferPointer { d in
                for (r, i) in indices.enumerated() {
                    precondition(i >= 0 && i < rows, "row index \(i) outside 0..<\(rows)")
                    for j in 0..<cols { d[r * cols + j] = s[i * cols + j] }
                }
            }
        }
        return out
    }

    /// Same values in another precision.
    public func converted<U: Scalar>(to: U.Type = U.self) -> Matrix<U> {
        Matrix<U>(rows: rows, cols: cols, storage: storage.map { U($0) })
    }

    /// Appends a constant column (the bias feature of a linear model).
    public func appendingConstantColumn(_ value: T) -> Matrix {
        var out = Matrix(rows: rows, cols: cols + 1, repeating: value)
        let c = cols
        storage.withUnsafeBufferPointer { s in
            out.storage.withUnsafeMutableBufferPointer { d in
                for i in 0..<rows { for j in 0..<c { d[i * (c + 1) + j] = s[i * c + j] } }
            }
        }
        return out
    }

    /// Euclidean norm of each row.
    public func rowNorms() -> [T] {
        storage.withUnsafeBufferPointer { s in
            (0..<rows).map { i in
                let p = s.baseAddress! + i * cols
                return cols == 0 ? 0 : T.dot(cols, p, p).squareRoot()
            }
        }
    }
}
