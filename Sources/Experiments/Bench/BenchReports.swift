import Datasets
import Foundation
import Learners
import LinearAlgebra

/// What a benchmark reports: JSON for the peer scripts (scripts/bench-peers.sh), lines for a reader.
public protocol BenchReport: Encodable {
    var lines: [String] { get }
}

/// GEMM rows with the BLAS library that ran them.
public struct GEMMBenchReport: BenchReport {
    public var blas = BLAS.description
    public var rows: [GEMMBenchRow]
    public init(rows: [GEMMBenchRow]) { self.rows = rows }

    public var lines: [String] {
        ["BLAS: \(blas)", "dtype    n      threads  GFLOP/s median [min-max]"]
            + rows.map { r in
                String(
                    format: "%-8@ %-6d %-8d %.1f [%.1f-%.1f]", r.dtype as NSString, r.n, r.threads, r.gflops,
                    r.gflopsMin, r.gflopsMax)
            }
    }
}

/// Seconds to read Fashion-MNIST and to generate MNIST-1D (medians of 5, after one warm-up load).
public struct LoadBenchResult: BenchReport {
    public var fashionMNISTLoadSeconds: Double
    public var mnist1DGenerateSeconds: Double
    enum CodingKeys: String, CodingKey {
        case fashionMNISTLoadSeconds = "fashion_mnist_load_s"
        case mnist1DGenerateSeconds = "mnist1d_generate_s"
    }

    static func run(dataDirectory: String?) throws -> LoadBenchResult {
        let dir = FashionMNIST.directory(override: dataDirectory)
        _ = try FashionMNIST.load(directory: dir)
        let f = Timing.median(trials: 5, minSeconds: 0) { _ = try? FashionMNIST.load(directory: dir) }
        let m = Timing.median(trials: 5, minSeconds: 0) { _ = MNIST1D().generate() }
        return LoadBenchResult(fashionMNISTLoadSeconds: f.median, mnist1DGenerateSeconds: m.median)
    }

    public var lines: [String] {
        [
            String(format: "Fashion-MNIST, 70,000 images → Float: %.3f s (median of 5)", fashionMNISTLoadSeconds),
            String(format: "MNIST-1D, 5,000 samples generated:   %.3f s (median of 5)", mnist1DGenerateSeconds),
        ]
    }
}

extension PerceptronBenchResult: BenchReport {
    public var lines: [String] {
        [
            String(
                format: "10-class one-vs-rest, 10 epochs, 60,000 images: %.3f s (test accuracy %.4f)",
                multiclassTenEpochsSeconds,
                multiclassTestAccuracy),
            String(
                format:
                    "binary perceptron, one epoch over 12,000 × 784, "
                    + "shuffled: %.2f ms (%.2f M samples/s; pixels as bytes); "
                    + "on Float features: %.2f ms; in blocks of %d: %.2f ms; in order: %.2f ms",
                binaryEpochSeconds * 1e3,
                binarySamplesPerSecond / 1e6, binaryEpochSecondsFloat * 1e3, blockSize, binaryEpochSecondsBlocks * 1e3,
                binaryEpochSecondsInOrder * 1e3),
            String(
                format: "hard-margin SVM, 10,000 × 50: %.3f s (relative gap %.1e)", maxMarginSeconds,
                maxMarginRelativeGap),
        ]
    }
}

extension Array: BenchReport where Element == TrainBenchResult {
    public var lines: [String] {
        ["model        params     samples/s median [min-max]      GFLOP/s  test accuracy"]
            + map { r in
                String(
                    format: "%-12@ %-10d %9.0f [%.0f-%.0f]   %6.1f  %@", r.model as NSString, r.parameters,
                    r.samplesPerSecond,
                    r.samplesPerSecondMin, r.samplesPerSecondMax, r.gflops,
                    (r.testAccuracy.map { String(format: "%.4f", $0) } ?? "-") as NSString)
            }
    }
}

extension HVPBenchResult: BenchReport {
    public var lines: [String] {
        [
            String(
                format:
                    "H·v, mlp:256, 1,000 samples: %.2f ms from scratch; "
                    + "%.2f ms at a fixed θ with the forward pass kept "
                    + "(medians of 20; min %.2f)", hvpFromScratchMilliseconds, hvpMilliseconds, hvpMillisecondsMin),
            String(
                format: "λ_max by Lanczos to %.0e: %.5f in %d H·v, %.1f ms%@", tolerance, lambdaMax,
                lanczosIterations,
                lanczosSeconds * 1e3, lanczosConverged ? "" : " (not converged)"),
            String(format: "λ_max by 20 power iterations: %.5f in %.1f ms", powerLambda, powerSeconds * 1e3),
        ]
            + (fromScratchRounds.isEmpty
                ? []
                : [
                    "H·v from scratch, median of 20 per further round (ms): "
                        + fromScratchRounds.map { String(format: "%.2f", $0) }.joined(separator: " ")
                ])
    }
}
