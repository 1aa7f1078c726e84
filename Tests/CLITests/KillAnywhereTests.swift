import Foundation
import XCTest

/// kill -9 anywhere: a sweep killed at ten random moments (early, mid-point, while writing a
/// point or the result), resumed after each, ends with the tables of a run never interrupted;
/// after every kill each file in the output folder is whole (every point decodes), and once it
/// finishes no temporary file is left.
final class KillAnywhereTests: XCTestCase {
    func testKilledTenTimesEndsWithTheSameTables() throws {
        let reference = temporaryFolder()
        let out = temporaryFolder()
        let args = ["measures", "--scale", "tiny", "--quiet"]
        XCTAssertEqual(try runGenlab(args + ["--out", reference]).status, 0)
        var rng = SystemRandomNumberGenerator()
        var kills = 0
        for _ in 0..<10 {
            let start = Date()
            let delay = Double.random(in: 0.02...0.8, using: &rng)
            if try killGenlab(args + ["--out", out], when: { Date().timeIntervalSince(start) >= delay }) { kills += 1 }
            for name in (try? FileManager.default.contentsOfDirectory(atPath: out + "/points")) ?? []
            where !name.hasPrefix(".") {
                let data = try Data(contentsOf: URL(fileURLWithPath: out + "/points/" + name))
                XCTAssertNoThrow(try JSONSerialization.jsonObject(with: data), "\(name) is not whole after a kill")
            }
        }
        let last = try runGenlab(args + ["--out", out])
        XCTAssertEqual(last.status, 0, last.stderr)
        for t in ["networks.csv", "measures.csv"] {
            XCTAssertEqual(
                try String(contentsOfFile: reference + "/" + t, encoding: .utf8),
                try String(contentsOfFile: out + "/" + t, encoding: .utf8), t)
        }
        for dir in [out, out + "/points"] {
            let temporary = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") }
            XCTAssertEqual(temporary, [], "temporary files left in \(dir)")
        }
        XCTAssertGreaterThanOrEqual(
            kills, 2, "runs were killed mid-way (a resumed run has less left to do, so later ones may finish first)")
    }

    /// Killed while writing a point, for certain: each write is held between its temporary file
    /// and the rename (GENLAB_WRITE_HOLD), and the kill comes when the temporary file is there.
    /// The folder then holds no half-written point, the resumed run removes the dead writer's
    /// temporary file, and the tables are those of a run never interrupted.
    func testKilledWhileWritingAPoint() throws {
        let reference = temporaryFolder()
        let out = temporaryFolder()
        let args = ["measures", "--scale", "tiny", "--quiet"]
        XCTAssertEqual(try runGenlab(args + ["--out", reference]).status, 0)
        func temporary() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: out + "/points")) ?? []).filter {
                $0.contains(".tmp-")
            }
        }
        let interrupted = try killGenlab(args + ["--out", out], environment: ["GENLAB_WRITE_HOLD": "5"]) {
            !temporary().isEmpty
        }
        XCTAssertTrue(interrupted, "the run was killed mid-way")
        XCTAssertEqual(temporary().count, 1, "killed while a point was being written")
        let whole = try FileManager.default.contentsOfDirectory(atPath: out + "/points").filter { !$0.hasPrefix(".") }
        XCTAssertEqual(whole, [], "the point being written is not there under its name")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/result.json"))
        let last = try runGenlab(args + ["--out", out])
        XCTAssertEqual(last.status, 0, last.stderr)
        XCTAssertEqual(temporary(), [], "the dead writer's temporary file is removed")
        for t in ["networks.csv", "measures.csv"] {
            XCTAssertEqual(
                try String(contentsOfFile: reference + "/" + t, encoding: .utf8),
                try String(contentsOfFile: out + "/" + t, encoding: .utf8), t)
        }
    }

    /// A temporary file of a writer that died is removed; one of a live writer, or of another host, is not.
    func testStaleTemporaryFilesAreRemoved() throws {
        let dir = temporaryFolder()
        let host = ProcessInfo.processInfo.hostName.map { $0.isLetter || $0.isNumber || $0 == "." ? String($0) : "_" }
            .joined()
        let dead = dir + "/.p1.json.tmp-\(host)-999999"
        let live = dir + "/.p2.json.tmp-\(host)-\(ProcessInfo.processInfo.processIdentifier)"
        let elsewhere = dir + "/.p3.json.tmp-another.host-999999"
        for f in [dead, live, elsewhere] { FileManager.default.createFile(atPath: f, contents: Data("{".utf8)) }
        let out = try runGenlab(["run", "pac", "--scale", "tiny", "--out", dir, "--quiet"])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dead))
        XCTAssertTrue(FileManager.default.fileExists(atPath: live), "the test process is alive: its file stays")
        XCTAssertTrue(
            FileManager.default.fileExists(atPath: elsewhere), "another host's writer cannot be asked: its file stays")
    }
}
