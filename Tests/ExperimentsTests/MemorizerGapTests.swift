import Datasets
import Foundation
import LinearAlgebra
import XCTest

@testable import Experiments

/// The tutorial's experiment (DocC: "Write your own experiment"): the 1-NN kernel against a
/// direct search, a tiny run with both verdicts, its rerun from result.json, and bad inputs.
final class MemorizerGapTests: XCTestCase {
    func testNearestNeighbourAgainstADirectSearch() throws {
        let split = try DatasetSpec(parsing: "mnist1d:train=120,test=60").load()
        var wrong = 0
        for i in 0..<split.test.count {
            var best = 0
            var bestDistance = Double.infinity
            for j in 0..<split.train.count {
                var d = 0.0
                for c in 0..<split.train.featureCount {
                    let t = Double(split.test.features[i, c]) - Double(split.train.features[j, c])
                    d += t * t
                }
                if d < bestDistance {
                    bestDistance = d
                    best = j
                }
            }
            if split.train.labels[best] != split.test.labels[i] { wrong += 1 }
        }
        XCTAssertEqual(MemorizerGap.error(train: split.train, on: split.test), Double(wrong) / 60, accuracy: 1e-12)
        XCTAssertEqual(MemorizerGap.error(train: split.train, on: split.train), 0, "a memorizer has training error 0")
    }

    func testTinyRunSupportsBothClaimsAndReruns() throws {
        let e = MemorizerGap(data: "mnist1d:train=600,test=1000", seeds: 5)
        let r = try e.execute(RunContext(command: "t"))
        XCTAssertEqual(r.verdicts.map(\.supported), [true, true], r.verdicts.map(\.evidence).joined(separator: "\n"))
        XCTAssertTrue(r.tables[1].column("train_error").allSatisfy { $0 == 0 })
        // result.json alone reruns it, through the registry.
        let again = try Registry.decode(name: r.experiment, configuration: r.configuration).execute(
            RunContext(command: "t"))
        XCTAssertEqual(again.tables, r.tables)
    }

    func testBadInputs() {
        for bad in [MemorizerGap(fractions: [0, 0.5]), MemorizerGap(fractions: [0, 1, 1.5]), MemorizerGap(seeds: 1)] {
            XCTAssertThrowsError(try bad.validate()) { e in XCTAssertEqual((e as? GenLabError)?.exitCode, 2) }
        }
    }
}
