import Datasets
import Foundation
import LinearAlgebra
import TestSupport
import XCTest

@testable import Experiments

/// `genlab sweep` without Slurm: a plan, its shards run one by one, the collection (the same
/// tables as a local run), a partial collection, the points' states, the batch scripts, and the
/// bad inputs. The real Slurm runs are scripts/slurm-test.sh.
final class SweepPlanTests: XCTestCase {
    func zoo() throws -> MeasureZoo {
        try XCTUnwrap(Registry.entry(folder: "measures")?.plan(.tiny).experiment as? MeasureZoo)
    }

    func testShardsCollectToTheLocalTables() throws {
        let local = try zoo().execute(RunContext(command: "t", checkpoint: Scratch.path("local")))
        let dir = Scratch.path("sweep")
        let plan = try SweepPlan.make(folder: "measures", experiment: zoo(), dir: dir, dataDirectory: nil)
        XCTAssertEqual(plan.points.count, 12)
        XCTAssertFalse(plan.whole)
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0 != "experiment.json" }, [],
            "planning computes nothing")
        let loaded = try SweepPlan.load(dir)
        XCTAssertEqual(loaded.points, plan.points)
        // Missing points: refused, named.
        XCTAssertThrowsError(try loaded.collect(dir: dir, dataDirectory: nil, partial: false)) { e in
            XCTAssertTrue("\(e)".contains("12 of 12 points are missing"), "\(e)")
        }
        var computed = 0
        for i in 0..<3 {
            let r = try loaded.runShard(i, of: 3, dir: dir, dataDirectory: nil)
            XCTAssertEqual(r.reused, 0)
            computed += r.computed
            if i == 0 {
                let partial = try loaded.collect(dir: dir, dataDirectory: nil, partial: true)
                XCTAssertEqual(partial.tables[0].rows.count, 4)
                XCTAssertTrue(partial.notes[0].contains("8 of 12 points are absent"), partial.notes[0])
                XCTAssertEqual(
                    Set(loaded.status(dir: dir, shards: 3).filter { $0.state == .finished }.map { $0.shard! }), [0])
            }
        }
        XCTAssertEqual(computed, 12)
        XCTAssertEqual(
            try loaded.runShard(1, of: 3, dir: dir, dataDirectory: nil).computed, 0,
            "a shard run again computes nothing")
        let collected = try loaded.collect(dir: dir, dataDirectory: nil, partial: false)
        XCTAssertEqual(collected.tables, local.tables)
        XCTAssertEqual(
            RunContext(command: "t").sweep.mode, SweepMode.local,
            "a run is a plain one unless genlab sweep gives it another control")
    }

    /// An experiment without a sweep of points is one point: the whole run.
    func testWholeExperimentIsOnePoint() throws {
        let e = try XCTUnwrap(Registry.entry(folder: "pac")?.plan(.tiny).experiment)
        let dir = Scratch.path("whole")
        let plan = try SweepPlan.make(folder: "pac", experiment: e, dir: dir, dataDirectory: nil)
        XCTAssertTrue(plan.whole)
        XCTAssertEqual(plan.points.count, 1)
        XCTAssertEqual(try plan.runShard(1, of: 2, dir: dir, dataDirectory: nil).computed, 0)
        XCTAssertEqual(try plan.runShard(0, of: 2, dir: dir, dataDirectory: nil).computed, 1)
        XCTAssertEqual(
            try plan.collect(dir: dir, dataDirectory: nil, partial: false).tables,
            try e.execute(RunContext(command: "t")).tables)
    }

    /// A whole run remembers the data it read; collecting where the same spec gives other data
    /// (another node's files, a CSV changed since) is refused, not passed off as this data's result.
    func testWholeRunRefusesOtherData() throws {
        let dataDir = Scratch.folder("whole-data")
        let csv = dataDir + "/data.csv"
        func writeData(_ shift: Double) throws {
            var lines = ["a,b,label"]
            for i in 0..<60 { lines.append("\(Double(i % 7) + shift),\(Double(i % 5)),\(i % 2)") }
            try lines.joined(separator: "\n").write(toFile: csv, atomically: true, encoding: .utf8)
        }
        try writeData(0)
        var e = Registry.randomLabels(.tiny)
        e.data = csv + ":holdout=0.5"
        e.model = "mlp:4"
        e.maxEpochs = 5
        let dir = Scratch.path("whole-data-plan")
        let plan = try SweepPlan.make(folder: "random-labels", experiment: e, dir: dir, dataDirectory: nil)
        XCTAssertTrue(plan.whole)
        XCTAssertEqual(try plan.runShard(0, of: 1, dir: dir, dataDirectory: nil).computed, 1)
        XCTAssertNoThrow(try plan.collect(dir: dir, dataDirectory: nil, partial: false))
        try writeData(0.5)
        XCTAssertThrowsError(try plan.collect(dir: dir, dataDirectory: nil, partial: false)) { error in
            XCTAssertTrue("\(error)".contains("other data"), "\(error)")
            XCTAssertEqual((error as? GenLabError)?.exitCode, 1)
        }
    }

    func testPointStates() throws {
        let dir = Scratch.path("states")
        let plan = try SweepPlan.make(folder: "measures", experiment: zoo(), dir: dir, dataDirectory: nil)
        _ = try plan.runShard(0, of: 6, dir: dir, dataDirectory: nil)
        let logs = SweepPlan.logsFolder(dir)
        // A point started by this very process (alive), and one by a process that is gone.
        PointLog.append(
            "started host=\(ProcessInfo.processInfo.hostName) "
                + "pid=\(ProcessInfo.processInfo.processIdentifier) slurm=none",
            folder: logs, key: plan.points[1].key)
        PointLog.append(
            "started host=\(ProcessInfo.processInfo.hostName) pid=999999 slurm=none", folder: logs,
            key: plan.points[2].key)
        PointLog.append("some last words", folder: logs, key: plan.points[2].key)
        let s = plan.status(dir: dir)
        XCTAssertEqual(
            s.map(\.state),
            [.finished, .running, .failed, .missing, .missing, .missing, .finished]
                + Array(repeating: .missing, count: 5))
        XCTAssertTrue(s[2].logTail.last!.contains("some last words"))
    }

    func testBadInputs() throws {
        XCTAssertThrowsError(try SweepPlan.load(Scratch.folder("empty"))) { e in
            XCTAssertTrue("\(e)".contains("experiment.json"), "\(e)")
        }
        let dir = Scratch.path("version")
        var plan = try SweepPlan.make(folder: "measures", experiment: zoo(), dir: dir, dataDirectory: nil)
        XCTAssertThrowsError(try plan.runShard(4, of: 4, dir: dir, dataDirectory: nil)) { e in
            XCTAssertEqual((e as? GenLabError)?.exitCode, 2)
        }
        XCTAssertThrowsError(try plan.runShard(0, of: 0, dir: dir, dataDirectory: nil)) { e in
            XCTAssertEqual((e as? GenLabError)?.exitCode, 2)
        }
        plan.genlabVersion = "0.0.1"
        try AtomicFile.write(try ResultFolder.encodeJSON(plan), to: dir + "/experiment.json")
        XCTAssertThrowsError(try SweepPlan.load(dir)) { e in
            XCTAssertTrue("\(e)".contains("made by GenLab 0.0.1"), "\(e)")
        }
    }

    func testBatchScripts() throws {
        let a = SlurmArray(
            shards: 2500, parallelism: 50, minutes: 90, cpusPerTask: 2, partition: "cpu", memory: "4G", grace: 120,
            maxArraySize: 1001)
        XCTAssertEqual(a.arrays.map(\.offset), [0, 1001, 2002])
        XCTAssertEqual(a.arrays.map(\.tasks), [1001, 1001, 498])
        let dir = Scratch.folder("sbatch")
        let files = try a.write(dir: dir, genlab: "/opt/gen lab/genlab", experiment: "measures")
        XCTAssertEqual(
            files.map { ($0 as NSString).lastPathComponent }, ["sweep-0.sbatch", "sweep-1.sbatch", "sweep-2.sbatch"])
        let last = try String(contentsOfFile: files[2], encoding: .utf8)
        for line in [
            "#SBATCH --array=0-497%50", "#SBATCH --time=90", "#SBATCH --cpus-per-task=2", "#SBATCH --partition=cpu",
            "#SBATCH --mem=4G",
            "#SBATCH --signal=B:USR1@120", "#SBATCH --requeue", "#SBATCH --output=\(dir)/slurm/%A_%a.out",
            "#SBATCH --error=\(dir)/slurm/%A_%a.err",
            "shard=$((SLURM_ARRAY_TASK_ID + 2002))",
            "scontrol requeue \"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\"",
            "'/opt/gen lab/genlab' sweep run \(dir) --shard \"$shard/2500\" --quiet &",
        ] {
            XCTAssertTrue(last.contains(line), "missing: \(line)\n\(last)")
        }
        XCTAssertEqual(
            try SlurmArray(shards: 3).write(dir: Scratch.folder("one"), genlab: "g", experiment: "x").map {
                ($0 as NSString).lastPathComponent
            }, ["sweep.sbatch"])
        XCTAssertThrowsError(try SlurmArray(shards: 0).validate())
        XCTAssertThrowsError(try SlurmArray(shards: 2, partition: "a b").validate())
    }
}
