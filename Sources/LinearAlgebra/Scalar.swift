import CBLAS
import Foundation

/// A floating-point type that BLAS and LAPACK serve: `Float` (s-routines) or `Double` (d-routines).
/// Each requirement is one BLAS/LAPACK call on raw row-major buffers; `Matrix` builds on them.
public protocol Scalar: BinaryFloatingPoint, Codable, Sendable where Self.RawSignificand: FixedWidthInteger {
    /// C ← α·op(A)·op(B) + β·C, row-major.
    static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Self,
        a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    /// y ← α·op(A)·x + β·y, row-major A of m×n.
    static func gemv(
        trans: Bool, m: Int, n: Int, alpha: Self, a: UnsafePointer<Self>, lda: Int,
        x: UnsafePointer<Self>, beta: Self, y: UnsafeMutablePointer<Self>)
    static func dot(_ n: Int, _ x: UnsafePointer<Self>, _ y: UnsafePointer<Self>) -> Self
    /// y ← α·x + y
    static func axpy(_ n: Int, _ alpha: Self, _ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>)
    static func scal(_ n: Int, _ alpha: Self, _ x: UnsafeMutablePointer<Self>)
    /// Symmetric eigendecomposition of a column-major (= row-major, by symmetry) n×n matrix:
    /// eigenvalues ascending into `w`, eigenvectors (if `vectors`) overwrite `a` column-major. Returns LAPACK's info.
    static func syevd(vectors: Bool, n: Int, a: UnsafeMutablePointer<Self>, w: UnsafeMutablePointer<Self>) -> Int
    /// Thin SVD of a column-major m×n matrix. Returns info.
    static func gesdd(
        m: Int, n: Int, a: UnsafeMutablePointer<Self>, s: UnsafeMutablePointer<Self>,
        u: UnsafeMutablePointer<Self>, vt: UnsafeMutablePointer<Self>
    ) -> Int
    /// Minimum-norm least squares of a column-major m×n A and an ldb×nrhs B (ldb = max(m, n)). Returns (info, rank).
    static func gelsd(
        m: Int, n: Int, nrhs: Int, a: UnsafeMutablePointer<Self>, b: UnsafeMutablePointer<Self>,
        ldb: Int, rcond: Self
    ) -> (info: Int, rank: Int)
    static var typeName: String { get }
}

@inline(__always) private func tr(_ t: Bool) -> CBLAS_TRANSPOSE { t ? CblasTrans : CblasNoTrans }

extension Double: Scalar {
    public static var typeName: String { "Double" }
    @inline(__always)
    public static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double,
        a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        genlab_dgemm(
            transA ? 1 : 0, transB ? 1 : 0, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c,
            Int32(ldc))
    }
    @inline(__always)
    public static func gemv(
        trans: Bool, m: Int, n: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
        x: UnsafePointer<Double>, beta: Double, y: UnsafeMutablePointer<Double>
    ) {
        cblas_dgemv(CblasRowMajor, tr(trans), Int32(m), Int32(n), alpha, a, Int32(lda), x, 1, beta, y, 1)
    }
    @inline(__always)
    public static func dot(_ n: Int, _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>) -> Double {
        cblas_ddot(Int32(n), x, 1, y, 1)
    }
    @inline(__always)
    public static func axpy(_ n: Int, _ alpha: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>) {
        cblas_daxpy(Int32(n), alpha, x, 1, y, 1)
    }
    @inline(__always)
    public static func scal(_ n: Int, _ alpha: Double, _ x: UnsafeMutablePointer<Double>) {
        cblas_dscal(Int32(n), alpha, x, 1)
    }
    public static func syevd(vectors: Bool, n: Int, a: UnsafeMutablePointer<Double>, w: UnsafeMutablePointer<Double>)
        -> Int
    {
        var jobz: CChar = vectors ? 86 : 78
        var uplo: CChar = 85  // "V"/"N", "U"
        var nn = Int32(n)
        var lda = Int32(max(1, n))
        var info: Int32 = 0
        var lwork: Int32 = -1
        var liwork: Int32 = -1
        var wq = 0.0
        var iwq: Int32 = 0
        dsyevd_(&jobz, &uplo, &nn, a, &lda, w, &wq, &lwork, &iwq, &liwork, &info, 1, 1)
        lwork = Int32(wq)
        liwork = max(1, iwq)
        var work = [Double](repeating: 0, count: Int(lwork))
        var iwork = [Int32](repeating: 0, count: Int(liwork))
        dsyevd_(&jobz, &uplo, &nn, a, &lda, w, &work, &lwork, &iwork, &liwork, &info, 1, 1)
        return Int(info)
    }
    public static func gesdd(
        m: Int, n: Int, a: UnsafeMutablePointer<Double>, s: UnsafeMutablePointer<Double>,
        u: UnsafeMutablePointer<Double>, vt: UnsafeMutablePointer<Double>
    ) -> Int {
        var jobz: CChar = 83  // "S": thin
        var mm = Int32(m)
        var nn = Int32(n)
        var lda = Int32(max(1, m))
        var ldu = Int32(max(1, m))
        var ldvt = Int32(max(1, min(m, n)))
        var info: Int32 = 0
        var lwork: Int32 = -1
        var wq = 0.0
        var iwork = [Int32](repeating: 0, count: 8 * max(1, min(m, n)))
        dgesdd_(&jobz, &mm, &nn, a, &lda, s, u, &ldu, vt, &ldvt, &wq, &lwork, &iwork, &info, 1)
        lwork = Int32(wq)
        var work = [Double](repeating: 0, count: Int(lwork))
        dgesdd_(&jobz, &mm, &nn, a, &lda, s, u, &ldu, vt, &ldvt, &work, &lwork, &iwork, &info, 1)
        return Int(info)
    }
    public static func gelsd(
        m: Int, n: Int, nrhs: Int, a: UnsafeMutablePointer<Double>, b: UnsafeMutablePointer<Double>,
        ldb: Int, rcond: Double
    ) -> (info: Int, rank: Int) {
        var mm = Int32(m)
        var nn = Int32(n)
        var nr = Int32(nrhs)
        var lda = Int32(max(1, m))
        var lb = Int32(ldb)
        var rc = rcond
        var rank: Int32 = 0
        var info: Int32 = 0
        var lwork: Int32 = -1
        var wq = 0.0
        var iwq: Int32 = 0
        var s = [Double](repeating: 0, count: max(1, min(m, n)))
        dgelsd_(&mm, &nn, &nr, a, &lda, b, &lb, &s, &rc, &rank, &wq, &lwork, &iwq, &info)
        lwork = Int32(wq)
        var work = [Double](repeating: 0, count: Int(lwork))
        var iwork = [Int32](repeating: 0, count: Int(max(1, iwq)))
        dgelsd_(&mm, &nn, &nr, a, &lda, b, &lb, &s, &rc, &rank, &work, &lwork, &iwork, &info)
        return (Int(info), Int(rank))
    }
}

