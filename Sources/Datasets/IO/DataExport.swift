import Foundation
import LinearAlgebra

/// Writes any data set GenLab loads or generates as files numpy and pandas read, so that other
/// tools run on exactly the same numbers.
///
/// Per part (`train`, `test`, `validation` when present):
/// - npy: `PART_x.npy` float32 [n, d]; `PART_y.npy` int64 class indices (float64 targets for regression);
///   with label noise also `PART_clean_y.npy` and `PART_flipped.npy` (int64 0/1: label ≠ clean label).
/// - csv: `PART.csv` with columns x0…x(d−1), label (the class index or target), and with label
///   noise clean_label and flipped. GenLab reads it back with `PART.csv:label=label` (for a noisy
///   set, drop the two extra columns first).
/// Always `dataset.json`: the spec, sizes, class names (index → name), the split's description,
/// planted facts and the data's fingerprint; and `planted_NAME.npy` for planted vectors (w*, β, teacher weights).
///
/// The folder is written whole or not at all: files go to a temporary folder that is renamed at the end.
public enum DataExport {
    /// The file format of an export: CSV text or NPY arrays.
    public enum Format: String, Sendable, CaseIterable { case csv, npy }

    /// manifest.json of an export: the spec, the format, the files and what each holds.
    public struct Manifest: Codable, Sendable {
        public var spec: String
        public var format: String
        public var classNames: [String]
        public var regression: Bool
        public var featureCount: Int
        public var counts: [String: Int]
        public var split: String
        public var facts: [String: Double]
        public var labelNoise: String?
        public var fingerprint: String
        public var files: [String]
    }

    /// Writes the split into `dir` (created; an existing non-empty folder is an error). Returns the manifest.
    @discardableResult
    public static func write(_ split: DataSplit, format: Format, to dir: String) throws -> Manifest {
        let fm = FileManager.default
        if let existing = try? fm.contentsOfDirectory(atPath: dir), !existing.isEmpty {
            throw GenLabError.data(
                source: dir, expected: "a new or empty folder", found: "\(existing.count) entries",
                fix: "pick another --out")
        }
        let parent = (dir as NSString).deletingLastPathComponent
        if !parent.isEmpty { try? fm.createDirectory(atPath: parent, withIntermediateDirectories: true) }
        let staging = dir + ".partial-" + UUID().uuidString
        try fm.createDirectory(atPath: staging, withIntermediateDirectories: true)
        var files = [String]()
        do {
            var parts: [(String, Dataset)] = [("train", split.train), ("test", split.test)]
            if let v = split.validation { parts.append(("validation", v)) }
            for (name, d) in parts {
                files += try writePart(d, name: name, format: format, into: staging)
            }
            for (name, values) in split.planted.sorted(by: { $0.key < $1.key }) {
                let file = "planted_\(name).npy"
                try Data(NPYArray.encode(values, shape: split.plantedShapes[name] ?? [values.count])).write(
                    to: URL(fileURLWithPath: staging + "/" + file))
                files.append(file)
            }
            let noisy = split.train.cleanLabels != nil
            let manifest = Manifest(
                spec: split.spec, format: format.rawValue, classNames: split.train.classNames,
                regression: split.train.isRegression,
                featureCount: split.train.featureCount,
                counts: Dictionary(uniqueKeysWithValues: parts.map { ($0.0, $0.1.count) }),
                split: split.splitDescription, facts: split.facts.filter { $0.value.isFinite },
                labelNoise: noisy
                    ? "Each replaced training label is a uniform draw over the classes and may equal the clean one; "
                        + "flipped marks labels that differ from clean."
                    : nil,
                fingerprint: split.fingerprint, files: files + ["dataset.json"])
            let e = JSONEncoder()
            e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try (e.encode(manifest) + Data("\n".utf8)).write(to: URL(fileURLWithPath: staging + "/dataset.json"))
            if fm.fileExists(atPath: dir) { try fm.removeItem(atPath: dir) }  // empty, checked above
            try fm.moveItem(atPath: staging, toPath: dir)
            return manifest
        } catch {
            try? fm.removeItem(atPath: staging)
            throw error
        }
    }

    static func writePart(_ d: Dataset, name: String, format: Format, into dir: String) throws -> [String] {
        let flipped = d.cleanLabels.map { c in zip(d.labels, c).map { $0 != $1 ? 1 : 0 } }
        switch format {
        case .npy:
            var out = [(String, [UInt8])]()
            out.append(("\(name)_x.npy", NPYArray.encode(d.features.storage, shape: [d.count, d.featureCount])))
            out.append(
                (
                    "\(name)_y.npy",
                    d.isRegression
                        ? NPYArray.encode(d.targets, shape: [d.count]) : NPYArray.encode(d.labels, shape: [d.count])
                ))
            if let c = d.cleanLabels, let f = flipped {
                out.append(("\(name)_clean_y.npy", NPYArray.encode(c, shape: [d.count])))
                out.append(("\(name)_flipped.npy", NPYArray.encode(f, shape: [d.count])))
            }
            for (file, bytes) in out { try Data(bytes).write(to: URL(fileURLWithPath: dir + "/" + file)) }
            return out.map(\.0)
        case .csv:
            var text =
                (0..<d.featureCount).map { "x\($0)" }.joined(separator: ",") + ",label"
                + (flipped != nil ? ",clean_label,flipped" : "") + "\n"
            text.reserveCapacity(d.count * d.featureCount * 10)
            d.features.storage.withUnsafeBufferPointer { x in
                for i in 0..<d.count {
                    for j in 0..<d.featureCount {
                        // Float's description is the shortest text that reads back to the same float.
                        text += x[i * d.featureCount + j].description
                        text += ","
                    }
                    text += d.isRegression ? d.targets[i].description : String(d.labels[i])
                    if let c = d.cleanLabels, let f = flipped { text += ",\(c[i]),\(f[i])" }
                    text += "\n"
                }
            }
            let file = "\(name).csv"
            try Data(text.utf8).write(to: URL(fileURLWithPath: dir + "/" + file))
            return [file]
        }
    }
}
