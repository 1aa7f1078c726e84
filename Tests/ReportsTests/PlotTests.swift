import Experiments
import Foundation
import LinearAlgebra
import XCTest

@testable import Reports

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Figures: the SVG parses as XML, ticks cover the data, no NaN reaches the file.
final class PlotTests: XCTestCase {
    func table(_ xs: [Double], _ ys: [Double]) -> Table {
        Table(
            name: "t", columns: ["x", "y", "lo", "hi"],
            rows: zip(xs, ys).map { [JSONValue($0), JSONValue($1), JSONValue($1 - 0.1), JSONValue($1 + 0.1)] })
    }

    func parses(_ svg: String) -> Bool {
        let parser = XMLParser(data: Data(svg.utf8))
        return parser.parse()
    }

    func testLineFigureIsValidXMLWithoutNaN() {
        let spec = FigureSpec(
            file: "f.svg", title: "A & B <test>", table: "t", x: "x", xLabel: "x", yLabel: "y",
            series: [.init(y: "y", label: "y < 1", lower: "lo", upper: "hi", markers: true)])
        let svg = Plot.render(spec, table: table([1, 2, 3, .nan, 5], [0.5, .nan, 2, 3, .infinity]))
        XCTAssertTrue(parses(svg), svg)
        XCTAssertFalse(svg.lowercased().contains("nan"))
        XCTAssertFalse(svg.contains("inf\""))
        XCTAssertTrue(svg.contains("A &amp; B &lt;test&gt;"))
    }

    /// Hover values: markers carry their numbers; a short line without markers gets invisible
    /// targets; a long one does not (the page would carry thousands of them).
    func testHoverValues() {
        let marked = FigureSpec(
            file: "f.svg", title: "t", table: "t", x: "x", xLabel: "x", yLabel: "y",
            series: [.init(y: "y", label: "test", lower: "lo", upper: "hi", markers: true)])
        let svg = Plot.render(marked, table: table([1, 2, 4], [0.5, 0.25, 0.125]))
        XCTAssertTrue(parses(svg), svg)
        XCTAssertTrue(svg.contains("<title>test: x = 2, y = 0.25 [0.15, 0.35]</title>"), svg)
        XCTAssertEqual(svg.components(separatedBy: "<title>").count - 1, 3)
        let plain = FigureSpec(
            file: "f.svg", title: "t", table: "t", x: "x", xLabel: "x", yLabel: "y",
            series: [.init(y: "y", label: "curve")])
        XCTAssertTrue(
            Plot.render(plain, table: table([1, 2], [1, 2])).contains(
                "fill-opacity=\"0.0\"><title>curve: x = 1, y = 1</title>"))
        let long = (0..<400).map(Double.init)
        XCTAssertFalse(Plot.render(plain, table: table(long, long)).contains("<title>"))
    }

    func testLogFigureDropsNonPositiveAndCoversData() {
        let spec = FigureSpec(
            file: "f.svg", title: "log", table: "t", x: "x", xLabel: "n", yLabel: "risk", xLog: true, yLog: true,
            series: [.init(y: "y", label: "risk")])
        let svg = Plot.render(spec, table: table([10, 100, 1000, 0], [0.1, 0.01, 0.001, -1]))
        XCTAssertTrue(parses(svg))
        let axis = Axis(values: [10, 100, 1000], log: true, pixels: (0, 100))
        XCTAssertLessThanOrEqual(axis.lo, 10)
        XCTAssertGreaterThanOrEqual(axis.hi, 1000)
        XCTAssertEqual(axis.ticks.filter { [10.0, 100, 1000].contains($0) }.count, 3)
    }