extension Float: Scalar {
    public static var typeName: String { "Float" }
    @inline(__always)
    public static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        genlab_sgemm(
            transA ? 1 : 0, transB ? 1 : 0, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c,
            Int32(ldc))
    }
    @inline(__always)
    public static func gemv(
        trans: Bool, m: Int, n: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        x: UnsafePointer<Float>, beta: Float, y: UnsafeMutablePointer<Float>
    ) {
        cblas_sgemv(CblasRowMajor, tr(trans), Int32(m), Int32(n), alpha, a, Int32(lda), x, 1, beta, y, 1)
    }
    @inline(__always)
    public static func dot(_ n: Int, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>) -> Float {
        cblas_sdot(Int32(n), x, 1, y, 1)
    }
    @inline(__always)
    public static func axpy(_ n: Int, _ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        cblas_saxpy(Int32(n), alpha, x, 1, y, 1)
    }
    @inline(__always)
    public static func scal(_ n: Int, _ alpha: Float, _ x: UnsafeMutablePointer<Float>) {
        cblas_sscal(Int32(n), alpha, x, 1)
    }
    public static func syevd(vectors: Bool, n: Int, a: UnsafeMutablePointer<Float>, w: UnsafeMutablePointer<Float>)
        -> Int
    {
        var jobz: CChar = vectors ? 86 : 78
        var uplo: CChar = 85
        var nn = Int32(n)
        var lda = Int32(max(1, n))
        var info: Int32 = 0
        var lwork: Int32 = -1
        var liwork: Int32 = -1
        var wq: Float = 0
        var iwq: Int32 = 0
        ssyevd_(&jobz, &uplo, &nn, a, &lda, w, &wq, &lwork, &iwq, &liwork, &info, 1, 1)
        lwork = Int32(wq)
        liwork = max(1, iwq)
        var work = [Float](repeating: 0, count: Int(lwork))
        var iwork = [Int32](repeating: 0, count: Int(liwork))
        ssyevd_(&jobz, &uplo, &nn, a, &lda, w, &work, &lwork, &iwork, &liwork, &info, 1, 1)
        return Int(info)
    }
    public static func gesdd(
        m: Int, n: Int, a: UnsafeMutablePointer<Float>, s: UnsafeMutablePointer<Float>,
        u: UnsafeMutablePointer<Float>, vt: UnsafeMutablePointer<Float>
    ) -> Int {
        var jobz: CChar = 83
        var mm = Int32(m)
        var nn = Int32(n)
        var lda = Int32(max(1, m))
        var ldu = Int32(max(1, m))
        var ldvt = Int32(max(1, min(m, n)))
        var info: Int32 = 0
        var lwork: Int32 = -1
        var wq: Float = 0
        var iwork = [Int32](repeating: 0, count: 8 * max(1, min(m, n)))
        sgesdd_(&jobz, &mm, &nn, a, &lda, s, u, &ldu, vt, &ldvt, &wq, &lwork, &iwork, &info, 1)
        lwork = Int32(wq)
        var work = [Float](repeating: 0, count: Int(lwork))
        sgesdd_(&jobz, &mm, &nn, a, &lda, s, u, &ldu, vt, &ldvt, &work, &lwork, &iwork, &info, 1)
        return Int(info)
    }
    public static func gelsd(
        m: Int, n: Int, nrhs: Int, a: UnsafeMutablePointer<Float>, b: UnsafeMutablePointer<Float>,
        ldb: Int, rcond: Float
    ) -> (info: Int, rank: Int) {
        var mm = Int32(m)
        var nn = Int32(n)
        var nr = Int32(nrhs)
        var lda = Int32(max(1, m))
        var lb = Int32(ldb)
        var rc = rcond
        var rank: Int32 = 0
        var info: Int32 = 0
        var lwork: Int32 = -1
        var wq: Float = 0
        var iwq: Int32 = 0
        var s = [Float](repeating: 0, count: max(1, min(m, n)))
        sgelsd_(&mm, &nn, &nr, a, &lda, b, &lb, &s, &rc, &rank, &wq, &lwork, &iwq, &info)
        lwork = Int32(wq)
        var work = [Float](repeating: 0, count: Int(lwork))
        var iwork = [Int32](repeating: 0, count: Int(max(1, iwq)))
        sgelsd_(&mm, &nn, &nr, a, &lda, b, &lb, &s, &rc, &rank, &work, &lwork, &iwork, &info)
        return (Int(info), Int(rank))
    }
}

