import Datasets
import Foundation
import Learners
import LinearAlgebra
import TestSupport
import XCTest

@testable import Experiments

/// Soudry et al.'s implicit bias: the descent against a naive gradient loop, its limit direction
/// against the certified hard-margin solver, the rate rules on trajectories with and without
/// the predicted rates, and non-separable data refused.
final class LogisticImplicitBiasTests: XCTestCase {
    func testDescentMatchesNaiveGradientSteps() throws {
        var g = Generator(seed: 2)
        let x = Matrix<Double>(rows: 30, cols: 5, storage: g.normalVector(150))
        let y: [Double] = (0..<30).map { _ in g.uniform(0, 1) < 0.5 ? 1 : -1 }
        let eta = 0.3
        let run = try LogisticDescent(stepSize: eta).run(x, labels: y, record: [1, 7])
        var w = [Double](repeating: 0, count: 5)
        for t in 1...7 {
            var grad = [Double](repeating: 0, count: 5)
            for i in 0..<30 {
                let m = y[i] * (0..<5).reduce(0) { $0 + w[$1] * x[i, $1] }
                for j in 0..<5 { grad[j] -= y[i] * x[i, j] / (1 + exp(m)) / 30 }
            }
            for j in 0..<5 { w[j] -= eta * grad[j] }
            if t == 7 { for j in 0..<5 { XCTAssertEqual(run.records[1].weights[j], w[j], accuracy: 1e-12) } }
        }
        // The loss recorded is the mean logistic loss at the recorded weights.
        let wr = run.records[1].weights
        let loss =
            (0..<30).reduce(0.0) { acc, i in acc + log(1 + exp(-y[i] * (0..<5).reduce(0) { $0 + wr[$1] * x[i, $1] })) }
            / 30
        XCTAssertEqual(run.records[1].loss, loss, accuracy: 1e-12)
    }

    func testTinyRunConvergesTowardTheCertifiedMaxMarginDirection() throws {
        let r = try LogisticImplicitBias(samples: 50, features: 10, steps: 10_000).execute(RunContext(command: "t"))
        let errors = r.tables[0].rows.map { $0[3].number! }
        XCTAssertLessThan(errors.last!, errors[errors.count / 2], "the direction error falls")
        XCTAssertLessThan(r.metrics["direction_error"]!.number!, 0.2)
        XCTAssertLessThan(r.metrics["svm_relative_gap"]!.number!, 1e-6)
    }

    func testRateRulesCanFail() {
        let t = stride(from: 4.0, through: 6.0, by: 0.1).map { pow(10, $0) }
        // ‖w‖ = ‖ŵ‖·ln t + 1: supported; ‖w‖ = √t: not supported.
        XCTAssertEqual(
            LogisticImplicitBias.normRate(steps: t, norms: t.map { 3 * log($0) + 1 }, margin: 1.0 / 3).1.supported, true
        )
        XCTAssertEqual(
            LogisticImplicitBias.normRate(steps: t, norms: t.map { $0.squareRoot() }, margin: 1.0 / 3).1.supported,
            false)
        // Direction error c/ln t: supported; stuck at a fixed angle: not supported.
        XCTAssertEqual(LogisticImplicitBias.directionRate(steps: t, errors: t.map { 0.5 / log($0) }).1.supported, true)
        XCTAssertEqual(LogisticImplicitBias.directionRate(steps: t, errors: t.map { _ in 0.2 }).1.supported, false)
        // Loss 1/t: supported; 1/√t: not.
        XCTAssertEqual(LogisticImplicitBias.lossRate(steps: t, losses: t.map { 2 / $0 }).1.supported, true)
        XCTAssertEqual(
            LogisticImplicitBias.lossRate(steps: t, losses: t.map { 1 / $0.squareRoot() }).1.supported, false)
    }

