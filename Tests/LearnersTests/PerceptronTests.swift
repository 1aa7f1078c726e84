import Datasets
import Learners
import LinearAlgebra
import Measures
import XCTest

final class PerceptronTests: XCTestCase {
    /// The 20-line reference: Algorithm 1 written as plainly as possible.
    func referencePerceptron(_ x: [[Double]], _ y: [Double], epochs: Int) -> (w: [Double], mistakes: [Int]) {
        var w = [Double](repeating: 0, count: x[0].count)
        var mistakes = [Int]()
        for _ in 0..<epochs {
            var any = false
            for i in 0..<x.count {
                var s = 0.0
                for j in 0..<w.count { s += w[j] * x[i][j] }
                if y[i] * s <= 0 {
                    for j in 0..<w.count { w[j] += y[i] * x[i][j] }
                    mistakes.append(i)
                    any = true
                }
            }
            if !any { break }
        }
        return (w, mistakes)
    }

    func separable(d: Int, n: Int, margin: Double, seed: UInt64) -> (Matrix<Double>, [Double], Separable) {
        let g = Separable(dimension: d, trainCount: n, testCount: 10, margin: margin, radius: 1, seed: seed)
        let s = g.generate()
        return (s.train.features.converted(), try! s.train.signedLabels(), g)
    }

    func testEqualsReference() {
        for seed in 0..<5 as Range<UInt64> {
            let (x, y, _) = separable(d: 7, n: 60, margin: 0.05, seed: seed)
            let fit = Perceptron(maxEpochs: 50).fit(x, y)
            let ref = referencePerceptron((0..<x.rows).map { x.row($0) }, y, epochs: 50)
            XCTAssertEqual(fit.mistakes.map(\.sample), ref.mistakes)
            for (a, b) in zip(fit.weights, ref.w) { XCTAssertEqual(a, b, accuracy: 1e-12) }
            XCTAssertEqual(fit.mistakes.count, fit.mistakesPerEpoch.reduce(0, +))
        }
    }

    /// Shuffled orders against the reference run on the same order: a uniform permutation per epoch
    /// (the generator's Fisher–Yates), or blocks of consecutive samples in random order.
    func testShuffledOrdersEqualTheReferenceOnThatOrder() {
        let (x, y, _) = separable(d: 6, n: 53, margin: 0.05, seed: 3)
        for block in [1, 8] {
            // The orders the fit will use: one draw per epoch from the same stream.
            var rng = Generator(seed: 11)
            var orders = [[Int]]()
            var order = Array(0..<x.rows)
            for _ in 0..<30 {
                order.withUnsafeMutableBufferPointer { o in
                    var p = o
                    if block == 1 {
                        rng.shuffle(&p)
                    } else {
                        var starts = Array(stride(from: 0, to: x.rows, by: block))
                        rng.shuffle(&starts)
                        var k = 0
                        for s in starts {
                            for i in s..<min(s + block, x.rows) {
                                p[k] = i
                                k += 1
                            }
                        }
                    }
                }
                orders.append(order)
            }
            XCTAssertEqual(orders[0].sorted(), Array(0..<x.rows))
            if block == 8 {
                XCTAssertTrue(
                    orders[1].indices.allSatisfy {
                        $0 % 8 == 0 || orders[1][$0] == orders[1][$0 - 1] + 1 || orders[1][$0] % 8 == 0
                    })
            }
            let fit = Perceptron(maxEpochs: 30, shuffleSeed: 11, shuffleBlock: block).fit(x, y)
            // Reference: Algorithm 1 on the epochs' orders, stopping after an epoch without mistakes.
            var w = [Double](repeating: 0, count: x.cols)
            var mistakes = [Int]()
            for o in orders {
                var any = false
                for i in o {
                    let s = (0..<x.cols).reduce(0.0) { $0 + w[$1] * x[i, $1] }
                    if y[i] * s <= 0 {
                        for j in 0..<x.cols { w[j] += y[i] * x[i, j] }
                        mistakes.append(i)
                        any = true
                    }
                }
                if !any { break }
            }
            XCTAssertEqual(fit.mistakes.map(\.sample), mistakes, "block \(block)")
            for (a, b) in zip(fit.weights, w) { XCTAssertEqual(a, b, accuracy: 1e-12) }
        }
    }

