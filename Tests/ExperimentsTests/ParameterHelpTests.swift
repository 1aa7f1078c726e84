import Foundation
import LinearAlgebra
import XCTest

@testable import Experiments

/// The help of every experiment parameter is its field's doc comment: a generated table
/// (Sources/Experiments/Core/ParameterHelp.swift) kept current by this test, and complete for
/// every experiment of the registry at every scale.
final class ParameterHelpTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/../../"
    static let generated = root + "Sources/Experiments/Core/ParameterHelp.swift"

    func testGeneratedHelpIsCurrent() throws {
        let text = try ParameterHelpGenerator.source(root: Self.root)
        if ProcessInfo.processInfo.environment["GENLAB_WRITE_PARAMETER_HELP"] != nil {
            try text.write(toFile: Self.generated, atomically: true, encoding: .utf8)
            return
        }
        let current = try String(contentsOfFile: Self.generated, encoding: .utf8)
        XCTAssertEqual(
            current, text,
            "ParameterHelp.swift is stale: write it again with GENLAB_WRITE_PARAMETER_HELP=1 swift test --filter "
                + "ParameterHelpTests"
        )
    }

    func testEveryRegistryParameterHasHelp() throws {
        var missing = Set<String>()
        for e in Registry.entries {
            for s in Scale.allCases {
                for p in e.plan(s).experiment.parameters where p.help.isEmpty { missing.insert("\(e.name): \(p.key)") }
            }
        }
        XCTAssertEqual(missing.sorted(), [], "fields without a doc comment")
    }

    /// Option text overrides a setting of the value's own type; a wrong type or an unknown name
    /// is a usage error naming the option.
    func testSettingsOverlayTheValue() throws {
        let base = ModelSize()
        let e = try base.setting([
            ("seeds", "2"), ("max-epochs", "7"), ("widths", "8,16"), ("data", "mnist1d"), ("learningRate", "0.5"),
        ])
        XCTAssertEqual(e.seeds, 2)
        XCTAssertEqual(e.maxEpochs, 7)
        XCTAssertEqual(e.widths, [8, 16])
        XCTAssertEqual(e.data, "mnist1d")
        XCTAssertEqual(e.learningRate, 0.5)
        XCTAssertEqual(e.targetLoss, base.targetLoss, "a setting not given keeps the value's")
        // The options that lead from the base to the value rebuild it exactly.
        let options = e.options(from: base)
        XCTAssertEqual(options.count, 10)
        var pairs = [(key: String, text: String)]()
        for i in stride(from: 0, to: options.count, by: 2) { pairs.append((options[i], options[i + 1])) }
        XCTAssertEqual(try base.setting(pairs).configuration(), try e.configuration())
        XCTAssertEqual(base.options(from: base), [])
        for (key, text, needle) in [
            ("seeds", "2.5", "--seeds must be an integer"), ("seeds", "many", "--seeds takes numbers"),
            ("widths", "8,x", "--widths takes numbers"), ("nope", "1", "has no parameter \"nope\""),
        ] {
            XCTAssertThrowsError(try base.setting([(key, text)])) { error in
                XCTAssertEqual((error as? GenLabError)?.exitCode, 2)
                XCTAssertTrue("\(error)".contains(needle), "\(key) \(text): \(error)")
            }
        }
        // A geometric grid, as the sweeps write it.
        XCTAssertEqual(try WidthSweep().setting([("widths", "geomspace:2,300,20")]).widths, WidthSweep.publishedWidths)
        // Nested settings by a dotted key; an optional set and unset.
        let zoo = try MeasureZoo().setting([("grid.widths", "8,16"), ("bases", "null")])
        XCTAssertEqual(zoo.grid.widths, [8, 16])
        XCTAssertNil(zoo.bases)
        XCTAssertEqual(try zoo.setting([("bases", "3")]).bases, 3)
        XCTAssertTrue(zoo.parameters.contains { $0.key == "grid.widths" && $0.flag == "--grid.widths" })
        // Lists of strings are separated by ';' (their items hold commas).
        let retest = try Retest().setting([("families", "linear;cnn1d:8x8,kernel=5")])
        XCTAssertEqual(retest.families, ["linear", "cnn1d:8x8,kernel=5"])
    }
}

