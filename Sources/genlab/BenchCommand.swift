import ArgumentParser
import Datasets
import Experiments
import Foundation
import Learners
import LinearAlgebra

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Throughput benchmarks (scripts/bench-peers.sh runs them beside numpy, scikit-learn, PyTorch and JAX).",
        subcommands: [GEMM.self, Load.self, PerceptronTimes.self, Train.self, HVP.self, BenchSweeps.self])

    struct GEMM: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "GEMM GFLOP/s, Float and Double, n = 256…2048, 1 and 2 threads.")
        @Option(help: "Matrix sizes, comma-separated.") var sizes = "256,512,1024,2048"
        @Option(name: .customLong("thread-counts"), help: "BLAS thread counts to measure, comma-separated.") var threadCounts = "1,2"
        @Option(help: "Trials per cell (median reported).") var trials = 7
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let n = try parseIntList(sizes, name: "--sizes"), t = try parseIntList(threadCounts, name: "--thread-counts")
            guard trials >= 1 else { throw ValidationError("--trials must be ≥ 1") }
            let rows = GEMMBench.run(sizes: n, threads: t, trials: trials)
            if json { print(try ResultFolder.encodeJSON(["blas": JSONValue(BLAS.description), "rows": .array(rows.map { r in
                .object(["dtype": .string(r.dtype), "n": JSONValue(r.n), "threads": JSONValue(r.threads), "gflops": JSONValue(r.gflops),
                         "gflops_min": JSONValue(r.gflopsMin), "gflops_max": JSONValue(r.gflopsMax)]) })]), terminator: ""); return }
            print("BLAS: \(BLAS.description)")
            print("dtype    n      threads  GFLOP/s median [min-max]")
            for r in rows { print(String(format: "%-8@ %-6d %-8d %.1f [%.1f-%.1f]", r.dtype as NSString, r.n, r.threads, r.gflops, r.gflopsMin, r.gflopsMax)) }
        }
    }

    struct Load: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Seconds to load all of Fashion-MNIST and to generate MNIST-1D.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            global.apply()
            let dir = FashionMNIST.directory(override: global.dataDir)
            _ = try FashionMNIST.load(directory: dir)
            let f = Timing.median(trials: 5, minSeconds: 0) { _ = try? FashionMNIST.load(directory: dir) }
            let m = Timing.median(trials: 5, minSeconds: 0) { _ = MNIST1D().generate() }
            if json {
                print(try ResultFolder.encodeJSON(["fashion_mnist_load_s": JSONValue(f.median), "mnist1d_generate_s": JSONValue(m.median)]), terminator: "")
            } else {
                print(String(format: "Fashion-MNIST, 70,000 images → Float: %.3f s (median of 5)", f.median))
                print(String(format: "MNIST-1D, 5,000 samples generated:   %.3f s (median of 5)", m.median))
            }
        }
    }
}

