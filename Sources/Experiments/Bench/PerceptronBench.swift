import Datasets
import Learners
import LinearAlgebra

/// The perceptron timings that scikit-learn's figures are compared with (same data, same epochs).
public struct PerceptronBenchResult: Codable, Sendable {
    /// 10-class one-vs-rest, 10 epochs over 60,000 images, shuffled each epoch: seconds (median of trials).
    public var multiclassTenEpochsSeconds: Double
    public var multiclassTestAccuracy: Double
    /// Binary perceptron, one epoch over a 12,000 × 784 pair, reshuffled each epoch as scikit-learn
    /// does: seconds (median over 10 epochs). The pixels as bytes (`Perceptron.fit(bytes:)`, the
    /// path `perceptron fit` takes on image data; bit-identical to the Float path).
    public var binaryEpochSeconds: Double
    /// The same on the Float features (4 bytes per pixel).
    public var binaryEpochSecondsFloat: Double
    public var binarySamplesPerSecond: Double
    /// The same in the given order (Algorithm 1 as written; the hardware prefetcher then streams the rows).
    public var binaryEpochSecondsInOrder: Double
    /// The same shuffled in blocks of `blockSize` consecutive rows (`Perceptron.shuffleBlock`).
    public var binaryEpochSecondsBlocks: Double
    public var blockSize: Int
    /// Hard-margin SVM on 10,000 × 50 separable points: seconds.
    public var maxMarginSeconds: Double
    public var maxMarginRelativeGap: Double
}

/// Times the perceptron family on Fashion-MNIST (the benchmark against scikit-learn).
public enum PerceptronBench {
    static func run(fashion: DataSplit, trials: Int = 3) throws -> PerceptronBenchResult {
        let x = fashion.train.features
        let labels = fashion.train.labels
        var acc = 0.0
        let multi = Timing.median(trials: trials, minSeconds: 0, warmup: false) {
            let fit = MulticlassPerceptron(rule: .oneVsRest, epochs: 10, shuffleSeed: 1).fit(
                x, labels: labels, classes: 10)
            acc = fit.accuracy(fashion.test.features, fashion.test.labels)
        }
        // t-shirt (0) vs trouser (1), as scikit-learn's "0 vs 1" figure.
        let pair = fashion.train.classPair(0, 1)
        let y = try pair.signedLabels().map { Float($0) }
        let block = 8
        func epochSeconds(shuffled: Bool, block: Int = 1, bytes: Bool = false) -> Double {
            var times = [Double]()
            for e in 0..<11 {
                let t0 = Timing.now()
                let p = Perceptron(maxEpochs: 1, shuffleSeed: shuffled ? UInt64(e) : nil, shuffleBlock: block)
                if bytes, let b = pair.byteFeatures {
                    _ = p.fit(bytes: b, rows: pair.count, cols: pair.featureCount, y)
                } else {
                    _ = p.fit(pair.features, y)
                }
                if e > 0 { times.append(Timing.now() - t0) }  // the first is a warm-up
            }
            return Stats.median(times)
        }
        let epoch = epochSeconds(shuffled: true, bytes: true)
        let floats = epochSeconds(shuffled: true)
        let inOrder = epochSeconds(shuffled: false)
        let blocks = epochSeconds(shuffled: true, block: block)
        let sep = Separable(dimension: 50, trainCount: 10_000, testCount: 1, margin: 0.1, seed: 1).generate()
        let sx: Matrix<Double> = sep.train.features.converted()
        let sy = try sep.train.signedLabels()
        var gap = 0.0
        let svm = Timing.median(trials: trials, minSeconds: 0, warmup: false) {
            gap = HardMarginSVM().solve(sx, sy).relativeGap
        }
        return PerceptronBenchResult(
            multiclassTenEpochsSeconds: multi.median, multiclassTestAccuracy: acc,
            binaryEpochSeconds: epoch, binaryEpochSecondsFloat: floats,
            binarySamplesPerSecond: Double(pair.count) / epoch, binaryEpochSecondsInOrder: inOrder,
            binaryEpochSecondsBlocks: blocks, blockSize: block,
            maxMarginSeconds: svm.median, maxMarginRelativeGap: gap)
    }
}