    /// Byte features (x = Float(byte)·scale, as the image loaders store them): the same weights
    /// and mistakes, bit for bit, as the Float path, with and without a bias, in every order.
    func testByteFeaturesEqualTheFloatPath() {
        var rng = Generator(seed: 8)
        let n = 300
        let d = 37  // odd: the kernels' tails run too
        let bytes = ByteFeatures(
            bytes: (0..<(n * d)).map { _ in UInt8(rng.int(below: 256)) }, scale: ByteFeatures.pixelScale)
        let x = bytes.matrix(rows: n, cols: d)
        let direction = (0..<d).map { _ in Float(rng.normal()) }
        let y: [Float] = (0..<n).map { i in (0..<d).reduce(Float(0)) { $0 + direction[$1] * x[i, $1] } > 4 ? 1 : -1 }
        for bias in [false, true] {
            for (seed, block) in [(nil, 1), (UInt64(3), 1), (UInt64(4), 8)] as [(UInt64?, Int)] {
                let p = Perceptron(maxEpochs: 5, shuffleSeed: seed, bias: bias, shuffleBlock: block)
                let a = p.fit(x, y)
                let b = p.fit(bytes: bytes, rows: n, cols: d, y)
                XCTAssertGreaterThan(a.mistakes.count, 10)
                XCTAssertEqual(a.weights, b.weights, "bias \(bias), seed \(String(describing: seed))")
                XCTAssertEqual(a.mistakes, b.mistakes)
            }
        }
        // The row kernels alone, on odd lengths: bytes equal floats exactly; both near a naive Double sum.
        for len in [1, 7, 8, 9, 31, 32, 33, 784] {
            let w = (0..<len).map { _ in Float(rng.normal()) }
            let b = (0..<len).map { _ in UInt8(rng.int(below: 256)) }
            let xf = b.map { Float($0) * ByteFeatures.pixelScale }
            let fromBytes = PerceptronKernels.rowDot(len, w, bytes: b, scale: ByteFeatures.pixelScale)
            let fromFloats = PerceptronKernels.rowDot(len, w, xf)
            XCTAssertEqual(fromBytes, fromFloats)
            let naive = zip(w, xf).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            let magnitude = zip(w, xf).reduce(0.0) { $0 + abs(Double($1.0) * Double($1.1)) }
            // Float summation: error ≤ n·ε·Σ|wᵢxᵢ| (a loose bound; the blocked sum does better).
            XCTAssertEqual(Double(fromFloats), naive, accuracy: Double(len) * 1.2e-7 * magnitude + 1e-12)
            var y1 = w
            var y2 = w
            PerceptronKernels.rowAxpy(len, -0.75, bytes: b, scale: ByteFeatures.pixelScale, &y1)
            PerceptronKernels.rowAxpy(len, -0.75, xf, &y2)
            XCTAssertEqual(y1, y2)
            for j in 0..<len {
                XCTAssertEqual(
                    Double(y2[j]), Double(w[j]) - 0.75 * Double(xf[j]), accuracy: 1e-6 * (1 + abs(Double(w[j]))))
            }
        }
    }

    /// A point with ⟨w, x⟩ = 0 is a mistake: the very first sample always is one.
    func testZeroActivationIsAMistake() {
        let x = Matrix<Double>([[1, 0], [0, 1]])
        let fit = Perceptron(maxEpochs: 5).fit(x, [1, 1])
        XCTAssertEqual(fit.mistakes.map(\.sample), [0, 1])
        XCTAssertTrue(fit.converged)
    }

    /// Novikoff: never more than R²/γ² mistakes, for random d, n, γ and order; the two proof
    /// inequalities hold after every mistake (with the planted unit w* and its realized margin).
    func testMistakeBoundAndProofOnRandomInstances() {
        var rng = Generator(seed: 2024)
        for trial in 0..<40 {
            let d = 2 + rng.int(below: 30)
            let n = 20 + rng.int(below: 400)
            let margin = rng.uniform(0.02, 0.3)
            let (x, y, g) = separable(d: d, n: n, margin: margin, seed: UInt64(trial))
            let w = g.plantedDirection()
            let gamma = (0..<n).map { i in y[i] * dot(x.row(i), w) }.min()!
            let radius = x.rowNorms().max()!
            let shuffle: UInt64? = trial % 2 == 0 ? nil : UInt64(trial)
            let fit = Perceptron(maxEpochs: 10_000, shuffleSeed: shuffle).fit(x, y)
            XCTAssertTrue(fit.converged)
            let bound = PerceptronBounds.mistakeBound(radius: radius, margin: gamma)
            XCTAssertLessThanOrEqual(Double(fit.mistakes.count), bound, "trial \(trial): d=\(d) n=\(n) γ=\(gamma)")
            let trace = PerceptronBounds.proofTrace(
                x: x, y: y, mistakes: fit.mistakes, direction: w, margin: gamma, radius: radius)
            XCTAssertTrue(trace.allSatisfy(\.holds), "trial \(trial)")
            // The replayed ‖w_T‖² equals the final weights' norm.
            XCTAssertEqual(
                trace.last!.normSquared, dot(fit.weights, fit.weights), accuracy: 1e-9 * max(1, trace.last!.normSquared)
            )
        }
    }

