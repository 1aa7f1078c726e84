import Learners
import LinearAlgebra

/// A symmetric linear operator known through its products A·v: what the spectral measures
/// (Lanczos, Hutchinson, Hutch++, stochastic Lanczos quadrature) need. Vectors are Double.
public protocol SymmetricOperator: AnyObject {
    var dimension: Int { get }
    /// out = A·v
    func apply(_ v: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>)
    /// Products taken so far.
    var products: Int { get }
    /// The products are only as precise as Float: a Lanczos basis in Float loses nothing then,
    /// and its reorthogonalization reads half the memory.
    var singlePrecision: Bool { get }
}

extension SymmetricOperator {
    public var singlePrecision: Bool { false }
}

extension SymmetricOperator {
    /// A·v for an array.
    public func callAsFunction(_ v: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: dimension)
        v.withUnsafeBufferPointer { vp in
            out.withUnsafeMutableBufferPointer { apply(vp.baseAddress!, into: $0.baseAddress!) }
        }
        return out
    }
}

/// An explicit symmetric matrix as an operator (the tests' oracle, and small problems).
public final class MatrixOperator: SymmetricOperator {
    public let matrix: Matrix<Double>
    public private(set) var products = 0
    public var dimension: Int { matrix.rows }
    public init(_ matrix: Matrix<Double>) {
        precondition(matrix.rows == matrix.cols, "a \(matrix.rows)×\(matrix.cols) matrix is not square")
        self.matrix = matrix
    }
    public func apply(_ v: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>) {
        products += 1
        matrix.storage.withUnsafeBufferPointer { a in
            Double.gemv(
                trans: false, m: matrix.rows, n: matrix.cols, alpha: 1, a: a.baseAddress!, lda: matrix.cols, x: v,
                beta: 0, y: out)
        }
    }
}

/// The Hessian of an objective's mean loss at the network's current θ, or one diagonal block
/// of it: the parameters `block` (a layer's), H_bb·v = [H·(v on the block, 0 elsewhere)] on the
/// block. Products are exact (the R-operator) in the network's precision.
public final class HessianOperator<T: Scalar>: SymmetricOperator {
    public let objective: Objective<T>
    public let block: Range<Int>
    public private(set) var products = 0
    private var v: [T], hv: [T]

    public init(_ objective: Objective<T>, block: Range<Int>? = nil) {
        let p = objective.network.parameterCount
        self.objective = objective
        self.block = block ?? 0..<p
        precondition(
            self.block.lowerBound >= 0 && self.block.upperBound <= p, "block \(self.block) outside the \(p) parameters")
        v = [T](repeating: 0, count: p)
        hv = [T](repeating: 0, count: p)
    }

    /// One operator per layer with parameters: its diagonal block of H.
    public static func perLayer(_ objective: Objective<T>) -> [(layer: Int, name: String, operator: HessianOperator<T>)]
    {
        objective.network.layers.enumerated().filter { $0.element.parameterCount > 0 }.map { i, l in
            (
                i, "\(i): \(l.spec)",
                HessianOperator(objective, block: l.parameterOffset..<(l.parameterOffset + l.parameterCount))
            )
        }
    }

    public var dimension: Int { block.count }
    public var singlePrecision: Bool { T.self == Float.self }

    // Specialized: called from other modules, the generic body would convert each entry through witness tables (~20 ms
    // per product at 200k parameters).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func apply(_ x: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>) {
        products += 1
        let lo = block.lowerBound
        let n = block.count
        let f = objective
        v.withUnsafeMutableBufferPointer { vp in
            hv.withUnsafeMutableBufferPointer { hp in
                let v = vp.baseAddress!
                let h = hp.baseAddress!
                for j in 0..<n { v[lo + j] = T(x[j]) }
                _ = f.hessianVectorProduct(UnsafePointer(v), into: h)
                for j in 0..<n { out[j] = Double(h[lo + j]) }
            }
        }
    }
}
