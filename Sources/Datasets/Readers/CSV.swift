import Foundation
import LinearAlgebra

/// Comma-separated values with a header row. One column is the label (by name or 0-based
/// index; default: a column named "label", "class", "y" or "target", else the last);
/// every other column must be numeric and finite.
public enum CSVReader {
    public static func read(_ path: String, labelColumn: String? = nil, regression: Bool = false) throws -> Dataset {
        let text = try FileBytes.readText(path)
        return try parse(text, source: path, labelColumn: labelColumn, regression: regression)
    }

    public static func parse(_ text: String, source: String, labelColumn: String? = nil, regression: Bool = false)
        throws -> Dataset
    {
        // Lines and fields are cut on the UTF-8 bytes ("\n", ",", and spaces or tabs around a field):
        // splitting Characters (grapheme clusters) made a 44 MB file take 14 s.
        var lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { Substring($0.last == UInt8(ascii: "\r") ? $0.dropLast() : $0) }
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        guard let headerLine = lines.first else {
            throw GenLabError.data(source: source, expected: "a header row and data rows", found: "an empty file")
        }
        let header = headerLine.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        let labelIndex: Int
        if let l = labelColumn {
            if let i = header.firstIndex(of: l) {
                labelIndex = i
            } else if let i = Int(l), i >= 0, i < header.count {
                labelIndex = i
            } else {
                throw GenLabError.usage(
                    "\(source): no column \"\(l)\"; the header has \(header.joined(separator: ", "))")
            }
        } else {
            labelIndex =
                header.firstIndex { ["label", "class", "y", "target"].contains($0.lowercased()) } ?? header.count - 1
        }
        let rowCount = lines.count - 1
        guard rowCount > 0 else {
            throw GenLabError.data(source: source, expected: "at least one data row", found: "only a header")
        }
        let d = header.count - 1
        var storage = [Float]()
        storage.reserveCapacity(rowCount * d)
        var rawLabels = [String]()
        rawLabels.reserveCapacity(rowCount)
        for (r, line) in lines.dropFirst().enumerated() {
            let fields = line.utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
            guard fields.count == header.count else {
                throw GenLabError.data(
                    source: "\(source):\(r + 2)", expected: "\(header.count) fields as in the header",
                    found: "\(fields.count)", fix: "every row needs the same number of columns")
            }
            for (c, f) in fields.enumerated() {
                let s = Substring(trimmed(f))
                if c == labelIndex {
                    rawLabels.append(String(s))
                    continue
                }
                guard let v = Double(s), v.isFinite else {
                    throw GenLabError.data(
                        source: "\(source):\(r + 2)", expected: "a finite number in column \"\(header[c])\"",
                        found: "\"\(s)\"")
                }
                storage.append(Float(v))
            }
        }
        let features = Matrix(rows: rowCount, cols: d, storage: storage)
        if regression {
            var targets = [Double]()
            for (r, s) in rawLabels.enumerated() {
                guard let v = Double(s), v.isFinite else {
                    throw GenLabError.data(
                        source: "\(source):\(r + 2)", expected: "a finite target in column \"\(header[labelIndex])\"",
                        found: "\"\(s)\"")
                }
                targets.append(v)
            }
            return Dataset(features: features, targets: targets, provenance: source)
        }
        let (labels, names) = ClassIndex.encode(rawLabels)
        return Dataset(features: features, labels: labels, classNames: names, provenance: source)
    }

    /// A field without the spaces and tabs around it.
    static func trimmed(_ field: Substring.UTF8View) -> Substring.UTF8View {
        let blank = { (b: UInt8) in b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") }
        guard let first = field.firstIndex(where: { !blank($0) }), let last = field.lastIndex(where: { !blank($0) })
        else { return field[field.endIndex...] }
        return field[first...last]
    }
}

/// Maps label strings to class indices: numeric labels in numeric order, others alphabetically.
enum ClassIndex {
    static func encode(_ raw: [String]) -> ([Int], [String]) {
        let distinct = Array(Set(raw))
        let names: [String]
        if distinct.allSatisfy({ Double($0) != nil }) {
            names = distinct.sorted { Double($0)! < Double($1)! }
        } else {
            names = distinct.sorted()
        }
        let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        return (raw.map { index[$0]! }, names)
    }
}
