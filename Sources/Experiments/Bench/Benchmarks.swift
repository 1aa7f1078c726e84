import Common
import Datasets
import Foundation
import Learners

/// A benchmark of `genlab bench`: its settings are its value's fields, as an experiment's are
/// (options, help and `--parameters` read off the value), and it measures into a report.
public protocol Benchmark: Configurable {
    /// The subcommand's name.
    static var command: String { get }
    static var abstract: String { get }
    /// Option names kept from before the options were fields.
    static var names: OptionNames { get }
    /// The benchmark with every setting at its default.
    init()
    /// Usage errors before anything runs.
    func validate() throws
    /// The measurement; `each` gets the report's lines as they are measured (benchmarks that run
    /// for minutes), and the report is returned whole.
    func measure(dataDirectory: String?, each: ([String]) -> Void) throws -> any BenchReport
}

extension Benchmark {
    public var name: String { "bench " + Self.command }
    public static var names: OptionNames { OptionNames() }
    public func validate() throws {}
}

/// Every benchmark, in the order of `genlab bench --help`.
public enum Benchmarks {
    public static let all: [any Benchmark.Type] = [
        GEMMBenchmark.self, LoadBenchmark.self, PerceptronBenchmark.self, TrainBenchmark.self, HVPBenchmark.self,
        SweepsBenchmark.self,
    ]
}

public struct GEMMBenchmark: Benchmark {
    public static let command = "gemm"
    public static let abstract = "GEMM GFLOP/s, Float and Double, n = 256…2048, 1 and 2 threads."
    /// Matrix sizes n (n × n times n × n).
    public var sizes = [256, 512, 1024, 2048]
    /// BLAS thread counts to measure.
    public var threadCounts = [1, 2]
    /// Trials per cell (the median is reported).
    public var trials = 7
    public init() {}

    public func validate() throws {
        guard trials >= 1 else { throw GenLabError.parameter(name: "trials", problem: "must be ≥ 1, got \(trials)") }
        guard !sizes.isEmpty, sizes.allSatisfy({ $0 >= 1 }), threadCounts.allSatisfy({ $0 >= 1 }) else {
            throw GenLabError.usage("sizes and threadCounts must be positive, got \(sizes) and \(threadCounts)")
        }
    }

    public func measure(dataDirectory _: String?, each _: ([String]) -> Void) throws -> any BenchReport {
        GEMMBenchReport(rows: GEMMBench.run(sizes: sizes, threads: threadCounts, trials: trials))
    }
}

public struct LoadBenchmark: Benchmark {
    public static let command = "load"
    public static let abstract = "Seconds to load all of Fashion-MNIST and to generate MNIST-1D."
    public init() {}

    public func measure(dataDirectory: String?, each _: ([String]) -> Void) throws -> any BenchReport {
        try LoadBenchResult.run(dataDirectory: dataDirectory)
    }
}

public struct PerceptronBenchmark: Benchmark {
    public static let command = "perceptron"
    public static let abstract =
        "10-class perceptron (10 epochs, 60,000 images), one binary epoch (12,000 × 784) and the max-margin solve "
        + "(10,000 × 50)."
    /// Trials (the median is reported).
    public var trials = 3
    public init() {}

    public func measure(dataDirectory: String?, each _: ([String]) -> Void) throws -> any BenchReport {
        try PerceptronBench.run(
            fashion: FashionMNIST.load(directory: FashionMNIST.directory(override: dataDirectory)), trials: trials)
    }
}

public struct TrainBenchmark: Benchmark {
    public static let command = "train"
    public static let abstract =
        "Training throughput on Fashion-MNIST (samples/s), measured as the PyTorch and JAX peer scripts measure it."
    public static let names = OptionNames(aliases: ["lr": "learningRate"], flags: ["accuracy": ("accuracy", "true")])
    /// Model specs, separated by ';'.
    public var model = "mlp:64;mlp:256;mlp:1024;mlp:4096"
    /// Batch size.
    public var batch = 128
    /// Halve each step between two cores (one BLAS thread each): automatic, never or always.
    public var halving = Halving.automatic
    /// SGD's learning rate (torch_mlp.py: 0.1; torch_cnn.py: 0.05).
    public var learningRate = 0.1
    /// Train on the first N training images (default: all 60,000; torch_cnn.py: 10,000).
    public var samples: Int?
    /// Seed of the initialization and the shuffles.
    public var seed: UInt64 = 0
    /// Report the test accuracy after the epochs (10,000 test images).
    public var accuracy = false
    public init() {}

    var models: [String] { model.split(separator: ";").map(String.init) }

    public func validate() throws {
        for m in models { _ = try ModelSpec(parsing: m) }
        guard learningRate > 0 && learningRate.isFinite else {
            throw GenLabError.parameter(name: "learningRate", problem: "must be positive, got \(learningRate)")
        }
    }

    public func measure(dataDirectory: String?, each _: ([String]) -> Void) throws -> any BenchReport {
        let data = try FashionMNIST.load(directory: FashionMNIST.directory(override: dataDirectory))
        return try models.map {
            try TrainBench.run(
                model: $0, batch: batch, data: data, halving: halving, learningRate: learningRate, samples: samples,
                seed: seed, accuracy: accuracy)
        }
    }
}

public struct HVPBenchmark: Benchmark {
    public static let command = "hvp"
    public static let abstract =
        "Hessian-vector product and top Hessian eigenvalue for mlp:256 on 1,000 Fashion-MNIST images (as the peers "
        + "measure them)."
    /// Weights (.npy, GenLab's flat layout) to evaluate at, e.g. the peers' shared initialization.
    public var weights: String?
    /// Relative tolerance of the top eigenvalue.
    public var tolerance = 1e-3
    /// Rounds of 20 from-scratch H·v in this one process (each round's median is printed): tells a slow
    /// process from a slow minute of the machine.
    public var rounds = 1
    public init() {}

    public func validate() throws {
        guard tolerance > 0 && tolerance < 1 else {
            throw GenLabError.parameter(name: "tolerance", problem: "must be in (0, 1), got \(tolerance)")
        }
        guard rounds >= 1 else { throw GenLabError.parameter(name: "rounds", problem: "must be ≥ 1, got \(rounds)") }
    }

    public func measure(dataDirectory: String?, each _: ([String]) -> Void) throws -> any BenchReport {
        let data = try FashionMNIST.load(directory: FashionMNIST.directory(override: dataDirectory))
        return try HVPBench.run(data: data, weights: weights, tolerance: tolerance, rounds: rounds)
    }
}

/// Each sweep's default run against its target (`SweepsBench`).
public struct SweepsBenchmark: Benchmark {
    public static let command = "sweeps"
    public static let abstract = "Seconds for each sweep's default run, against its target (takes about 10 minutes)."
    /// Sweeps to run, comma-separated: ridgeless, random-features, width, width5, epochs, model-size, zoo.
    public var only = "ridgeless,random-features,width,epochs,model-size"
    public init() {}

    public func measure(dataDirectory: String?, each: ([String]) -> Void) throws -> any BenchReport {
        let names = only.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return try SweepsBench.run(names, dataDirectory: dataDirectory) { each($0.lines) }
    }
}
