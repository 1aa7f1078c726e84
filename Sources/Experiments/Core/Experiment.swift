import Datasets
import Foundation
import Learners
import LinearAlgebra

/// One shape for every experiment: a Codable value (its configuration) that validates itself
/// before any data is loaded and runs in a context into an `ExperimentResult`.
///
/// `execute` is how every caller runs one (the CLI, the tour, `genlab rerun`, the tests): it
/// validates, runs, and writes the experiment value itself as the result's `configuration`, so
/// that result.json alone reruns it (`Registry.decode`).
/// A value whose fields are its settings: an experiment, or a benchmark. Its options, their help
/// (the fields' doc comments) and `--parameters` are read off the value (`parameters`,
/// `setting(_:)`).
public protocol Configurable: Codable, Sendable {
    /// The name in result.json and in the registry, e.g. "double-descent-width".
    var name: String { get }
}

public protocol Experiment: Configurable {
    /// Usage errors (exit 2) for settings that cannot run; called before any data is loaded.
    func validate() throws
    /// The measurement. Data come from `context.load`, finished points go to `context.checkpoint`.
    func run(_ context: RunContext) throws -> ExperimentResult
}

/// What a run needs besides its configuration.
public struct RunContext: Sendable {
    /// The command line that reproduces the run (shown in the report).
    public var command: String
    /// Where Fashion-MNIST is read from (nil: $GENLAB_DATA, then the Debian package's folder).
    public var dataDirectory: String?
    /// Folder for a sweep's finished points (nil: no checkpoints).
    public var checkpoint: String?
    public var progress: RunProgress
    /// Trained networks shared between experiments (nil: every network is trained here).
    public var networks: NetworkStore?
    /// Compute a sweep's cheapest points first, where the experiment knows their cost: a live view
    /// (`genlab serve`) then shows points within seconds. Only the order changes, never a number:
    /// points are content-addressed. Off by default, where the longest points go first so that
    /// every core stays busy to the end.
    public var cheapestFirst = false
    /// Where a measured experiment writes the analysis of its units (seeds, conditions) finished
    /// so far, as they finish (`LiveResult`; nil: nowhere). `genlab serve` reads it to redraw the
    /// figure and verdicts while the run goes. Never changes a number of the run.
    public var liveResult: String?
    /// How this run's sweeps treat their points: computed (a plain run), or planned, computed
    /// one shard or collected (`genlab sweep`, which sets it).
    public var sweep = SweepControl()
    /// Where the run's trainings write TensorBoard scalars (`--tensorboard`; nil: nowhere).
    public var events: TrainingEvents?
    /// The data sets this run loaded, for its notes ("data: 800 train / 200 test; …").
    let loaded = LoadLog()

    public init(
        command: String, dataDirectory: String? = nil, checkpoint: String? = nil, progress: RunProgress = .silent,
        networks: NetworkStore? = nil
    ) {
        self.command = command
        self.dataDirectory = dataDirectory
        self.checkpoint = checkpoint
        self.progress = progress
        self.networks = networks
    }

    /// Loads a dataset spec (`requireTest`: the experiment reports test error, so a spec without a test set is a usage
    /// error).
    public func load(_ spec: String, requireTest: Bool = true, for purpose: String = "this experiment") throws
        -> DataSplit
    {
        let split = try DatasetSpec(parsing: spec).load(dataDirectory: dataDirectory)
        if requireTest { try split.requireTestSet(for: purpose) }
        loaded.append(split.splitSummary, DataUse(spec: spec, fingerprint: split.fingerprint))
        return split
    }
}

extension Experiment {
    /// Validates, runs, and records the experiment value as the result's configuration.
    public func execute(_ context: RunContext) throws -> ExperimentResult {
        try validate()
        // A measured experiment places the run's notes itself, and stores them with its outcomes.
        if let measured = self as? any MeasuredExperiment { return try measured.measureThenAnalyze(context) }
        let before = context.networks?.counts
        var result = try run(context)
        result.notes += networkNotes(context, before: before)
        result.configuration = try configuration()
        result.experiment = name
        result.notes.insert(contentsOf: context.loaded.lines, at: 0)
        return result
    }

    /// "Networks: 3 read from the shared store …, 2 trained." when the run used the store.
    func networkNotes(_ context: RunContext, before: (reused: Int, trained: Int, replaced: Int)?) -> [String] {
        guard let b = before, let a = context.networks?.counts, a.reused + a.trained > b.reused + b.trained else {
            return []
        }
        return [
            "Networks: \(a.reused - b.reused) read from the shared store (the same recipe trained before), "
                + "\(a.trained - b.trained) trained"
                + (a.replaced > b.replaced
                    ? ", \(a.replaced - b.replaced) stored ones replaced (they did not match)" : "") + "."
        ]
    }

}

extension JSONValue {
    /// Any Encodable value as a JSON value (through its JSON text).
    public static func encoding<T: Encodable>(_ value: T) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
    }

    /// This value decoded as `T`.
    public func decoded<T: Decodable>(as _: T.Type = T.self) throws -> T {
        try JSONDecoder().decode(T.self, from: JSONEncoder().encode(self))
    }
}

/// A data set a run read: its spec and the fingerprint of what the spec gave on that machine.
public struct DataUse: Codable, Hashable, Sendable {
    public var spec: String
    public var fingerprint: String
}

/// The split summaries and fingerprints of the data a run loaded (a reference type: contexts are
/// copied freely).
final class LoadLog: @unchecked Sendable {
    private var entries = [String]()
    private var used = [DataUse]()
    private let lock = NSLock()
    func append(_ line: String, _ use: DataUse) {
        lock.lock()
        defer { lock.unlock() }
        if !entries.contains(line) { entries.append(line) }
        if !used.contains(use) { used.append(use) }
    }
    var lines: [String] {
        lock.lock()
        defer { lock.unlock() }
        return entries
    }
    var data: [DataUse] {
        lock.lock()
        defer { lock.unlock() }
        return used
    }
}

extension RunContext {
    /// A trainer for this run: its networks' TensorBoard scalars go where the run's go.
    public func trainer(_ config: TrainingConfig) -> Trainer<Float> { Trainer(config, events: events) }
}

extension Configurable {
    /// The experiment value as a JSON object, checked to decode back to the same value: a
    /// setting JSON cannot carry exactly (an integer beyond 2⁵³, a NaN) is an error, not a rerun
    /// with other numbers.
    public func configuration() throws -> [String: JSONValue] {
        let e = JSONEncoder()
        e.outputFormatting = .sortedKeys
        let value = try JSONValue.encoding(self)
        guard case .object(let object) = value else {
            throw GenLabError.run("\(name): the configuration is not a JSON object")
        }
        let back: Self = try value.decoded()
        guard try e.encode(back) == e.encode(self) else {
            throw GenLabError.run(
                "\(name): the configuration does not survive JSON exactly (a seed or count beyond 2^53?); result.json "
                    + "could not rerun it"
            )
        }
        return object
    }
}
