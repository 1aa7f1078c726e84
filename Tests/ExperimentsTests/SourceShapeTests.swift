import Foundation
import XCTest

/// The experiment layer keeps its functions short (issue #32): measurement, analysis, tables and
/// verdicts each in a function a reader can hold in view. Generated data tables are exempt.
final class SourceShapeTests: XCTestCase {
    static let limit = 60
    static let exempt: Set<String> = ["ParameterHelp.swift"]

    /// Sources/Experiments, from this file's place in the checkout.
    var experimentsFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("Sources/Experiments")
    }

    func testNoFunctionInTheExperimentLayerIsLongerThanTheLimit() throws {
        let files = FileManager.default.enumerator(at: experimentsFolder, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }.filter {
                $0.pathExtension == "swift" && !Self.exempt.contains($0.lastPathComponent)
            }
        XCTAssertGreaterThan(files.count, 50, "the experiment sources were not found at \(experimentsFolder.path)")
        var long = [String]()
        for file in files {
            let lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
            for f in Self.functions(lines) where f.length > Self.limit {
                long.append(
                    "\(file.lastPathComponent):\(f.line) \(f.length) lines: "
                        + "\(lines[f.line - 1].trimmingCharacters(in: .whitespaces).prefix(70))"
                )
            }
        }
        XCTAssertTrue(long.isEmpty, "functions over \(Self.limit) lines:\n" + long.joined(separator: "\n"))
    }

    /// The planted long function is found; a short one and braces inside strings are not counted.
    func testTheScanFindsAPlantedLongFunction() {
        let body = (0..<70).map { "    let x\($0) = \"{\"" }
        let lines =
            ["func short() {", "  let a = \"}}\"", "}", "public func long(_ a: Int) -> Int {"] + body + [
                "    return 0", "}",
            ]
        let found = Self.functions(lines)
        XCTAssertEqual(found.map(\.line), [1, 4])
        XCTAssertEqual(found.map(\.length), [3, 73])
    }

    /// The longest line a .swift file may have (the formatter's lineLength in .swift-format).
    static let lineLimit = 120
    /// The marker of a table of data (rows of numbers or literals, one a line), whose lines may be
    /// longer: the consecutive lines after it, up to a blank line or a closing bracket's line.
    static let dataTableMarker = "// lines: data table"

    /// The checkout's root, from this file's place in it.
    var checkoutRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    func testNoLineIsLongerThanTheLimit() throws {
        let root = checkoutRoot.standardizedFileURL.path
        var scanned = 0
        var long = [String]()
        for folder in ["Sources", "Tests", "Fuzz"] {
            let files =
                FileManager.default.enumerator(atPath: root + "/" + folder)?.compactMap { $0 as? String }
                .filter { $0.hasSuffix(".swift") }.map { folder + "/" + $0 }.sorted() ?? []
            for path in files {
                scanned += 1
                let lines = try String(contentsOfFile: root + "/" + path, encoding: .utf8)
                    .components(separatedBy: "\n")
                long += Self.longLines(lines).map { "\(path):\($0) (\(lines[$0 - 1].count) characters)" }
            }
        }
        XCTAssertGreaterThan(scanned, 200, "the sources were not found under \(root)")
        XCTAssertTrue(
            long.isEmpty,
            "lines over \(Self.lineLimit) characters (split the string or comment, or mark a table of data "
                + "with \"\(Self.dataTableMarker)\"):\n" + long.joined(separator: "\n"))
    }

    /// A planted long line is found; the rows of a marked table are not, up to its closing bracket.
    func testTheLineScanFindsAPlantedLongLine() {
        let row = "    [" + Array(repeating: "0.125", count: 30).joined(separator: ", ") + "],"
        let lines = [
            "let short = 1", "let long = \"" + String(repeating: "x", count: 120) + "\"",
            "    " + Self.dataTableMarker, "let table = [", row, row, "]", row, "", Self.dataTableMarker, row, "", row,
        ]
        XCTAssertEqual(Self.longLines(lines), [2, 8, 13])
    }

    /// The 1-based numbers of the lines over the limit, outside marked tables of data.
    static func longLines(_ lines: [String]) -> [Int] {
        var found = [Int]()
        var inTable = false
        for (i, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed == dataTableMarker {
                inTable = true
                continue
            }
            if inTable && (trimmed.isEmpty || trimmed.first.map { "]})".contains($0) } == true) { inTable = false }
            if !inTable && line.count > lineLimit { found.append(i + 1) }
        }
        return found
    }

    /// Each function or initializer: its first line (1-based) and its length in lines, by brace
    /// depth with string literals blanked.
    static func functions(_ lines: [String]) -> [(line: Int, length: Int)] {
        let declaration = try! NSRegularExpression(
            pattern:
                #"^\s*((public|private|fileprivate|internal|static|override|mutating|nonisolated|@\w+)\s+)*"#
                + #"(func|init)\b"#
        )
        let literal = try! NSRegularExpression(pattern: #""(\\.|[^"\\])*""#)
        var found = [(line: Int, length: Int)]()
        var i = 0
        while i < lines.count {
            let l = lines[i]
            guard declaration.firstMatch(in: l, range: NSRange(l.startIndex..., in: l)) != nil else {
                i += 1
                continue
            }
            var depth = 0
            var started = false
            var j = i
            while j < lines.count {
                let code = literal.stringByReplacingMatches(
                    in: lines[j], range: NSRange(lines[j].startIndex..., in: lines[j]), withTemplate: "")
                for ch in code {
                    if ch == "{" {
                        depth += 1
                        started = true
                    } else if ch == "}" {
                        depth -= 1
                    }
                }
                if started && depth <= 0 { break }
                // A declaration without a body (a protocol requirement).
                if !started && j > i + 4 { break }
                j += 1
            }
            if started {
                found.append((i + 1, j - i + 1))
                i = j + 1
            } else {
                i += 1
            }
        }
        return found
    }
}
