import Experiments
import XCTest

/// Dinh et al.'s rescaling: the function stays, λ_max and the trace move with α; over a grid too
/// narrow to move them 100-fold the same rule says "not supported" (the rule can fail).
final class SharpnessRescalingTests: XCTestCase {
    func testRescalingKeepsTheFunctionAndMovesTheCurvature() throws {
        let wide = try SharpnessRescaling(
            data: "mnist1d:train=200,test=100", width: 16, epochs: 3, alphas: [0.01, 1, 100], samples: 100
        )
        .execute(RunContext(command: "t"))
        XCTAssertEqual(
            wide.verdicts.map(\.supported), [true, true, true, true],
            wide.verdicts.map(\.evidence).joined(separator: "\n"))
        XCTAssertLessThan(wide.metrics["max_logit_change"]!.number!, 1e-5)
        XCTAssertLessThan(wide.metrics["max_landscape_change"]!.number!, 1e-4)
        XCTAssertGreaterThan(wide.metrics["lambda_max_spread"]!.number!, 100)

        let narrow = try SharpnessRescaling(
            data: "mnist1d:train=200,test=100", width: 16, epochs: 3, alphas: [1, 1.5], samples: 100
        )
        .execute(RunContext(command: "t"))
        XCTAssertEqual(narrow.verdicts[0].supported, true)
        XCTAssertEqual(narrow.verdicts[1].supported, false, narrow.verdicts[1].evidence)
        XCTAssertEqual(narrow.verdicts[2].supported, false, narrow.verdicts[2].evidence)
        XCTAssertEqual(
            narrow.verdicts[3].supported, true, "the filter-normalized surface stays: " + narrow.verdicts[3].evidence)

        XCTAssertThrowsError(try SharpnessRescaling(alphas: [1]).execute(RunContext(command: "t")))
        XCTAssertThrowsError(try SharpnessRescaling(alphas: [1, -2]).execute(RunContext(command: "t")))
    }
}
