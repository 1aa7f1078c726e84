import LinearAlgebra
import XCTest

@testable import Experiments

/// Every experiment of the registry refuses an impossible step size before it trains: a learning
/// rate ≤ 0 is a usage error from `validate()`, never a run that crashes or records nothing.
final class SettingRangeTests: XCTestCase {
    func testEveryLearningRateMustBePositive() throws {
        var checked = 0
        for entry in Registry.entries {
            let e = entry.plan(.tiny).experiment
            for p in e.parameters where p.key.hasSuffix("learningRate") && p.value?.number != nil {
                for bad in ["-1", "0"] {
                    let changed = try e.setting([(p.key, bad)])
                    XCTAssertThrowsError(try changed.validate(), "\(entry.folder): \(p.key) = \(bad)") { error in
                        XCTAssertEqual((error as? GenLabError)?.exitCode, 2, "\(entry.folder): \(error)")
                    }
                }
                checked += 1
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 10, "the experiments that train with a learning rate")
    }
}
