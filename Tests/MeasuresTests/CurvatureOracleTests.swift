import Learners
import LinearAlgebra
import Measures
import XCTest

/// The curvature measures against oracles computed another way: LAPACK's eigenvalues of the
/// explicit Hessian (a network under 2,000 parameters, Double), its trace, its broadened
/// eigenvalue histogram, and its diagonal blocks.
final class CurvatureOracleTests: XCTestCase {
    /// A small network, trained a little so that H has both signs, on 60 samples.
    static func objective(
        hidden: [LayerSpec] = [.dense(outputs: 16), .tanh, .dense(outputs: 12), .relu], seed: UInt64 = 3
    ) -> Objective<Double> {
        let net = try! Network<Double>(
            input: (8, 1), hidden: hidden, outputs: 4, loss: .crossEntropy, initialization: .glorot, seed: seed)
        var g = Generator(seed: seed + 1)
        net.parameterArray = net.parameterArray.map { $0 == 0 ? g.uniform(-0.2, 0.2) : $0 }
        let x = Matrix<Double>(rows: 60, cols: 8, storage: g.normalVector(60 * 8))
        let labels = (0..<60).map { _ in g.int(below: 4) }
        let f = Objective(network: net, x: x, labels: labels)
        for _ in 0..<30 {  // a few gradient steps
            let grad = f.gradient().gradient
            net.parameterArray = zip(net.parameterArray, grad).map { $0 - 0.5 * $1 }
        }
        return f
    }

    static let f = objective()
    static let h = Curvature.explicitHessian(f)
    static let eigenvalues = try! symmetricEigen(h, vectors: false).values  // ascending

    func testNetworkIsSmallAndItsHessianIndefinite() {
        XCTAssertLessThan(Self.f.network.parameterCount, 2000)
        XCTAssertLessThan(Self.eigenvalues.first!, 0, "a saddle direction exists")
        XCTAssertGreaterThan(Self.eigenvalues.last!, 0)
    }

    func testTopKAndSmallestAgainstLAPACK() throws {
        let op = HessianOperator(Self.f)
        let e = try Curvature.extremeEigenvalues(op, k: 5, tolerance: 1e-8, maxIterations: 400)
        XCTAssertTrue(e.converged, "residuals \(e.topResiduals) \(e.smallestResidual)")
        let reference = Array(Self.eigenvalues.suffix(5).reversed())
        for (got, want) in zip(e.top, reference) { XCTAssertEqual(got, want, accuracy: 1e-6 * abs(want)) }
        let scale = Self.eigenvalues.map(abs).max()!
        XCTAssertEqual(e.smallest, Self.eigenvalues.first!, accuracy: 1e-6 * scale)
        XCTAssertEqual(e.top, e.top.sorted(by: >), "descending")
        XCTAssertLessThan(e.iterations, Self.f.network.parameterCount, "Lanczos stops well before the dimension")
        // The top k alone: no more steps, the same values.
        let top = try Curvature.extremeEigenvalues(
            HessianOperator(Self.f), k: 5, smallest: false, tolerance: 1e-8, maxIterations: 400)
        XCTAssertTrue(top.converged)
        XCTAssertFalse(top.smallestAsked)
        XCTAssertLessThanOrEqual(top.iterations, e.iterations)
        for (got, want) in zip(top.top, reference) { XCTAssertEqual(got, want, accuracy: 1e-6 * abs(want)) }
    }

    /// Full reorthogonalization keeps the basis orthonormal to rounding over many steps (plain
    /// Lanczos loses orthogonality as soon as a Ritz value converges).
    func testLanczosBasisStaysOrthonormal() {
        var g = Generator(seed: 11)
        let op = HessianOperator(Self.f)
        let n = op.dimension
        var lanczos = LanczosProcess(op, start: g.normalVector(n))
        for _ in 0..<150 { lanczos.step() }
        let m = lanczos.steps
        let q = lanczos.basis
        var worst = 0.0
        for i in 0..<m {
            for j in 0...i {
                var d = 0.0
                for k in 0..<n { d += q[i * n + k] * q[j * n + k] }
                worst = max(worst, abs(d - (i == j ? 1 : 0)))
            }
        }
        XCTAssertEqual(m, 150)
        XCTAssertLessThan(worst, 1e-12, "max |QᵀQ − I|")
    }