struct PerceptronTimes: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perceptron",
        abstract: "10-class perceptron (10 epochs, 60,000 images), one binary epoch (12,000 × 784) and the max-margin solve (10,000 × 50).")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Trials (median reported).") var trials = 3
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        global.apply()
        let data = try FashionMNIST.load(directory: FashionMNIST.directory(override: global.dataDir))
        let r = try PerceptronBench.run(fashion: data, trials: trials)
        if json { print(try ResultFolder.encodeJSON(r), terminator: ""); return }
        print(String(format: "10-class one-vs-rest, 10 epochs, 60,000 images: %.3f s (test accuracy %.4f)", r.multiclassTenEpochsSeconds, r.multiclassTestAccuracy))
        print(String(format: "binary perceptron, one epoch over 12,000 × 784, shuffled: %.2f ms (%.2f M samples/s; pixels as bytes); on Float features: %.2f ms; in blocks of %d: %.2f ms; in order: %.2f ms",
                     r.binaryEpochSeconds * 1e3, r.binarySamplesPerSecond / 1e6, r.binaryEpochSecondsFloat * 1e3, r.blockSize, r.binaryEpochSecondsBlocks * 1e3,
                     r.binaryEpochSecondsInOrder * 1e3))
        print(String(format: "hard-margin SVM, 10,000 × 50: %.3f s (relative gap %.1e)", r.maxMarginSeconds, r.maxMarginRelativeGap))
    }
}

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Training throughput on Fashion-MNIST (samples/s), measured as the PyTorch and JAX peer scripts measure it.")
    @Option(help: "Model specs, separated by ';'.") var model = "mlp:64;mlp:256;mlp:1024;mlp:4096"
    @Option(help: "Batch size.") var batch = 128
    @Option(help: "Halve each step between two cores (one BLAS thread each).") var halving: Halving = .automatic
    @Option(help: "SGD's learning rate (torch_mlp.py: 0.1; torch_cnn.py: 0.05).") var lr = 0.1
    @Option(help: "Train on the first N training images (default: all 60,000; torch_cnn.py: 10,000).") var samples: Int?
    @Option(help: "Seed of the initialization and the shuffles.") var seed: UInt64 = 0
    @Flag(help: "Report the test accuracy after the epochs (10,000 test images).") var accuracy = false
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        global.apply()
        let models = model.split(separator: ";").map(String.init)
        for m in models { _ = try ModelSpec(parsing: m) }
        guard lr > 0 && lr.isFinite else { throw ValidationError("--lr must be positive, got \(lr)") }
        let data = try FashionMNIST.load(directory: FashionMNIST.directory(override: global.dataDir))
        var rows = [TrainBenchResult]()
        for m in models {
            rows.append(try TrainBench.run(model: m, batch: batch, data: data, halving: halving, learningRate: lr, samples: samples, seed: seed, accuracy: accuracy))
        }
        if json { print(try ResultFolder.encodeJSON(rows), terminator: ""); return }
        print("model        params     samples/s median [min-max]      GFLOP/s  test accuracy")
        for r in rows {
            print(String(format: "%-12@ %-10d %9.0f [%.0f-%.0f]   %6.1f  %@", r.model as NSString, r.parameters, r.samplesPerSecond, r.samplesPerSecondMin, r.samplesPerSecondMax, r.gflops,
                         (r.testAccuracy.map { String(format: "%.4f", $0) } ?? "-") as NSString))
        }
    }
}

struct HVP: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hvp",
        abstract: "Hessian-vector product and top Hessian eigenvalue for mlp:256 on 1,000 Fashion-MNIST images (as the peers measure them).")
    @Option(help: "Weights (.npy, GenLab's flat layout) to evaluate at, e.g. the peers' shared initialization.") var weights: String?
    @Option(help: "Relative tolerance of the top eigenvalue.") var tolerance = 1e-3
    @Option(help: "Rounds of 20 from-scratch H·v in this one process (each round's median is printed): tells a slow process from a slow minute of the machine.") var rounds = 1
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        global.apply()
        guard tolerance > 0 && tolerance < 1 else { throw ValidationError("--tolerance must be in (0, 1)") }
        guard rounds >= 1 else { throw ValidationError("--rounds must be ≥ 1, got \(rounds)") }
        let data = try FashionMNIST.load(directory: FashionMNIST.directory(override: global.dataDir))
        let r = try HVPBench.run(data: data, weights: weights, tolerance: tolerance, rounds: rounds)
        if json { print(try ResultFolder.encodeJSON(r), terminator: ""); return }
        print(String(format: "H·v, mlp:256, 1,000 samples: %.2f ms from scratch; %.2f ms at a fixed θ with the forward pass kept (medians of 20; min %.2f)",
                     r.hvpFromScratchMilliseconds, r.hvpMilliseconds, r.hvpMillisecondsMin))
        print(String(format: "λ_max by Lanczos to %.0e: %.5f in %d H·v, %.1f ms%@", r.tolerance, r.lambdaMax, r.lanczosIterations, r.lanczosSeconds * 1e3, r.lanczosConverged ? "" : " (not converged)"))
        print(String(format: "λ_max by 20 power iterations: %.5f in %.1f ms", r.powerLambda, r.powerSeconds * 1e3))
        if !r.fromScratchRounds.isEmpty {
            print("H·v from scratch, median of 20 per further round (ms): " + r.fromScratchRounds.map { String(format: "%.2f", $0) }.joined(separator: " "))
        }
    }
}

func parseIntList(_ s: String, name: String) throws -> [Int] {
    if let grid = try Grid.parse(s) { return grid }
    let parts = s.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard !parts.isEmpty, parts.allSatisfy({ $0 != nil && $0! > 0 }) else {
        throw ValidationError("\(name) takes positive integers separated by commas (or geomspace:START,STOP,COUNT), got \"\(s)\"")
    }
    return parts.map { $0! }
}