    /// The bound needs its assumptions: on non-separable data the perceptron never converges.
    func testNonSeparableNeverConverges() {
        let x = Matrix<Double>([[1, 1], [-1, -1], [1, -1], [-1, 1]])
        let y: [Double] = [1, 1, -1, -1]  // XOR through the origin
        let fit = Perceptron(maxEpochs: 50).fit(x, y)
        XCTAssertFalse(fit.converged)
        XCTAssertEqual(fit.epochs, 50)
        XCTAssertTrue(fit.mistakesPerEpoch.allSatisfy { $0 > 0 })
    }

    func testBiasFeature() {
        // Separable only with an offset: x > 2 is positive.
        let x = Matrix<Double>([[1], [1.5], [3], [4]])
        let y: [Double] = [-1, -1, 1, 1]
        let fit = Perceptron(maxEpochs: 1000, bias: true).fit(x, y)
        XCTAssertTrue(fit.converged)
        XCTAssertEqual(fit.errorRate(x, y), 0)
        XCTAssertEqual(fit.weights.count, 2)
    }

    /// The iterate weights sum to the number of visited samples, and the random-iterate risk is
    /// the weighted average of the iterates' risks.
    func testIterateBookkeeping() {
        let (x, y, g) = separable(d: 5, n: 100, margin: 0.1, seed: 9)
        let fit = Perceptron(maxEpochs: 1, recordIterates: true).fit(x, y)
        XCTAssertEqual(fit.iterateSteps.reduce(0, +), 100)
        XCTAssertEqual(fit.iterates.count, fit.mistakes.count + 1)
        let test = g.draw(500, stream: 5, onMargin: false)
        let tx: Matrix<Double> = test.features.converted()
        let ty = try! test.signedLabels()
        var manual = 0.0
        for (w, c) in zip(fit.iterates, fit.iterateSteps) {
            let err = Double((0..<tx.rows).filter { ty[$0] * dot(tx.row($0), w) <= 0 }.count) / 500
            manual += Double(c) / 100 * err
        }
        XCTAssertEqual(PerceptronBounds.randomIterateRisk(fit, testX: tx, testY: ty), manual, accuracy: 1e-12)
    }

    func testVotedAndAveraged() {
        let (x, y, _) = separable(d: 10, n: 300, margin: 0.05, seed: 4)
        let fit = Perceptron(maxEpochs: 5, recordIterates: true).fit(x, y)
        let voted = VotedPerceptron(fit)
        XCTAssertEqual(voted.votes.reduce(0, +), fit.iterateSteps.reduce(0, +))
        XCTAssertLessThan(voted.errorRate(x, y), 0.1)
        // The averaged weights are the vote-weighted mean of the iterates (checked coordinate-wise).
        let avg = voted.averagedWeights
        let total = Double(voted.votes.reduce(0, +))
        for j in 0..<10 {
            let m = zip(voted.iterates, voted.votes).reduce(0.0) { $0 + $1.0[j] * Double($1.1) } / total
            XCTAssertEqual(avg[j], m, accuracy: 1e-9)
        }
    }

    func testMulticlassOnSeparableBlobs() {
        var g = GaussianMixture()
        g.dimension = 5
        g.classes = 4
        g.separation = 8
        g.trainCount = 400
        g.testCount = 400
        g.seed = 1
        let s = g.generate()
        for rule in MulticlassPerceptron.Rule.allCases {
            for averaged in [false, true] {
                let fit = MulticlassPerceptron(rule: rule, epochs: 10, averaged: averaged).fit(
                    s.train.features, labels: s.train.labels, classes: 4)
                XCTAssertGreaterThan(fit.accuracy(s.test.features, s.test.labels), 0.95, "\(rule) averaged=\(averaged)")
            }
        }
    }

    func testValidation() {
        XCTAssertThrowsError(try Perceptron.validate(Matrix<Double>(rows: 0, cols: 3), [], source: "t")) { e in
            XCTAssertTrue("\(e)".contains("empty training set"))
        }
        XCTAssertThrowsError(try Perceptron.validate(Matrix<Double>([[1], [2]]), [1, 2], source: "t")) { e in
            XCTAssertTrue("\(e)".contains("binary labels ±1"))
        }
        XCTAssertThrowsError(try Perceptron.validate(Matrix<Double>([[1], [.nan]]), [1, -1], source: "t")) { e in
            XCTAssertTrue("\(e)".contains("finite features"))
        }
    }
}
