import Foundation
import LinearAlgebra
import Results

/// Categorical figures, drawn with one named row per category and the values along a horizontal
/// axis (names of any length fit at the left; a reader never decodes a category from a number).
///
/// - `dots`: the table's rows grouped by the category in `x`; every row a point (one run, one
///   seed), each category's mean with its 95% t interval over them.
/// - `forest`: one row per table row (a comparison a verdict decided): the estimate and its
///   interval from the table, the `reference` line (0 for differences), the equivalence margin
///   shaded, the outcome written at the right; rows sorted by estimate, largest first. Further
///   series are drawn on the same rows (Ψ beside τ).
enum Rows {
    static let width = 680.0, top = 44.0
    static let nameSize = 11.0, outcomeSize = 10.5

    /// One row: its name and, per series, the points, the estimate and its interval.
    struct Row {
        var name: String
        var points: [[Double]]
        var estimate: [Double]
        var lower: [Double]
        var upper: [Double]
        var margin = 0.0
        var outcome = ""
    }

    static func render(_ spec: FigureSpec, _ table: Table) -> String {
        let rows = spec.kind == .dots ? dotRows(spec, table) : forestRows(spec, table)
        return draw(spec, rows)
    }

    static func strings(_ table: Table, _ rows: [[JSONValue]], _ name: String?) -> [String]? {
        guard let name, let j = table.columns.firstIndex(of: name) else { return nil }
        // An empty cell reads back from the CSV as null: no name, no outcome.
        return rows.map { $0[j] == .null ? "" : ($0[j].string ?? $0[j].description) }
    }

    /// Rows grouped by category (in the order they first appear), each series' values as points,
    /// their mean and 95% t interval (none with fewer than two finite values).
    static func dotRows(_ spec: FigureSpec, _ table: Table) -> [Row] {
        var order = [String]()
        var bySeries = [[String: [Double]]]()
        for s in spec.series {
            let r = Plot.rows(table, s)
            guard let names = strings(table, r, spec.x), let y = Plot.column(table, r, s.y) else {
                bySeries.append([:])
                continue
            }
            var groups = [String: [Double]]()
            for (n, v) in zip(names, y) {
                if !order.contains(n) { order.append(n) }
                if v.isFinite && (!spec.yLog || v > 0) { groups[n, default: []].append(v) }
            }
            bySeries.append(groups)
        }
        return order.map { name in
            let pts = bySeries.map { $0[name] ?? [] }
            let ci = pts.map { p -> Interval in
                p.count >= 2
                    ? Stats.tInterval(p) : Interval(estimate: p.first ?? .nan, lower: .nan, upper: .nan, level: 0.95)
            }
            return Row(
                name: name, points: pts, estimate: ci.map(\.estimate), lower: ci.map(\.lower), upper: ci.map(\.upper))
        }
    }

    /// One row per table row (of the first series' filter), its series' estimates and intervals,
    /// margin and outcome; sorted by the first series' estimate, largest first.
    static func forestRows(_ spec: FigureSpec, _ table: Table) -> [Row] {
        guard let first = spec.series.first else { return [] }
        let r = Plot.rows(table, first)
        guard let names = strings(table, r, spec.x) else { return [] }
        let margins = Plot.column(table, r, spec.margin) ?? []
        let outcomes = strings(table, r, spec.outcome) ?? []
        let cols = spec.series.map { s in
            (Plot.column(table, r, s.y), Plot.column(table, r, s.lower), Plot.column(table, r, s.upper))
        }
        var rows = names.indices.map { i in
            Row(
                name: names[i], points: [],
                estimate: cols.map { $0.0?[i] ?? .nan }, lower: cols.map { $0.1?[i] ?? .nan },
                upper: cols.map { $0.2?[i] ?? .nan },
                margin: i < margins.count && margins[i].isFinite ? margins[i] : 0,
                outcome: i < outcomes.count ? outcomes[i] : "")
        }
        rows.sort { a, b in
            let x = a.estimate[0]
            let y = b.estimate[0]
            if x.isFinite != y.isFinite { return x.isFinite }
            return x > y
        }
        return rows
    }

    /// The colour an outcome is written and drawn in (Okabe–Ito, colour-blind safe).
    static func colour(outcome: String, series k: Int) -> String {
        switch outcome {
        case "supported": return "#009E73"
        case "not supported": return "#D55E00"
        case "inconclusive": return "#8A6D00"
        default: return SVG.palette[k % SVG.palette.count]
        }
    }

