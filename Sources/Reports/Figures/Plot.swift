import Foundation
import LinearAlgebra
import Results

/// Draws a `FigureSpec` from its table. Pure: the same spec and table give the same SVG.
public enum Plot {
    static let width = 680.0, height = 420.0
    static let left = 72.0, right = 20.0, top = 40.0, bottom = 56.0
    /// Long series are thinned to this many points (the CSV keeps all of them).
    static let maxPoints = 1500
    /// Lines with at most this many points get invisible hover targets at their points.
    static let maxHoverPoints = 300

    /// "label: x = …, y = … [lower, upper]" for point i of a series.
    static func hoverText(_ spec: FigureSpec, _ s: Series, _ i: Int) -> String {
        func n(_ v: Double) -> String { String(format: "%.4g", v) }
        var t = "\(s.spec.label): \(spec.x) = \(n(s.x[i])), \(s.spec.y) = \(n(s.y[i]))"
        if let lo = s.lo, let hi = s.hi, lo[i].isFinite, hi[i].isFinite { t += " [\(n(lo[i])), \(n(hi[i]))]" }
        return t
    }

    public static func render(_ spec: FigureSpec, table: Table) -> String {
        switch spec.kind {
        case .heatmap: return heatmap(spec, table)
        case .contour: return contour(spec, table)
        case .line, .scatter: return lines(spec, table)
        case .dots, .forest: return Rows.render(spec, table)
        }
    }

    struct Series {
        var spec: FigureSpec.Series
        var x: [Double]
        var y: [Double]
        var lo: [Double]?
        var hi: [Double]?
    }

    static func rows(_ table: Table, _ s: FigureSpec.Series) -> [[JSONValue]] {
        guard let c = s.filterColumn, let v = s.filterValue, let j = table.columns.firstIndex(of: c) else {
            return table.rows
        }
        return table.rows.filter { $0[j].description == v }
    }

    static func column(_ table: Table, _ rows: [[JSONValue]], _ name: String?) -> [Double]? {
        guard let name, let j = table.columns.firstIndex(of: name) else { return nil }
        return rows.map { $0[j].number ?? .nan }
    }

