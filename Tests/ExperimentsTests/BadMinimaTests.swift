import Datasets
import LinearAlgebra
import XCTest

@testable import Experiments

/// Liu et al.'s bad minima: a tiny run records both routes per seed; the verdicts come out
/// "not supported" on pairs built to refute them (the pretrained minimum no worse, no sharper).
final class BadMinimaTests: XCTestCase {
    func testTinyRunRecordsBothRoutes() throws {
        let e = Registry.entry(folder: "bad-minima")!.plan(.tiny).experiment as! BadMinima
        let r = try e.execute(RunContext(command: "t"))
        let t = r.tables[0]
        XCTAssertEqual(t.rows.count, 2 * e.seeds)
        XCTAssertEqual(r.verdicts.count, 2)
        XCTAssertTrue(t.column("lambda_max").allSatisfy { $0 > 0 })
        XCTAssertTrue(r.verdicts.allSatisfy { $0.kind == .finding })
    }

    func minimum(_ test: Double, _ lambda: Double) -> BadMinima.Minimum {
        .init(reached: true, epochs: 10, trainError: 0, testError: test, lambdaMax: lambda, trace: 10 * lambda)
    }

    func testVerdictsCanFail() {
        let e = BadMinima()
        var g = Generator(seed: 2)
        let same = (0..<8).map { s in
            BadMinima.Pair(
                seed: s, direct: minimum(0.3 + 0.003 * g.normal(), 5 * (1 + 0.01 * g.normal())),
                pretrained: minimum(0.3 + 0.003 * g.normal(), 5 * (1 + 0.01 * g.normal())), memorizeEpochs: 50,
                memorizeTrainError: 0, memorized: true)
        }
        let r = e.result(same, seconds: 0, command: "t")
        XCTAssertEqual(r.verdicts[0].supported, false, r.verdicts[0].evidence)
        XCTAssertEqual(r.verdicts[1].supported, false, r.verdicts[1].evidence)
        let bad = same.map { p in
            var q = p
            q.pretrained = minimum(p.direct.testError + 0.2, p.direct.lambdaMax * 3)
            return q
        }
        let b = e.result(bad, seconds: 0, command: "t")
        XCTAssertEqual(b.verdicts[0].supported, true, b.verdicts[0].evidence)
        XCTAssertEqual(b.verdicts[1].supported, true, b.verdicts[1].evidence)
        // A seed whose random-label phase did not fit is left out, and named.
        var missed = same
        missed[0].memorized = false
        XCTAssertTrue(e.result(missed, seconds: 0, command: "t").notes.joined().contains("seeds [0]"))
    }
}