    func testLinearTicksCoverRangeAndAreNice() {
        for (lo, hi) in [(0.0, 1.0), (-3.7, 12.2), (1e-4, 3e-4), (5.0, 5.0), (1000, 98_765)] {
            let a = Axis(values: [lo, hi], log: false, pixels: (0, 100))
            XCTAssertLessThanOrEqual(a.lo, lo)
            XCTAssertGreaterThanOrEqual(a.hi, hi)
            let t = a.ticks
            XCTAssertGreaterThanOrEqual(t.count, 2, "\(lo)…\(hi)")
            XCTAssertLessThanOrEqual(t.count, 12)
            let step = t[1] - t[0]
            let mantissa = step / pow(10, floor(log10(step)))
            XCTAssertTrue([1, 2, 5].contains { abs($0 - mantissa) < 1e-6 }, "step \(step)")
        }
    }

    func testScatterWithFitAndHeatmap() {
        let scatter = FigureSpec(
            file: "s.svg", title: "s", kind: .scatter, table: "t", x: "x", xLabel: "x", yLabel: "y",
            series: [.init(y: "y", label: "points")], fitLine: true)
        XCTAssertTrue(parses(Plot.render(scatter, table: table([1, 2, 3, 4], [2, 4.1, 5.9, 8]))))
        var grid = Table(name: "g", columns: ["a", "b", "v"])
        for a in 0..<5 { for b in 0..<4 { grid.append([JSONValue(a), JSONValue(b), JSONValue(Double(a * b))]) } }
        let heat = FigureSpec(
            file: "h.svg", title: "h", kind: .heatmap, table: "g", x: "a", xLabel: "a", yLabel: "b",
            series: [.init(y: "b", label: "")], value: "v")
        let svg = Plot.render(heat, table: grid)
        XCTAssertTrue(parses(svg))
        XCTAssertGreaterThanOrEqual(svg.components(separatedBy: "<rect").count, 20)
    }
}

/// Marching squares against a surface whose level sets are known: circles of v = x² + y².
final class ContourTests: XCTestCase {
    func testContourOfAParaboloidLiesOnCircles() {
        let axis = stride(from: -1.0, through: 1.0, by: 0.05).map { $0 }
        let v = axis.map { y in axis.map { x in x * x + y * y } }
        for r in [0.3, 0.55, 0.8] {
            let segments = Contour.segments(v, xs: axis, ys: axis, level: r * r)
            XCTAssertGreaterThan(segments.count, 20)
            for s in segments {
                for p in [s.0, s.1] {
                    // Linear interpolation of a quadratic on a 0.05 grid: radius within 2% of r.
                    XCTAssertEqual((p.x * p.x + p.y * p.y).squareRoot(), r, accuracy: 0.02 * r)
                }
            }
        }
        XCTAssertTrue(
            Contour.segments(v, xs: axis, ys: axis, level: 5).isEmpty, "a level above the surface crosses nothing")
        XCTAssertEqual(Contour.levels([3, 1, 2, .nan, 4], count: 2), [2, 3])
        // The figure: valid XML, no NaN, one path per level.
        var t = Table(name: "s", columns: ["a", "b", "v"])
        for (j, y) in axis.enumerated() {
            for (i, x) in axis.enumerated() {
                t.append([JSONValue(x), JSONValue(y), i == 3 && j == 3 ? .null : JSONValue(v[j][i])])
            }
        }
        let spec = FigureSpec(
            file: "c.svg", title: "c", kind: .contour, table: "s", x: "a", xLabel: "a", yLabel: "b",
            series: [.init(y: "b", label: "v")], value: "v")
        let svg = Plot.render(spec, table: t)
        XCTAssertTrue(XMLParser(data: Data(svg.utf8)).parse())
        XCTAssertFalse(svg.lowercased().contains("nan"))
        XCTAssertEqual(svg.components(separatedBy: "<path").count - 1, 14)
    }
}

/// Categorical figures, legends and published values: categories named on rows, forest rows
/// sorted with their margins and outcomes, legends off the data with marks matching their series.
final class CategoricalFigureTests: XCTestCase {
    func parses(_ svg: String) -> Bool { XMLParser(data: Data(svg.utf8)).parse() }