    static func lines(_ spec: FigureSpec, _ table: Table) -> String {
        var svg = SVG(width: width, height: height)
        svg.attributes["data-x-axis"] = spec.xLog ? "log" : "numeric"
        let series: [Series] = spec.series.compactMap { s in
            let r = rows(table, s)
            guard let x = column(table, r, spec.x), let y = column(table, r, s.y) else { return nil }
            return Series(spec: s, x: x, y: y, lo: column(table, r, s.lower), hi: column(table, r, s.upper))
        }
        let xs = series.flatMap(\.x)
        // Published values inside the measured x range widen the y axis to show them.
        let published = publishedInRange(spec.published ?? [], xs: xs.filter { $0.isFinite && (!spec.xLog || $0 > 0) })
        let ys =
            series.flatMap { s in s.y + (s.lo ?? []) + (s.hi ?? []) }
            + published.flatMap { [$0.y, $0.yUpper].compactMap { $0 } }
        let xAxis = Axis(values: xs, log: spec.xLog, pixels: (left, width - right))
        let yAxis = Axis(values: ys, log: spec.yLog, pixels: (height - bottom, top))
        frame(&svg, spec, xAxis, yAxis)
        // Every drawn data point, in pixels: the legend goes where it covers none.
        var marks = [(Double, Double)]()
        for (k, s) in series.enumerated() {
            let colour = SVG.palette[k % SVG.palette.count]
            var idx = s.x.indices.filter { xAxis.contains(s.x[$0]) && yAxis.contains(s.y[$0]) }
            if spec.kind == .line { idx.sort { s.x[$0] < s.x[$1] } }
            if idx.count > maxPoints {
                let stride = Double(idx.count) / Double(maxPoints)
                idx = (0..<maxPoints).map { idx[Int(Double($0) * stride)] } + [idx.last!]
            }
            if let lo = s.lo, let hi = s.hi {
                let band = idx.filter { yAxis.contains(lo[$0]) && yAxis.contains(hi[$0]) }
                let upper = band.map { (xAxis.position(s.x[$0]), yAxis.position(hi[$0])) }
                let lower = band.reversed().map { (xAxis.position(s.x[$0]), yAxis.position(lo[$0])) }
                if band.count == 1 {
                    svg.line(upper[0].0, upper[0].1, lower[0].0, lower[0].1, stroke: colour, width: 2, class: "data")
                    marks += sampled([upper[0], lower[0]])
                } else {
                    svg.polygon(upper + lower, fill: colour, opacity: 0.18)
                    marks += bandCover(upper, Array(lower.reversed()))
                }
            }
            let pts = idx.map { (xAxis.position(s.x[$0]), yAxis.position(s.y[$0])) }
            if spec.kind == .line {
                svg.polyline(pts, stroke: colour, width: 2, dash: s.spec.dashed ? "6 4" : nil, class: "data")
                marks += sampled(pts)
            }
            // Hover values: each marker carries its numbers; a line without markers gets
            // invisible ones where it has few enough points to point at.
            let titles = idx.map { hoverText(spec, s, $0) }
            if spec.kind == .scatter || s.spec.markers {
                for (p, t) in zip(pts, titles) {
                    svg.circle(p.0, p.1, r: spec.kind == .scatter ? 3 : 3.5, fill: colour, title: t, class: "data")
                }
                marks += pts
            } else if pts.count <= maxHoverPoints {
                for (p, t) in zip(pts, titles) { svg.circle(p.0, p.1, r: 5, fill: colour, opacity: 0, title: t) }
            }
        }
        if spec.fitLine, let s = series.first {
            let ok = s.x.indices.filter { s.x[$0].isFinite && s.y[$0].isFinite }
            if ok.count >= 2 {
                let fx = ok.map { spec.xLog ? log10(s.x[$0]) : s.x[$0] }
                let fy = ok.map { spec.yLog ? log10(s.y[$0]) : s.y[$0] }
                let fit = LineFit(x: fx, y: fy)
                let a = fx.min()!
                let b = fx.max()!
                let p = [a, b].map { v -> (Double, Double) in
                    let xv = spec.xLog ? pow(10, v) : v
                    let yv = fit.predict(v)
                    return (xAxis.position(xv), yAxis.position(spec.yLog ? pow(10, yv) : yv))
                }
                svg.polyline(p, stroke: "#555", width: 1.5, dash: "4 3", class: "data")
                marks += sampled(p)
            }
        }
        marks += drawPublished(&svg, published, xAxis, yAxis)
        var entries = series.enumerated().map { k, s -> Legend.Entry in
            let mark: Legend.Mark =
                spec.kind == .scatter
                ? .marker : (s.spec.markers ? .lineAndMarker(dashed: s.spec.dashed) : .line(dashed: s.spec.dashed))
            return Legend.Entry(label: s.spec.label, colour: SVG.palette[k % SVG.palette.count], mark: mark)
        }
        if spec.fitLine {
            entries.append(.init(label: "least-squares line", colour: "#555", mark: .line(dashed: true)))
        }
        entries += published.map {
            Legend.Entry(
                label: "published (" + $0.label + ")", colour: publishedColour,
                mark: $0.y == nil ? .band(opacity: 0.25) : .published)
        }
        Legend(entries: entries).place(&svg, plot: (left, top, width - right, height - bottom), marks: marks)
        return svg.document
    }

    /// Points covering a band (its edges, and columns between them every few pixels): a legend
    /// over a confidence band hides data too.
    static func bandCover(_ upper: [(Double, Double)], _ lower: [(Double, Double)]) -> [(Double, Double)] {
        let edges = sampled(upper) + sampled(lower)
        var inside = [(Double, Double)]()
        for (a, b) in zip(upper, lower) where abs(b.1 - a.1) > 6 {
            inside += stride(from: min(a.1, b.1), through: max(a.1, b.1), by: 6).map { (a.0, $0) }
        }
        return edges + inside
    }

