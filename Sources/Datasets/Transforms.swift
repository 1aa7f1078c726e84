import LinearAlgebra

/// Transformations of a sample. Each is a pure function of its input and a seed.
extension Dataset {
    /// `n` samples, each class represented in proportion to its count (largest remainders).
    public func stratifiedSubsample(_ n: Int, seed: UInt64) throws -> Dataset {
        guard n >= 1 && n <= count else {
            throw GenLabError.usage("\(provenance): cannot subsample \(n) of \(count) samples (expected 1…\(count))")
        }
        if n == count { return self }
        var rng = Generator(seed: seed, stream: 11)
        if isRegression { return subset(rng.sample(n, from: count).sorted()) }
        var byClass = [[Int]](repeating: [], count: classCount)
        for (i, y) in labels.enumerated() { byClass[y].append(i) }
        let exact = byClass.map { Double($0.count) * Double(n) / Double(count) }
        var take = exact.map { Int($0) }
        let order = exact.indices.sorted { exact[$0] - Double(take[$0]) > exact[$1] - Double(take[$1]) }
        var missing = n - take.reduce(0, +)
        for c in order where missing > 0 && take[c] < byClass[c].count {
            take[c] += 1
            missing -= 1
        }
        var chosen = [Int]()
        for c in 0..<classCount { chosen += rng.sample(take[c], from: byClass[c].count).map { byClass[c][$0] } }
        return subset(chosen.sorted())
    }

    /// Replaces the labels of a `fraction` of the samples by uniform random labels (which may
    /// coincide with the true one, as in Zhang et al. 2017 and the MNIST-1D notebooks).
    public func withLabelNoise(_ fraction: Double, seed: UInt64) throws -> Dataset {
        guard fraction >= 0 && fraction <= 1 else {
            throw GenLabError.usage("label noise must be in [0, 1], got \(fraction)")
        }
        guard !isRegression else {
            throw GenLabError.usage("\(provenance): label noise needs class labels, this is a regression set")
        }
        var rng = Generator(seed: seed, stream: 12)
        var out = self
        if out.cleanLabels == nil { out.cleanLabels = labels }
        let k = Int((fraction * Double(count)).rounded())
        for i in rng.sample(k, from: count) { out.labels[i] = rng.int(below: classCount) }
        return out
    }

    /// Every label replaced by a uniform random one.
    public func withRandomLabels(seed: UInt64) throws -> Dataset { try withLabelNoise(1, seed: seed) }

    /// The samples of two classes, relabelled 0 (first) and 1 (second).
    public func classPair(_ a: Int, _ b: Int) -> Dataset {
        let idx = labels.indices.filter { labels[$0] == a || labels[$0] == b }
        var out = subset(idx)
        out.labels = out.labels.map { $0 == a ? 0 : 1 }
        out.cleanLabels = out.cleanLabels?.map { $0 == a ? 0 : ($0 == b ? 1 : -1) }
        out.classNames = [classNames[a], classNames[b]]
        return out
    }
}

/// Per-feature affine map fitted on training data: (x − μ)/σ, σ = 1 where a feature is constant.
public struct Standardizer: Sendable {
    public var mean: [Double]
    public var std: [Double]

    public init(fittedOn x: Matrix<Float>) {
        let n = Double(max(1, x.rows))
        var m = [Double](repeating: 0, count: x.cols)
        var s = [Double](repeating: 0, count: x.cols)
        for i in 0..<x.rows { for j in 0..<x.cols { m[j] += Double(x[i, j]) } }
        m = m.map { $0 / n }
        for i in 0..<x.rows {
            for j in 0..<x.cols {
                let d = Double(x[i, j]) - m[j]
                s[j] += d * d
            }
        }
        std = s.map {
            let v = ($0 / n).squareRoot()
            return v > 1e-12 ? v : 1
        }
        mean = m
    }

    public func apply(_ x: Matrix<Float>) -> Matrix<Float> {
        var out = x
        for i in 0..<x.rows { for j in 0..<x.cols { out[i, j] = Float((Double(x[i, j]) - mean[j]) / std[j]) } }
        return out
    }
}

extension DataSplit {
    /// Standardizes train, test and validation with statistics of the training set only.
    public func standardized() -> DataSplit {
        let s = Standardizer(fittedOn: train.features)
        var out = self
        out.train.features = s.apply(train.features)
        out.test.features = s.apply(test.features)
        if let v = validation { out.validation?.features = s.apply(v.features) }
        return out
    }

    /// Moves a random `fraction` of the training samples into `validation`.
    public func withValidationSplit(_ fraction: Double, seed: UInt64) throws -> DataSplit {
        guard fraction > 0 && fraction < 1 else {
            throw GenLabError.usage("validation fraction must be in (0, 1), got \(fraction)")
        }
        var rng = Generator(seed: seed, stream: 13)
        let order = rng.permutation(train.count)
        let k = Int((fraction * Double(train.count)).rounded())
        guard k >= 1 && k < train.count else {
            throw GenLabError.usage("validation fraction \(fraction) of \(train.count) samples leaves an empty side")
        }
        var out = self
        out.validation = train.subset(Array(order[..<k]).sorted())
        out.train = train.subset(Array(order[k...]).sorted())
        return out
    }
}

