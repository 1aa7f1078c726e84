import LinearAlgebra

/// GEMM throughput, GFLOP/s = 2n³ / seconds, the measure numpy's peer script uses.
public struct GEMMBenchRow: Codable, Sendable {
    public var dtype: String
    public var n: Int
    public var threads: Int
    public var gflops: Double
    public var gflopsMin: Double
    public var gflopsMax: Double

    enum CodingKeys: String, CodingKey {
        case dtype, n, threads, gflops
        case gflopsMin = "gflops_min"
        case gflopsMax = "gflops_max"
    }
}

/// Times matrix products through BLAS (the benchmark against numpy).
public enum GEMMBench {
    static func run(sizes: [Int] = [256, 512, 1024, 2048], threads: [Int] = [1, 2], trials: Int = 7)
        -> [GEMMBenchRow]
    {
        var rows = [GEMMBenchRow]()
        func measure<T: Scalar>(_: T.Type, n: Int, t: Int) {
            BLAS.setThreads(t)
            var g = Generator(seed: 1)
            let a = Matrix<T>(rows: n, cols: n, storage: g.normalVector(n * n))
            let b = Matrix<T>(rows: n, cols: n, storage: g.normalVector(n * n))
            var c = Matrix<T>(rows: n, cols: n)
            let s = Timing.median(trials: trials, minSeconds: 0.3) { gemm(a, b, into: &c) }
            let flop = 2 * Double(n) * Double(n) * Double(n)
            rows.append(
                GEMMBenchRow(
                    dtype: T.self == Float.self ? "float32" : "float64", n: n, threads: t,
                    gflops: flop / s.median / 1e9, gflopsMin: flop / s.max / 1e9, gflopsMax: flop / s.min / 1e9))
        }
        for n in sizes { for t in threads { measure(Float.self, n: n, t: t) } }
        for n in sizes { for t in threads { measure(Double.self, n: n, t: t) } }
        return rows
    }
}