/// Reads the doc comments of the stored fields of every Codable struct under Sources/ and
/// writes them as a Swift table.
enum ParameterHelpGenerator {
    static func source(root: String) throws -> String {
        var table = [String: [String: String]]()
        for folder in ["Sources/Experiments", "Sources/Learners", "Sources/Measures", "Sources/Datasets"] {
            let files =
                FileManager.default.enumerator(atPath: root + folder)?.compactMap { $0 as? String }.filter {
                    $0.hasSuffix(".swift")
                }.sorted() ?? []
            for f in files where !f.hasSuffix("ParameterHelp.swift") {
                let text = try String(contentsOfFile: root + folder + "/" + f, encoding: .utf8)
                for (type, fields) in fieldDocs(text) where !fields.isEmpty {
                    table[type, default: [:]].merge(fields) { a, _ in a }
                }
            }
        }
        var out = """
            // swift-format-ignore-file
            // Generated from the doc comments of the Codable structs' fields by ParameterHelpTests:
            // GENLAB_WRITE_PARAMETER_HELP=1 swift test --filter ParameterHelpTests. Do not edit.

            /// The help of each setting (type name → field → its doc comment), for `Parameter.help`.
            enum ParameterHelp {
                static let fields: [String: [String: String]] = [

            """
        for type in table.keys.sorted() {
            out += "        \(literal(type)): [\n"
            for field in table[type]!.keys.sorted() {
                out += entry(field, table[type]![field]!, indent: "            ")
            }
            out += "        ],\n"
        }
        out += "    ]\n}\n"
        return out
    }

    static func literal(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// One `key: value,` line of the table, or, when that line would be over 120 bytes (the
    /// sources' line limit), the value as a multi-line literal whose lines end in a backslash (no
    /// newline): the same string, in lines of at most 120 bytes.
    static func entry(_ key: String, _ value: String, indent: String) -> String {
        let line = indent + literal(key) + ": " + literal(value) + ","
        if line.utf8.count <= 120 { return line + "\n" }
        let inner = indent + "    "
        var out = indent + literal(key) + ": \"\"\"\n"
        var current = ""
        for word in value.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            let escaped = String(literal(word).dropFirst().dropLast())
            let candidate = current.isEmpty ? escaped : current + " " + escaped
            if !current.isEmpty && (inner + candidate + " \\").utf8.count > 120 {
                out += inner + current + " \\\n"
                current = escaped
            } else {
                current = candidate
            }
        }
        return out + inner + current + "\n" + inner + "\"\"\",\n"
    }

    /// Type name → field → doc. A struct is Codable when its declaration line says so; only a
    /// field's own comment counts (a comment above a group of fields would say the wrong thing of some).
    static func fieldDocs(_ text: String) -> [String: [String: String]] {
        var out = [String: [String: String]]()
        var stack = [(name: String?, depth: Int)]()
        var depth = 0
        var doc = [String]()
        let structLine = try! NSRegularExpression(
            pattern: #"^\s*(?:public\s+|private\s+|fileprivate\s+)?struct\s+(\w+)\s*(?::([^{]*))?\{"#)
        let fieldLine = try! NSRegularExpression(
            pattern: #"^\s*(?:public\s+)?var\s+(\w+)\s*(?::\s*[^{=]+)?(?:=[^{]*)?$"#)
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let range = NSRange(line.startIndex..., in: line)
            if trimmed.hasPrefix("///") {
                doc.append(String(trimmed.dropFirst(3)).trimmingCharacters(in: .whitespaces))
            } else {
                if let m = structLine.firstMatch(in: line, range: range) {
                    let name = String(line[Range(m.range(at: 1), in: line)!])
                    let conformances =
                        m.range(at: 2).location != NSNotFound ? String(line[Range(m.range(at: 2), in: line)!]) : ""
                    let settings = ["Codable", "Configurable", "Benchmark"].contains { conformances.contains($0) }
                    stack.append((settings ? name : nil, depth + 1))
                } else if let owner = stack.last, owner.depth == depth, let name = owner.name,
                    let m = fieldLine.firstMatch(in: line, range: range), !trimmed.hasPrefix("static")
                {
                    let field = String(line[Range(m.range(at: 1), in: line)!])
                    if !doc.isEmpty { out[name, default: [:]][field] = doc.joined(separator: " ") }
                }
                doc = []
            }
            depth += line.filter { $0 == "{" }.count - line.filter { $0 == "}" }.count
            while let last = stack.last, depth < last.depth { stack.removeLast() }
        }
        return out
    }
}