    static func draw(_ spec: FigureSpec, _ rows: [Row]) -> String {
        var svg = SVG(width: width, height: 200)
        svg.attributes["data-x-axis"] = "categorical"
        Plot.title(&svg, spec.title)
        guard !rows.isEmpty else {
            svg.text(width / 2, 100, "no data for this figure", size: 14)
            return svg.document
        }
        // Names at the left, at most 40% of the width, wrapped onto two lines where they must.
        let nameWidth = min(width * 0.4, (rows.map { TextMetrics.width($0.name, size: nameSize) }.max() ?? 0) + 2)
        let names = rows.map { TextMetrics.fitted($0.name, size: nameSize, minimum: 9, width: nameWidth, maxLines: 2) }
        let outcomeWidth =
            rows.contains { !$0.outcome.isEmpty }
            ? (rows.map { TextMetrics.width($0.outcome, size: outcomeSize) }.max() ?? 0) + 12 : 0
        let rowHeight = names.contains { $0.lines.count > 1 } ? 26.0 : 20.0
        let x0 = 12 + nameWidth + 10
        let x1 = width - 18 - outcomeWidth
        let y0 = top + 4
        let y1 = y0 + Double(rows.count) * rowHeight
        let published = spec.published ?? []
        var values = rows.flatMap { $0.estimate + $0.lower + $0.upper + $0.points.flatMap { $0 } }
        if spec.kind == .forest {
            let ref = spec.reference ?? 0
            values += [ref] + rows.flatMap { [ref - $0.margin, ref + $0.margin] }
        } else if let ref = spec.reference {
            values.append(ref)
        }
        values += published.flatMap { [$0.y, $0.yUpper].compactMap { $0 } }
        let axis = Axis(values: values, log: spec.yLog, pixels: (x0, x1))
        // Grid, ticks and the value axis's name below the rows.
        for t in axis.ticks {
            let x = axis.position(t)
            svg.line(x, y0, x, y1, stroke: "#eeeeee")
            svg.line(x, y1, x, y1 + 5, stroke: "#444")
            svg.text(x, y1 + 18, Axis.label(t), size: 11)
        }
        svg.line(x0, y1, x1, y1, stroke: "#444")
        let labelEnd = Plot.xAxisLabel(
            &svg, spec.yLabel + (spec.yLog ? " (log scale)" : ""), centre: (x0 + x1) / 2, span: width - 24,
            baseline: y1 + 38, twoLines: y1 + 36)
        func centre(_ i: Int) -> Double { y0 + (Double(i) + 0.5) * rowHeight }
        // Equivalence margins, then the reference line, under the data.
        let ref = spec.reference ?? 0
        for (i, r) in rows.enumerated() where r.margin > 0 {
            let a = axis.position(ref - r.margin)
            let b = axis.position(ref + r.margin)
            svg.rect(min(a, b), centre(i) - rowHeight / 2, abs(b - a), rowHeight, fill: "#9aa5b1", opacity: 0.28)
        }
        if spec.kind == .forest || spec.reference != nil, axis.contains(ref) {
            svg.line(axis.position(ref), y0, axis.position(ref), y1, stroke: "#222", width: 1.2, dash: "5 3")
        }
        for (i, r) in rows.enumerated() {
            if i % 2 == 1 { svg.rect(4, centre(i) - rowHeight / 2, x0 - 8, rowHeight, fill: "#f3f5f7") }
            let n = names[i]
            for (k, line) in n.lines.enumerated() {
                svg.text(
                    x0 - 8, centre(i) + 4 + (Double(k) - Double(n.lines.count - 1) / 2) * (n.size + 1), line,
                    size: n.size, anchor: "end", class: "category")
            }
            if !r.outcome.isEmpty {
                svg.text(
                    x1 + 8, centre(i) + 4, r.outcome, size: outcomeSize, anchor: "start",
                    fill: colour(outcome: r.outcome, series: 0), class: "outcome")
            }
            drawRow(&svg, spec, r, axis: axis, y: centre(i))
        }
        var legend = [Legend.Entry]()
        for (k, s) in spec.series.enumerated() {
            let c =
                spec.kind == .forest && k == 0 && rows.contains { !$0.outcome.isEmpty }
                ? "#333333" : SVG.palette[k % SVG.palette.count]
            if spec.kind == .dots {
                legend.append(.init(label: s.label, colour: SVG.palette[k % SVG.palette.count], mark: .marker))
            } else {
                legend.append(.init(label: s.label, colour: c, mark: s.lower == nil ? .marker : .interval))
            }
        }
        if spec.kind == .dots {
            legend.append(.init(label: "mean, 95% t interval over them", colour: "#222222", mark: .interval))
        }
        let margins = Set(rows.map(\.margin).filter { $0 > 0 })
        if !margins.isEmpty {
            legend.append(
                .init(
                    label: margins.count == 1
                        ? "equivalence margin ±\(Axis.label(margins.first!))" : "equivalence margin (per row)",
                    colour: "#9aa5b1", mark: .band(opacity: 0.28)))
        }
        legend += drawPublished(&svg, published, rows: rows, axis: axis, centre: centre, top: y0, bottom: y1)
        svg.height = labelEnd + 12
        Legend(entries: legend).place(&svg, plot: (0, 0, 0, 0), marks: [])
        return svg.document
    }

