import Datasets
import LinearAlgebra
import XCTest

@testable import Experiments

/// Zhang et al.'s random labels: a tiny real run fits both true and random labels; the rules on
/// synthetic runs say "not supported" where the network does not fit or beats chance; the input
/// corruptions keep what they should.
final class RandomLabelsTests: XCTestCase {
    func testTinyRunFitsTrueAndRandomLabels() throws {
        let e = RandomLabels(
            data: "mnist1d:train=100,test=200", model: "mlp:64", fractions: [0, 1], inputCorruptions: false, seeds: 2,
            maxEpochs: 300)
        let r = try e.execute(RunContext(command: "t"))
        let runs = r.tables.first { $0.name == "runs" }!
        XCTAssertEqual(runs.rows.count, 4)
        let fitted = runs.columns.firstIndex(of: "fitted")!
        let trainError = runs.columns.firstIndex(of: "train_error")!
        for row in runs.rows where row[fitted] == .bool(true) { XCTAssertEqual(row[trainError].number, 0) }
        XCTAssertEqual(r.verdicts.count, 4)
    }

    func run(
        _ c: RandomLabels.Condition, _ seed: Int, steps: Int, fitted: Bool = true, testError: Double,
        chance: Double = 0.9
    ) -> RandomLabels.Run {
        .init(
            condition: c, seed: seed, steps: steps, epochs: 10, fitted: fitted, trainError: fitted ? 0 : 0.3,
            testError: testError, testCount: 1000, chance: chance)
    }

    func testRulesCanSayNotSupported() {
        let e = RandomLabels(fractions: [0, 1], inputCorruptions: false, seeds: 3)
        // Random labels fitted, but 40× slower, and test error far below chance.
        var runs = [RandomLabels.Run]()
        for s in 0..<3 {
            runs.append(run(.labels(0), s, steps: 100 + s, testError: 0.2))
            runs.append(run(.labels(1), s, steps: 4000 + 10 * s, testError: 0.5 + 0.01 * Double(s)))
        }
        let r = e.analyze(Measured(.init(classes: 10, runs: runs)))
        XCTAssertEqual(r.verdicts[0].supported, true)
        XCTAssertEqual(r.verdicts[1].supported, false, r.verdicts[1].evidence)
        XCTAssertEqual(r.verdicts[3].supported, false, r.verdicts[3].evidence)
        // Random labels not fitted within the budget (10× the true-label steps, stated before the
        // run): censored evidence against both the fit and the slow-down, not "missing".
        let unfit = (0..<3).flatMap { s in
            [
                run(.labels(0), s, steps: 100, testError: 0.2),
                run(.labels(1), s, steps: 5000, fitted: false, testError: 0.9),
            ]
        }
        let censored = e.analyze(Measured(.init(classes: 10, runs: unfit)))
        XCTAssertEqual(censored.verdicts[0].supported, false, censored.verdicts[0].evidence)
        XCTAssertEqual(censored.verdicts[1].supported, false, censored.verdicts[1].evidence)
        // One seed censored, the others fitted fast: still against (the seed that did not fit is the refutation).
        var oneCensored = (0..<3).flatMap { s in
            [run(.labels(0), s, steps: 100, testError: 0.2), run(.labels(1), s, steps: 200, testError: 0.9)]
        }
        oneCensored[5] = run(.labels(1), 2, steps: 1000, fitted: false, testError: 0.9)
        XCTAssertEqual(e.analyze(Measured(.init(classes: 10, runs: oneCensored))).verdicts[1].supported, false)
        // Stopped by the epoch cap before the budget was spent: undecided, and the evidence says so.
        let short = (0..<3).flatMap { s in
            [
                run(.labels(0), s, steps: 100, testError: 0.2),
                run(.labels(1), s, steps: 500, fitted: false, testError: 0.9),
            ]
        }
        let cut = e.analyze(Measured(.init(classes: 10, runs: short)))
        XCTAssertNil(cut.verdicts[0].supported)
        XCTAssertNil(cut.verdicts[1].supported)
        XCTAssertTrue(cut.verdicts[0].evidence.contains("short of its budget of 1000"), cut.verdicts[0].evidence)
        // Fitted within 3× on every seed: both supported.
        let fast = (0..<3).flatMap { s in
            [
                run(.labels(0), s, steps: 100 + s, testError: 0.2),
                run(.labels(1), s, steps: 250 + 20 * s, testError: 0.9),
            ]
        }
        let ok = e.analyze(Measured(.init(classes: 10, runs: fast)))
        XCTAssertEqual(ok.verdicts[0].supported, true)
        XCTAssertEqual(ok.verdicts[1].supported, true, ok.verdicts[1].evidence)
    }

    func testInputCorruptions() throws {
        let d = try DatasetSpec(parsing: "mnist1d:train=50,test=10").load().train
        var g = Generator(seed: 1)
        var order = Array(0..<d.featureCount)
        g.shuffle(&order)
        let p = d.withFeaturesPermuted(order)
        for i in 0..<d.count {
            for j in 0..<d.featureCount { XCTAssertEqual(p.features[i, j], d.features[i, order[j]]) }
        }
        XCTAssertEqual(p.labels, d.labels)
        let r = d.withFeaturesPermutedPerSample(seed: 2)
        for i in 0..<d.count { XCTAssertEqual(r.features.row(i).sorted(), d.features.row(i).sorted()) }
        let big = try DatasetSpec(parsing: "mnist1d:train=4000,test=10").load().train
        let gauss = big.withGaussianFeatures(matching: big, seed: 3)
        for j in [0, 17, 39] {
            let a = (0..<big.count).map { Double(big.features[$0, j]) }
            let b = (0..<big.count).map { Double(gauss.features[$0, j]) }
            XCTAssertEqual(
                Stats.mean(b), Stats.mean(a), accuracy: 4 * Stats.standardDeviation(a) / Double(big.count).squareRoot())
            XCTAssertEqual(
                Stats.standardDeviation(b), Stats.standardDeviation(a), accuracy: 0.05 * Stats.standardDeviation(a))
        }
        XCTAssertThrowsError(try RandomLabels(fractions: [0, 1.5]).validate())
        XCTAssertThrowsError(try RandomLabels(fractions: [0, 0.5]).validate())
    }
}