    func testSeparableDataSpec() throws {
        let r = try LogisticImplicitBias(data: "separable:d=10,n=100,margin=0.2", steps: 5000).execute(
            RunContext(command: "t"))
        XCTAssertEqual(r.verdicts.count, 4)
        XCTAssertLessThan(r.metrics["direction_error"]!.number!, r.metrics["perceptron_direction_error"]!.number!)
        // The configuration holds what the run used, not the planted defaults; the data's size is measured.
        XCTAssertNil(r.configuration["samples"])
        XCTAssertNil(r.configuration["features"])
        XCTAssertNil(r.configuration["margin"])
        XCTAssertEqual(r.metrics["samples"], JSONValue(100))
        XCTAssertEqual(r.metrics["features"], JSONValue(10))
        // The notes and the evidence name the data the run read, never the planted n = 200, d = 50.
        XCTAssertTrue(r.notes.contains { $0.hasPrefix("data: 100 train") }, "\(r.notes)")
        XCTAssertTrue(r.verdicts[0].evidence.hasPrefix("separable:d=10,n=100,margin=0.2, "), r.verdicts[0].evidence)
        XCTAssertFalse(r.verdicts.contains { $0.evidence.contains("planted") }, "\(r.verdicts.map(\.evidence))")
        // The stored outcomes give the same verdicts and the same weights and SVM direction.
        let again = try LogisticImplicitBias(data: "separable:d=10,n=100,margin=0.2", steps: 5000)
            .reanalyzed(Data(try XCTUnwrap(r.artifacts[MeasurementFile.name])), source: "outcomes.json", result: r)
        XCTAssertEqual(again.verdicts, r.verdicts)
        XCTAssertEqual(again.artifacts, r.artifacts)
        let back = try JSONValue.object(r.configuration).decoded(as: LogisticImplicitBias.self)
        XCTAssertEqual(back.data, "separable:d=10,n=100,margin=0.2")
        // The SVM direction written beside the result attains the certified margin on the same data.
        let w = try NPYArray.parse(r.artifacts["svm_direction.npy"]!, source: "svm_direction.npy").values
        let gd = try NPYArray.parse(r.artifacts["weights.npy"]!, source: "weights.npy").values
        XCTAssertEqual(w.count, 10)
        XCTAssertEqual(gd.count, 10)
        let train = try DatasetSpec(parsing: "separable:d=10,n=100,margin=0.2").load().train
        let x: Matrix<Double> = train.features.converted()
        let wn = w.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let margins = (0..<x.rows).map { i in
            (train.labels[i] == 1 ? 1.0 : -1.0) * zip(x.row(i), w).reduce(0) { $0 + $1.0 * $1.1 } / wn
        }
        XCTAssertEqual(
            margins.min()!, r.metrics["svm_margin"]!.number!, accuracy: 1e-6 * r.metrics["svm_margin"]!.number!)
        // A planted run records its planted settings.
        let planted = try LogisticImplicitBias(samples: 50, features: 10, steps: 1000).configuration()
        XCTAssertEqual(planted["samples"], JSONValue(50))
    }

    func testNonSeparableDataAreRefused() {
        // Two overlapping Gaussian classes in the plane: no separator through the origin.
        let e = LogisticImplicitBias(data: "gaussian-mixture:d=2,k=2,n=400,sep=0.5", steps: 1000)
        XCTAssertThrowsError(try e.execute(RunContext(command: "t"))) { error in
            XCTAssertTrue("\(error)".contains("not separable: a Gordan certificate"), "\(error)")
            XCTAssertEqual((error as? GenLabError)?.exitCode, 1)
        }
        XCTAssertThrowsError(try LogisticImplicitBias(margin: 2).validate())
        XCTAssertThrowsError(try LogisticImplicitBias(steps: 10).validate())
    }

    /// A solver stopped at its limit says so, with the bounds and the gap: never "not separable".
    func testStopAtTheLimitIsReportedAsNotConverged() {
        // Positive features on scales 1e-3 to 1e3, split through the origin by u ⊥ (1, …, 1).
        var g = Generator(seed: 4)
        let d = 20
        var u: [Double] = g.normalVector(d)
        let mean = u.reduce(0, +) / Double(d)
        u = u.map { $0 - mean }
        var rows = [Double]()
        var y = [Double]()
        while y.count < 200 {
            let z = (0..<d).map { _ in 1 + 0.3 * g.normal() }
            let s = dot(z, u)
            guard abs(s) >= 0.05 * norm(u) else { continue }
            rows += z.indices.map { z[$0] * pow(10, -3 + 6 * Double($0) / Double(d - 1)) }
            y.append(s > 0 ? 1 : -1)
        }
        let x = Matrix(rows: 200, cols: d, storage: rows)
        let svm = HardMarginSVM(tolerance: 1e-9, maxEpochs: 100, activeSetMaxFeatures: 0).solve(x, y)
        XCTAssertEqual(svm.status, .stoppedAtLimit)
        let error = LogisticImplicitBias.svmFailure(svm, source: "scaled")
        XCTAssertEqual(error.exitCode, 1)
        XCTAssertTrue("\(error)".contains("did not converge in 100 epochs"), "\(error)")
        XCTAssertTrue("\(error)".contains("relative gap"), "\(error)")
        XCTAssertFalse("\(error)".contains("not separable"), "\(error)")
        // The active-set method certifies the same data.
        XCTAssertEqual(HardMarginSVM(tolerance: 1e-9).solve(x, y).status, .optimal)
        // Gradient descent at η = 1/β on such scales does not separate them in 2,000 steps: the
        // theorems' asymptotic regime is not reached, so their checks are undecided, never "not supported".
        let path = Scratch.path("scaled") + ".csv"
        var csv = (0..<d).map { "f\($0)" }.joined(separator: ",") + ",label\n"
        for i in 0..<200 {
            csv += (0..<d).map { String(x[i, $0]) }.joined(separator: ",") + (y[i] > 0 ? ",a\n" : ",b\n")
        }
        try! csv.write(toFile: path, atomically: true, encoding: .utf8)
        let r = try! LogisticImplicitBias(data: path + ":label=label,holdout=0", steps: 2000).execute(
            RunContext(command: "t"))
        for v in r.verdicts where v.kind == .theorem {
            XCTAssertNil(v.supported, v.evidence)
            XCTAssertTrue(v.evidence.contains("does not yet separate"), v.evidence)
        }
    }
}
