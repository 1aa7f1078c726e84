import LinearAlgebra
import XCTest

@testable import Experiments

/// Sample-wise double descent in a network: a tiny run trains every (size, seed) on nested
/// noisy sets; the verdict comes out "supported" on a curve with a rise built in and "not
/// supported" on one that falls steadily.
final class SampleWiseNetworkTests: XCTestCase {
    func testTinyRunTrainsEverySizeAndSeed() throws {
        let e = Registry.entry(folder: "double-descent-samples-network")!.plan(.tiny).experiment as! SampleWiseNetwork
        let r = try e.execute(RunContext(command: "t"))
        XCTAssertEqual(r.tables[0].column("n"), e.sizes.map(Double.init))
        XCTAssertEqual(r.tables[0].column("seeds"), e.sizes.map { _ in Double(e.seeds) })
        XCTAssertEqual(r.verdicts.count, 1)
        XCTAssertThrowsError(try SampleWiseNetwork(sizes: [100, 50]).validate())
    }

    func outcomes(_ e: SampleWiseNetwork, _ curve: [Double], seed: UInt64) -> [SampleWiseNetwork.Outcome] {
        var g = Generator(seed: seed)
        return zip(e.sizes, curve).flatMap { n, y in
            (0..<e.seeds).map { s in
                .init(size: n, seed: s, trainError: 0, testError: y + 0.002 * g.normal(), parameters: 100)
            }
        }
    }

    func testVerdictCanComeOutEitherWay() {
        let e = SampleWiseNetwork(sizes: [250, 500, 1000, 2000], seeds: 4)
        let bump = e.analyze(Measured(outcomes(e, [0.40, 0.36, 0.45, 0.30], seed: 1)))
        XCTAssertEqual(bump.verdicts[0].supported, true, bump.verdicts[0].evidence)
        let falling = e.analyze(Measured(outcomes(e, [0.40, 0.36, 0.33, 0.30], seed: 2)))
        XCTAssertEqual(falling.verdicts[0].supported, false, falling.verdicts[0].evidence)
    }
}
