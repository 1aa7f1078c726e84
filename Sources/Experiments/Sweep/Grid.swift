import Foundation
import LinearAlgebra

/// Grids of sweep points written as papers write them.
public enum Grid {
    /// numpy's `geomspace(start, stop, count).astype(int)` with repeats dropped: the grid of the
    /// MNIST-1D notebooks (`geomspace(2, 300, 20)` gives their 19 widths). Computed as numpy does
    /// — 10 to the power of evenly spaced exponents, the ends set exactly — so that truncation
    /// lands on the same integers.
    public static func geomspace(_ start: Double, _ stop: Double, count: Int) -> [Int] {
        precondition(start > 0 && stop > start && count >= 2, "geomspace needs 0 < start < stop and count ≥ 2")
        let a = log10(start)
        let b = log10(stop)
        let step = (b - a) / Double(count - 1)
        var values = (0..<count).map { pow(10, Double($0) * step + a) }
        values[0] = start
        values[count - 1] = stop
        var out = [Int]()
        for v in values {
            let i = Int(v)
            if out.last != i { out.append(i) }
        }
        return out
    }

    /// `geomspace:START,STOP,COUNT` as that grid; nil for any other text.
    public static func parse(_ text: String) throws -> [Int]? {
        guard text.hasPrefix("geomspace:") else { return nil }
        let parts = text.dropFirst("geomspace:".count).split(separator: ",").map {
            Double($0.trimmingCharacters(in: .whitespaces))
        }
        guard parts.count == 3, let a = parts[0], let b = parts[1], let c = parts[2], a >= 1, b > a, c >= 2,
            c == c.rounded()
        else {
            throw GenLabError.usage(
                "geomspace:START,STOP,COUNT needs 1 ≤ START < STOP and an integer COUNT ≥ 2, got \"\(text)\"")
        }
        return geomspace(a, b, count: Int(c))
    }

    /// Positive integers separated by commas, or a `geomspace:START,STOP,COUNT` grid: how a
    /// setting named `name` (in the message) takes a list of counts.
    public static func integers(_ text: String, name: String) throws -> [Int] {
        if let grid = try parse(text) { return grid }
        let parts = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil && $0! > 0 }) else {
            throw GenLabError.usage(
                "\(name) takes positive integers separated by commas (or geomspace:START,STOP,COUNT), got \"\(text)\"")
        }
        return parts.map { $0! }
    }
}
