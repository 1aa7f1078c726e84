import Foundation
import XCTest

/// Faults a long run meets: a full disk and a read-only folder (a small tmpfs mounted by the
/// test, where it may: root and a mount that works; skipped with a message elsewhere), and a
/// network that diverges.
final class FaultTests: XCTestCase {
    func sh(_ args: [String]) -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return -1 }
        p.waitUntilExit()
        return p.terminationStatus
    }

    func testFullDiskAndReadOnlyFolder() throws {
        guard getuid() == 0 else { throw XCTSkip("mounting a small tmpfs needs root; full-disk test skipped") }
        let mnt = temporaryFolder()
        guard sh(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt]) == 0 else {
            throw XCTSkip("mount -t tmpfs is not permitted here; full-disk test skipped")
        }
        defer { _ = sh(["umount", mnt]) }
        // Full: the zoo's points fill the 64 KiB before its result is written.
        let full = try runGenlab(["measures", "--scale", "tiny", "--out", mnt + "/m", "--quiet"])
        XCTAssertEqual(full.status, 1, full.stderr)
        XCTAssertTrue(full.stderr.contains("full disk"), full.stderr)
        let left = try FileManager.default.contentsOfDirectory(atPath: mnt + "/m")
        XCTAssertEqual(left.filter { $0 != "points" }, [], "no result file of the failed run is left")
        for name in try FileManager.default.contentsOfDirectory(atPath: mnt + "/m/points") {
            XCTAssertFalse(name.contains(".tmp-"), "a temporary file is left: \(name)")
            let data = try Data(contentsOf: URL(fileURLWithPath: mnt + "/m/points/" + name))
            XCTAssertNoThrow(try JSONSerialization.jsonObject(with: data), "\(name) is not whole")
        }
        // Read-only.
        XCTAssertEqual(sh(["mount", "-o", "remount,ro", mnt]), 0)
        let ro = try runGenlab(["run", "pac", "--scale", "tiny", "--out", mnt + "/p", "--quiet"])
        XCTAssertEqual(ro.status, 1, ro.stderr)
        XCTAssertTrue(ro.stderr.contains(mnt + "/p"), "the error names the folder: \(ro.stderr)")
    }

    /// lr 100 blows the weights up (a loss of 1e21, yet finite): reported as diverged, not as a result.
    func testDivergingNetworkIsReportedAsDiverged() throws {
        let out = temporaryFolder()
        let r = try runGenlab([
            "train", "--data", "mnist1d:train=200,test=100", "--model", "mlp:32", "--lr", "100", "--epochs", "5",
            "--out", out, "--quiet",
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/result.json")))
            as! [String: Any]
        let metrics = json["metrics"] as! [String: Any]
        XCTAssertEqual(metrics["diverged"] as? Bool, true)
        XCTAssertEqual(metrics["stopped_because"] as? String, "diverged")
    }
}
