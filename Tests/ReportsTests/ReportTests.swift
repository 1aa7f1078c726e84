import Datasets
import Experiments
import Foundation
import LinearAlgebra
import Reports
import TestSupport
import XCTest

final class ReportTests: XCTestCase {
    func temp() -> String {
        let d = Scratch.path("report")
        try! FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    func fixture(_ experiment: String, supported: Bool?) -> ExperimentResult {
        var t = Table(name: "curve", columns: ["n", "risk"])
        for n in [10, 20, 40] { t.append([JSONValue(n), JSONValue(1.0 / Double(n))]) }
        return ExperimentResult(
            experiment: experiment, configuration: ["data": "separable"], seed: 3,
            metrics: ["mistakes": 12],
            verdicts: [
                Verdict(
                    .finding, claim: "A claim about \(experiment).", supported: supported,
                    evidence: "Measured 12 against 40.")
            ],
            command: "genlab \(experiment)",
            figures: [
                FigureSpec(
                    file: "curve.svg", title: "Curve", table: "curve", x: "n", xLabel: "n", yLabel: "risk",
                    series: [.init(y: "risk", label: "risk")])
            ],
            tables: [t], seconds: 1.5)
    }

    func testRendersFixtureFolder() throws {
        let dir = temp()
        try ResultWriter.write(fixture("perceptron-risk", supported: true), to: dir + "/b")
        try ResultWriter.write(fixture("perceptron-mistakes", supported: false), to: dir + "/a")
        let path = try Report.render(dir, catalog: .talk)
        let html = try String(contentsOfFile: path, encoding: .utf8)
        // Talk order: the mistake bound comes before the risk bounds whatever the folder names.
        let mistakes = html.range(of: "The perceptron&#39;s mistake bound") ?? html.range(of: "mistake bound")!
        XCTAssertLessThan(mistakes.lowerBound, html.range(of: "From few mistakes to low risk")!.lowerBound)
        // A failed verdict is shown as such, never hidden.
        XCTAssertTrue(html.contains("badge no\">not supported"))
        XCTAssertTrue(html.contains("badge yes\">supported"))
        XCTAssertEqual(html.components(separatedBy: "<figure>").count - 1, 2)
        XCTAssertTrue(html.contains("genlab perceptron-risk"), "the reproducing command")
        XCTAssertFalse(html.contains("<script"), "no scripts")
        for fetch in ["src=\"http", "href=\"http", "url(", "@import", "<link"] {
            XCTAssertFalse(html.contains(fetch), "nothing fetched from outside: \(fetch)")
        }
    }

    /// Theorem checks are counted apart from findings, the page opens with what each claim group
    /// came to, the verdict table names kind and data, and a sensitivity run says so.
    func testKindsCountedApartAndClaimGroupsSummarized() throws {
        let dir = temp()
        var theorem = fixture("perceptron-mistakes", supported: true)
        theorem.verdicts = [
            Verdict(.theorem, claim: "A bound holds.", supported: true, evidence: "12 ≤ 40; every step holds.")
        ]
        try ResultWriter.write(theorem, to: dir + "/a")
        try ResultWriter.write(fixture("double-descent-width", supported: nil), to: dir + "/b")
        var sensitivity = fixture("bias-variance-cross-entropy", supported: false)
        sensitivity.sensitivity = "weight decay 5e-3 instead of 5e-4"
        try ResultWriter.write(sensitivity, to: dir + "/c")
        let html = try String(contentsOfFile: try Report.render(dir, catalog: .talk), encoding: .utf8)
        // The sensitivity run is not counted: one finding, one theorem check.
        XCTAssertTrue(
            html.contains("1 finding: 0 supported, 0 not supported, 1 inconclusive; 1 theorem check: it holds"), html)
        XCTAssertTrue(html.contains("Sensitivity runs, not counted above"))
        let cameTo = try XCTUnwrap(
            html.range(of: "What the talk&#39;s claims came to") ?? html.range(of: "What the talk's claims came to"))
        XCTAssertLessThan(
            cameTo.lowerBound, html.range(of: "<table class=\"summary\"")!.lowerBound, "the summary opens the page")
        for group in ["The perceptron", "Double descent"] {
            XCTAssertTrue(html.contains("<strong>\(group)</strong>"), group)
        }
        XCTAssertTrue(html.contains("<td>theorem</td><td>separable</td>"), "kind and data in the verdict table")
        XCTAssertTrue(html.contains("id=\"vf-theorem\""), "a filter for theorem checks")
        XCTAssertTrue(html.contains("sensitivity run"))
        // A verdict without its kind (written before kinds) is refused, not counted under a guess.
        let path = dir + "/a/result.json"
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(
            of: "\"kind\" : \"theorem\",", with: "")
        XCTAssertThrowsError(try JSONDecoder().decode(ExperimentResult.self, from: Data(text.utf8))) {
            XCTAssertTrue("\($0)".contains("has no kind"), "\($0)")
        }
    }

    /// Published values travel apart from the evidence: their own line in the report, kept in result.json;
    /// artifacts are written beside it.
    func testReferencesApartFromEvidenceAndArtifacts() throws {
        let dir = temp()
        var r = fixture("double-descent-width", supported: nil)
        r.references = [Reference(source: "MNIST-1D notebooks", value: "54.0%", what: "peak test error")]
        r.artifacts["weights.npy"] = NPYArray.encode([Float](arrayLiteral: 1, 2), shape: [2])
        try ResultWriter.write(r, to: dir + "/w")
        let back = try ResultFolder.read(dir + "/w")
        XCTAssertEqual(back.references, r.references)
        XCTAssertFalse(back.verdicts[0].evidence.contains("54.0"))
        XCTAssertEqual(try NPYArray.read(dir + "/w/weights.npy").values, [1, 2])
        let html = try String(contentsOfFile: try Report.render(dir, catalog: .talk), encoding: .utf8)
        XCTAssertTrue(
            html.contains("<p class=\"reference\">Published: 54.0%, peak test error (MNIST-1D notebooks).</p>"), html)
        // A result.json written before references existed still reads.
        let old = try String(contentsOfFile: dir + "/w/result.json", encoding: .utf8).replacingOccurrences(
            of: "\"references\"", with: "\"unused\"")
        try old.write(toFile: dir + "/w/result.json", atomically: true, encoding: .utf8)
        XCTAssertEqual(try ResultFolder.read(dir + "/w").references, [])
    }

    /// A forest plot comes back from result.json and comparisons.csv alone, drawn the same as when
    /// the run wrote it: named rows, the margin and outcomes (the CSV keeps every number).
    func testRedrawsForestFromCSVAlone() throws {
        let dir = temp()
        var r = fixture("regularizers", supported: true)
        var c = ComparisonTable()
        c.add(
            "dropout − none", quantity: "test error", estimate: -0.021, lower: -0.035, upper: -0.007, margin: 0.01,
            outcome: "supported")
        c.add(
            "weight decay − none", quantity: "test error", estimate: 0.002, lower: -0.004, upper: 0.008, margin: 0.01,
            outcome: "not supported")
        c.add(
            "a row without a verdict", quantity: "test error", estimate: 0.001, lower: -0.001, upper: 0.003, outcome: ""
        )
        r.tables.append(c.table)
        r.tableNames.append(c.table.name)
        r.figures = [
            .forest(
                file: "comparisons.svg", title: "Comparisons", quantity: "test error",
                xLabel: "paired difference in test error")
        ]
        try ResultWriter.write(r, to: dir + "/g")
        let written = try String(contentsOfFile: dir + "/g/comparisons.svg", encoding: .utf8)
        try FileManager.default.removeItem(atPath: dir + "/g/comparisons.svg")
        let html = try String(contentsOfFile: try Report.render(dir, catalog: .talk), encoding: .utf8)
        XCTAssertTrue(html.contains("redrawn from <a href=\"g/comparisons.csv\">comparisons.csv</a>"))
        let inner = written.components(separatedBy: "<svg")[1].components(separatedBy: "</svg>")[0]
        XCTAssertTrue(html.contains(inner), "redrawn exactly as written")
        for name in ["dropout − none", "weight decay − none", "not supported", "equivalence margin ±0.01"] {
            XCTAssertTrue(html.contains(name), name)
        }
        XCTAssertFalse(
            html.contains(">null</text>"), "an empty outcome reads back as null from the CSV and is drawn as nothing")
    }

    func testRedrawsMissingSVGFromCSV() throws {
        let dir = temp()
        try ResultWriter.write(fixture("perceptron-risk", supported: nil), to: dir + "/r")
        try FileManager.default.removeItem(atPath: dir + "/r/curve.svg")
        let html = try String(contentsOfFile: try Report.render(dir, catalog: .talk), encoding: .utf8)
        XCTAssertTrue(
            html.contains("redrawn from <a href=\"r/curve.csv\">curve.csv</a>"),
            "the caption links to the CSV beside the result")
        XCTAssertTrue(
            html.contains(
                "<input type=\"radio\" name=\"verdict-filter\" id=\"vf-unknown\"><label "
                    + "for=\"vf-unknown\">inconclusive 1</label>"
            ))
        XCTAssertFalse(html.contains("<script"), "no scripts")
        XCTAssertTrue(html.contains("badge unknown\">inconclusive"))
    }

    func testCorruptOrMissingResultStillRendersTheRest() throws {
        let dir = temp()
        try ResultWriter.write(fixture("perceptron-risk", supported: true), to: dir + "/good")
        try FileManager.default.createDirectory(atPath: dir + "/broken", withIntermediateDirectories: true)
        try "{ not json".write(toFile: dir + "/broken/result.json", atomically: true, encoding: .utf8)
        try ResultWriter.write(fixture("perceptron-mistakes", supported: true), to: dir + "/nocsv")
        try FileManager.default.removeItem(atPath: dir + "/nocsv/curve.csv")
        let html = try String(contentsOfFile: try Report.render(dir, catalog: .talk), encoding: .utf8)
        XCTAssertTrue(html.contains("From few mistakes to low risk"), "the good section is there")
        XCTAssertTrue(html.contains(dir + "/broken/result.json"), "the unreadable file is named")
        XCTAssertTrue(html.contains(dir + "/nocsv/curve.csv"), "a missing table is named")
        XCTAssertTrue(html.contains("unreadable"))
    }

    func testMissingFolderIsADataError() {
        XCTAssertThrowsError(try Report.render("/nonexistent/genlab", catalog: .talk)) { e in
            XCTAssertEqual((e as? GenLabError)?.exitCode, 1)
        }
    }
}