    /// One row's marks: a dot plot's points and mean with its interval, or a forest row's
    /// estimates with their intervals.
    static func drawRow(_ svg: inout SVG, _ spec: FigureSpec, _ r: Row, axis: Axis, y: Double) {
        let n = spec.series.count
        for k in 0..<n {
            let dy = n > 1 ? (Double(k) - Double(n - 1) / 2) * 7 : 0
            let label = spec.series[k].label
            if spec.kind == .dots {
                let c = SVG.palette[k % SVG.palette.count]
                for (j, v) in r.points[k].enumerated() where axis.contains(v) {
                    // Spread vertically (a fixed pattern, no randomness) so equal values stay visible.
                    let jitter = Double(j % 5 - 2) * 2.4
                    svg.circle(
                        axis.position(v), y + dy + jitter, r: 3, fill: c, opacity: 0.75,
                        title: "\(r.name), \(label): \(String(format: "%.4g", v))", class: "data")
                }
            }
            let e = r.estimate[k]
            let lo = r.lower[k]
            let hi = r.upper[k]
            let c = spec.kind == .dots ? "#222222" : colour(outcome: k == 0 ? r.outcome : "", series: k)
            if axis.contains(lo) && axis.contains(hi) {
                svg.line(axis.position(lo), y + dy, axis.position(hi), y + dy, stroke: c, width: 2, class: "data")
            }
            guard axis.contains(e) else { continue }
            var title = "\(r.name), \(label): \(String(format: "%.4g", e))"
            if lo.isFinite && hi.isFinite { title += String(format: " [%.4g, %.4g]", lo, hi) }
            if spec.kind == .dots {
                svg.line(axis.position(e), y + dy - 7, axis.position(e), y + dy + 7, stroke: c, width: 3, class: "data")
                svg.circle(axis.position(e), y + dy, r: 5, fill: c, opacity: 0, title: title)
            } else {
                svg.circle(axis.position(e), y + dy, r: 4, fill: c, title: title, class: "data")
            }
        }
    }

    /// Published values: a diamond on a category's row, or a dashed line (a band for a range)
    /// across every row; returns their legend entries.
    static func drawPublished(
        _ svg: inout SVG, _ marks: [PublishedMark], rows: [Row], axis: Axis, centre: (Int) -> Double, top: Double,
        bottom: Double
    ) -> [Legend.Entry] {
        var entries = [Legend.Entry]()
        for m in marks {
            guard let y = m.y, axis.contains(y) else { continue }
            let title = "published: " + m.label
            if let c = m.category {
                guard let i = rows.firstIndex(where: { $0.name == c }) else { continue }
                svg.diamond(
                    axis.position(y), centre(i), r: 5.5, stroke: Plot.publishedColour, title: title,
                    class: "data published")
                entries.append(
                    .init(label: "published (" + m.label + ")", colour: Plot.publishedColour, mark: .published))
            } else if let yu = m.yUpper, axis.contains(yu) {
                let a = axis.position(y)
                let b = axis.position(yu)
                svg.rect(min(a, b), top, abs(b - a), bottom - top, fill: Plot.publishedColour, opacity: 0.12)
                entries.append(
                    .init(
                        label: "published (" + m.label + ")", colour: Plot.publishedColour, mark: .band(opacity: 0.25)))
            } else {
                svg.line(
                    axis.position(y), top, axis.position(y), bottom, stroke: Plot.publishedColour, width: 1.5,
                    dash: "2 3", class: "data published")
                entries.append(
                    .init(label: "published (" + m.label + ")", colour: Plot.publishedColour, mark: .line(dashed: true))
                )
            }
        }
        return entries
    }
}
