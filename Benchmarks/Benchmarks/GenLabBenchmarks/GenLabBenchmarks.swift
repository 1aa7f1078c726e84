import Benchmark
import Datasets
import Learners
import LinearAlgebra

/// GEMM throughput (report GFLOP/s = 2n³ / time; numpy's figure on this machine is in
/// ../shared/bench/peers/RESULTS.md), loading Fashion-MNIST, generating MNIST-1D, and the
/// perceptron's epochs.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .mallocCountTotal], maxDuration: .seconds(3))

    func gemmBenchmark<T: Scalar>(_: T.Type, n: Int, threads: Int) {
        Benchmark("GEMM \(T.typeName) n=\(n) threads=\(threads)", configuration: .init(scalingFactor: .one)) { benchmark in
            BLAS.setThreads(threads)
            var g = Generator(seed: 1)
            let a = Matrix<T>(rows: n, cols: n, storage: g.normalVector(n * n)), b = Matrix<T>(rows: n, cols: n, storage: g.normalVector(n * n))
            var c = Matrix<T>(rows: n, cols: n)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { gemm(a, b, into: &c) }
            benchmark.stopMeasurement()
            blackHole(c)
        }
    }
    for n in [256, 512, 1024, 2048] {
        for t in [1, 2] { gemmBenchmark(Float.self, n: n, threads: t); gemmBenchmark(Double.self, n: n, threads: t) }
    }

    Benchmark("Fashion-MNIST: read all 70,000 images into Float matrices") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try FashionMNIST.load(directory: FashionMNIST.defaultDirectory)) }
    }

    Benchmark("MNIST-1D: generate 5,000 samples") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(MNIST1D().generate()) }
    }

    // Heap allocations per training step after warm-up: GenLab's step makes none (it reuses the
    // arena, batch buffer and optimizer state sized before the first step). Measured: 0 mallocs
    // per step with OPENBLAS_NUM_THREADS=1; with 2 BLAS threads Debian's OpenBLAS 0.3.21 mallocs
    // one job array inside each threaded GEMM, outside GenLab's code: 2 per step (the two large
    // products) since the output layer's skinny products run on one thread (5 before).
    Benchmark("Training step, mlp:256, batch 128, SGD momentum 0.9", configuration: .init(metrics: [.wallClock, .mallocCountTotal, .throughput])) { benchmark in
        let data = try FashionMNIST.load(directory: FashionMNIST.defaultDirectory)
        let net: Network<Float> = try ModelSpec(parsing: "mlp:256").network(for: data.train, seed: 0)
        let opt = Optimizer<Float>(OptimizerConfig(learningRate: 0.05, momentum: 0.9), parameterCount: net.parameterCount)
        let x = data.train.features.storage, labels = data.train.labels.prefix(128).map { Int32($0) }
        net.reserve(batch: 128)
        x.withUnsafeBufferPointer { xp in
            labels.withUnsafeBufferPointer { lp in
                let batch = Batch(x: xp.baseAddress!, labels: lp.baseAddress!, targets: nil, count: 128)
                _ = net.lossAndGradient(batch, training: true)
                benchmark.startMeasurement()
                for _ in benchmark.scaledIterations {
                    _ = net.lossAndGradient(batch, training: true)
                    net.apply(opt, learningRate: 0.05)
                }
                benchmark.stopMeasurement()
            }
        }
    }

    Benchmark("Perceptron: 10-class one-vs-rest, one epoch over 60,000 images") { benchmark in
        let data = try FashionMNIST.load(directory: FashionMNIST.defaultDirectory)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(MulticlassPerceptron(rule: .oneVsRest, epochs: 1, shuffleSeed: 1).fit(data.train.features, labels: data.train.labels, classes: 10))
        }
    }
}
