import Datasets
import Foundation
import Learners
import LinearAlgebra
import XCTest

@testable import Measures

/// The zoo's 23 measures of one small trained network (with dropout, which is the identity where
/// they are measured), against computations written out here: the weights read from θ's layout,
/// spectral norms from LAPACK's SVD, λ_max and the trace from the explicit Hessian of a Double
/// twin of the network, and the formulas that combine them.
final class MeasureCatalogTests: XCTestCase {
    func testMeasuresOfASmallNetwork() throws {
        let split = try DatasetSpec(parsing: "mnist1d:train=30,test=40").load()
        let hidden: [LayerSpec] = [.dense(outputs: 16), .relu, .dropout(rate: 0.1), .dense(outputs: 12), .relu]
        let net = try Network<Float>(input: (40, 1), hidden: hidden, outputs: 10, seed: 3)
        let initial = net.parameterArray
        let run = Trainer<Float>(
            TrainingConfig(
                epochs: 300, batchSize: 10, optimizer: OptimizerConfig(kind: .sgd, learningRate: 0.01, momentum: 0.9),
                seed: 3)
        )
        .train(net, train: split.train, test: split.test)
        let m = try MeasureCatalog.measure(
            net, initial: initial, train: split.train, curvature: split.train, steps: run.steps, batch: 10,
            settings: .init(flatnessDraws: 3, flatnessSteps: 8, noiseDraws: 5, lanczosIterations: 60))
        XCTAssertEqual(Set(m.keys), Set(MeasureCatalog.all.map(\.name)))
        XCTAssertEqual(MeasureCatalog.all.count, 23)

        // The weights, read from θ's layout: per layer W [out, in] row-major, then b.
        let theta = net.parameterArray.map(Double.init)
        let start = initial.map(Double.init)
        let shapes = [(16, 40), (12, 16), (10, 12)]
        var offset = 0
        var weights = [Matrix<Double>]()
        var moved = 0.0
        for (o, i) in shapes {
            weights.append(Matrix(rows: o, cols: i, storage: Array(theta[offset..<(offset + o * i)])))
            for j in offset..<(offset + o * i) { moved += (theta[j] - start[j]) * (theta[j] - start[j]) }
            offset += o * i + o
        }
        XCTAssertEqual(offset, net.parameterCount)
        let frob = weights.map { $0.storage.reduce(0) { $0 + $1 * $1 } }
        let spec = try weights.map { try pow(svd($0).s[0], 2) }
        let n = 30.0
        let w = Double(net.parameterCount)
        func close(_ name: String, _ expected: Double, _ tolerance: Double = 1e-9) {
            XCTAssertEqual(m[name]!, expected, accuracy: tolerance * max(1, abs(expected)), name)
        }
        close("params", w)
        close("vc-bound", (w * 3 * log(w) / n).squareRoot())
        close("frobenius-product", frob.reduce(1, *))
        close("frobenius-sum", frob.reduce(0, +))
        close("parameter-norm", theta.reduce(0) { $0 + $1 * $1 })
        close("distance-from-init", moved)
        close("spectral-product", spec.reduce(1, *), 1e-7)
        close("spectral-sum", spec.reduce(0, +), 1e-7)
        close("steps-to-target", Double(run.steps))
        // The margin-normalized measures: the same γ and n in each.
        let inverse = try XCTUnwrap(m["inverse-margin"])
        XCTAssertGreaterThan(inverse, 0)
        close("frobenius-over-margin", frob.reduce(1, *) * inverse)
        close("spectral-over-margin", spec.reduce(1, *) * inverse, 1e-7)
        close("path-norm-over-margin", m["path-norm"]! * inverse)
        // The PAC-Bayes bound from the same σ′ as the flatness.
        let sigma = 1 / m["pac-bayes-flatness"]!.squareRoot()
        close(
            "pac-bayes-bound",
            ((theta.indices.reduce(0) { $0 + pow(theta[$1] - start[$1], 2) }) / (4 * sigma * sigma) + log(n / sigma)
                + 10) / n, 1e-6)
        XCTAssertGreaterThan(m["gradient-noise"]!, 0)
        XCTAssertGreaterThanOrEqual(m["epsilon-sharpness"]!, 0)

        // λ_max and the trace against the explicit Hessian of a Double twin.
        let twin = try Network<Double>(input: (40, 1), hidden: hidden, outputs: 10, seed: 3)
        twin.parameterArray = theta
        let x = Matrix<Double>(
            rows: split.train.count, cols: 40, storage: split.train.features.storage.map(Double.init))
        let h = Curvature.explicitHessian(Objective(network: twin, x: x, labels: split.train.labels))
        let eigen = try symmetricEigen(h, vectors: false).values
        close("lambda-max", eigen.max()!, 1e-3)
        close("hessian-trace", (0..<h.rows).reduce(0) { $0 + h[$1, $1] }, 1e-4)
    }

    /// A network with a convolution has no list of dense layers: a clear error, not numbers.
    func testRefusesNonMLPs() throws {
        let split = try DatasetSpec(parsing: "mnist1d:train=20,test=10").load()
        let net: Network<Float> = try ModelSpec(parsing: "cnn1d:4,kernel=5,stride=2").network(for: split.train, seed: 1)
        XCTAssertThrowsError(
            try MeasureCatalog.measure(
                net, initial: net.parameterArray, train: split.train, curvature: split.train, steps: 1, batch: 4)
        ) { e in
            XCTAssertTrue("\(e)".contains("MLP"), "\(e)")
        }
    }
}