    /// The y coordinate of the text element whose content is `s`.
    func textY(_ svg: String, _ s: String) -> Double? {
        guard let r = svg.range(of: ">\(s)</text>") else { return nil }
        let head = svg[..<r.lowerBound]
        guard let open = head.range(of: "<text", options: .backwards),
            let y = head[open.upperBound...].range(of: " y=\"")
        else { return nil }
        return Double(head[y.upperBound...].prefix { $0 != "\"" })
    }

    func testForestRowsAreNamedSortedWithMarginAndOutcome() {
        var t = ComparisonTable()
        t.add(
            "dropout − none", quantity: "test error", estimate: -0.02, lower: -0.03, upper: -0.01, margin: 0.01,
            outcome: "supported")
        t.add(
            "weight decay − none", quantity: "test error", estimate: 0.004, lower: -0.002, upper: 0.01, margin: 0.01,
            outcome: "not supported")
        t.add("λ_max row", quantity: "λ_max", estimate: 40, lower: 10, upper: 70, outcome: "inconclusive")
        let spec = FigureSpec.forest(
            file: "c.svg", title: "comparisons", quantity: "test error", xLabel: "paired difference")
        let svg = Plot.render(spec, table: t.table)
        XCTAssertTrue(parses(svg), svg)
        XCTAssertTrue(svg.contains("data-x-axis=\"categorical\""))
        // Largest estimate on top; the other quantity's row left out.
        let a = try! XCTUnwrap(textY(svg, "weight decay − none"))
        let b = try! XCTUnwrap(textY(svg, "dropout − none"))
        XCTAssertLessThan(a, b)
        XCTAssertNil(textY(svg, "λ_max row"))
        XCTAssertNotNil(textY(svg, "supported"))
        XCTAssertNotNil(textY(svg, "not supported"))
        XCTAssertTrue(svg.contains("equivalence margin ±0.01"))
        XCTAssertTrue(svg.contains("<title>dropout − none, estimate (95% CI): -0.02 [-0.03, -0.01]</title>"), svg)
        // The zero line: dashed, vertical.
        XCTAssertTrue(svg.contains("stroke-dasharray=\"5 3\""))
    }

    func testDotsShowEveryRunAndEachCategorysMeanInterval() {
        var t = Table(name: "runs", columns: ["condition", "seed", "test_error"])
        let values: [(String, [Double])] = [
            ("none", [0.30, 0.32, 0.34]),
            ("a condition with a long name that must wrap onto two lines", [0.40, 0.41, 0.45]),
        ]
        for (c, v) in values { for (s, x) in v.enumerated() { t.append([.string(c), JSONValue(s), JSONValue(x)]) } }
        let spec = FigureSpec(
            file: "d.svg", title: "dots", kind: .dots, table: "runs", x: "condition", xLabel: "condition",
            yLabel: "test error",
            series: [.init(y: "test_error", label: "one run (seed)")])
        let svg = Plot.render(spec, table: t)
        XCTAssertTrue(parses(svg), svg)
        XCTAssertEqual(svg.components(separatedBy: "class=\"data\" cx=").count - 1, 6, "one point per run")
        let ci = Stats.tInterval([0.30, 0.32, 0.34])
        XCTAssertTrue(
            svg.contains(
                String(
                    format: "<title>none, one run (seed): %.4g [%.4g, %.4g]</title>", ci.estimate, ci.lower, ci.upper)),
            svg)
        // The long name wraps: no category text wider than 40% of the figure.
        let names = svg.components(separatedBy: "class=\"category\"").dropFirst().map {
            $0.components(separatedBy: ">")[1].components(separatedBy: "</text")[0]
        }
        XCTAssertGreaterThanOrEqual(names.count, 3)
        for n in names { XCTAssertLessThanOrEqual(TextMetrics.width(n, size: 11), 680 * 0.4 + 1, n) }
    }

