import Foundation
import Results

/// Published values in a line or scatter figure: hollow diamonds (a point, or a segment over a
/// published x range) and dashed lines or shaded bands (a value or range over every x), in one
/// colour apart from the series and named "published" in the legend. They are drawn beside the
/// measurements and never read by a verdict.
extension Plot {
    static let publishedColour = "#444444"

    /// The marks whose x (or x range) meets the measured x range: a published point far outside
    /// what was measured would stretch the axis away from the data.
    static func publishedInRange(_ marks: [PublishedMark], xs: [Double]) -> [PublishedMark] {
        guard let lo = xs.min(), let hi = xs.max() else { return [] }
        return marks.filter { m in
            guard let x = m.x else { return true }
            return (m.xUpper ?? x) >= lo && x <= hi
        }
    }

    /// Draws the marks; returns the pixels they cover (the legend avoids them).
    static func drawPublished(_ svg: inout SVG, _ marks: [PublishedMark], _ xAxis: Axis, _ yAxis: Axis) -> [(
        Double, Double
    )] {
        var covered = [(Double, Double)]()
        let x0 = xAxis.pixelLo
        let x1 = xAxis.pixelHi
        for m in marks {
            let title = "published: " + m.label
            switch (m.x, m.y) {
            case (let x?, let y?) where yAxis.contains(y) && xAxis.contains(x):
                // A range that reaches past the measured x is cut at the plot's edge.
                let py = yAxis.position(y)
                let pa = min(max(xAxis.position(x), x0), x1)
                if let xu = m.xUpper, xAxis.contains(xu) {
                    let pb = min(max(xAxis.position(xu), x0), x1)
                    svg.line(pa, py, pb, py, stroke: publishedColour, width: 2.5, class: "data published")
                    covered += sampled([(pa, py), (pb, py)])
                    svg.diamond(
                        (pa + pb) / 2, py, r: 5.5, stroke: publishedColour, title: title, class: "data published")
                    covered.append(((pa + pb) / 2, py))
                } else {
                    svg.diamond(pa, py, r: 5.5, stroke: publishedColour, title: title, class: "data published")
                    covered.append((pa, py))
                }
            case (nil, let y?) where yAxis.contains(y):
                if let yu = m.yUpper, yAxis.contains(yu) {
                    let pa = yAxis.position(y)
                    let pb = yAxis.position(yu)
                    svg.rect(x0, min(pa, pb), x1 - x0, abs(pb - pa), fill: publishedColour, opacity: 0.12)
                } else {
                    let py = yAxis.position(y)
                    svg.line(x0, py, x1, py, stroke: publishedColour, width: 1.5, dash: "2 3", class: "data published")
                    covered += sampled([(x0, py), (x1, py)])
                }
            default:
                continue
            }
        }
        return covered
    }
}
