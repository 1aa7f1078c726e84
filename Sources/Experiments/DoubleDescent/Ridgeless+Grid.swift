extension RidgelessExperiment {
    /// The value with its γ = p/n grid given as counts, as a paper's axis reads: feature counts p
    /// at the fixed n (axis features), or sample counts n at the fixed p (axis samples).
    public func gridding(_ counts: [Int]) -> RidgelessExperiment {
        var e = self
        e.gammas =
            axis == .features
            ? counts.map { Double($0) / Double(samples) } : counts.map { Double(samples) / Double($0) }.sorted()
        return e
    }
}
