import Datasets
import Experiments
import LinearAlgebra
import XCTest

final class PerceptronExperimentTests: XCTestCase {
    func testMistakesOnSeparableData() throws {
        let spec = "separable:d=10,n=400,margin=0.1"
        let r = try MistakeBoundExperiment(data: spec).execute(RunContext(command: "test"))
        XCTAssertEqual(r.verdicts.count, 2)
        XCTAssertEqual(r.verdicts[0].supported, true, r.verdicts[0].evidence)
        XCTAssertEqual(r.verdicts[1].supported, true)
        let mistakes = r.metrics["mistakes"]!.number!
        let bound = r.metrics["mistake_bound"]!.number!
        XCTAssertLessThanOrEqual(mistakes, bound)
        // The SVM recovers the planted margin.
        XCTAssertEqual(r.metrics["margin"]!.number!, 0.1, accuracy: 1e-4)
        let trace = r.tables.first { $0.name == "proof_trace" }!
        XCTAssertEqual(trace.rows.count, Int(mistakes))
    }

    /// Non-separable data: the bound is declared not applicable (inconclusive), never "supported".
    func testMistakesOnNonSeparableData() throws {
        let spec = "gaussian-mixture:d=2,n=300,sep=0.5"
        let r = try MistakeBoundExperiment(data: spec, maxEpochs: 20).execute(RunContext(command: "test"))
        XCTAssertNil(r.verdicts[0].supported)
        XCTAssertTrue(r.notes.contains { $0.contains("assumption fails") })
        XCTAssertEqual(r.metrics["converged"], .bool(false))
    }

    func testBadInputs() throws {
        XCTAssertThrowsError(
            try MistakeBoundExperiment(data: "gaussian-mixture:k=3,n=30").execute(RunContext(command: "t"))
        ) { e in
            XCTAssertTrue("\(e)".contains("two classes"))
        }
        XCTAssertThrowsError(try RiskBoundExperiment(sizes: [100, 50]).execute(RunContext(command: "t"))) { e in
            XCTAssertEqual((e as? GenLabError)?.exitCode, 2)
        }
        XCTAssertThrowsError(try RiskBoundExperiment(trials: 1).execute(RunContext(command: "t")))
    }

    /// The risk experiment end to end at tiny scale: both measured risks under their bounds.
    func testRiskEndToEnd() throws {
        let r = try RiskBoundExperiment(sizes: [100, 200], trials: 8, testCount: 500).execute(
            RunContext(command: "test"))
        let table = r.tables.first { $0.name == "risk" }!
        XCTAssertEqual(table.rows.count, 4)
        for row in table.rows {
            let mean = row[2].number!
            let lo = row[3].number!
            let hi = row[4].number!
            let bound = row[5].number!
            XCTAssertLessThanOrEqual(lo, mean)
            XCTAssertLessThanOrEqual(mean, hi)
            XCTAssertLessThan(mean, bound)
        }
        XCTAssertEqual(r.verdicts[0].supported, true)
        XCTAssertEqual(r.verdicts[1].supported, true)
    }

    /// Same seed, same numbers: the parallel trials do not depend on scheduling.
    func testRiskIsReproducible() throws {
        let a = try RiskBoundExperiment(sizes: [60], trials: 6, testCount: 300, seed: 4).execute(
            RunContext(command: "t"))
        let b = try RiskBoundExperiment(sizes: [60], trials: 6, testCount: 300, seed: 4).execute(
            RunContext(command: "t"))
        XCTAssertEqual(a.tables, b.tables)
    }
}