    /// A Float network: its Lanczos basis is kept in Float; the top eigenvalues still agree with
    /// LAPACK on the Double Hessian to Float's precision (the products themselves are Float).
    func testLanczosOnAFloatNetwork() throws {
        let d = Self.f.network
        let net = try Network<Float>(
            input: d.inputShape, hidden: [.dense(outputs: 16), .tanh, .dense(outputs: 12), .relu], outputs: 4,
            loss: .crossEntropy, seed: 0)
        net.parameterArray = d.parameterArray.map { Float($0) }
        let f = Objective(
            network: net,
            x: Matrix<Float>(rows: Self.f.x.rows, cols: Self.f.x.cols, storage: Self.f.x.storage.map { Float($0) }),
            labels: Self.f.labels.map { Int($0) })
        let op = HessianOperator(f)
        XCTAssertTrue(op.singlePrecision)
        let e = try Curvature.extremeEigenvalues(op, k: 3, tolerance: 1e-5, maxIterations: 300)
        XCTAssertTrue(e.converged)
        let reference = Array(Self.eigenvalues.suffix(3).reversed())
        for (got, want) in zip(e.top, reference) { XCTAssertEqual(got, want, accuracy: 1e-4 * abs(want)) }
    }

    /// A run cut short says so.
    func testUnconvergedLanczosSaysSo() throws {
        let e = try Curvature.extremeEigenvalues(HessianOperator(Self.f), k: 5, tolerance: 1e-12, maxIterations: 8)
        XCTAssertFalse(e.converged)
        XCTAssertEqual(e.iterations, 8)
        XCTAssertThrowsError(
            try Curvature.extremeEigenvalues(HessianOperator(Self.f), k: Self.f.network.parameterCount + 1))
        XCTAssertThrowsError(try Curvature.extremeEigenvalues(HessianOperator(Self.f), k: 0))
    }

    /// Hutchinson and Hutch++ land within 3 standard errors of the exact trace: over 20 seeds at
    /// most one misses (a normal estimate misses with probability 0.3%; the stopping rule on the
    /// estimated standard error adds a little). Hutch++'s sketch removes the top of the variance:
    /// its per-probe standard deviation is below Hutchinson's.
    func testTraceEstimatorsAgainstTheExactTrace() {
        let exact = (0..<Self.h.rows).reduce(0) { $0 + Self.h[$1, $1] }
        var misses = [String: Int]()
        var spread = (0.0, 0.0)
        for seed in 0..<20 as Range<UInt64> {
            let op = HessianOperator(Self.f)
            let a = Curvature.hutchinson(op, relativeTolerance: 0.05, maxProbes: 2000, seed: seed)
            let b = Curvature.hutchPlusPlus(op, sketch: 20, relativeTolerance: 0.05, maxProbes: 2000, seed: seed)
            for t in [a, b] {
                XCTAssertTrue(t.converged, t.method)
                XCTAssertGreaterThan(t.standardError, 0)
                if abs(t.estimate - exact) > 3 * t.standardError { misses[t.method, default: 0] += 1 }
            }
            spread.0 += a.standardError * Double(a.probes).squareRoot()
            spread.1 += b.standardError * Double(b.probes).squareRoot()
        }
        for (method, n) in misses {
            XCTAssertLessThanOrEqual(
                n, 1, "\(method) missed the exact trace \(exact) by more than 3 SE in \(n) of 20 runs")
        }
        XCTAssertLessThan(spread.1, spread.0, "Hutch++'s residual probes vary less than Hutchinson's")
    }

