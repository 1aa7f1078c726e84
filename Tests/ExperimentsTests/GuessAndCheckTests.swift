import Datasets
import Learners
import LinearAlgebra
import XCTest

@testable import Experiments

/// Guess and check: the batched check agrees with the plain network's forward pass on every
/// candidate (fits exactly when its training error is 0), draws follow their prior's bounds, and
/// the verdict comes out either way on sets built for it.
final class GuessAndCheckTests: XCTestCase {
    func testBatchedCheckAgreesWithTheNetwork() throws {
        let split = try DatasetSpec(parsing: "mnist1d:train=200,test=50,classes=0,1").load()
        let train = split.train.subset(Array(0..<6))
        let x: Matrix<Float> = train.features.converted()
        let net = try Network<Float>(
            input: (x.cols, 1), hidden: [.dense(outputs: 4), .relu], outputs: 2, initialization: .uniform, seed: 0)
        for prior in InterpolatorSearch.Prior.allCases {
            let search = InterpolatorSearch(x: x, labels: train.labels, width: 4, classes: 2, prior: prior)
            XCTAssertEqual(search.parameterCount, net.parameterCount)
            var rng = Generator(seed: 3)
            let candidates = search.draw(3000, rng: &rng)
            let bound: Float = prior == .wide ? 1 : 1 / Float(x.cols).squareRoot()
            XCTAssertTrue(candidates.allSatisfy { $0.prefix(4 * x.cols + 4).allSatisfy { abs($0) <= bound } })
            let fitting = Set(search.fitting(candidates).map { $0.map(\.bitPattern) })
            XCTAssertGreaterThan(fitting.count, 0, "some of 3,000 random networks fit 6 samples")
            for c in candidates {
                net.parameterArray = c
                XCTAssertEqual(net.evaluate(train).error == 0, fitting.contains(c.map(\.bitPattern)))
            }
        }
    }

    func set(_ guessed: [Double], _ sgd: [Double]) -> GuessAndCheck.SetResult {
        .init(
            guessed: [
                .init(prior: .pytorch, errors: guessed, draws: 100), .init(prior: .wide, errors: guessed, draws: 300),
            ], sgd: sgd, searchSeconds: 0.1)
    }

    func testVerdictCanComeOutEitherWay() {
        let e = GuessAndCheck()
        var g = Generator(seed: 1)
        let same = (0..<8).map { _ in set([0.3 + 0.002 * g.normal(), 0.3], [0.3 + 0.002 * g.normal(), 0.3]) }
        XCTAssertTrue(e.result(same, seconds: 0, command: "t").verdicts.allSatisfy { $0.supported == false })
        let worse = (0..<8).map { _ in set([0.4 + 0.002 * g.normal(), 0.4], [0.3 + 0.002 * g.normal(), 0.3]) }
        XCTAssertTrue(e.result(worse, seconds: 0, command: "t").verdicts.allSatisfy { $0.supported == true })
    }

    func testTinyRun() throws {
        let e = Registry.entry(folder: "implicit-bias-guess-and-check")!.plan(.tiny).experiment as! GuessAndCheck
        let r = try e.execute(RunContext(command: "t"))
        XCTAssertEqual(r.verdicts.count, 2)
        XCTAssertGreaterThan(r.metrics["networks_per_second"]?.number ?? 0, 0)
        XCTAssertThrowsError(try GuessAndCheck(data: "mnist1d:train=200,test=50").execute(RunContext(command: "t"))) {
            XCTAssertTrue("\($0)".contains("two-class"), "\($0)")
        }
    }
}
