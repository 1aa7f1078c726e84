import Foundation
import LinearAlgebra
import TestSupport
import XCTest

@testable import Experiments

/// The measurements that publish their finished units (`LiveMeasurement`): a tiny registry run
/// with `liveResult` set leaves a partial result of that experiment, and the analysis of every
/// prefix of its units (the experiment narrowed to them) runs.
final class LiveMeasurementTests: XCTestCase {
    /// Runs the tiny registry entry of `folder` with a live result; the partial result it left and
    /// the run's stored outcomes.
    func liveRun<E: LiveMeasurement>(_ folder: String, as _: E.Type) throws -> (E, E.Outcomes, ExperimentResult) {
        let e = try XCTUnwrap(Registry.entry(folder: folder)?.plan(.tiny).experiment as? E)
        let path = Scratch.folder("live") + "/live.json"
        var c = RunContext(command: "t")
        c.liveResult = path
        let result = try e.execute(c)
        let partial = try XCTUnwrap(LiveResult.read(path), "no partial result in \(path)")
        XCTAssertEqual(partial.experiment, result.experiment)
        XCTAssertTrue(partial.notes.contains { $0.hasPrefix("Partial:") }, "\(partial.notes)")
        let record = try MeasurementFile.decoder.decode(
            MeasurementRecord<E.Outcomes>.self, from: Data(try XCTUnwrap(result.artifacts[MeasurementFile.name])))
        return (e, record.measured.outcomes, partial)
    }

    /// The risk bounds: every prefix of the sizes analyzes as a run over those sizes.
    func testPerceptronRiskPublishesItsFinishedSizes() throws {
        let (e, perSize, partial) = try liveRun("perceptron-risk", as: RiskBoundExperiment.self)
        XCTAssertEqual(partial.verdicts.count, 4)
        for k in 1...perSize.count {
            var part = e
            part.sizes = Array(e.sizes.prefix(k))
            let r = part.analyze(Measured(Array(perSize.prefix(k))))
            XCTAssertEqual(r.tables[0].rows.count, 2 * k)
            XCTAssertEqual(r.verdicts.count, 4)
        }
    }

    /// Guess and check: every prefix of two sets or more analyzes as a run with that many sets.
    func testGuessAndCheckPublishesItsFinishedSets() throws {
        let (e, sets, partial) = try liveRun("implicit-bias-guess-and-check", as: GuessAndCheck.self)
        XCTAssertEqual(partial.verdicts.count, 2)
        for k in 2...sets.count {
            var part = e
            part.sets = k
            let r = part.analyze(Measured(Array(sets.prefix(k))))
            XCTAssertEqual(r.verdicts.count, 2)
            XCTAssertEqual(r.tables[1].rows.count, 2 * k, "one search row per set and prior")
        }
    }
}
