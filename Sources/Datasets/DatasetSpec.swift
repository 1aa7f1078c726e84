import Foundation
import LinearAlgebra

/// A dataset spec: `name[:key=value,key=value,…]` or a file path with the same options.
/// A token without `=` continues a list value (`classes=trouser,bag`) or is a flag (`standardize`).
///
/// Options every classification set takes: `classes=A,B` (a pair as a binary task, by name or index),
/// `train=N` / `test=N` (stratified subsamples), `label-noise=F` (alias `noise` except for
/// `regression` and `isotropic`, where `noise` is σ), `random-labels`, `standardize`, `val=F`, `seed=S`.
public struct DatasetSpec: Sendable, CustomStringConvertible {
    public var name: String
    public var options: [(key: String, value: String)]
    public var text: String
    public var description: String { text }

    public static let names = [
        "fashion-mnist", "mnist1d", "separable", "gaussian-mixture", "regression", "teacher", "isotropic",
    ]
    static let listOptions: Set<String> = ["classes"]

    public init(parsing text: String) throws {
        self.text = text
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else {
            throw GenLabError.usage(
                "empty dataset spec; try one of \(Self.names.joined(separator: ", ")) or a file path")
        }
        var head = trimmed
        var rest = ""
        if let colon = trimmed.firstIndex(of: ":") {
            head = String(trimmed[..<colon])
            rest = String(trimmed[trimmed.index(after: colon)...])
        }
        name = head
        options = []
        for token in rest.split(separator: ",", omittingEmptySubsequences: true) {
            let t = token.trimmingCharacters(in: .whitespaces)
            if let eq = t.firstIndex(of: "=") {
                options.append((String(t[..<eq]), String(t[t.index(after: eq)...])))
            } else if let last = options.last, Self.listOptions.contains(last.key) {
                options[options.count - 1].value += "," + t
            } else {
                options.append((t, "true"))
            }
        }
        guard Self.names.contains(name) || Self.isFile(name) else {
            throw GenLabError.usage(
                "unknown dataset \"\(name)\" in spec \"\(text)\": expected one of "
                    + "\(Self.names.joined(separator: ", ")) or an existing .csv/.libsvm/.svm/.npy/.idx file"
            )
        }
    }

    static func isFile(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }

    /// Typed access to options, with one error message shape for every bad value.
    struct Options {
        let spec: String
        var values: [String: String]
        var used = Set<String>()
        init(_ s: DatasetSpec) throws {
            spec = s.text
            values = [:]
            for (k, v) in s.options {
                if values[k] != nil { throw GenLabError.usage("dataset spec \"\(s.text)\": option \(k) given twice") }
                values[k] = v
            }
        }
        mutating func string(_ k: String) -> String? {
            used.insert(k)
            return values[k]
        }
        mutating func int(_ k: String, _ d: Int, min lo: Int = 0) throws -> Int {
            used.insert(k)
            guard let s = values[k] else { return d }
            guard let v = Int(s), v >= lo else {
                throw GenLabError.usage("dataset spec \"\(spec)\": \(k) must be an integer ≥ \(lo), got \"\(s)\"")
            }
            return v
        }
        mutating func double(_ k: String, _ d: Double) throws -> Double {
            used.insert(k)
            guard let s = values[k] else { return d }
            guard let v = Double(s), v.isFinite else {
                throw GenLabError.usage("dataset spec \"\(spec)\": \(k) must be a number, got \"\(s)\"")
            }
            return v
        }
        mutating func flag(_ k: String) throws -> Bool {
            used.insert(k)
            guard let s = values[k] else { return false }
            switch s {
            case "true", "1", "yes": return true
            case "false", "0", "no": return false
            default: throw GenLabError.usage("dataset spec \"\(spec)\": \(k) is a flag (true or false), got \"\(s)\"")
            }
        }
        func checkAllUsed(_ name: String) throws {
            let unknown = values.keys.filter { !used.contains($0) }.sorted()
            if !unknown.isEmpty {
                throw GenLabError.usage(
                    "dataset spec \"\(spec)\": unknown option\(unknown.count > 1 ? "s" : "") "
                        + "\(unknown.joined(separator: ", ")) for \(name); allowed: "
                        + "\(used.sorted().joined(separator: ", "))"
                )
            }
        }
    }

