import Experiments
import Foundation
import Reports
import TestSupport
import Tour
import XCTest

/// The whole tour at its tiny scale: every step runs, writes its folder, and the report has
/// a section, a figure and verdicts for each.
final class TourTests: XCTestCase {
    func testTinyTourEndToEnd() throws {
        let dir = Scratch.path("tour")
        let (outcomes, report) = try Tour(scale: .tiny, out: dir).run { _, _, _, _, _ in }
        XCTAssertEqual(outcomes.count, Tour(scale: .tiny, out: dir).steps.count)
        let fashionInstalled = FileManager.default.fileExists(atPath: "/usr/share/datasets/fashion-mnist")
        for o in outcomes {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/" + o.folder + "/result.json"))
            if !o.folder.contains("fashion") && o.folder != "perceptron-fit" || fashionInstalled {
                XCTAssertFalse(o.failed, "\(o.folder): \(o.result.notes)")
            }
        }
        let html = try String(contentsOfFile: report, encoding: .utf8)
        XCTAssertGreaterThanOrEqual(html.components(separatedBy: "<figure>").count - 1, 4)
        XCTAssertTrue(html.contains("perceptron makes at most R²/γ² mistakes"))
        let synthetic = outcomes.first { $0.folder == "perceptron-mistakes" }!.result
        XCTAssertEqual(synthetic.verdicts.first?.supported, true, synthetic.verdicts.first?.evidence ?? "")
        // Every decided finding states what its run could have detected (its minimum detectable
        // effect), except those decided exactly, without sampling: a budget spent or not, a window
        // reached or not, a positive control, one comparison of three directions. (An inconclusive
        // one at this tiny scale may have too few points to estimate any scatter.)
        let exact = [
            "fits completely random labels", "constant factor more steps", "neither necessary nor sufficient",
            "hovers at or just above",
            "keeps falling over long horizons", "gradient descent's own", "Positive control", "shows where it must",
        ]
        for o in outcomes where !o.failed {
            for v in o.result.verdicts
            where v.kind != .theorem && v.supported != nil && !exact.contains(where: { v.claim.contains($0) }) {
                XCTAssertNotNil(v.values["mde"], "\(o.folder): \(v.claim)")
            }
        }
        // genlab reanalyze on the tour's folder: every file the same, byte for byte, the report
        // included; a folder without stored outcomes would be named, not skipped silently.
        let before = try FolderFiles.bytes(under: dir)
        let summary = try ReanalyzeFolder.run(dir)
        XCTAssertEqual(summary.report, dir + "/index.html")
        XCTAssertEqual(summary.skipped.map(\.folder), [], "every experiment of the tour stores its outcomes")
        XCTAssertEqual(summary.reanalyzed.count + summary.skipped.count, outcomes.count)
        let after = try FolderFiles.bytes(under: dir)
        XCTAssertEqual(after.keys.sorted(), before.keys.sorted())
        for (path, bytes) in before where after[path] != bytes { XCTFail("\(path) changed on reanalysis") }
    }
}
