import Foundation
import XCTest

/// `genlab sweep` as a user types it: plan, shards by hand, collect; the sbatch file; the
/// bad inputs (a shard like 5/4 or 0/0, a folder that is no plan, no sbatch on PATH).
final class SweepCommandTests: XCTestCase {
    func testPlanShardsCollectAndBadInputs() throws {
        let dir = temporaryFolder() + "/zoo"
        let local = temporaryFolder()
        XCTAssertEqual(try runGenlab(["run", "measures", "--scale", "tiny", "--out", local, "--quiet"]).status, 0)
        let plan = try runGenlab(["sweep", "plan", "measures", "--scale", "tiny", "--out", dir])
        XCTAssertEqual(plan.status, 0, plan.stderr)
        XCTAssertTrue(plan.stdout.contains("planned 12 points"), plan.stdout)
        for bad in ["5/4", "0/0", "x", "-1/2"] {
            let r = try runGenlab(["sweep", "run", dir, "--shard", bad])
            XCTAssertEqual(r.status, 2, "\(bad): \(r.stderr)")
        }
        let notPlanned = try runGenlab(["sweep", "status", temporaryFolder()])
        XCTAssertEqual(notPlanned.status, 1)
        XCTAssertTrue(notPlanned.stderr.contains("experiment.json"), notPlanned.stderr)
        for s in ["0/2", "1/2"] {
            XCTAssertEqual(try runGenlab(["sweep", "run", dir, "--shard", s, "--quiet"]).status, 0)
        }
        let status = try runGenlab(["sweep", "status", dir])
        XCTAssertTrue(status.stdout.contains("12 finished, 0 running, 0 missing, 0 failed"), status.stdout)
        let collect = try runGenlab(["sweep", "collect", dir, "--quiet"])
        XCTAssertEqual(collect.status, 0, collect.stderr)
        for t in ["networks.csv", "measures.csv"] {
            XCTAssertEqual(
                try String(contentsOfFile: local + "/" + t, encoding: .utf8),
                try String(contentsOfFile: dir + "/result/" + t, encoding: .utf8), t)
        }
        // The batch script is written without Slurm; submitting without sbatch is a clear error.
        let slurm = try runGenlab(
            ["sweep", "slurm", dir, "--shards", "4", "--max-array-size", "3", "--submit"],
            environment: ["PATH": "/nonexistent"])
        XCTAssertEqual(slurm.status, 1)
        XCTAssertTrue(slurm.stderr.contains("sbatch is not on PATH"), slurm.stderr)
        XCTAssertTrue(
            FileManager.default.fileExists(atPath: dir + "/sweep-1.sbatch"), "4 shards with MaxArraySize 3: two arrays")
    }
}