    /// Builds the data the spec describes. `dataDirectory` overrides where Fashion-MNIST is read from.
    public func load(dataDirectory: String? = nil) throws -> DataSplit {
        var o = try Options(self)
        let seed = UInt64(try o.int("seed", 0))
        var split: DataSplit
        var isRegression = false
        switch name {
        case "fashion-mnist":
            split = try FashionMNIST.load(directory: FashionMNIST.directory(override: dataDirectory))
        case "mnist1d":
            var g = MNIST1D()
            g.seed = UInt64(try o.int("seed", 42))
            g.trainCount = try o.int("train", 4000, min: 1)
            g.testCount = try o.int("test", 1000, min: 1)
            g.correlatedNoiseScale = try o.double("corr-noise", g.correlatedNoiseScale)
            g.iidNoiseScale = try o.double("iid-noise", g.iidNoiseScale)
            g.shearScale = try o.double("shear", g.shearScale)
            g.scaleCoefficient = try o.double("scale", g.scaleCoefficient)
            g.shufflePositions = try o.flag("shuffle-positions")
            split = g.generate()
        case "separable":
            var g = Separable(
                dimension: try o.int("d", 20, min: 2), trainCount: try o.int("n", 1000, min: 1),
                testCount: try o.int("test", 1000), margin: try o.double("margin", 0.1),
                radius: try o.double("radius", 1), seed: seed)
            g.onMarginFraction = try o.double("on-margin", g.onMarginFraction)
            try g.validate()
            split = g.generate()
        case "gaussian-mixture":
            var g = GaussianMixture()
            g.dimension = try o.int("d", 2, min: 1)
            g.classes = try o.int("k", 2, min: 2)
            g.trainCount = try o.int("n", 1000, min: 1)
            g.testCount = try o.int("test", 1000)
            g.separation = try o.double("sep", 2)
            g.std = try o.double("std", 1)
            g.seed = seed
            split = g.generate()
        case "regression":
            var g = Regression()
            let f = o.string("f") ?? "sin"
            guard let fn = Regression.Function(rawValue: f) else {
                throw GenLabError.usage(
                    "dataset spec \"\(text)\": f must be one of "
                        + "\(Regression.Function.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(f)\""
                )
            }
            g.function = fn
            g.dimension = try o.int("d", 1, min: 1)
            g.trainCount = try o.int("n", 100, min: 1)
            g.testCount = try o.int("test", 1000)
            g.noise = try o.double("noise", 0.1)
            g.seed = seed
            guard g.noise >= 0 else {
                throw GenLabError.usage("dataset spec \"\(text)\": noise σ must be ≥ 0, got \(g.noise)")
            }
            split = g.generate()
            isRegression = true
        case "teacher":
            var g = Teacher()
            g.dimension = try o.int("d", 20, min: 1)
            g.width = try o.int("width", 32, min: 1)
            g.classes = try o.int("k", 2, min: 2)
            g.trainCount = try o.int("n", 1000, min: 1)
            g.testCount = try o.int("test", 1000)
            g.seed = seed
            split = g.generate()
        case "isotropic":
            var g = Isotropic()
            g.features = try o.int("p", 100, min: 1)
            g.trainCount = try o.int("n", 200, min: 1)
            g.testCount = try o.int("test", 1000)
            g.noise = try o.double("noise", 0.5)
            g.signal = try o.double("r", 1)
            g.seed = seed
            split = g.generate()
            isRegression = true
        default:
            split = try loadFile(&o, seed: seed)
            isRegression = split.train.isRegression
        }
        if split.splitDescription.isEmpty {
            split.splitDescription =
                name == "fashion-mnist"
                ? "Fashion-MNIST's own train and test files"
                : "the generator's own independent test draw"
        }
        if name == "fashion-mnist" || Self.isFile(name) {
            if o.values["train"] != nil {
                split.train = try split.train.stratifiedSubsample(try o.int("train", 0, min: 1), seed: seed)
            }
            if o.values["test"] != nil {
                try split.requireTestSet(for: "test=N")
                split.test = try split.test.stratifiedSubsample(try o.int("test", 0, min: 1), seed: seed &+ 1)
            }
            if o.values["train"] != nil || o.values["test"] != nil {
                split.splitDescription += " (stratified subsamples)"
            }
        }
        split = try applyTransforms(split, &o, seed: seed, isRegression: isRegression)
        try o.checkAllUsed(name)
        split.spec = text
        return split
    }

    private func applyTransforms(_ s: DataSplit, _ o: inout Options, seed: UInt64, isRegression: Bool) throws
        -> DataSplit
    {
        var split = s
        if !isRegression {
            if let c = o.string("classes") {
                let parts = c.split(separator: ",").map(String.init)
                guard parts.count == 2 else {
                    throw GenLabError.usage(
                        "dataset spec \"\(text)\": classes takes two classes (classes=A,B), got \"\(c)\"")
                }
                let names = split.train.classNames
                let idx = try parts.map { p -> Int in
                    if let i = names.firstIndex(of: p) { return i }
                    if let i = Int(p), i >= 0, i < names.count { return i }
                    throw GenLabError.usage(
                        "dataset spec \"\(text)\": no class \"\(p)\"; classes are \(names.joined(separator: ", "))")
                }
                guard idx[0] != idx[1] else {
                    throw GenLabError.usage("dataset spec \"\(text)\": classes must be two different classes")
                }
                split.train = split.train.classPair(idx[0], idx[1])
                split.test = split.test.classPair(idx[0], idx[1])
            }
            let noise = try max(o.double("label-noise", 0), o.double("noise", 0))
            if noise != 0 {
                split.train = try split.train.withLabelNoise(noise, seed: seed)
                split.facts["labelNoise"] = noise
            }
            if try o.flag("random-labels") {
                split.train = try split.train.withRandomLabels(seed: seed)
                split.facts["labelNoise"] = 1
            }
        }
        if try o.flag("standardize") { split = split.standardized() }
        let val = try o.double("val", 0)
        if val != 0 {
            split = try split.withValidationSplit(val, seed: seed)
            split.splitDescription += String(
                format: "; %g%% of the training rows held out for validation (val=%g)", val * 100, val)
        }
        return split
    }
}
