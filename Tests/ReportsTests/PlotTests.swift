import Experiments
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Reports
import XCTest

/// Figures: the SVG parses as XML, ticks cover the data, no NaN reaches the file.
final class PlotTests: XCTestCase {
    func table(_ xs: [Double], _ ys: [Double]) -> Table {
        Table(name: "t", columns: ["x", "y", "lo", "hi"], rows: zip(xs, ys).map { [JSONValue($0), JSONValue($1), JSONValue($1 - 0.1), JSONValue($1 + 0.1)] })
    }

    func parses(_ svg: String) -> Bool {
        let parser = XMLParser(data: Data(svg.utf8))
        return parser.parse()
    }

    func testLineFigureIsValidXMLWithoutNaN() {
        let spec = FigureSpec(file: "f.svg", title: "A & B <test>", table: "t", x: "x", xLabel: "x", yLabel: "y",
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
        let marked = FigureSpec(file: "f.svg", title: "t", table: "t", x: "x", xLabel: "x", yLabel: "y",
                                series: [.init(y: "y", label: "test", lower: "lo", upper: "hi", markers: true)])
        let svg = Plot.render(marked, table: table([1, 2, 4], [0.5, 0.25, 0.125]))
        XCTAssertTrue(parses(svg), svg)
        XCTAssertTrue(svg.contains("<title>test: x = 2, y = 0.25 [0.15, 0.35]</title>"), svg)
        XCTAssertEqual(svg.components(separatedBy: "<title>").count - 1, 3)
        let plain = FigureSpec(file: "f.svg", title: "t", table: "t", x: "x", xLabel: "x", yLabel: "y", series: [.init(y: "y", label: "curve")])
        XCTAssertTrue(Plot.render(plain, table: table([1, 2], [1, 2])).contains("fill-opacity=\"0.0\"><title>curve: x = 1, y = 1</title>"))
        let long = (0..<400).map(Double.init)
        XCTAssertFalse(Plot.render(plain, table: table(long, long)).contains("<title>"))
    }

    func testLogFigureDropsNonPositiveAndCoversData() {
        let spec = FigureSpec(file: "f.svg", title: "log", table: "t", x: "x", xLabel: "n", yLabel: "risk", xLog: true, yLog: true,
                              series: [.init(y: "y", label: "risk")])
        let svg = Plot.render(spec, table: table([10, 100, 1000, 0], [0.1, 0.01, 0.001, -1]))
        XCTAssertTrue(parses(svg))
        let axis = Axis(values: [10, 100, 1000], log: true, pixels: (0, 100))
        XCTAssertLessThanOrEqual(axis.lo, 10); XCTAssertGreaterThanOrEqual(axis.hi, 1000)
        XCTAssertEqual(axis.ticks.filter { [10.0, 100, 1000].contains($0) }.count, 3)
    }

    func testLinearTicksCoverRangeAndAreNice() {
        for (lo, hi) in [(0.0, 1.0), (-3.7, 12.2), (1e-4, 3e-4), (5.0, 5.0), (1000, 98_765)] {
            let a = Axis(values: [lo, hi], log: false, pixels: (0, 100))
            XCTAssertLessThanOrEqual(a.lo, lo); XCTAssertGreaterThanOrEqual(a.hi, hi)
            let t = a.ticks
            XCTAssertGreaterThanOrEqual(t.count, 2, "\(lo)…\(hi)")
            XCTAssertLessThanOrEqual(t.count, 12)
            let step = t[1] - t[0]
            let mantissa = step / pow(10, floor(log10(step)))
            XCTAssertTrue([1, 2, 5].contains { abs($0 - mantissa) < 1e-6 }, "step \(step)")
        }
    }

    func testScatterWithFitAndHeatmap() {
        let scatter = FigureSpec(file: "s.svg", title: "s", kind: .scatter, table: "t", x: "x", xLabel: "x", yLabel: "y",
                                 series: [.init(y: "y", label: "points")], fitLine: true)
        XCTAssertTrue(parses(Plot.render(scatter, table: table([1, 2, 3, 4], [2, 4.1, 5.9, 8]))))
        var grid = Table(name: "g", columns: ["a", "b", "v"])
        for a in 0..<5 { for b in 0..<4 { grid.append([JSONValue(a), JSONValue(b), JSONValue(Double(a * b))]) } }
        let heat = FigureSpec(file: "h.svg", title: "h", kind: .heatmap, table: "g", x: "a", xLabel: "a", yLabel: "b",
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
        XCTAssertTrue(Contour.segments(v, xs: axis, ys: axis, level: 5).isEmpty, "a level above the surface crosses nothing")
        XCTAssertEqual(Contour.levels([3, 1, 2, .nan, 4], count: 2), [2, 3])
        // The figure: valid XML, no NaN, one path per level.
        var t = Table(name: "s", columns: ["a", "b", "v"])
        for (j, y) in axis.enumerated() { for (i, x) in axis.enumerated() { t.append([JSONValue(x), JSONValue(y), i == 3 && j == 3 ? .null : JSONValue(v[j][i])]) } }
        let spec = FigureSpec(file: "c.svg", title: "c", kind: .contour, table: "s", x: "a", xLabel: "a", yLabel: "b", series: [.init(y: "b", label: "v")], value: "v")
        let svg = Plot.render(spec, table: t)
        XCTAssertTrue(XMLParser(data: Data(svg.utf8)).parse())
        XCTAssertFalse(svg.lowercased().contains("nan"))
        XCTAssertEqual(svg.components(separatedBy: "<path").count - 1, 14)
    }
}
