import Foundation
import LinearAlgebra

/// Data sets read from files: one reader per kind, the same for the training and the test file.
///
/// Options of a file spec: `label=COLUMN` (CSV), `labels=PATH` (the label file of an NPY or IDX
/// feature file), `regression` (real targets), `test-file=PATH` with `test-labels=PATH` (NPY, IDX),
/// and `holdout=F` (default 0.2: that fraction of the rows, drawn with `seed`, is the test set;
/// 0: every row trains and there is no test set).
///
/// Classes are numbered by the training file. A test file's labels are matched to them by name
/// (numerically for numeric labels: "1" and "+1.0" are one class); a test label the training file
/// does not have is an error, never a silent renumbering.
extension DatasetSpec {
    /// The default fraction of a single file held out as the test set.
    public static let defaultHoldout = 0.2

    func loadFile(_ o: inout Options, seed: UInt64) throws -> DataSplit {
        let regression = try o.flag("regression")
        let label = o.string("label")
        let data = try Self.readDataFile(
            name, labels: o.string("labels"), labelColumn: label, regression: regression, spec: text)
        if let testPath = o.string("test-file") {
            guard o.values["holdout"] == nil else {
                throw GenLabError.usage(
                    "dataset spec \"\(text)\": holdout does not apply with test-file (the test set is the file)")
            }
            guard Self.isFile(testPath) else {
                throw GenLabError.data(
                    source: testPath, expected: "a test file (test-file= in \"\(text)\")", found: "no such file")
            }
            let raw = try Self.readDataFile(
                testPath, labels: o.string("test-labels"), labelColumn: label, regression: regression,
                spec: text, featureCount: data.featureCount, labelOption: "test-labels")
            let test = try raw.matchingClasses(of: data, source: testPath)
            return DataSplit(
                train: data, test: test, spec: text,
                splitDescription: "test set from \(testPath), training set from \(name)")
        }
        if o.values["test-labels"] != nil {
            throw GenLabError.usage("dataset spec \"\(text)\": test-labels needs test-file")
        }
        let holdout = try o.double("holdout", Self.defaultHoldout)
        guard holdout >= 0 && holdout < 1 else {
            throw GenLabError.usage(
                "dataset spec \"\(text)\": holdout must be in [0, 1) (0: no test set), got \(holdout)")
        }
        if holdout == 0 {
            return DataSplit(
                train: data, test: data.subset([]), spec: text,
                splitDescription: "every row of \(name) trains; no test set (holdout=0)")
        }
        var rng = Generator(seed: seed, stream: 14)
        let order = rng.permutation(data.count)
        let k = max(1, Int((holdout * Double(data.count)).rounded()))
        guard k < data.count else {
            throw GenLabError.data(
                source: name, expected: "at least 2 samples to split into train and test", found: "\(data.count)",
                fix: "pass holdout=0 to train on every row, or test-file=PATH")
        }
        return DataSplit(
            train: data.subset(Array(order[k...]).sorted()), test: data.subset(Array(order[..<k]).sorted()), spec: text,
            splitDescription: String(
                format: "%g%% of %@ held out at random as the test set (holdout=%g, seed %llu)",
                holdout * 100, name, holdout, seed))
    }

    /// Reads one file of any kind GenLab knows. `featureCount`: the width the file must have
    /// (a test file must match its training file). `labelOption` names the option that gives the label file.
    static func readDataFile(
        _ path: String, labels: String?, labelColumn: String?, regression: Bool, spec: String,
        featureCount: Int? = nil, labelOption: String = "labels"
    ) throws -> Dataset {
        let lower = path.lowercased()
        let kind = FileKind(path: lower)
        if kind != .npy && kind != .idx, labels != nil {
            throw GenLabError.usage(
                "dataset spec \"\(spec)\": \(labelOption)= applies to "
                    + ".npy and IDX files only; \(path) carries its labels"
            )
        }
        let data: Dataset
        switch kind {
        case .csv:
            data = try CSVReader.read(path, labelColumn: labelColumn, regression: regression)
        case .libsvm:
            data = try LIBSVMReader.read(path, featureCount: featureCount)
        case .npy:
            guard let labels else {
                throw GenLabError.usage(
                    "dataset spec \"\(spec)\": the .npy feature file \(path) needs \(labelOption)=PATH.npy")
            }
            data = try npyDataset(features: path, labels: labels, regression: regression)
        case .idx:
            guard let labels else {
                throw GenLabError.usage(
                    "dataset spec \"\(spec)\": the IDX image file \(path) "
                        + "needs \(labelOption)=PATH (the IDX label file)"
                )
            }
            data = try idxDataset(images: path, labels: labels)
        case nil:
            throw GenLabError.usage("\(path): unknown file type; expected .csv, .libsvm/.svm/.txt, .npy or an IDX file")
        }
        if let d = featureCount, data.featureCount != d {
            throw GenLabError.data(
                source: path, expected: "\(d) features, as the training file has", found: "\(data.featureCount)")
        }
        if regression != data.isRegression {
            // LIBSVM and IDX carry class labels only.
            throw GenLabError.usage(
                "dataset spec \"\(spec)\": \(path) holds class labels; regression applies to CSV and NPY files")
        }
        return data
    }

