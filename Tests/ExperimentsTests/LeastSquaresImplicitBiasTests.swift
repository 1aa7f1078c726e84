import Foundation
import LinearAlgebra
import XCTest

@testable import Experiments

/// The least-squares implicit bias on a data set's features: the result records the data the
/// run read (not the planted features and noise), and its stored outcomes reanalyze to the same
/// verdicts and solution files.
final class LeastSquaresImplicitBiasTests: XCTestCase {
    func testADataSpecIsRecordedAndReanalyzed() throws {
        var e = LeastSquaresImplicitBias(samples: 30, steps: 300)
        e.data = "mnist1d:train=30,test=10"
        let r = try e.execute(RunContext(command: "t"))
        XCTAssertNil(r.configuration["features"])
        XCTAssertNil(r.configuration["noise"])
        XCTAssertEqual(r.configuration["data"], JSONValue("mnist1d:train=30,test=10"))
        XCTAssertEqual(r.metrics["samples"], JSONValue(30))
        XCTAssertEqual(r.metrics["features"], JSONValue(40))
        XCTAssertTrue(r.notes.contains { $0.hasPrefix("data: 30 train") }, "\(r.notes)")
        XCTAssertTrue(
            r.verdicts[0].evidence.hasPrefix(
                "mnist1d:train=30,test=10 (y = ±1: class 0 against the rest), n = 30, p = 40"),
            r.verdicts[0].evidence)
        XCTAssertEqual(r.artifacts.keys.filter { $0.hasSuffix(".npy") }.count, 6)
        let again = try e.reanalyzed(
            Data(try XCTUnwrap(r.artifacts[MeasurementFile.name])), source: "outcomes.json", result: r)
        XCTAssertEqual(again.verdicts, r.verdicts)
        XCTAssertEqual(again.notes, r.notes)
        XCTAssertEqual(again.artifacts, r.artifacts)
    }
}
