import Datasets
import Learners
import LinearAlgebra

/// Training throughput measured as ../shared/bench/peers/torch_mlp.py and jax_mlp.py measure
/// PyTorch and JAX: 784→W→10, ReLU, mean softmax cross-entropy, plain SGD lr 0.1, batch 128,
/// 468 full batches per epoch reshuffled each epoch, one warm-up epoch, then the median of 3.
/// The CNN rows follow torch_cnn.py: the standard CNN (`ModelSpec.standardCNN`) on the first
/// `samples` training images, lr 0.05, and the test accuracy after the epochs.
public struct TrainBenchResult: Codable, Sendable {
    public var model: String
    public var parameters: Int
    public var batch: Int
    public var samplesPerSecond: Double
    public var samplesPerSecondMin: Double
    public var samplesPerSecondMax: Double
    /// Real GFLOP/s of the products (3,196·W FLOP per sample for 784→W→10, no input gradient).
    public var gflops: Double
    /// Whether the steps ran as two half batches on two cores (`Network.splitsBatch`).
    public var halved: Bool
    /// Training images per epoch, and the test accuracy after the warm-up and timed epochs (when asked for).
    public var samples: Int? = nil
    public var testAccuracy: Double? = nil
}

/// Times network training steps (the benchmark against PyTorch and JAX).
public enum TrainBench {
    /// `samples`: train on the first that many training images (nil: all); `seed`: the
    /// initialization's and the shuffles'; `accuracy`: evaluate the test set after the epochs.
    static func run(
        model: String, batch: Int, data: DataSplit, epochs: Int = 3, halving: Halving = .automatic,
        learningRate: Double = 0.1, samples: Int? = nil, seed: UInt64 = 0, accuracy: Bool = false
    ) throws -> TrainBenchResult {
        let spec = try ModelSpec(parsing: model)
        guard (samples ?? 1) >= 1 && (samples ?? 0) <= data.train.count else {
            throw GenLabError.parameter(name: "samples", problem: "must be in 1…\(data.train.count), got \(samples!)")
        }
        let train = samples.map { data.train.subset(Array(0..<$0)) } ?? data.train
        let net: Network<Float> = try spec.network(
            for: train, imageShape: data.sampleShape, initialization: .uniform, seed: seed)
        net.halving = halving
        guard batch >= 1 && batch <= train.count else {
            throw GenLabError.parameter(name: "batch", problem: "must be in 1…\(train.count), got \(batch)")
        }
        let config = TrainingConfig(
            epochs: 1, batchSize: batch,
            optimizer: OptimizerConfig(kind: .sgd, learningRate: learningRate, momentum: 0),
            dropLast: true)
        var noEvaluation = config
        noEvaluation.evaluate = false
        let steps = train.count / batch
        var rates = [Double]()
        for e in 0...epochs {
            var c = noEvaluation
            c.seed = seed &* 1000 &+ UInt64(e)
            let t0 = Timing.now()
            _ = TrainLoop.epochs(net, train, c)
            let dt = Timing.now() - t0
            if e > 0 { rates.append(Double(steps * batch) / dt) }
        }
        rates.sort()
        // Real FLOPs per sample of the products (3,196·W for 784→W→10: see RESULTS.md).
        let flopsPerSample = net.flopsPerSample
        return TrainBenchResult(
            model: model, parameters: net.parameterCount, batch: batch, samplesPerSecond: rates[rates.count / 2],
            samplesPerSecondMin: rates.first!, samplesPerSecondMax: rates.last!,
            gflops: flopsPerSample * rates[rates.count / 2] / 1e9, halved: net.splitsBatch(batch),
            samples: train.count, testAccuracy: accuracy ? 1 - net.evaluate(data.test).error : nil)
    }
}

/// Training epochs without evaluation (what the throughput benchmarks time).
public enum TrainLoop {
    public static func epochs(_ net: Network<Float>, _ train: Dataset, _ config: TrainingConfig) -> TrainingRun {
        Trainer<Float>(config).train(net, train: train, test: train.subset([0]))
    }
}