    enum FileKind {
        case csv, libsvm, npy, idx
        init?(path lower: String) {
            if lower.hasSuffix(".csv") || lower.hasSuffix(".csv.gz") {
                self = .csv
            } else if lower.hasSuffix(".libsvm") || lower.hasSuffix(".svm") || lower.hasSuffix(".txt") {
                self = .libsvm
            } else if lower.hasSuffix(".npy") {
                self = .npy
            } else if lower.contains("idx") {
                self = .idx
            } else {
                return nil
            }
        }
    }

    static func idxDataset(images: String, labels: String) throws -> Dataset {
        let x = try IDXArray.read(images)
        let y = try IDXArray.read(labels)
        let n = x.dimensions[0]
        let d = x.dimensions.dropFirst().reduce(1, *)
        guard y.dimensions == [n] else {
            throw GenLabError.data(
                source: labels, expected: "\(n) labels", found: y.dimensions.map(String.init).joined(separator: "×"))
        }
        let k = Int(y.bytes.max() ?? 0) + 1
        // The same scaling as the fashion-mnist loader: the same images give the same floats either way.
        let pixels = ByteFeatures(bytes: x.bytes, scale: ByteFeatures.pixelScale)
        var data = Dataset(
            features: pixels.matrix(rows: n, cols: d), labels: y.bytes.map(Int.init),
            classNames: (0..<k).map(String.init), provenance: images)
        data.byteFeatures = pixels
        return data
    }

    static func npyDataset(features: String, labels: String, regression: Bool) throws -> Dataset {
        let x = try NPYArray.read(features)
        let y = try NPYArray.read(labels)
        guard x.shape.count == 2 else {
            throw GenLabError.data(
                source: features, expected: "a 2-D array (samples × features)", found: "shape \(x.shape)")
        }
        guard y.shape == [x.shape[0]] else {
            throw GenLabError.data(source: labels, expected: "shape (\(x.shape[0]),)", found: "shape \(y.shape)")
        }
        if let bad = x.values.first(where: { !$0.isFinite }) {
            throw GenLabError.data(source: features, expected: "finite feature values", found: "\(bad)")
        }
        let m = Matrix(rows: x.shape[0], cols: x.shape[1], storage: x.values.map { Float($0) })
        if regression { return Dataset(features: m, targets: y.values, provenance: features) }
        guard y.values.allSatisfy({ $0 >= 0 && $0 == $0.rounded() }) else {
            throw GenLabError.data(
                source: labels, expected: "non-negative integer class labels", found: "other values",
                fix: "pass regression for real targets")
        }
        let k = Int(y.values.max() ?? 0) + 1
        return Dataset(
            features: m, labels: y.values.map { Int($0) }, classNames: (0..<k).map(String.init), provenance: features)
    }
}

extension Dataset {
    /// This sample with its labels renumbered to `reference`'s classes, matched by name (numeric
    /// names by value). Throws, naming the label and `source`, for a label `reference` lacks.
    public func matchingClasses(of reference: Dataset, source: String) throws -> Dataset {
        guard !isRegression else { return self }
        func same(_ a: String, _ b: String) -> Bool {
            if a == b { return true }
            if let x = Double(a), let y = Double(b) { return x == y }
            return false
        }
        var map = [Int: Int]()
        for c in Set(labels) {
            let name = classNames[c]
            guard let j = reference.classNames.firstIndex(where: { same($0, name) }) else {
                throw GenLabError.data(
                    source: source,
                    expected: "labels among the training classes (\(reference.classNames.joined(separator: ", ")))",
                    found: "label \"\(name)\", which the training set (\(reference.provenance)) does not have")
            }
            map[c] = j
        }
        var out = self
        out.labels = labels.map { map[$0]! }
        out.classNames = reference.classNames
        return out
    }
}
