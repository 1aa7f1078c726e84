import Foundation
import LinearAlgebra

/// LIBSVM / SVMlight text: `label index:value index:value …`, indices 1-based and increasing.
/// Read into a dense matrix whose width is the largest index (or `featureCount`).
public enum LIBSVMReader {
    public static func read(_ path: String, featureCount: Int? = nil) throws -> Dataset {
        let text = try FileBytes.readText(path)
        return try parse(text, source: path, featureCount: featureCount)
    }

    /// The largest dense feature matrix a reader builds: half the machine's memory.
    public static var defaultMaxDenseBytes: Int {
        Int(min(ProcessInfo.processInfo.physicalMemory / 2, UInt64(Int.max)))
    }

    public static func parse(
        _ text: String, source: String, featureCount: Int? = nil, maxDenseBytes: Int = defaultMaxDenseBytes
    ) throws -> Dataset {
        // The pairs of every row in two flat arrays (row r is ends[r-1]..<ends[r]): an array per row
        // cost more memory than the file itself.
        var rawLabels = [String]()
        var indices = [Int]()
        var values = [Float]()
        var ends = [Int]()
        // Every pair has one ":"; reserving for them spares the arrays' doubling (up to 2x their size).
        let colons = text.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: ":") ? 1 : 0) }
        indices.reserveCapacity(colons)
        values.reserveCapacity(colons)
        var maxIndex = 0
        // Cut on UTF-8 bytes (newline, "#", blanks, ":"): splitting Characters is several times slower.
        let blank = { (b: UInt8) in b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\r") }
        for (n, line) in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let content = line[..<(line.firstIndex(of: UInt8(ascii: "#")) ?? line.endIndex)]
            let tokens = content.split(whereSeparator: blank).map { Substring($0) }
            guard let label = tokens.first else { continue }
            guard Double(label) != nil else {
                throw GenLabError.data(
                    source: "\(source):\(n + 1)", expected: "a numeric label first", found: "\"\(label)\"")
            }
            var last = 0
            for t in tokens.dropFirst() {
                let parts = t.utf8.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false).map {
                    Substring($0)
                }
                guard parts.count == 2, let i = Int(parts[0]), let v = Double(parts[1]) else {
                    throw GenLabError.data(
                        source: "\(source):\(n + 1)", expected: "index:value pairs", found: "\"\(t)\"")
                }
                guard i >= 1 else {
                    throw GenLabError.data(
                        source: "\(source):\(n + 1)", expected: "a feature index ≥ 1 (LIBSVM indices are 1-based)",
                        found: "\(i)")
                }
                guard i > last else {
                    throw GenLabError.data(
                        source: "\(source):\(n + 1)", expected: "increasing feature indices",
                        found: "\(i) after \(last)")
                }
                guard v.isFinite else {
                    throw GenLabError.data(
                        source: "\(source):\(n + 1)", expected: "a finite value at index \(i)", found: "\(parts[1])")
                }
                if let d = featureCount, i > d {
                    throw GenLabError.data(source: "\(source):\(n + 1)", expected: "indices ≤ \(d)", found: "\(i)")
                }
                last = i
                indices.append(i)
                values.append(Float(v))
            }
            maxIndex = max(maxIndex, last)
            rawLabels.append(String(label))
            ends.append(indices.count)
        }
        guard !ends.isEmpty else {
            throw GenLabError.data(source: source, expected: "at least one sample line", found: "none")
        }
        let d = featureCount ?? maxIndex
        // GenLab holds features densely, so one line with a large index asks for a large matrix:
        // 10¹⁷ (found by fuzzing) overflowed, and 2·10⁹ on one line (found by the long fuzz run)
        // asked for 8 GB. The dense matrix must fit `maxDenseBytes` (default half this machine's memory).
        let (cells, overflow) = ends.count.multipliedReportingOverflow(by: d)
        guard !overflow, cells <= maxDenseBytes / MemoryLayout<Float>.stride else {
            let gib = { (b: Double) in String(format: "%.1f GiB", b / Double(1 << 30)) }
            throw GenLabError.data(
                source: source,
                expected:
                    "a data set whose dense matrix fits in \(gib(Double(maxDenseBytes))) (half this machine's memory)",
                found: "\(ends.count) samples × \(d) features (largest feature index \(maxIndex))"
                    + (overflow ? "" : ", \(gib(Double(cells) * 4)) of Float"),
                fix: "GenLab reads features densely; select or hash the features first")
        }
        var x = Matrix<Float>(rows: ends.count, cols: d)
        var start = 0
        for (r, end) in ends.enumerated() {
            for k in start..<end { x[r, indices[k] - 1] = values[k] }
            start = end
        }
        let (labels, names) = ClassIndex.encode(rawLabels)
        return Dataset(features: x, labels: labels, classNames: names, provenance: source)
    }
}
