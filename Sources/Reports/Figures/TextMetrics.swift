import Foundation

/// Text measured before it is placed: approximate Helvetica advance widths (in ems), so that a
/// label is shrunk or wrapped to fit instead of running past the figure's edge. The widths
/// err on the wide side (an unknown glyph counts as a wide one): a label measured too wide
/// wraps a little early, one measured too narrow would be cut off.
enum TextMetrics {
    /// Advance width of one character, in ems (Helvetica's AFM widths, rounded up).
    static func em(_ c: Character) -> Double {
        switch c {
        case "i", "j", "l", "'", "|", ".", ",", ":", ";", "!": return 0.24
        case " ", "f", "t", "r", "I", "(", ")", "[", "]", "/", "-", "\u{2009}": return 0.34
        case "0"..."9", "+", "=", "<", ">", "_", "$", "?", "*", "^", "~", "#": return 0.56
        case "m", "M", "W": return 0.86
        case "w": return 0.74
        case "a"..."z": return 0.56
        case "A"..."Z": return 0.70
        case "%", "&", "@", "—", "…": return 0.92
        case "–", "−", "×", "±", "≈", "≤", "≥", "→": return 0.60
        default: return 0.66
        }
    }

    /// Width of `s` in pixels at font size `size`.
    static func width(_ s: String, size: Double) -> Double { s.reduce(0) { $0 + em($1) } * size }

    /// `s` broken at spaces into lines at most `width` pixels wide (a single word wider than
    /// that is cut by characters).
    static func wrap(_ s: String, size: Double, width: Double) -> [String] {
        var lines = [String]()
        var line = ""
        for word in s.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            let candidate = line.isEmpty ? word : line + " " + word
            if Self.width(candidate, size: size) <= width {
                line = candidate
                continue
            }
            if !line.isEmpty { lines.append(line) }
            line = ""
            for ch in word {
                if Self.width(line + String(ch), size: size) > width, !line.isEmpty {
                    lines.append(line)
                    line = ""
                }
                line.append(ch)
            }
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }

    /// The largest size from `size` down to `minimum` (in steps of 0.5) at which `s` fits in
    /// `width` on at most `maxLines` lines, and those lines; at the minimum it wraps into as
    /// many lines as it takes.
    static func fit(_ s: String, size: Double, minimum: Double, width: Double, maxLines: Int = 1) -> (
        size: Double, lines: [String]
    ) {
        var z = size
        while z >= minimum {
            let lines = wrap(s, size: z, width: width)
            if lines.count <= maxLines { return (z, lines) }
            z -= 0.5
        }
        return (minimum, wrap(s, size: minimum, width: width))
    }

    /// `fit`, then at most `maxLines` lines, the last cut with "…" where the text had more.
    static func fitted(_ s: String, size: Double, minimum: Double, width: Double, maxLines: Int) -> (
        size: Double, lines: [String]
    ) {
        let f = fit(s, size: size, minimum: minimum, width: width, maxLines: maxLines)
        guard f.lines.count > maxLines else { return f }
        var last = f.lines[maxLines - 1]
        while !last.isEmpty && Self.width(last + "…", size: f.size) > width { last.removeLast() }
        return (f.size, Array(f.lines.prefix(maxLines - 1)) + [last + "…"])
    }
}
