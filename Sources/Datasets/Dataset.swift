import LinearAlgebra

/// A labelled sample: features (rows are samples), and either class labels or real targets.
public struct Dataset: Sendable {
    /// [count, featureCount], Float: training runs in Float; theory checks convert to Double.
    /// Assigning new features drops `byteFeatures` (they would no longer match).
    public var features: Matrix<Float> { didSet { byteFeatures = nil } }
    /// The same features as bytes, where they are k·scale exactly (images): a quarter of the memory
    /// for the kernels that stream rows (the perceptron). nil for other data.
    public var byteFeatures: ByteFeatures?
    /// Class index per sample (0..<classNames.count); empty for regression.
    public var labels: [Int]
    /// Real-valued target per sample; empty for classification.
    public var targets: [Double]
    public var classNames: [String]
    /// Where the samples came from (file path or generator spec).
    public var provenance: String
    /// The labels before label noise was applied (nil: no noise applied). With noise, the replaced
    /// labels are uniform draws that may coincide with the clean one, so flipped = labels ≠ clean.
    public var cleanLabels: [Int]?

    public init(
        features: Matrix<Float>, labels: [Int] = [], targets: [Double] = [], classNames: [String] = [],
        provenance: String
    ) {
        precondition(
            labels.isEmpty || labels.count == features.rows, "\(labels.count) labels for \(features.rows) samples")
        precondition(
            targets.isEmpty || targets.count == features.rows, "\(targets.count) targets for \(features.rows) samples")
        self.features = features
        self.labels = labels
        self.targets = targets
        self.classNames = classNames
        self.provenance = provenance
    }

    public var count: Int { features.rows }
    public var featureCount: Int { features.cols }
    public var isRegression: Bool { labels.isEmpty }
    public var classCount: Int { classNames.count }

    public func classCounts() -> [Int] {
        var c = [Int](repeating: 0, count: classNames.count)
        for y in labels { c[y] += 1 }
        return c
    }

    /// The samples at `indices`, in that order.
    public func subset(_ indices: [Int]) -> Dataset {
        Dataset(
            features: features.rows(indices),
            labels: labels.isEmpty ? [] : indices.map { labels[$0] },
            targets: targets.isEmpty ? [] : indices.map { targets[$0] },
            classNames: classNames, provenance: provenance
        )
        .withCleanLabels(cleanLabels.map { c in indices.map { c[$0] } })
        .withByteFeatures(byteFeatures.map { $0.rows(indices, width: featureCount) })
    }

    func withCleanLabels(_ c: [Int]?) -> Dataset {
        var d = self
        d.cleanLabels = c
        return d
    }
    func withByteFeatures(_ b: ByteFeatures?) -> Dataset {
        var d = self
        d.byteFeatures = b
        return d
    }

    /// Labels as ±1 for a two-class set (class 0 → −1, class 1 → +1).
    public func signedLabels() throws -> [Double] {
        guard classNames.count == 2 else {
            throw GenLabError.data(
                source: provenance, expected: "two classes for a binary task",
                found: "\(classNames.count) classes", fix: "pick a pair with classes=A,B")
        }
        return labels.map { $0 == 1 ? 1 : -1 }
    }

    /// R = maxᵢ ‖xᵢ‖, in Double.
    public func radius() -> Double {
        var r = 0.0
        features.storage.withUnsafeBufferPointer { p in
            for i in 0..<count {
                var s = 0.0
                for j in 0..<featureCount {
                    let v = Double(p[i * featureCount + j])
                    s += v * v
                }
                r = max(r, s)
            }
        }
        return r.squareRoot()
    }
}

/// A train/test pair, an optional validation split, and facts the generator planted.
public struct DataSplit: Sendable {
    public var train: Dataset
    public var test: Dataset
    public var validation: Dataset?
    /// The spec that produced it, as given.
    public var spec: String
    /// Known quantities (planted margin "margin", radius "radius", noise σ "noise", …).
    public var facts: [String: Double]
    /// Planted vectors of a synthetic set: the separating direction w*, the regression β, the teacher's weights.
    public var planted: [String: [Double]] = [:]
    /// Shapes of the planted arrays that are not vectors (row-major), e.g. the teacher's [width, d].
    public var plantedShapes: [String: [Int]] = [:]
    /// Where one sample's features sit, when they have positions: [length] for a 1-D signal
    /// (MNIST-1D), [height, width] for a row-major image (Fashion-MNIST); nil for a plain vector
    /// or for shuffled positions. Translations (augmentation) and the CNN's prior need it.
    public var sampleShape: [Int]? = nil
    /// Where the test set came from (a held-out fraction, a test file, the generator, the
    /// data set's own split), for every run's summary.
    public var splitDescription: String

    public init(
        train: Dataset, test: Dataset, validation: Dataset? = nil, spec: String, facts: [String: Double] = [:],
        splitDescription: String = ""
    ) {
        self.train = train
        self.test = test
        self.validation = validation
        self.spec = spec
        self.facts = facts
        self.splitDescription = splitDescription
    }

    /// One line: the sizes and where the test set came from.
    public var splitSummary: String {
        var s = "data: \(train.count) train / \(test.count) test"
        if let v = validation { s += " / \(v.count) validation" }
        return s + (splitDescription.isEmpty ? "" : "; " + splitDescription)
    }

    /// Throws unless there is a test set (`holdout=0` without `test-file=` leaves none).
    public func requireTestSet(for purpose: String) throws {
        guard test.count > 0 else {
            throw GenLabError.usage(
                "dataset spec \"\(spec)\": \(purpose) needs a test set, and this spec has none (holdout=0); give "
                    + "test-file=PATH or holdout=F > 0"
            )
        }
    }
}