    /// For ReLU MLPs the Hessian's diagonal is the Gauss–Newton diagonal, exactly: against the
    /// explicit Hessian's diagonal, for cross-entropy and squared error, with and without dropout
    /// (the identity where the objective is measured); other networks are refused.
    func testExactDiagonalOfReLUNetworks() throws {
        for (loss, dropout) in [(Loss.crossEntropy, false), (.meanSquaredError, false), (.crossEntropy, true)] {
            let hidden: [LayerSpec] =
                [.dense(outputs: 9), .relu] + (dropout ? [.dropout(rate: 0.3)] : []) + [.dense(outputs: 7), .relu]
            let net = try Network<Double>(
                input: (6, 1), hidden: hidden, outputs: 3, loss: loss, initialization: .glorot, seed: 5)
            var g = Generator(seed: 6)
            net.parameterArray = net.parameterArray.map { $0 == 0 ? g.uniform(-0.3, 0.3) : $0 }
            let x = Matrix<Double>(rows: 40, cols: 6, storage: g.normalVector(240))
            let labels = (0..<40).map { _ in g.int(below: 3) }
            let f = Objective(network: net, x: x, labels: labels)
            let h = Curvature.explicitHessian(f)
            let diagonal = try Curvature.gaussNewtonDiagonal(f)
            let scale = (0..<h.rows).map { abs(h[$0, $0]) }.max()!
            for i in 0..<h.rows {
                XCTAssertEqual(diagonal[i], h[i, i], accuracy: 1e-10 * max(1, scale), "\(loss) entry \(i)")
            }
        }
        XCTAssertThrowsError(try Curvature.gaussNewtonDiagonal(Self.f), "a tanh layer is not piecewise linear")
    }

    /// Hutch++ with a sketch that spans the whole space is exact.
    func testHutchPlusPlusIsExactWithAFullSketch() {
        var g = Generator(seed: 2)
        let n = 12
        var a = Matrix<Double>(rows: n, cols: n)
        for i in 0..<n {
            for j in 0...i {
                let v = g.normal()
                a[i, j] = v
                a[j, i] = v
            }
        }
        let t = Curvature.hutchPlusPlus(MatrixOperator(a), sketch: n, seed: 1)
        XCTAssertEqual(t.estimate, (0..<n).reduce(0) { $0 + a[$1, $1] }, accuracy: 1e-10)
        XCTAssertEqual(t.probes, 0)
    }

    /// SLQ against the explicit spectrum broadened with the same σ: quadrature weights sum to 1
    /// per probe; with as many steps as the dimension each probe's nodes are eigenvalues; the L1
    /// distance of the densities is small — with full reorthogonalization 0.031 here (10 probes of
    /// 40 steps), without it 0.031 as well, and still 0.031 after 150 steps, when the basis has
    /// long lost orthogonality (the test allows 0.2).
    func testSpectralDensityAgainstTheExplicitSpectrum() throws {
        let p = Self.f.network.parameterCount
        for (reorthogonalize, steps) in [(true, 40), (false, 40), (false, 150)] {
            let d = try Curvature.spectralDensity(
                HessianOperator(Self.f), probes: 10, steps: steps, seed: 4, reorthogonalize: reorthogonalize)
            for w in d.weights { XCTAssertEqual(w.reduce(0, +), 1, accuracy: 1e-10) }
            let exact = SpectralDensity.broadened(
                nodes: Self.eigenvalues, weights: Array(repeating: 1 / Double(p), count: p), sigma: d.sigma,
                grid: d.grid)
            let distance = d.l1Distance(to: exact)
            XCTAssertLessThan(
                distance, 0.2,
                "L1 distance of the broadened densities, reorthogonalize \(reorthogonalize), \(steps) steps")
            print("SLQ L1 distance, reorthogonalize \(reorthogonalize), \(steps) steps: \(distance)")
            // A density of something else is far: the spectrum shifted by 10σ.
            let shifted = SpectralDensity.broadened(
                nodes: Self.eigenvalues.map { $0 + 10 * d.sigma }, weights: Array(repeating: 1 / Double(p), count: p),
                sigma: d.sigma, grid: d.grid)
            XCTAssertGreaterThan(d.l1Distance(to: shifted), 3 * distance)
        }
        // Full Lanczos on a small matrix: the nodes are its eigenvalues.
        var g = Generator(seed: 5)
        var a = Matrix<Double>(rows: 10, cols: 10)
        for i in 0..<10 {
            for j in 0...i {
                let v = g.normal()
                a[i, j] = v
                a[j, i] = v
            }
        }
        let full = try Curvature.spectralDensity(
            MatrixOperator(a), probes: 1, steps: 10, seed: 1, reorthogonalize: true)
        let values = try symmetricEigen(a, vectors: false).values
        for (x, y) in zip(full.nodes[0], values) { XCTAssertEqual(x, y, accuracy: 1e-9) }
        XCTAssertThrowsError(try Curvature.spectralDensity(MatrixOperator(a), probes: 0))
        XCTAssertThrowsError(try Curvature.spectralDensity(MatrixOperator(a), gridPoints: 1))
    }

