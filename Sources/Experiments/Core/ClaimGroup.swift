/// The talk's claim groups, in its order: the report opens with one line per group saying what
/// its claims came to.
public enum ClaimGroup: String, CaseIterable, Sendable {
    case perceptron = "The perceptron"
    case pac = "ERM and PAC bounds"
    case biasVariance = "Bias and variance"
    case biggerIsBetter = "Bigger is better"
    case doubleDescent = "Double descent"
    case sharpFlat = "Sharp and flat minima"
    case implicitBias = "The implicit bias of gradient descent"
    case randomLabels = "Random labels"
    case regularizers = "Regularizers"
    case measures = "Generalization measures"
    case retest = "Test-set reuse"

    /// The group of an experiment (by its name in result.json); nil for tools outside the talk.
    public static func of(experiment name: String) -> ClaimGroup? {
        switch name {
        case "perceptron-mistakes", "perceptron-risk", "perceptron-proof", "perceptron-dimension", "perceptron-fit":
            return .perceptron
        case "pac": return .pac
        case _ where name.hasPrefix("bias-variance"): return .biasVariance
        case "model-size": return .biggerIsBetter
        case _ where name.hasPrefix("double-descent"): return .doubleDescent
        case "sharpness-rescaling", "batch-size-sharpness", "edge-of-stability", "bad-minima", "landscape-trajectory":
            return .sharpFlat
        case _ where name.hasPrefix("implicit-bias"): return .implicitBias
        case "random-labels": return .randomLabels
        case "regularizers": return .regularizers
        case "measures": return .measures
        case "retest": return .retest
        default: return Registry.entries.first { $0.name == name && $0.group != nil }?.group
        }
    }
}

extension ReportCatalog {
    /// The talk as the registry has it: its experiments' order, claims and claim groups.
    public static let talk = ReportCatalog(
        order: { Registry.order($0) },
        claim: { Registry.claim(of: $0) },
        group: { ClaimGroup.of(experiment: $0)?.rawValue }, groups: ClaimGroup.allCases.map(\.rawValue))
}