    /// Points filling the top-right corner: the legend goes to another corner, and a scatter's
    /// legend shows a marker, not a line.
    func testLegendAvoidsDataAndMatchesMarks() {
        var t = Table(name: "t", columns: ["x", "y"])
        for i in 0..<40 {
            let x = Double(i) / 39
            t.append([JSONValue(x), JSONValue(x * x)])
        }
        let spec = FigureSpec(
            file: "s.svg", title: "s", kind: .scatter, table: "t", x: "x", xLabel: "x", yLabel: "y",
            series: [.init(y: "y", label: "one run (seed)")])
        let svg = Plot.render(spec, table: t)
        XCTAssertTrue(parses(svg))
        let legend = svg.components(separatedBy: "<g class=\"legend\">")[1].components(separatedBy: "</g>")[0]
        XCTAssertTrue(legend.contains("<circle"), "a marker for points")
        XCTAssertFalse(legend.contains("<line"), "no line for points")
        func number(_ s: Substring, _ key: String) -> Double {
            Double(s.components(separatedBy: key + "=\"")[1].prefix { $0 != "\"" })!
        }
        let box = legend[legend.range(of: "<rect")!.lowerBound...].prefix { $0 != ">" }
        let (bx, by, bw, bh) = (number(box, "x"), number(box, "y"), number(box, "width"), number(box, "height"))
        let centres = svg.components(separatedBy: "<circle class=\"data\" cx=\"").dropFirst().map {
            c -> (Double, Double) in
            (Double(c.prefix { $0 != "\"" })!, Double(c.components(separatedBy: "cy=\"")[1].prefix { $0 != "\"" })!)
        }
        XCTAssertEqual(centres.count, 40)
        for (x, y) in centres {
            XCTAssertFalse(x >= bx && x <= bx + bw && y >= by && y <= by + bh, "point (\(x), \(y)) under the legend")
        }
        XCTAssertLessThan(bx, 340, "the top-right corner holds data: the legend is elsewhere")
    }

    /// A title and labels too long for the figure are shrunk or wrapped, never left running past its edges.
    func testLongTextIsFittedAndPublishedValuesAreDrawn() {
        var t = Table(name: "t", columns: ["h", "e"])
        for h in [8.0, 16, 32, 64, 128, 256, 512] { t.append([JSONValue(h), JSONValue(0.6 - h / 2000)]) }
        let long = String(repeating: "a long explanation of the axis, ", count: 4)
        let spec = FigureSpec(
            file: "w.svg", title: "A title " + long, table: "t", x: "h", xLabel: long, yLabel: long, xLog: true,
            series: [.init(y: "e", label: "test error", markers: true)],
            published: [
                PublishedMark(label: "notebook: 54.0% at h ≈ 47–61", x: 47, xUpper: 61, y: 0.54),
                PublishedMark(label: "far outside", x: 10_000, y: 0.1),
            ])
        let svg = Plot.render(spec, table: t)
        XCTAssertTrue(parses(svg), svg)
        for piece in svg.components(separatedBy: "<text").dropFirst() {
            let text = piece.components(separatedBy: ">")[1].components(separatedBy: "</text")[0]
            let size = Double(piece.components(separatedBy: "font-size=\"")[1].prefix { $0 != "\"" })!
            XCTAssertLessThanOrEqual(TextMetrics.width(text, size: size), 680, text)
        }
        XCTAssertTrue(svg.contains("<title>published: notebook: 54.0% at h ≈ 47–61</title>"))
        XCTAssertFalse(svg.contains("far outside"), "a published value outside the measured range is not drawn")
    }

    func testTextMetricsWrapsAtSpaces() {
        let lines = TextMetrics.wrap("one two three four five six", size: 10, width: 60)
        XCTAssertGreaterThan(lines.count, 1)
        XCTAssertEqual(lines.joined(separator: " "), "one two three four five six")
        for l in lines { XCTAssertLessThanOrEqual(TextMetrics.width(l, size: 10), 60) }
        XCTAssertEqual(TextMetrics.fit("short", size: 13, minimum: 10, width: 200).size, 13)
    }
}
