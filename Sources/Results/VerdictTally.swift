/// Verdicts counted by kind and outcome: theorem checks are never tallied with findings (a
/// theorem check fails only through a bug; a finding could have come out either way).
public struct VerdictTally: Equatable, Sendable {
    /// counts[kind][outcome], outcome one of "supported", "not supported", "inconclusive".
    public private(set) var counts: [VerdictKind: [String: Int]] = [:]

    public init<S: Sequence>(_ verdicts: S) where S.Element == Verdict {
        for v in verdicts { counts[v.kind, default: [:]][v.label, default: 0] += 1 }
    }

    public func count(_ kind: VerdictKind, _ label: String? = nil) -> Int {
        guard let byLabel = counts[kind] else { return 0 }
        return label.map { byLabel[$0] ?? 0 } ?? byLabel.values.reduce(0, +)
    }

    /// "41 findings: 30 supported, 4 not supported, 7 inconclusive; 24 theorem checks: all 24 hold".
    public var sentence: String {
        var parts = [String]()
        for kind in [VerdictKind.finding, .replication, .theorem] where count(kind) > 0 {
            let n = count(kind)
            if kind == .theorem {
                let held = count(kind, "supported")
                let rest = [("fail", count(kind, "not supported")), ("undecided", count(kind, "inconclusive"))].filter {
                    $0.1 > 0
                }
                parts.append(
                    kind.counted(n) + ": "
                        + (held == n
                            ? (n == 1 ? "it holds" : "all \(n) hold")
                            : (["\(held) hold"] + rest.map { "\($0.1) \($0.0)" }).joined(separator: ", ")))
            } else {
                let outcomes = ["supported", "not supported", "inconclusive"].map { "\(count(kind, $0)) \($0)" }
                parts.append(kind.counted(n) + ": " + outcomes.joined(separator: ", "))
            }
        }
        return parts.isEmpty ? "no verdicts" : parts.joined(separator: "; ")
    }
}
