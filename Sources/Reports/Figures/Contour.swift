import Foundation
import LinearAlgebra
import Results

/// Contour lines of a value over a regular grid, by marching squares: in each cell, a level
/// crosses every edge whose two corners lie on opposite sides of it, at the linearly
/// interpolated point; a cell crossed on all four edges (a saddle) is split by its centre value.
public enum Contour {
    /// A point of the plane.
    public typealias Point = (x: Double, y: Double)

    /// The segments of level `c` over v[j][i] at (xs[i], ys[j]); NaN corners leave their cell out.
    public static func segments(_ v: [[Double]], xs: [Double], ys: [Double], level c: Double) -> [(Point, Point)] {
        var out = [(Point, Point)]()
        guard ys.count >= 2, xs.count >= 2 else { return out }
        for j in 0..<(ys.count - 1) {
            for i in 0..<(xs.count - 1) {
                // Corners counter-clockwise from (i, j); edge k joins corner k and k + 1.
                let corners: [(Double, Double, Double)] = [
                    (xs[i], ys[j], v[j][i]), (xs[i + 1], ys[j], v[j][i + 1]),
                    (xs[i + 1], ys[j + 1], v[j + 1][i + 1]), (xs[i], ys[j + 1], v[j + 1][i]),
                ]
                guard corners.allSatisfy({ $0.2.isFinite }) else { continue }
                var crossings = [Point]()
                for k in 0..<4 {
                    let a = corners[k]
                    let b = corners[(k + 1) % 4]
                    guard (a.2 < c) != (b.2 < c) else { continue }
                    let t = (c - a.2) / (b.2 - a.2)
                    crossings.append((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)))
                }
                if crossings.count == 2 {
                    out.append((crossings[0], crossings[1]))
                } else if crossings.count == 4 {
                    // Crossings on edges 0..3; the centre decides which corners' region connects.
                    let centre = corners.map(\.2).reduce(0, +) / 4
                    if (centre < c) == (corners[0].2 < c) {
                        out.append((crossings[0], crossings[1]))
                        out.append((crossings[2], crossings[3]))
                    } else {
                        out.append((crossings[0], crossings[3]))
                        out.append((crossings[1], crossings[2]))
                    }
                }
            }
        }
        return out
    }

    /// Levels at evenly spaced quantiles of the finite values: the lines crowd where the surface
    /// has most of its points (a basin inside steep walls shows its inside, not only its walls).
    public static func levels(_ values: [Double], count: Int) -> [Double] {
        let v = values.filter(\.isFinite).sorted()
        guard v.count >= 2, count >= 1 else { return [] }
        let q = (1...count).map { k in v[min(v.count - 1, Int(Double(k) / Double(count + 1) * Double(v.count)))] }
        return Array(Set(q)).sorted()
    }
}

extension Plot {
    /// Contour lines of the spec's value column over (x, first series' y), coloured by level.
    static func contour(_ spec: FigureSpec, _ table: Table) -> String {
        var svg = SVG(width: width, height: height)
        guard let (x, y, v, ux, uy) = gridValues(spec, table) else {
            svg.text(width / 2, height / 2, "no data for this figure", size: 14)
            return svg.document
        }
        var grid = [[Double]](repeating: [Double](repeating: .nan, count: ux.count), count: uy.count)
        let xi = Dictionary(uniqueKeysWithValues: ux.enumerated().map { ($1, $0) })
        let yi = Dictionary(uniqueKeysWithValues: uy.enumerated().map { ($1, $0) })
        for r in v.indices { if let a = xi[x[r]], let b = yi[y[r]] { grid[b][a] = v[r] } }
        let plotRight = width - right - 70
        let xAxis = Axis(values: ux, log: false, pixels: (left, plotRight))
        let yAxis = Axis(values: uy, log: false, pixels: (height - bottom, top))
        frame(
            &svg,
            FigureSpec(
                file: spec.file, title: spec.title, table: spec.table, x: spec.x, xLabel: spec.xLabel,
                yLabel: spec.yLabel, series: []), xAxis, yAxis)
        let levels = Contour.levels(v, count: 14)
        for (k, c) in levels.enumerated() {
            let pieces = Contour.segments(grid, xs: ux, ys: uy, level: c).map { s in
                ((xAxis.position(s.0.x), yAxis.position(s.0.y)), (xAxis.position(s.1.x), yAxis.position(s.1.y)))
            }
            svg.segments(pieces, stroke: colour(levels.count > 1 ? Double(k) / Double(levels.count - 1) : 0.5))
        }
        // Further series: paths over the contours (a training trajectory), in the table's row order,
        // clipped to the grid; markers at every point, the last one ringed.
        for s in spec.series.dropFirst() {
            let r = rows(table, s)
            guard let px = column(table, r, spec.x), let py = column(table, r, s.y) else { continue }
            let points = zip(px, py).filter {
                $0.0.isFinite && $0.1.isFinite && $0.0 >= ux[0] && $0.0 <= ux[ux.count - 1] && $0.1 >= uy[0]
                    && $0.1 <= uy[uy.count - 1]
            }
            .map { (xAxis.position($0.0), yAxis.position($0.1)) }
            svg.polyline(points, stroke: "#000000", width: 1.5, dash: s.dashed ? "4,3" : nil)
            for p in points { svg.circle(p.0, p.1, r: 2.5, fill: "#000000") }
            if let end = points.last { svg.circle(end.0, end.1, r: 5, fill: "#d62728", title: s.label) }
        }
        // The level scale: one swatch per level, labelled at both ends.
        let h = (height - bottom - top) / Double(max(levels.count, 1))
        for k in levels.indices {
            svg.rect(
                plotRight + 20, height - bottom - Double(k + 1) * h, 16, h + 0.5,
                fill: colour(levels.count > 1 ? Double(k) / Double(levels.count - 1) : 0.5))
        }
        if let lo = levels.first, let hi = levels.last {
            svg.text(plotRight + 40, top + 10, Axis.label(hi), size: 10, anchor: "start")
            svg.text(plotRight + 40, height - bottom, Axis.label(lo), size: 10, anchor: "start")
        }
        return svg.document
    }
}