    /// Points every 3 px along a polyline: a legend box crossing a segment covers one of them.
    static func sampled(_ pts: [(Double, Double)]) -> [(Double, Double)] {
        guard pts.count >= 2 else { return pts }
        var out = [pts[0]]
        for (a, b) in zip(pts, pts.dropFirst()) {
            let n = Int((hypot(b.0 - a.0, b.1 - a.1) / 3).rounded(.up))
            if n > 1 {
                for k in 1..<n {
                    let t = Double(k) / Double(n)
                    out.append((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)))
                }
            }
            out.append(b)
        }
        return out
    }

    static func frame(_ svg: inout SVG, _ spec: FigureSpec, _ xAxis: Axis, _ yAxis: Axis) {
        title(&svg, spec.title)
        for t in yAxis.ticks {
            let y = yAxis.position(t)
            svg.line(left, y, width - right, y, stroke: "#e4e4e4")
            svg.text(left - 6, y + 4, Axis.label(t), size: 11, anchor: "end")
        }
        for t in xAxis.ticks {
            let x = xAxis.position(t)
            svg.line(x, top, x, height - bottom, stroke: "#eeeeee")
            svg.line(x, height - bottom, x, height - bottom + 5, stroke: "#444")
            svg.text(x, height - bottom + 18, Axis.label(t), size: 11, class: "x-tick")
        }
        svg.line(left, height - bottom, width - right, height - bottom, stroke: "#444")
        svg.line(left, top, left, height - bottom, stroke: "#444")
        xAxisLabel(
            &svg, spec.xLabel + (spec.xLog ? " (log scale)" : ""), centre: (left + width - right) / 2, span: width - 20,
            baseline: height - 14,
            twoLines: height - bottom + 34)
        // The y label, rotated, fitted to the plot's height (two lines where one will not do).
        let y = TextMetrics.fitted(
            spec.yLabel + (spec.yLog ? " (log scale)" : ""), size: 13, minimum: 10, width: height - bottom - top + 30,
            maxLines: 2)
        for (k, line) in y.lines.prefix(2).enumerated() {
            svg.text(
                y.lines.count > 1 ? 12 + Double(k) * (y.size + 2) : 18, (top + height - bottom) / 2, line, size: y.size,
                rotate: true)
        }
    }

    /// The title, fitted to the figure's width: shrunk, then wrapped onto two lines above the plot.
    static func title(_ svg: inout SVG, _ text: String) {
        let t = TextMetrics.fit(text, size: 15, minimum: 12, width: svg.width - 24, maxLines: 1)
        if t.lines.count == 1 {
            svg.text(svg.width / 2, 22, t.lines[0], size: t.size, weight: "bold")
            return
        }
        let two = TextMetrics.fitted(text, size: 13, minimum: 9, width: svg.width - 24, maxLines: 2)
        for (k, line) in two.lines.prefix(2).enumerated() {
            svg.text(svg.width / 2, 15 + Double(k) * (two.size + 3), line, size: two.size, weight: "bold")
        }
    }

    /// The x axis's name, fitted to `span` pixels centred at `centre`: shrunk, then wrapped onto
    /// two lines, the first at `baseline` (one line) or `twoLines` (two); returns the last line's baseline.
    @discardableResult
    static func xAxisLabel(
        _ svg: inout SVG, _ text: String, centre: Double, span: Double, baseline: Double, twoLines: Double
    ) -> Double {
        // Centred text may reach only as far from `centre` as the nearer edge (12 px inside it).
        let room = min(span, 2 * min(centre - 12, svg.width - 12 - centre))
        let t = TextMetrics.fitted(text, size: 13, minimum: 10, width: room, maxLines: 2)
        let first = t.lines.count > 1 ? twoLines : baseline
        for (k, line) in t.lines.enumerated() {
            svg.text(centre, first + Double(k) * (t.size + 2), line, size: t.size, class: "x-label")
        }
        return first + Double(t.lines.count - 1) * (t.size + 2)
    }

    /// A grid figure's columns: x, the first series' y and the spec's value per row, and the
    /// distinct finite x and y (ascending); nil when a column is missing.
    static func gridValues(_ spec: FigureSpec, _ table: Table) -> (
        x: [Double], y: [Double], v: [Double], ux: [Double], uy: [Double]
    )? {
        // The first series' filter picks the grid's rows (a table may hold a path beside its grid).
        guard let first = spec.series.first, let vname = spec.value else { return nil }
        let r = rows(table, first)
        guard let x = column(table, r, spec.x), let y = column(table, r, first.y), let v = column(table, r, vname)
        else { return nil }
        return (x, y, v, Array(Set(x.filter(\.isFinite))).sorted(), Array(Set(y.filter(\.isFinite))).sorted())
    }

    /// Grid of values over (x, y) with a sequential colour scale (viridis endpoints, colour-blind safe).
    static func heatmap(_ spec: FigureSpec, _ table: Table) -> String {
        var svg = SVG(width: width, height: height)
        guard let (x, y, v, ux, uy) = gridValues(spec, table) else {
            svg.text(width / 2, height / 2, "no data for this figure", size: 14)
            return svg.document
        }
        let plotRight = width - right - 70
        svg.attributes["data-x-axis"] = spec.xLog ? "log" : "numeric"
        let xAxis = Axis(values: ux, log: spec.xLog, pixels: (left, plotRight))
        let yAxis = Axis(values: uy, log: spec.yLog, pixels: (height - bottom, top))
        frame(
            &svg,
            FigureSpec(
                file: spec.file, title: spec.title, table: spec.table, x: spec.x, xLabel: spec.xLabel,
                yLabel: spec.yLabel,
                xLog: spec.xLog, yLog: spec.yLog, series: []), xAxis, yAxis)
        let finite = v.filter(\.isFinite)
        let vmin = finite.min() ?? 0
        let vmax = finite.max() ?? 1
        let cw = (plotRight - left) / Double(max(1, ux.count))
        let ch = (height - bottom - top) / Double(max(1, uy.count))
        for i in v.indices where v[i].isFinite {
            guard let a = ux.firstIndex(of: x[i]), let b = uy.firstIndex(of: y[i]) else { continue }
            let t = vmax > vmin ? (v[i] - vmin) / (vmax - vmin) : 0.5
            svg.rect(left + Double(a) * cw, height - bottom - Double(b + 1) * ch, cw + 0.5, ch + 0.5, fill: colour(t))
        }
        for k in 0..<50 {
            let t = Double(k) / 49
            svg.rect(
                plotRight + 20, height - bottom - (t + 1.0 / 49) * (height - bottom - top), 16,
                (height - bottom - top) / 49 + 0.5, fill: colour(t))
        }
        svg.text(plotRight + 40, top + 10, Axis.label(vmax), size: 10, anchor: "start")
        svg.text(plotRight + 40, height - bottom, Axis.label(vmin), size: 10, anchor: "start")
        return svg.document
    }

    /// Piecewise-linear approximation of viridis through five of its colours.
    static func colour(_ t: Double) -> String {
        let stops: [(Double, Double, Double)] = [
            (68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37),
        ]
        let s = min(max(t, 0), 1) * Double(stops.count - 1)
        let i = min(Int(s), stops.count - 2)
        let f = s - Double(i)
        let c = (0..<3).map { k -> Int in
            let a = [stops[i].0, stops[i].1, stops[i].2][k]
            let b = [stops[i + 1].0, stops[i + 1].1, stops[i + 1].2][k]
            return Int((a + f * (b - a)).rounded())
        }
        return String(format: "#%02x%02x%02x", c[0], c[1], c[2])
    }
}
