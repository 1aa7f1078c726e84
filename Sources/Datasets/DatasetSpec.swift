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

    public static let names = ["fashion-mnist", "mnist1d", "separable", "gaussian-mixture", "regression", "teacher", "isotropic"]
    static let listOptions: Set<String> = ["classes"]

    public init(parsing text: String) throws {
        self.text = text
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw GenLabError.usage("empty dataset spec; try one of \(Self.names.joined(separator: ", ")) or a file path") }
        var head = trimmed, rest = ""
        if let colon = trimmed.firstIndex(of: ":") {
            head = String(trimmed[..<colon]); rest = String(trimmed[trimmed.index(after: colon)...])
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
            throw GenLabError.usage("unknown dataset \"\(name)\" in spec \"\(text)\": expected one of \(Self.names.joined(separator: ", ")) or an existing .csv/.libsvm/.svm/.npy/.idx file")
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
        mutating func string(_ k: String) -> String? { used.insert(k); return values[k] }
        mutating func int(_ k: String, _ d: Int, min lo: Int = 0) throws -> Int {
            used.insert(k)
            guard let s = values[k] else { return d }
            guard let v = Int(s), v >= lo else { throw GenLabError.usage("dataset spec \"\(spec)\": \(k) must be an integer ≥ \(lo), got \"\(s)\"") }
            return v
        }
        mutating func double(_ k: String, _ d: Double) throws -> Double {
            used.insert(k)
            guard let s = values[k] else { return d }
            guard let v = Double(s), v.isFinite else { throw GenLabError.usage("dataset spec \"\(spec)\": \(k) must be a number, got \"\(s)\"") }
            return v
        }
        mutating func flag(_ k: String) throws -> Bool {
            used.insert(k)
            guard let s = values[k] else { return false }
            switch s { case "true", "1", "yes": return true
            case "false", "0", "no": return false
            default: throw GenLabError.usage("dataset spec \"\(spec)\": \(k) is a flag (true or false), got \"\(s)\"") }
        }
        func checkAllUsed(_ name: String) throws {
            let unknown = values.keys.filter { !used.contains($0) }.sorted()
            if !unknown.isEmpty {
                throw GenLabError.usage("dataset spec \"\(spec)\": unknown option\(unknown.count > 1 ? "s" : "") \(unknown.joined(separator: ", ")) for \(name); allowed: \(used.sorted().joined(separator: ", "))")
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
            var g = Separable(dimension: try o.int("d", 20, min: 2), trainCount: try o.int("n", 1000, min: 1),
                              testCount: try o.int("test", 1000), margin: try o.double("margin", 0.1),
                              radius: try o.double("radius", 1), seed: seed)
            g.onMarginFraction = try o.double("on-margin", g.onMarginFraction)
            try g.validate()
            split = g.generate()
        case "gaussian-mixture":
            var g = GaussianMixture()
            g.dimension = try o.int("d", 2, min: 1); g.classes = try o.int("k", 2, min: 2)
            g.trainCount = try o.int("n", 1000, min: 1); g.testCount = try o.int("test", 1000)
            g.separation = try o.double("sep", 2); g.std = try o.double("std", 1); g.seed = seed
            split = g.generate()
        case "regression":
            var g = Regression()
            let f = o.string("f") ?? "sin"
            guard let fn = Regression.Function(rawValue: f) else {
                throw GenLabError.usage("dataset spec \"\(text)\": f must be one of \(Regression.Function.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(f)\"")
            }
            g.function = fn; g.dimension = try o.int("d", 1, min: 1)
            g.trainCount = try o.int("n", 100, min: 1); g.testCount = try o.int("test", 1000)
            g.noise = try o.double("noise", 0.1); g.seed = seed
            guard g.noise >= 0 else { throw GenLabError.usage("dataset spec \"\(text)\": noise σ must be ≥ 0, got \(g.noise)") }
            split = g.generate(); isRegression = true
        case "teacher":
            var g = Teacher()
            g.dimension = try o.int("d", 20, min: 1); g.width = try o.int("width", 32, min: 1); g.classes = try o.int("k", 2, min: 2)
            g.trainCount = try o.int("n", 1000, min: 1); g.testCount = try o.int("test", 1000); g.seed = seed
            split = g.generate()
        case "isotropic":
            var g = Isotropic()
            g.features = try o.int("p", 100, min: 1); g.trainCount = try o.int("n", 200, min: 1); g.testCount = try o.int("test", 1000)
            g.noise = try o.double("noise", 0.5); g.signal = try o.double("r", 1); g.seed = seed
            split = g.generate(); isRegression = true
        default:
            split = try loadFile(&o, seed: seed)
            isRegression = split.train.isRegression
        }
        if name == "fashion-mnist" || Self.isFile(name) {
            if o.values["train"] != nil { split.train = try split.train.stratifiedSubsample(try o.int("train", 0, min: 1), seed: seed) }
            if o.values["test"] != nil { split.test = try split.test.stratifiedSubsample(try o.int("test", 0, min: 1), seed: seed &+ 1) }
        }
        split = try applyTransforms(split, &o, seed: seed, isRegression: isRegression)
        try o.checkAllUsed(name)
        split.spec = text
        return split
    }

    private func applyTransforms(_ s: DataSplit, _ o: inout Options, seed: UInt64, isRegression: Bool) throws -> DataSplit {
        var split = s
        if !isRegression {
            if let c = o.string("classes") {
                let parts = c.split(separator: ",").map(String.init)
                guard parts.count == 2 else {
                    throw GenLabError.usage("dataset spec \"\(text)\": classes takes two classes (classes=A,B), got \"\(c)\"")
                }
                let names = split.train.classNames
                let idx = try parts.map { p -> Int in
                    if let i = names.firstIndex(of: p) { return i }
                    if let i = Int(p), i >= 0, i < names.count { return i }
                    throw GenLabError.usage("dataset spec \"\(text)\": no class \"\(p)\"; classes are \(names.joined(separator: ", "))")
                }
                guard idx[0] != idx[1] else { throw GenLabError.usage("dataset spec \"\(text)\": classes must be two different classes") }
                split.train = split.train.classPair(idx[0], idx[1])
                split.test = split.test.classPair(idx[0], idx[1])
            }
            let noise = try max(o.double("label-noise", 0), o.double("noise", 0))
            if noise != 0 { split.train = try split.train.withLabelNoise(noise, seed: seed); split.facts["labelNoise"] = noise }
            if try o.flag("random-labels") { split.train = try split.train.withRandomLabels(seed: seed); split.facts["labelNoise"] = 1 }
        }
        if try o.flag("standardize") { split = split.standardized() }
        let val = try o.double("val", 0)
        if val != 0 { split = try split.withValidationSplit(val, seed: seed) }
        return split
    }

    private func loadFile(_ o: inout Options, seed: UInt64) throws -> DataSplit {
        let lower = name.lowercased()
        let regression = try o.flag("regression")
        let data: Dataset
        if lower.hasSuffix(".csv") || lower.hasSuffix(".csv.gz") {
            data = try CSVReader.read(name, labelColumn: o.string("label"), regression: regression)
        } else if lower.hasSuffix(".libsvm") || lower.hasSuffix(".svm") || lower.hasSuffix(".txt") {
            data = try LIBSVMReader.read(name)
        } else if lower.hasSuffix(".npy") {
            guard let labelsPath = o.string("labels") else {
                throw GenLabError.usage("dataset spec \"\(text)\": an .npy feature file needs labels=PATH.npy")
            }
            data = try Self.npyDataset(features: name, labels: labelsPath, regression: regression)
        } else if lower.contains("idx") {
            guard let labelsPath = o.string("labels") else {
                throw GenLabError.usage("dataset spec \"\(text)\": an IDX image file needs labels=PATH (the IDX label file)")
            }
            let x = try IDXArray.read(name), y = try IDXArray.read(labelsPath)
            let n = x.dimensions[0], d = x.dimensions.dropFirst().reduce(1, *)
            guard y.dimensions == [n] else {
                throw GenLabError.data(source: labelsPath, expected: "\(n) labels", found: y.dimensions.map(String.init).joined(separator: "×"))
            }
            let k = Int(y.bytes.max() ?? 0) + 1
            data = Dataset(features: Matrix(rows: n, cols: d, storage: x.bytes.map { Float($0) / 255 }), labels: y.bytes.map(Int.init),
                           classNames: (0..<k).map(String.init), provenance: name)
        } else {
            throw GenLabError.usage("\(name): unknown file type; expected .csv, .libsvm/.svm/.txt, .npy or an IDX file")
        }
        if let testPath = o.string("test-file") {
            var other = try DatasetSpec(parsing: testPath).loadFileOnly(regression: regression, label: o.values["label"])
            other.classNames = data.classNames
            return DataSplit(train: data, test: other, spec: text)
        }
        // No test file: hold out a fraction (default 20%) at random.
        let holdout = try o.double("holdout", 0.2)
        guard holdout > 0 && holdout < 1 else { throw GenLabError.usage("dataset spec \"\(text)\": holdout must be in (0, 1), got \(holdout)") }
        var rng = Generator(seed: seed, stream: 14)
        let order = rng.permutation(data.count)
        let k = max(1, Int((holdout * Double(data.count)).rounded()))
        guard k < data.count else { throw GenLabError.data(source: name, expected: "at least 2 samples to split into train and test", found: "\(data.count)") }
        return DataSplit(train: data.subset(Array(order[k...]).sorted()), test: data.subset(Array(order[..<k]).sorted()), spec: text)
    }

    private func loadFileOnly(regression: Bool, label: String?) throws -> Dataset {
        let lower = name.lowercased()
        if lower.hasSuffix(".csv") { return try CSVReader.read(name, labelColumn: label, regression: regression) }
        return try LIBSVMReader.read(name)
    }

    static func npyDataset(features: String, labels: String, regression: Bool) throws -> Dataset {
        let x = try NPYArray.read(features), y = try NPYArray.read(labels)
        guard x.shape.count == 2 else { throw GenLabError.data(source: features, expected: "a 2-D array (samples × features)", found: "shape \(x.shape)") }
        guard y.shape == [x.shape[0]] else { throw GenLabError.data(source: labels, expected: "shape (\(x.shape[0]),)", found: "shape \(y.shape)") }
        if let bad = x.values.first(where: { !$0.isFinite }) {
            throw GenLabError.data(source: features, expected: "finite feature values", found: "\(bad)")
        }
        let m = Matrix(rows: x.shape[0], cols: x.shape[1], storage: x.values.map { Float($0) })
        if regression { return Dataset(features: m, targets: y.values, provenance: features) }
        guard y.values.allSatisfy({ $0 >= 0 && $0 == $0.rounded() }) else {
            throw GenLabError.data(source: labels, expected: "non-negative integer class labels", found: "other values", fix: "pass regression for real targets")
        }
        let k = Int(y.values.max() ?? 0) + 1
        return Dataset(features: m, labels: y.values.map { Int($0) }, classNames: (0..<k).map(String.init), provenance: features)
    }
}
