@testable import Experiments
import Datasets
import LinearAlgebra
import XCTest

/// The regularizer ablation: a tiny run goes through every condition; the rules on synthetic
/// runs say "not supported" where a regularizer hurts and where the CNN keeps its advantage on
/// shuffled positions; shift augmentation rolls each signal.
final class RegularizerAblationTests: XCTestCase {
    func testTinyRunCoversEveryCondition() throws {
        let r = try RegularizerAblation(data: "mnist1d:train=200,test=200", width: 32, cnn: "cnn1d:8x8,kernel=5,stride=2", epochs: 10, seeds: 2)
            .execute(RunContext(command: "t"))
        XCTAssertEqual(r.tables[0].rows.count, 2 * RegularizerAblation.Condition.allCases.count)
        XCTAssertEqual(r.verdicts.count, RegularizerAblation.Condition.regularizers.count + 2)
    }

    func run(_ c: RegularizerAblation.Condition, _ s: Int, _ test: Double, train: Double = 0) -> RegularizerAblation.Run {
        .init(condition: c, seed: s, trainError: train, testError: test, parameterNorm: 1, epochs: 10)
    }

    func testRulesCanSayNotSupported() {
        let e = RegularizerAblation(seeds: 3)
        var runs = [RegularizerAblation.Run]()
        for s in 0..<3 {
            let j = 0.002 * Double(s)
            runs += [run(.none, s, 0.40 + j), run(.dropout, s, 0.45 + 2 * j), run(.weightDecay, s, 0.40 + j), run(.earlyStopping, s, 0.50 + j),
                     run(.smallBatch, s, 0.30 + 3 * j), run(.augmentation, s, 0.45 + j),
                     // The CNN's advantage grows on shuffled positions: no sign of its prior.
                     run(.cnn, s, 0.20 + j), run(.mlpShuffled, s, 0.45 + j), run(.cnnShuffled, s, 0.20 + 2 * j),
                     run(.regularizedRandomLabels, s, 0.9, train: 0.6)]
        }
        let r = e.result(runs, classes: 10, seconds: 0, command: "t")
        // The last: random labels not fitted within the budget is inconclusive, not a refutation.
        XCTAssertEqual(r.verdicts.map(\.supported), [false, nil, false, true, false, false, nil], r.verdicts.map(\.evidence).joined(separator: "\n"))
        // An unregularized network near chance: regularization was necessary after all.
        let nearChance = runs.map { var x = $0; x.testError = 0.85 + 0.01 * Double(x.seed); x.trainError = 0; return x }
        XCTAssertEqual(e.result(nearChance, classes: 10, seconds: 0, command: "t").verdicts.last!.supported, false)
    }

    func testShiftedCopiesRollEachSignal() throws {
        let d = try DatasetSpec(parsing: "mnist1d:train=20,test=10").load().train
        let a = d.withShiftedCopies([1, -2])
        XCTAssertEqual(a.count, 3 * d.count)
        XCTAssertEqual(a.labels, d.labels + d.labels + d.labels)
        let n = d.featureCount
        for i in 0..<d.count {
            for j in 0..<n {
                XCTAssertEqual(a.features[d.count + i, j], d.features[i, (j - 1 + n) % n])
                XCTAssertEqual(a.features[2 * d.count + i, j], d.features[i, (j + 2) % n])
            }
        }
    }
}
