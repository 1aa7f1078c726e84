import Foundation

/// A figure's legend: each entry's mark drawn as its series is (a marker for points, a line for
/// lines), placed in the corner of the plot that covers no data mark, or below the plot when
/// every corner would.
struct Legend {
    enum Mark: Equatable {
        case line(dashed: Bool)
        case marker
        case lineAndMarker(dashed: Bool)
        /// A point with its interval (forest and dot plots).
        case interval
        /// A shaded band (a confidence band, an equivalence margin, a published range).
        case band(opacity: Double)
        /// A published value: a hollow diamond.
        case published
    }
    struct Entry {
        var label: String
        var colour: String
        var mark: Mark
    }

    var entries: [Entry]
    static let size = 11.0, lineHeight = 15.0, markWidth = 26.0, pad = 7.0

    /// The labels wrapped to at most `maxWidth` pixels of text.
    func lines(maxWidth: Double) -> [[String]] {
        entries.map { TextMetrics.wrap($0.label, size: Self.size, width: maxWidth) }
    }

    /// Width and height of the box for text at most `maxWidth` wide.
    func box(maxWidth: Double) -> (w: Double, h: Double) {
        let l = lines(maxWidth: maxWidth)
        let text = l.flatMap { $0 }.map { TextMetrics.width($0, size: Self.size) }.max() ?? 0
        return (
            Self.pad * 2 + Self.markWidth + 6 + text,
            Self.pad + Double(l.map(\.count).reduce(0, +)) * Self.lineHeight + Self.pad / 2
        )
    }

    /// Where a box of this size covers none of `marks` inside the plot (the corners, then the
    /// middles of the edges), or nil when every candidate covers one.
    static func corner(
        w: Double, h: Double, plot: (x0: Double, y0: Double, x1: Double, y1: Double), marks: [(Double, Double)]
    ) -> (Double, Double)? {
        guard w <= plot.x1 - plot.x0 - 8, h <= plot.y1 - plot.y0 - 8 else { return nil }
        let inset = 6.0
        let midX = (plot.x0 + plot.x1 - w) / 2
        let midY = (plot.y0 + plot.y1 - h) / 2
        let candidates = [
            (plot.x1 - w - inset, plot.y0 + inset), (plot.x0 + inset, plot.y0 + inset),
            (plot.x1 - w - inset, plot.y1 - h - inset),
            (plot.x0 + inset, plot.y1 - h - inset), (midX, plot.y0 + inset), (midX, plot.y1 - h - inset),
            (plot.x1 - w - inset, midY), (plot.x0 + inset, midY),
        ]
        // A mark within 3 px of the box counts as covered (markers have a radius; lines a width).
        return candidates.first { c in
            !marks.contains { $0.0 >= c.0 - 3 && $0.0 <= c.0 + w + 3 && $0.1 >= c.1 - 3 && $0.1 <= c.1 + h + 3 }
        }
    }

    /// Draws the box at (x, y) with text at most `maxWidth` wide.
    func draw(_ svg: inout SVG, x: Double, y: Double, maxWidth: Double) {
        guard !entries.isEmpty else { return }
        let (w, h) = box(maxWidth: maxWidth)
        svg.open("legend")
        svg.rect(x, y, w, h, fill: "white", stroke: "#ccc", opacity: 0.92, class: "legend-box")
        var ly = y + Self.pad + Self.lineHeight - 4
        for (e, text) in zip(entries, lines(maxWidth: maxWidth)) {
            let mx = x + Self.pad
            let my = ly - 4
            switch e.mark {
            case .line(let dashed):
                svg.line(mx, my, mx + Self.markWidth, my, stroke: e.colour, width: 2.5, dash: dashed ? "6 4" : nil)
            case .marker:
                svg.circle(mx + Self.markWidth / 2, my, r: 3.5, fill: e.colour)
            case .lineAndMarker(let dashed):
                svg.line(mx, my, mx + Self.markWidth, my, stroke: e.colour, width: 2.5, dash: dashed ? "6 4" : nil)
                svg.circle(mx + Self.markWidth / 2, my, r: 3.5, fill: e.colour)
            case .interval:
                svg.line(mx, my, mx + Self.markWidth, my, stroke: e.colour, width: 2)
                svg.circle(mx + Self.markWidth / 2, my, r: 4, fill: e.colour)
            case .band(let opacity):
                svg.rect(mx, my - 6, Self.markWidth, 12, fill: e.colour, opacity: opacity)
            case .published:
                svg.diamond(mx + Self.markWidth / 2, my, r: 5, stroke: e.colour)
            }
            for (k, t) in text.enumerated() {
                svg.text(
                    x + Self.pad + Self.markWidth + 6, ly + Double(k) * Self.lineHeight, t, size: Self.size,
                    anchor: "start")
            }
            ly += Double(text.count) * Self.lineHeight
        }
        svg.close()
    }

    /// Inside the plot where it covers no mark, else below the figure (the SVG grows to hold it).
    func place(_ svg: inout SVG, plot: (x0: Double, y0: Double, x1: Double, y1: Double), marks: [(Double, Double)]) {
        guard !entries.isEmpty else { return }
        let inside = min(300, (plot.x1 - plot.x0) * 0.5) - Self.pad * 2 - Self.markWidth - 6
        let (w, h) = box(maxWidth: inside)
        if let (x, y) = Self.corner(w: w, h: h, plot: plot, marks: marks) {
            draw(&svg, x: x, y: y, maxWidth: inside)
            return
        }
        let below = svg.width - 40 - Self.pad * 2 - Self.markWidth - 6
        let b = box(maxWidth: below)
        let y = svg.height + 4
        draw(&svg, x: max(8, (svg.width - b.w) / 2), y: y, maxWidth: below)
        svg.height = y + b.h + 8
    }
}
