import Datasets
import Foundation
import Learners
import LinearAlgebra

/// A training path kept on disk: θ at initialization, every K epochs and at the end, one
/// safetensors state dict per point (`checkpoints/epoch-NNNN.safetensors`, the epoch in the
/// file's metadata), so each checkpoint is also a model PyTorch loads.
public enum Trajectory {
    /// The checkpoint's name inside a train run's folder.
    public static func file(epoch: Int) -> String { String(format: "checkpoints/epoch-%04d.safetensors", epoch) }

    /// Checkpoints kept during training (the trainer's progress callback runs on the training thread).
    final class Recorder: @unchecked Sendable {
        private(set) var epochs = [Int]()
        private(set) var files = [[UInt8]]()
        func keep(_ net: Network<Float>, epoch: Int, model: String) {
            var dict = net.stateDict(model: model)
            dict.metadata["genlab_epoch"] = String(epoch)
            epochs.append(epoch)
            files.append(dict.bytes)
        }
    }

    /// θ kept in memory along a training run (`landscape --mode trajectory` without a folder).
    final class Path: @unchecked Sendable {
        private(set) var epochs = [Int]()
        private(set) var thetas = [[Double]]()
        func keep(_ net: Network<Float>, epoch: Int) {
            epochs.append(epoch)
            thetas.append(net.parameterArray.map { Double($0) })
        }
    }

    /// The checkpoints of a folder in training order (by the epoch in their metadata), read into
    /// `net`'s layout: each is checked against the model as any weights file is.
    public static func read(_ folder: String, into net: Network<Float>, names: [String]? = nil) throws -> (
        epochs: [Int], thetas: [[Double]]
    ) {
        guard let listing = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            throw GenLabError.data(
                source: folder,
                expected: "a folder of checkpoints (genlab train --checkpoints every=K writes OUT/checkpoints)",
                found: "no such folder")
        }
        var points = [(epoch: Int, theta: [Double])]()
        for name in listing.sorted() where Network<Float>.isSafeTensors(name) {
            let path = folder + "/" + name
            let dict = try SafeTensors.read(path)
            try net.load(stateDict: dict, source: path, names: names)
            guard let text = dict.metadata["genlab_epoch"], let epoch = Int(text) else {
                throw GenLabError.data(
                    source: path, expected: "a genlab_epoch entry in the metadata (the checkpoint's place in training)",
                    found: "none",
                    fix: "add metadata={\"genlab_epoch\": str(epoch)} when saving checkpoints with safetensors")
            }
            points.append((epoch, net.parameterArray.map { Double($0) }))
        }
        points.sort { $0.epoch < $1.epoch }
        if let k = zip(points, points.dropFirst()).first(where: { $0.0.epoch == $0.1.epoch }) {
            throw GenLabError.data(
                source: folder, expected: "one checkpoint per epoch", found: "two at epoch \(k.0.epoch)")
        }
        return (points.map(\.epoch), points.map(\.theta))
    }
}
