import ArgumentParser
import Datasets
import Experiments
import Foundation
import Learners
import LinearAlgebra

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract:
            "Throughput benchmarks (scripts/bench-peers.sh runs them beside numpy, scikit-learn, PyTorch and JAX).",
        subcommands: [GEMM.self, Load.self, Perceptron.self, Train.self, HVP.self, Sweeps.self])
}

/// What every benchmark takes: the globals and --json.
struct BenchOptions: ParsableArguments {
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    /// Fashion-MNIST from --data-dir, after the globals are applied.
    func fashion() throws -> DataSplit {
        global.apply()
        return try FashionMNIST.load(directory: FashionMNIST.directory(override: global.dataDir))
    }

    /// The report as JSON (for the peer scripts) or as lines.
    func emit(_ report: any BenchReport) throws {
        if json {
            print(try ResultFolder.encodeJSON(report), terminator: "")
        } else {
            report.lines.forEach { print($0) }
        }
    }
}

extension BenchCommand {
    struct GEMM: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "GEMM GFLOP/s, Float and Double, n = 256…2048, 1 and 2 threads.")
        @Option(help: "Matrix sizes, comma-separated.") var sizes = "256,512,1024,2048"
        @Option(name: .customLong("thread-counts"), help: "BLAS thread counts to measure, comma-separated.")
        var threadCounts = "1,2"
        @Option(help: "Trials per cell (median reported).") var trials = 7
        @OptionGroup var bench: BenchOptions

        func run() throws {
            let n = try Grid.integers(sizes, name: "--sizes")
            let t = try Grid.integers(threadCounts, name: "--thread-counts")
            guard trials >= 1 else { throw ValidationError("--trials must be ≥ 1") }
            try bench.emit(GEMMBenchReport(rows: GEMMBench.run(sizes: n, threads: t, trials: trials)))
        }
    }

    struct Load: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Seconds to load all of Fashion-MNIST and to generate MNIST-1D.")
        @OptionGroup var bench: BenchOptions

        func run() throws {
            bench.global.apply()
            try bench.emit(try LoadBenchResult.run(dataDirectory: bench.global.dataDir))
        }
    }

    struct Perceptron: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "perceptron",
            abstract:
                "10-class perceptron (10 epochs, 60,000 images), one binary epoch (12,000 × 784) and the max-margin solve (10,000 × 50)."
        )
        @Option(help: "Trials (median reported).") var trials = 3
        @OptionGroup var bench: BenchOptions

        func run() throws { try bench.emit(try PerceptronBench.run(fashion: bench.fashion(), trials: trials)) }
    }

    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Training throughput on Fashion-MNIST (samples/s), measured as the PyTorch and JAX peer scripts measure it."
        )
        @Option(help: "Model specs, separated by ';'.") var model = "mlp:64;mlp:256;mlp:1024;mlp:4096"
        @Option(help: "Batch size.") var batch = 128
        @Option(help: "Halve each step between two cores (one BLAS thread each).") var halving: Halving = .automatic
        @Option(help: "SGD's learning rate (torch_mlp.py: 0.1; torch_cnn.py: 0.05).") var lr = 0.1
        @Option(help: "Train on the first N training images (default: all 60,000; torch_cnn.py: 10,000).") var samples:
            Int?
        @Option(help: "Seed of the initialization and the shuffles.") var seed: UInt64 = 0
        @Flag(help: "Report the test accuracy after the epochs (10,000 test images).") var accuracy = false
        @OptionGroup var bench: BenchOptions

        func run() throws {
            let models = model.split(separator: ";").map(String.init)
            for m in models { _ = try ModelSpec(parsing: m) }
            guard lr > 0 && lr.isFinite else { throw ValidationError("--lr must be positive, got \(lr)") }
            let data = try bench.fashion()
            try bench.emit(
                try models.map {
                    try TrainBench.run(
                        model: $0, batch: batch, data: data, halving: halving, learningRate: lr, samples: samples,
                        seed: seed,
                        accuracy: accuracy)
                })
        }
    }

    struct HVP: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hvp",
            abstract:
                "Hessian-vector product and top Hessian eigenvalue for mlp:256 on 1,000 Fashion-MNIST images (as the peers measure them)."
        )
        @Option(help: "Weights (.npy, GenLab's flat layout) to evaluate at, e.g. the peers' shared initialization.")
        var weights: String?
        @Option(help: "Relative tolerance of the top eigenvalue.") var tolerance = 1e-3
        @Option(
            help: ArgumentHelp(
                "Rounds of 20 from-scratch H·v in this one process (each round's median is printed): tells a slow process "
                    + "from a slow minute of the machine."))
        var rounds = 1
        @OptionGroup var bench: BenchOptions

        func run() throws {
            guard tolerance > 0 && tolerance < 1 else { throw ValidationError("--tolerance must be in (0, 1)") }
            guard rounds >= 1 else { throw ValidationError("--rounds must be ≥ 1, got \(rounds)") }
            try bench.emit(
                try HVPBench.run(data: bench.fashion(), weights: weights, tolerance: tolerance, rounds: rounds))
        }
    }

    /// Each sweep's default run against its target (`SweepsBench`).
    struct Sweeps: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sweeps",
            abstract: "Seconds for each sweep's default run, against its target (takes about 10 minutes).")
        @Option(
            help: ArgumentHelp(
                "Sweeps to run, comma-separated: " + SweepsBench.targets.map(\.name).joined(separator: ", ") + "."))
        var only = "ridgeless,random-features,width,epochs,model-size"
        @OptionGroup var bench: BenchOptions

        func run() throws {
            bench.global.apply()
            let names = only.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let report = try SweepsBench.run(names, dataDirectory: bench.global.dataDir) { row in
                if !bench.json { row.lines.forEach { print($0) } }
            }
            if bench.json { try bench.emit(report) }
        }
    }
}