/// BLAS process-wide settings.
public enum BLAS {
    /// Sets OpenBLAS's thread count (`--threads`). Sweeps set 1 and parallelize over points instead.
    public static func setThreads(_ n: Int) { genlab_blas_set_threads(Int32(max(1, n))) }
    /// OpenBLAS's current thread count.
    public static var threads: Int { Int(genlab_blas_get_threads()) }
    /// Tunes the allocator for large numerical buffers (see `genlab_tune_allocator`); the CLI calls it at start.
    public static func tuneAllocator() { genlab_tune_allocator() }

    /// The library and the kernel it chose at run time, e.g. "OpenBLAS (Haswell)".
    public static var description: String { String(cString: genlab_blas_description()) }

    /// The OpenBLAS kernel to ask for (`OPENBLAS_CORETYPE`) when OpenBLAS did not recognize this
    /// CPU and fell back to its generic SSE3 kernel although the CPU has AVX-512 or AVX2 (Debian
    /// 12's OpenBLAS 0.3.21 on recent Xeons: measured here, SGEMM 35 GFLOP/s per core instead of
    /// 140–180); nil when OPENBLAS_CORETYPE is set (the user's choice), GENLAB_BLAS_AUTO=0, or the
    /// kernel was detected. OpenBLAS reads the variable when it loads, so the process must start
    /// again with it (`genlab`'s main does).
    public static var undetectedCore: String? {
        let env = ProcessInfo.processInfo.environment
        guard env["OPENBLAS_CORETYPE"] == nil, env["GENLAB_BLAS_AUTO"] != "0" else { return nil }
        return genlab_blas_undetected_core().map { String(cString: $0) }
    }

    /// Starts this process again, with the same arguments, with OPENBLAS_CORETYPE set where
    /// OpenBLAS did not recognize the CPU (`undetectedCore`): OpenBLAS chooses its kernel when it
    /// loads, before main, so a program that wants the CPU's kernel calls this first. Once:
    /// GENLAB_BLAS_AUTO=0 marks the second start (and turns the choice off for a user who wants
    /// OpenBLAS's own). The same results but for the rounding of another kernel. Linux only.
    public static func restartWithDetectedKernel() {
        #if os(Linux)
            guard let core = undetectedCore else { return }
            setenv("OPENBLAS_CORETYPE", core, 1)
            setenv("GENLAB_BLAS_AUTO", "0", 1)
            let args = CommandLine.arguments.map { strdup($0) } + [nil]
            execv("/proc/self/exe", args)
            // execv returns only on failure: go on with the generic kernel.
            unsetenv("OPENBLAS_CORETYPE")
        #endif
    }
}

/// Transparent huge pages for a large buffer (see `genlab_advise_huge_pages`).
public func adviseHugePages(_ p: UnsafeMutableRawPointer, _ bytes: Int) {
    _ = genlab_advise_huge_pages(p, bytes)
}
