import Foundation

/// A tiny SVG writer: elements appended as text, coordinates rounded to 0.1 px, text escaped.
struct SVG {
    var width: Double
    var height: Double
    private(set) var body = ""

    /// Okabe & Ito (2008): distinguishable with every common form of colour blindness.
    static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func f(_ v: Double) -> String { v.isFinite ? String(format: "%.1f", v) : "0" }

    /// ` class="…"` where a class is given: the browser check tells data marks and legends apart by it.
    static func cls(_ c: String?) -> String { c.map { " class=\"\($0)\"" } ?? "" }

    mutating func line(
        _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double = 1, dash: String? = nil,
        class c: String? = nil
    ) {
        body +=
            "<line\(Self.cls(c)) x1=\"\(Self.f(x1))\" y1=\"\(Self.f(y1))\" x2=\"\(Self.f(x2))\" y2=\"\(Self.f(y2))\" "
            + "stroke=\"\(stroke)\" stroke-width=\"\(width)\""
            + (dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") + "/>\n"
    }

    mutating func polyline(
        _ points: [(Double, Double)], stroke: String, width: Double = 2, dash: String? = nil, class c: String? = nil
    ) {
        guard points.count >= 2 else { return }
        body +=
            "<polyline\(Self.cls(c)) fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(width)\" "
            + "stroke-linejoin=\"round\""
            + (dash.map { " stroke-dasharray=\"\($0)\"" } ?? "")
            + " points=\"" + points.map { Self.f($0.0) + "," + Self.f($0.1) }.joined(separator: " ") + "\"/>\n"
    }

    /// Unconnected segments as one path (contour lines: thousands of short pieces).
    mutating func segments(_ pieces: [((Double, Double), (Double, Double))], stroke: String, width: Double = 1.2) {
        guard !pieces.isEmpty else { return }
        body +=
            "<path fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(width)\" d=\""
            + pieces.map { "M" + Self.f($0.0.0) + " " + Self.f($0.0.1) + "L" + Self.f($0.1.0) + " " + Self.f($0.1.1) }
            .joined() + "\"/>\n"
    }

    mutating func polygon(_ points: [(Double, Double)], fill: String, opacity: Double) {
        guard points.count >= 3 else { return }
        body +=
            "<polygon fill=\"\(fill)\" fill-opacity=\"\(opacity)\" stroke=\"none\" points=\""
            + points.map { Self.f($0.0) + "," + Self.f($0.1) }.joined(separator: " ") + "\"/>\n"
    }

    /// A circle; with `title`, the value a browser shows when the pointer rests on it.
    mutating func circle(
        _ x: Double, _ y: Double, r: Double, fill: String, opacity: Double = 1, title: String? = nil,
        stroke: String? = nil, class c: String? = nil
    ) {
        body +=
            "<circle\(Self.cls(c)) cx=\"\(Self.f(x))\" cy=\"\(Self.f(y))\" r=\"\(r)\" fill=\"\(fill)\""
            + (opacity < 1 ? " fill-opacity=\"\(opacity)\"" : "")
            + (stroke.map { " stroke=\"\($0)\" stroke-width=\"1.5\"" } ?? "")
            + (title.map { "><title>\(Self.escape($0))</title></circle>\n" } ?? "/>\n")
    }

    mutating func rect(
        _ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, stroke: String? = nil, opacity: Double = 1,
        class c: String? = nil
    ) {
        body +=
            "<rect\(Self.cls(c)) x=\"\(Self.f(x))\" y=\"\(Self.f(y))\" width=\"\(Self.f(w))\" height=\"\(Self.f(h))\" "
            + "fill=\"\(fill)\""
            + (opacity < 1 ? " fill-opacity=\"\(opacity)\"" : "") + (stroke.map { " stroke=\"\($0)\"" } ?? "") + "/>\n"
    }

    mutating func text(
        _ x: Double, _ y: Double, _ s: String, size: Double = 12, anchor: String = "middle", weight: String = "normal",
        rotate: Bool = false, fill: String = "#222",
        class c: String? = nil
    ) {
        let transform = rotate ? " transform=\"rotate(-90 \(Self.f(x)) \(Self.f(y)))\"" : ""
        body +=
            "<text\(Self.cls(c)) x=\"\(Self.f(x))\" y=\"\(Self.f(y))\" font-size=\"\(size)\" text-anchor=\"\(anchor)\" "
            + "font-weight=\"\(weight)\" fill=\"\(fill)\"\(transform)>\(Self.escape(s))</text>\n"
    }

    /// A diamond (the mark of a published value: hollow, apart from the filled measurements).
    mutating func diamond(
        _ x: Double, _ y: Double, r: Double, stroke: String, fill: String = "white", title: String? = nil,
        class c: String? = nil
    ) {
        let p = [(x, y - r), (x + r, y), (x, y + r), (x - r, y)].map { Self.f($0.0) + "," + Self.f($0.1) }.joined(
            separator: " ")
        body +=
            "<polygon\(Self.cls(c)) fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"1.8\" points=\"\(p)\""
            + (title.map { "><title>\(Self.escape($0))</title></polygon>\n" } ?? "/>\n")
    }

    /// Opens a group (`<g class="legend">`); `close()` ends it.
    mutating func open(_ c: String) { body += "<g class=\"\(c)\">\n" }
    mutating func close() { body += "</g>\n" }

    /// Attributes on the root element: what kind of x axis the figure has (the browser check
    /// refuses a numeric axis that carries category codes).
    var attributes: [String: String] = [:]

    var document: String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" "
            + "width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"Helvetica, Arial, sans-serif\""
            + attributes.keys.sorted().map { " \($0)=\"\(Self.escape(attributes[$0]!))\"" }.joined() + ">\n"
            + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n" + body + "</svg>\n"
    }
}
