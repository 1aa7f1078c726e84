import Datasets
import Foundation
import LinearAlgebra

/// The JSON and CSV text of an experiment's folder, and reading a folder back.
/// (Reports.ResultWriter writes the folder, with the SVGs drawn from these tables.)
public enum ResultFolder {
    public static func encodeJSON<T: Encodable>(_ value: T) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try e.encode(value), as: UTF8.self) + "\n"
    }

    /// CSV text of a table: a header, then one line per row; strings quoted when needed.
    public static func csv(_ t: Table) -> String {
        func cell(_ v: JSONValue) -> String {
            switch v {
            case .null: return ""
            case .number(let d): return d.isFinite ? formatNumber(d) : (d.isNaN ? "nan" : (d > 0 ? "inf" : "-inf"))
            case .string(let s):
                return s.contains(",") || s.contains("\"")
                    ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
            default: return v.description
            }
        }
        var out = t.columns.joined(separator: ",") + "\n"
        for r in t.rows { out += r.map(cell).joined(separator: ",") + "\n" }
        return out
    }

    /// Reads result.json and the CSVs it names back.
    public static func read(_ dir: String) throws -> ExperimentResult {
        let path = dir + "/result.json"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GenLabError.data(source: path, expected: "a result.json", found: "no such file")
        }
        var r: ExperimentResult
        do { r = try JSONDecoder().decode(ExperimentResult.self, from: data) } catch {
            throw GenLabError.data(
                source: path, expected: "a GenLab result (JSON)", found: "unreadable content (\(shortReason(error)))")
        }
        r.tables = try r.tableNames.map { try readCSV(dir + "/" + $0 + ".csv", name: $0) }
        return r
    }

    public static func shortReason(_ e: Error) -> String {
        if let d = e as? DecodingError {
            switch d {
            case .dataCorrupted(let c): return c.debugDescription
            case .keyNotFound(let k, _): return "missing key \(k.stringValue)"
            case .typeMismatch(_, let c), .valueNotFound(_, let c):
                return "bad value at \(c.codingPath.map(\.stringValue).joined(separator: "."))"
            @unknown default: return "\(d)"
            }
        }
        return "\(e)"
    }

    /// A tidy CSV written by `csv(_:)`: numbers become numbers, everything else strings.
    public static func readCSV(_ path: String, name: String) throws -> Table {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
            throw GenLabError.data(source: path, expected: "the table's CSV file", found: "no readable file")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while lines.last == "" { lines.removeLast() }
        guard let header = lines.first else {
            throw GenLabError.data(source: path, expected: "a header row", found: "an empty file")
        }
        let columns = splitCSVLine(header)
        var t = Table(name: name, columns: columns)
        for (i, line) in lines.dropFirst().enumerated() {
            let f = splitCSVLine(line)
            guard f.count == columns.count else {
                throw GenLabError.data(
                    source: "\(path):\(i + 2)", expected: "\(columns.count) fields", found: "\(f.count)")
            }
            t.rows.append(
                f.map { s in
                    if s.isEmpty { return .null }
                    if s == "nan" { return .number(.nan) }
                    if let d = Double(s) { return .number(d) }
                    return .string(s)
                })
        }
        return t
    }

    static func splitCSVLine(_ line: String) -> [String] {
        var out = [String]()
        var cur = ""
        var quoted = false
        var it = Array(line)
        var i = 0
        while i < it.count {
            let c = it[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < it.count && it[i + 1] == "\"" {
                        cur.append("\"")
                        i += 1
                    } else {
                        quoted = false
                    }
                } else {
                    cur.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                out.append(cur)
                cur = ""
            } else {
                cur.append(c)
            }
            i += 1
        }
        out.append(cur)
        it.removeAll()
        return out
    }
}
