import Datasets
import Foundation
import LinearAlgebra

/// Loss and error of a network on a labelled sample.
public struct Evaluation: Sendable {
    public var loss: Double
    public var error: Double
}

extension Network {
    /// Mean loss and classification error (argmax, or sign for one logistic output) in evaluation mode.
    /// (Specialized: callers in other modules would otherwise run it generically, element by element.)
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func evaluate(_ d: Dataset, chunk: Int = 1000) -> Evaluation {
        // An empty sample (a spec with holdout=0 has no test set) has no loss or error: NaN, written as null.
        guard d.count > 0 else { return Evaluation(loss: .nan, error: .nan) }
        let x: Matrix<T> = T.self == Float.self ? d.features as! Matrix<T> : d.features.converted()
        let labels = d.labels.map { Int32($0) }
        let targets: [T]? = d.isRegression ? d.targets.map { T($0) } : nil
        var loss = 0.0
        var wrong = 0
        forEachChunk(
            x, labels: d.isRegression ? [] : labels, targets: targets, chunk: min(chunk, max(arena.capacity, 1))
        ) { _, batch in
            loss += evaluate(batch) * Double(batch.count)
            if !d.isRegression { wrong += wrongPredictions(batch.labels!, count: batch.count) }
        }
        return Evaluation(
            loss: loss / Double(max(1, d.count)), error: d.isRegression ? .nan : Double(wrong) / Double(max(1, d.count))
        )
    }

    /// How many of the last pass's b predictions (argmax of the logits, or the sign of one
    /// logistic output) differ from `labels`.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func wrongPredictions(_ labels: UnsafePointer<Int32>, count b: Int) -> Int {
        let z = logits
        let k = outputCount
        var wrong = 0
        for i in 0..<b {
            var predicted = 0
            if k == 1 {
                predicted = z[i] > 0 ? 1 : 0
            } else {
                for c in 1..<k where z[i * k + c] > z[i * k + predicted] { predicted = c }
            }
            if predicted != Int(labels[i]) { wrong += 1 }
        }
        return wrong
    }

    /// Reads θ from a weights file: a PyTorch state dict in safetensors (`.safetensors`: module
    /// names from `names`, or the file's nn.Sequential numbering; `load(stateDict:)`), or GenLab's
    /// flat parameter vector in .npy (shape (P,) or any shape with P values).
    public func load(weights path: String, names: [String]? = nil) throws {
        if Self.isSafeTensors(path) { return try load(stateDict: SafeTensors.read(path), source: path, names: names) }
        if names != nil {
            throw GenLabError.parameter(
                name: "weightNames", problem: "applies to .safetensors files (PyTorch state dicts), not to \(path)")
        }
        try load(weights: NPYArray.read(path), source: path)
    }

    /// Whether a weights path names a safetensors file (by its extension).
    public static func isSafeTensors(_ path: String) -> Bool { path.lowercased().hasSuffix(".safetensors") }

    /// The bytes of a weights file for `path`'s format: a state dict for `.safetensors` (with
    /// `model` in its metadata), else the flat vector as .npy.
    public func weightsFile(for path: String, model: String? = nil) -> [UInt8] {
        Self.isSafeTensors(path)
            ? stateDict(model: model).bytes
            : NPYArray.encode(parameterArray, shape: [parameterCount])
    }

    /// Sets the parameters from an array already read from `source` (checked: count and finiteness).
    public func load(weights a: NPYArray, source path: String) throws {
        guard a.values.count == parameterCount else {
            throw GenLabError.data(
                source: path, expected: "\(parameterCount) weights for this model",
                found: "\(a.values.count) values (shape \(a.shape))",
                fix: "load weights saved from the same model and dataset")
        }
        if let bad = a.values.first(where: { !$0.isFinite }) {
            throw GenLabError.data(source: path, expected: "finite weights", found: "\(bad)")
        }
        parameterArray = a.values.map { T($0) }
    }

    /// Writes θ atomically: a state dict that PyTorch's `load_state_dict` reads for `.safetensors`,
    /// else the flat parameter vector as a 1-D .npy file (numpy.load reads it).
    public func save(weights path: String, model: String? = nil) throws {
        try AtomicFile.write(weightsFile(for: path, model: model), to: path)
    }
}


extension Network {
    /// Runs `body` on consecutive chunks of at most `chunk` rows of x [n, inputs] (labels [n] or
    /// targets [n, K] alongside): the chunk's first row and the chunk as a batch.
    public func forEachChunk(
        _ x: Matrix<T>, labels: [Int32], targets: [T]?, chunk: Int, identity source: Int? = nil,
        _ body: (Int, Batch<T>) -> Void
    ) {
        let k = outputCount
        x.storage.withUnsafeBufferPointer { xs in
            labels.withUnsafeBufferPointer { ls in
                (targets ?? []).withUnsafeBufferPointer { ts in
                    var start = 0
                    while start < x.rows {
                        let b = min(max(1, chunk), x.rows - start)
                        body(
                            start,
                            Batch(
                                x: xs.baseAddress! + start * x.cols, labels: ls.isEmpty ? nil : ls.baseAddress! + start,
                                targets: targets == nil ? nil : ts.baseAddress! + start * k, count: b,
                                identity: source.map { BatchIdentity(source: $0, start: start, count: b) }))
                        start += b
                    }
                }
            }
        }
    }
}
