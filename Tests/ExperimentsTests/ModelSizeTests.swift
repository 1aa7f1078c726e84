import Datasets
import Foundation
import LinearAlgebra
import XCTest

@testable import Experiments

/// Bigger is better in Neyshabur et al.'s protocol: each width trains to the target training
/// cross-entropy; a width that cannot reach it within the limit is named and left out of the
/// slope, never counted as saturated.
final class ModelSizeTests: XCTestCase {
    func testWidthsThatMissTheTargetAreLeftOut() throws {
        let r = try ModelSize(
            data: "mnist1d:train=200,test=200", widths: [2, 128, 256], seeds: 2, maxEpochs: 400, learningRate: 0.1
        ).execute(RunContext(command: "t"))
        let t = r.tables[0]
        XCTAssertEqual(t.column("width"), [2, 128, 256])
        // Width 2 cannot bring 200 labels to cross-entropy 0.01 in 400 epochs; the wide ones can.
        XCTAssertLessThan(t.column("train_accuracy")[0], 1)
        XCTAssertTrue(r.verdicts[0].evidence.contains("width 2, left out"), r.verdicts[0].evidence)
        XCTAssertEqual(r.metrics["saturated_widths"], JSONValue(2))
        // The returns' shape needs three saturated widths: two give no verdict, and no fitted curve where it was not
        // fitted.
        XCTAssertEqual(r.verdicts.count, 2)
        XCTAssertNil(r.verdicts[1].supported)
        XCTAssertTrue(r.verdicts[1].evidence.contains("three"), r.verdicts[1].evidence)
        XCTAssertEqual(t.rows[0].last, .null)
        XCTAssertThrowsError(try ModelSize(targetLoss: 0).execute(RunContext(command: "t"))) {
            XCTAssertEqual(($0 as? GenLabError)?.exitCode, 2)
        }
    }
}
