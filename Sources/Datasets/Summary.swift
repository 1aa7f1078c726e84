import LinearAlgebra

/// What `genlab data describe` prints: sizes, classes, R = max‖x‖ and feature ranges.
public struct DatasetSummary: Codable, Sendable {
    /// One split's numbers: sizes, class counts, radius and feature ranges.
    public struct Part: Codable, Sendable {
        public var samples: Int
        public var features: Int
        public var classes: [String: Int]?
        public var classOrder: [String]?
        public var targetRange: [Double]?
        /// R = maxᵢ ‖xᵢ‖
        public var radius: Double
        public var featureMin: Double
        public var featureMax: Double
        public var featureMean: Double
        public var featureStd: Double
        /// Per-feature [min, max], only for at most 64 features (else omitted).
        public var perFeatureRanges: [[Double]]?

        public init(_ d: Dataset) {
            samples = d.count
            features = d.featureCount
            if d.isRegression {
                targetRange = [d.targets.min() ?? .nan, d.targets.max() ?? .nan]
            } else {
                let c = d.classCounts()
                classes = Dictionary(uniqueKeysWithValues: zip(d.classNames, c))
                classOrder = d.classNames
            }
            radius = d.radius()
            var lo = Double.infinity
            var hi = -Double.infinity
            var sum = 0.0
            var sumSq = 0.0
            var mins = [Double](repeating: .infinity, count: d.featureCount)
            var maxs = [Double](repeating: -.infinity, count: d.featureCount)
            d.features.storage.withUnsafeBufferPointer { p in
                for i in 0..<d.count {
                    for j in 0..<d.featureCount {
                        let v = Double(p[i * d.featureCount + j])
                        lo = min(lo, v)
                        hi = max(hi, v)
                        sum += v
                        sumSq += v * v
                        mins[j] = min(mins[j], v)
                        maxs[j] = max(maxs[j], v)
                    }
                }
            }
            let n = Double(max(1, d.count * d.featureCount))
            featureMin = lo
            featureMax = hi
            featureMean = sum / n
            featureStd = max(0, sumSq / n - featureMean * featureMean).squareRoot()
            perFeatureRanges = d.featureCount <= 64 ? zip(mins, maxs).map { [$0, $1] } : nil
        }

        /// Global mean ≈ 0 and standard deviation ≈ 1 (to 1e-2).
        public var looksStandardized: Bool { abs(featureMean) < 1e-2 && abs(featureStd - 1) < 1e-2 }
    }

    public var spec: String
    public var train: Part
    public var test: Part
    public var validation: Part?
    public var facts: [String: Double]
    /// Where the test set came from (the 80/20 default split of a file, a test file, the generator's draw, …).
    public var split: String

    public init(_ s: DataSplit) {
        spec = s.spec
        train = Part(s.train)
        test = Part(s.test)
        validation = s.validation.map(Part.init)
        facts = s.facts
        split = s.splitDescription
    }

    /// The human-readable form.
    public var text: String {
        func fmt(_ v: Double) -> String { String(format: "%.4g", v) }
        func part(_ name: String, _ p: Part) -> String {
            var s = "\(name): \(p.samples) samples, \(p.features) features\n"
            if let order = p.classOrder, let c = p.classes {
                s += "  classes (\(order.count)): " + order.map { "\($0) \(c[$0] ?? 0)" }.joined(separator: ", ") + "\n"
            }
            if let t = p.targetRange { s += "  targets in [\(fmt(t[0])), \(fmt(t[1]))]\n" }
            s += "  R = max‖x‖ = \(fmt(p.radius))\n"
            s +=
                "  features in [\(fmt(p.featureMin)), \(fmt(p.featureMax))], mean \(fmt(p.featureMean)), std "
                + "\(fmt(p.featureStd))"
            s += p.looksStandardized ? " (standardized)\n" : "\n"
            return s
        }
        var out =
            "dataset \(spec)\n" + (split.isEmpty ? "" : "split: \(split)\n") + part("train", train) + part("test", test)
        if let v = validation { out += part("validation", v) }
        if !facts.isEmpty {
            out += "planted: " + facts.keys.sorted().map { "\($0) = \(fmt(facts[$0]!))" }.joined(separator: ", ") + "\n"
        }
        return out
    }
}
