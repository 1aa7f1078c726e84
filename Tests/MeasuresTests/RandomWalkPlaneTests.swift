import LinearAlgebra
import XCTest

@testable import Measures

/// The random-walk null of a path's planarity against Antognini & Sohl-Dickstein's closed form,
/// and `VerdictRules.exceeds` on walks: its error rates on its two boundary nulls, its power on a
/// planted excess, and "not supported" on paths that are random walks.
final class RandomWalkPlaneTests: XCTestCase {
    /// The exact infinite-dimension share tends to 7.5/π² as the walk grows (the k-th share → 6/(π²k²)).
    func testLimitApproachesTheClosedForm() throws {
        XCTAssertEqual(
            try RandomWalkPlane.limitShare(checkpoints: 801), RandomWalkPlane.asymptoticShare, accuracy: 2e-3)
        // Short walks are more planar than long ones: four checkpoints (three centred rows) are exactly a plane.
        XCTAssertEqual(try RandomWalkPlane.limitShare(checkpoints: 4), 1, accuracy: 1e-12)
        XCTAssertGreaterThan(
            try RandomWalkPlane.limitShare(checkpoints: 11), try RandomWalkPlane.limitShare(checkpoints: 101))
    }

    /// Monte Carlo walks in high dimension agree with the exact limit for their length.
    func testMonteCarloAgreesWithTheLimit() throws {
        let n = 21
        let mc = try RandomWalkPlane.topTwoShare(checkpoints: n, dimension: 4000, replicates: 40, seed: 1)
        let limit = try RandomWalkPlane.limitShare(checkpoints: n)
        // Within 4 standard errors, plus the O(n/P) bias of a finite dimension.
        XCTAssertEqual(mc.mean, limit, accuracy: 4 * mc.standardError + 0.01)
    }

    /// A path with a straight drift added to the walk is more planar than the walk.
    func testDriftRaisesTheShare() throws {
        var g = Generator(seed: 3)
        let p = 500
        let n = 21
        let walk = RandomWalkPlane.walk(checkpoints: n, dimension: p, rng: &g)
        let drift = (0..<p).map { _ in g.normal() }
        let drifted = walk.enumerated().map { i, w in (0..<p).map { w[$0] + 3 * Double(i) * drift[$0] } }
        XCTAssertGreaterThan(
            try TrajectoryPlane.topTwoShare(path: drifted), try TrajectoryPlane.topTwoShare(path: walk) + 0.1)
    }

    /// Boundary nulls under normal scatter (σ = 1 = the least effect): "supported" at d = 0 and
    /// "not supported" at d = leastEffect each below the rule-failing limit; power at d = 2σ.
    func testExceedsBoundaryNullsAndPower() {
        PairedRuleRates(direction: 1) { VerdictRules.exceeds(differences: $0, leastEffect: 1, what: "d") }.check(
            "exceeds")
        XCTAssertNotNil(VerdictRules.exceeds(differences: [0.2, 0.3], leastEffect: 0.1, what: "d").values["mde"])
    }

    /// The verdict's own boundary null, end to end: "training paths" that are random walks,
    /// against the walks' Monte Carlo reference. "Supported" must stay rare (measured over 200
    /// repetitions of 5 paths), and with 10 paths a walk is concluded to be no more planar than
    /// a walk ("not supported").
    func testRandomWalkPathsAreNotMorePlanarThanAWalk() throws {
        let n = 21
        let p = 300
        let reference = try RandomWalkPlane.topTwoShare(checkpoints: n, dimension: p, replicates: 400, seed: 99)
        var g = Generator(seed: 5)
        func shares(_ k: Int) throws -> [Double] {
            try (0..<k).map { _ in
                try TrajectoryPlane.topTwoShare(path: RandomWalkPlane.walk(checkpoints: n, dimension: p, rng: &g))
            }
        }
        var supported = 0
        let trials = 200
        for _ in 0..<trials {
            let d = try shares(5).map { $0 - reference.mean }
            if VerdictRules.exceeds(
                differences: d, referenceStandardError: reference.standardError, leastEffect: 0.05, what: "d"
            ).supported == true {
                supported += 1
            }
        }
        print("random-walk paths: 'supported' in \(supported) of \(trials)")
        XCTAssertLessThanOrEqual(supported, VerdictRuleTests.nullCeiling(trials))
        let d = try shares(10).map { $0 - reference.mean }
        let outcome = VerdictRules.exceeds(
            differences: d, referenceStandardError: reference.standardError, leastEffect: 0.05, what: "d")
        XCTAssertEqual(outcome.supported, false, outcome.reason)
    }
}
