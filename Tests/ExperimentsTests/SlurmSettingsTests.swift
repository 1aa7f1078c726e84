import XCTest

@testable import Experiments

/// `genlab sweep slurm`'s words in any order: the folder is the word that is no option and no
/// option's value, a bare flag takes only true or false after it.
final class SlurmSettingsTests: XCTestCase {
    func testTheFolderAnywhereAmongTheSettings() throws {
        for words in [
            ["--time", "120", "zoo", "--submit"], ["--submit", "zoo", "--time", "120"],
            ["zoo", "--time=120", "--submit", "true"], ["--time", "120", "--submit", "zoo"],
        ] {
            let (folder, s) = try SlurmSettings.parse(words)
            XCTAssertEqual(folder, "zoo", "\(words)")
            XCTAssertEqual(s.time, 120, "\(words)")
            XCTAssertTrue(s.submit, "\(words)")
        }
        let (folder, s) = try SlurmSettings.parse(["--submit", "false", "zoo"])
        XCTAssertEqual(folder, "zoo")
        XCTAssertFalse(s.submit)
        XCTAssertEqual(s.array(points: 5000).shards, 1000, "one shard per point, at most 1000")
        XCTAssertNil(try SlurmSettings.parse(["--time", "5"]).folder)
        XCTAssertThrowsError(try SlurmSettings.parse(["zoo", "--no-such", "1"]))
    }
}
