import Datasets
import Foundation
import Learners
import LinearAlgebra

/// Everything a trained network's weights depend on: the data (bit for bit), the architecture
/// with its initialization, the training configuration and the seed. Its `key` addresses the
/// network in a `NetworkStore`.
public struct TrainingRecipe: Codable, Sendable, Equatable {
    /// `DataSplit.fingerprint` of the data trained on (and evaluated on, for the records).
    public var data: String
    /// The network: input shape, layers, outputs, loss and initialization, in words.
    public var architecture: String
    public var training: TrainingConfig

    public init(data: String, architecture: String, training: TrainingConfig) {
        self.data = data
        self.architecture = architecture
        self.training = training
    }

    /// The architecture of a network as the recipe records it, with its initialization and its seed;
    /// with `batch`, also whether its steps run halved over two cores now (`Network.splitsBatch`:
    /// the halved and the one-pass step round differently, so their trajectories differ).
    public static func architecture(
        of net: Network<Float>, initialization: Initialization, seed: UInt64, batch: Int? = nil
    ) -> String {
        "\(net.inputShape.channels)x\(net.inputShape.length) " + net.layers.map { "\($0.spec)" }.joined(separator: " ")
            + " loss=\(net.loss.rawValue) init=\(initialization.rawValue) init-seed=\(seed) "
            + "parameters=\(net.parameterCount)"
            + (batch.map { " halved-steps=\(net.splitsBatch($0))" } ?? "")
    }

    public var key: String {
        let e = JSONEncoder()
        e.outputFormatting = .sortedKeys
        let text = (try? e.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "\(self)"
        return ContentHash.of(genlabVersion, text)
    }
}

/// Trained networks shared between experiments: a network trained for one experiment is stored
/// under its recipe's key and reused by the next experiment that asks for the same recipe (the
/// curvature, capacity-measure and regularizer experiments train many of the same networks).
/// A stored network holds its recipe and a checksum of its weights; one that does not match is
/// retrained and replaced.
public final class NetworkStore: @unchecked Sendable {
    public let folder: String
    private let lock = NSLock()
    private var reusedCount = 0, trainedCount = 0, replaced = [String]()

    public init(folder: String) { self.folder = folder }

    struct Manifest: Codable {
        var recipe: TrainingRecipe
        var parameters: Int
        var checksum: String
        var run: TrainingRun
    }

    func paths(_ key: String) -> (weights: String, manifest: String) {
        (folder + "/" + key + ".npy", folder + "/" + key + ".json")
    }

    /// Trains `network` by `train`, or loads the weights and run stored for `recipe`. The network
    /// must be freshly built for the recipe (its architecture and initialization).
    public func trained(_ recipe: TrainingRecipe, network: Network<Float>, train: (Network<Float>) -> TrainingRun) -> (
        run: TrainingRun, reused: Bool
    ) {
        let key = recipe.key
        let p = paths(key)
        if let data = FileManager.default.contents(atPath: p.manifest) {
            if let m = try? JSONDecoder().decode(Manifest.self, from: data), m.recipe == recipe,
                m.parameters == network.parameterCount,
                let w = try? NPYArray.read(p.weights), w.values.count == network.parameterCount
            {
                let weights = w.values.map { Float($0) }
                var h = ContentHash()
                h.combine(weights)
                if h.hex == m.checksum {
                    network.parameterArray = weights
                    count { reusedCount += 1 }
                    return (m.run, true)
                }
            }
            count { replaced.append(key) }
        }
        let run = train(network)
        let weights = network.parameterArray
        var h = ContentHash()
        h.combine(weights)
        // The weights first, the manifest last: a manifest always names complete weights.
        if let manifest = try? ResultFolder.encodeJSON(
            Manifest(recipe: recipe, parameters: network.parameterCount, checksum: h.hex, run: run))
        {
            try? AtomicFile.write(NPYArray.encode(weights, shape: [weights.count]), to: p.weights)
            try? AtomicFile.write(manifest, to: p.manifest)
        }
        count { trainedCount += 1 }
        return (run, false)
    }

    private func count(_ body: () -> Void) {
        lock.lock()
        body()
        lock.unlock()
    }

    /// Networks read from the store, trained, and replaced (stored files that did not match) so far.
    public var counts: (reused: Int, trained: Int, replaced: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (reusedCount, trainedCount, replaced.count)
    }
}

extension RunContext {
    /// `train(net)`, or the weights and run that the shared store (`--networks`) holds for the same
    /// recipe. The recipe names the starting θ by its hash, so a start from an initialization and
    /// one from a weights file never share a network; `net` must hold that start.
    func trainedThroughStore(
        _ net: Network<Float>, split: DataSplit, initialization: Initialization, training: TrainingConfig,
        train: (Network<Float>) -> TrainingRun
    ) -> (run: TrainingRun, reused: Bool) {
        guard let store = networks else { return (train(net), false) }
        var start = ContentHash()
        start.combine(net.parameterArray)
        let architecture = TrainingRecipe.architecture(
            of: net, initialization: initialization, seed: training.seed, batch: training.batchSize)
        return store.trained(
            TrainingRecipe(
                data: split.fingerprint, architecture: architecture + " start=\(start.hex)", training: training),
            network: net, train: train)
    }
}