/// The input corruptions of Zhang, Bengio, Hardt, Recht & Vinyals (2017), §2: what is left of
/// an image when its structure is destroyed, labels kept.
extension Dataset {
    /// Every sample's features reordered by the same permutation `order` (Zhang's "shuffled
    /// pixels": the same for train and test, so the task stays learnable, without locality).
    public func withFeaturesPermuted(_ order: [Int]) -> Dataset {
        precondition(
            order.count == featureCount && Set(order).count == featureCount,
            "a permutation of the \(featureCount) features")
        var out = self
        let d = featureCount
        for i in 0..<count { for j in 0..<d { out.features.storage[i * d + j] = features.storage[i * d + order[j]] } }
        out.provenance = provenance + " (features permuted)"
        return out
    }

    /// Each sample's features reordered by its own random permutation ("random pixels").
    public func withFeaturesPermutedPerSample(seed: UInt64) -> Dataset {
        var rng = Generator(seed: seed, stream: 14)
        var out = self
        let d = featureCount
        var order = Array(0..<d)
        for i in 0..<count {
            rng.shuffle(&order)
            for j in 0..<d { out.features.storage[i * d + j] = features.storage[i * d + order[j]] }
        }
        out.provenance = provenance + " (random pixels)"
        return out
    }

    /// Features replaced by Gaussian noise with each feature's mean and standard deviation in
    /// `reference` (the training set), labels kept ("Gaussian").
    public func withGaussianFeatures(matching reference: Dataset, seed: UInt64) -> Dataset {
        precondition(
            reference.featureCount == featureCount,
            "the reference has \(reference.featureCount) features, this set \(featureCount)")
        let d = featureCount
        let n = Double(max(reference.count, 1))
        var mean = [Double](repeating: 0, count: d)
        var sd = [Double](repeating: 0, count: d)
        for i in 0..<reference.count { for j in 0..<d { mean[j] += Double(reference.features.storage[i * d + j]) / n } }
        for i in 0..<reference.count {
            for j in 0..<d {
                let r = Double(reference.features.storage[i * d + j]) - mean[j]
                sd[j] += r * r / n
            }
        }
        sd = sd.map { $0.squareRoot() }
        var rng = Generator(seed: seed, stream: 15)
        var out = self
        for i in 0..<count {
            for j in 0..<d { out.features.storage[i * d + j] = Float(mean[j] + sd[j] * rng.normal()) }
        }
        out.provenance = provenance + " (Gaussian inputs)"
        return out
    }
}

extension Dataset {
    /// The samples followed by copies of them with each signal rolled by every shift in `shifts`
    /// (positions, circular): cheap data augmentation for 1-D signals such as MNIST-1D's, whose
    /// generator places each digit by the same circular roll — a shifted digit is the same digit.
    public func withShiftedCopies(_ shifts: [Int]) -> Dataset {
        let d = featureCount
        return withCopies(shifts.count, describedAs: "shifted copies \(shifts)") { k, x, out in
            let s = shifts[k]
            for j in 0..<d { out[j] = x[((j - s) % d + d) % d] }
        }
    }

    /// The samples followed by copies of them translated by every offset (rows down, columns
    /// right) as row-major `height` × `width` images, with zeros where the image moved away.
    /// Zero fill rather than a roll: an object pushed off one edge does not come back on the
    /// other (Fashion-MNIST's images have black borders, so ±2 pixels loses nothing).
    public func withTranslatedCopies(_ offsets: [(rows: Int, cols: Int)], height: Int, width: Int) -> Dataset {
        precondition(
            height * width == featureCount,
            "images of \(height)×\(width) need \(height * width) features, this set has \(featureCount)")
        let described = offsets.map { "(\($0.rows),\($0.cols))" }.joined(separator: " ")
        return withCopies(offsets.count, describedAs: "translated copies \(described)") { k, x, out in
            let (dr, dc) = offsets[k]
            for r in 0..<height {
                for c in 0..<width {
                    let r0 = r - dr
                    let c0 = c - dc
                    out[r * width + c] = r0 >= 0 && r0 < height && c0 >= 0 && c0 < width ? x[r0 * width + c0] : 0
                }
            }
        }
    }

    /// The samples followed by `copies` transformed copies of all of them (copy k of sample i is
    /// `transform(k, row i, into:)`), labels and targets repeated alike.
    func withCopies(
        _ copies: Int, describedAs what: String,
        _ transform: (Int, UnsafeBufferPointer<Float>, UnsafeMutableBufferPointer<Float>) -> Void
    ) -> Dataset {
        let d = featureCount
        let n = count
        let total = n * (1 + copies)
        var storage = [Float](repeating: 0, count: total * d)
        features.storage.withUnsafeBufferPointer { x in
            storage.withUnsafeMutableBufferPointer { out in
                for j in 0..<(n * d) { out[j] = x[j] }
                for k in 0..<copies {
                    for i in 0..<n {
                        transform(
                            k, UnsafeBufferPointer(rebasing: x[(i * d)..<((i + 1) * d)]),
                            UnsafeMutableBufferPointer(
                                rebasing: out[(((1 + k) * n + i) * d)..<(((1 + k) * n + i + 1) * d)]))
                    }
                }
            }
        }
        let times = 1 + copies
        var out = Dataset(
            features: Matrix(rows: total, cols: d, storage: storage),
            labels: isRegression ? [] : Array(repeating: labels, count: times).flatMap { $0 },
            targets: isRegression ? Array(repeating: targets, count: times).flatMap { $0 } : [],
            classNames: classNames, provenance: provenance + " (with \(what))")
        out.cleanLabels = cleanLabels.map { Array(repeating: $0, count: times).flatMap { $0 } }
        return out
    }
}