    /// Each layer's block operator is the explicit Hessian's diagonal block, and its top
    /// eigenvalue is the block's.
    func testPerLayerBlocksAgainstTheExplicitBlocks() throws {
        let layers = HessianOperator.perLayer(Self.f)
        XCTAssertEqual(layers.count, 3)
        for (_, name, op) in layers {
            let lo = op.block.lowerBound
            let n = op.dimension
            var block = Matrix<Double>(rows: n, cols: n)
            for i in 0..<n { for j in 0..<n { block[i, j] = Self.h[lo + i, lo + j] } }
            var e = [Double](repeating: 0, count: n)
            for j in [0, n / 2, n - 1] {
                e[j] = 1
                let column = op(e)
                for i in 0..<n { XCTAssertEqual(column[i], block[i, j], accuracy: 1e-10, name) }
                e[j] = 0
            }
            let top = try Curvature.extremeEigenvalues(op, k: 1, tolerance: 1e-9, maxIterations: n)
            XCTAssertEqual(
                top.top[0], try symmetricEigen(block, vectors: false).values.last!, accuracy: 1e-6 * abs(top.top[0]),
                name)
        }
    }

    /// For a small ε the largest rise in the box is first order: Σ|g_i|·ε(|θ_i| + 1), which sign
    /// ascent reaches at the box's corner. θ is restored afterwards.
    func testEpsilonSharpnessAgainstItsFirstOrderValue() throws {
        let f = Self.objective(seed: 7)
        let theta = f.network.parameterArray
        let (loss, g) = f.gradient()
        let eps = 1e-5
        let firstOrder = zip(g, theta).reduce(0) { $0 + abs($1.0) * eps * (abs($1.1) + 1) }
        let s = try Curvature.epsilonSharpness(f, epsilon: eps, iterations: 6)
        XCTAssertEqual(f.network.parameterArray, theta, "θ restored")
        XCTAssertEqual(s.loss, loss, accuracy: 1e-12)
        XCTAssertEqual(s.maximumLoss - s.loss, firstOrder, accuracy: 0.02 * firstOrder)
        XCTAssertEqual(s.sharpness, 100 * (s.maximumLoss - s.loss) / (1 + s.loss), accuracy: 1e-12)
        let wider = try Curvature.epsilonSharpness(f, epsilon: 1e-3, iterations: 6)
        XCTAssertGreaterThan(wider.sharpness, s.sharpness)
        XCTAssertThrowsError(try Curvature.epsilonSharpness(f, epsilon: -1))
    }
}
