import Experiments
import Foundation
import Reports
import TestSupport
import Tour
import XCTest

/// The tables and verdicts of every tour experiment, pinned across refactors of the analysis: the
/// stored outcomes of a tiny tour (Tests/Golden/tour-tiny: each folder's outcomes.json, result.json
/// and tables, as written by the code at the time they were made) are analyzed again by today's
/// code and must give the same files, byte for byte. A deliberate change of a rule or a table
/// updates the fixture without training: `GENLAB_WRITE_GOLDEN=reanalyze swift test --filter
/// GoldenAnalysisTests` (the diff then shows what changed); a change of what is measured needs new
/// outcomes: `GENLAB_WRITE_GOLDEN=measure` (a tiny tour, a few seconds).
final class GoldenAnalysisTests: XCTestCase {
    static var fixture: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Golden/tour-tiny").path
    }

    /// The files a folder keeps in the fixture: what the analysis writes that is not a drawing.
    static func kept(_ name: String) -> Bool {
        name == "result.json" || name == "outcomes.json" || name.hasSuffix(".csv")
    }

    func testEveryTourTableAndVerdictIsWhatTheStoredOutcomesGaveBefore() throws {
        switch ProcessInfo.processInfo.environment["GENLAB_WRITE_GOLDEN"] {
        case "measure": try writeFixture(measuring: true)
        case "reanalyze": try writeFixture(measuring: false)
        default: break
        }
        let golden = try FolderFiles.bytes(under: Self.fixture)
        let folders = Set(golden.keys.map { String($0.split(separator: "/")[0]) })
        let steps = Set(Tour(scale: .tiny, out: "unused").steps.map(\.folder))
        XCTAssertEqual(
            folders, steps, "the fixture holds every tour folder; regenerate it (GENLAB_WRITE_GOLDEN=measure)")
        // Only what the analysis reads goes in: a table it stopped writing must be missed, not
        // found where the fixture's copy was left.
        let dir = Scratch.folder("golden")
        for (path, bytes) in golden where Self.read(path) { try write(bytes, to: dir + "/" + path) }
        let summary = try ReanalyzeFolder.run(dir)
        XCTAssertEqual(summary.skipped.map(\.folder), [])
        XCTAssertEqual(summary.reanalyzed.count, folders.count)
        let after = try FolderFiles.bytes(under: dir)
        for (path, bytes) in golden.sorted(by: { $0.key < $1.key }) {
            guard let now = after[path] else {
                XCTFail("\(path) is no longer written")
                continue
            }
            XCTAssertTrue(
                Self.same(Self.comparable(now, path), Self.comparable(bytes, path)),
                "\(path) changed: its analysis gives other numbers or verdicts")
        }
        let written = Set(after.keys.filter { Self.kept(($0 as NSString).lastPathComponent) })
        XCTAssertEqual(
            written.subtracting(golden.keys).sorted(), [],
            "new tables: regenerate the fixture (GENLAB_WRITE_GOLDEN=reanalyze)")
    }

    /// The files the analysis reads (the rest it writes).
    static func read(_ path: String) -> Bool { path.hasSuffix("/result.json") || path.hasSuffix("/outcomes.json") }

    /// The check is not vacuous: a changed stored outcome of the PAC bound's (a deviation of one
    /// draw) changes what the analysis writes, and the comparison sees it.
    func testAChangedStoredOutcomeIsCaught() throws {
        let golden = try FolderFiles.bytes(under: Self.fixture)
        let dir = Scratch.folder("golden-changed")
        for (path, bytes) in golden where path.hasPrefix("pac/") && Self.read(path) {
            try write(bytes, to: dir + "/" + path)
        }
        let outcomes = dir + "/pac/outcomes.json"
        var text = try String(contentsOfFile: outcomes, encoding: .utf8)
        let key = try XCTUnwrap(text.range(of: "\"deviations\" : [\n"))
        let number = try XCTUnwrap(
            text.range(of: #"[0-9.e-]+"#, options: .regularExpression, range: key.upperBound..<text.endIndex))
        text.replaceSubrange(number, with: "0.75")
        try text.write(toFile: outcomes, atomically: true, encoding: .utf8)
        _ = try ReanalyzeFolder.run(dir + "/pac")
        let now = try Data(contentsOf: URL(fileURLWithPath: dir + "/pac/pac.csv"))
        XCTAssertFalse(
            Self.same(Self.comparable(now, "pac/pac.csv"), Self.comparable(golden["pac/pac.csv"]!, "pac/pac.csv")))
    }

    /// The bytes compared: result.json without the version that wrote it (a release changes the
    /// version, not the analysis); every other file as it is.
    static func comparable(_ data: Data, _ path: String) -> Data {
        guard path.hasSuffix("result.json"),
            var object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return data }
        object["genlab_version"] = nil
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? data
    }

    /// The same text with the same numbers, to 1e-9 relative: the text around the numbers exactly,
    /// each number to the last digits another CPU's or C library's rounding may change (the
    /// fixture's last digits came from one machine's).
    static func same(_ a: Data, _ b: Data) -> Bool {
        let (ta, na) = skeleton(String(decoding: a, as: UTF8.self))
        let (tb, nb) = skeleton(String(decoding: b, as: UTF8.self))
        guard ta == tb, na.count == nb.count else { return false }
        return zip(na, nb).allSatisfy { x, y in x == y || abs(x - y) <= 1e-9 * max(abs(x), abs(y)) }
    }

    /// The text with every number replaced by "#", and the numbers in order.
    static func skeleton(_ text: String) -> (String, [Double]) {
        let number = try! NSRegularExpression(pattern: #"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?"#)
        let ns = text as NSString
        var numbers = [Double]()
        var parts = [String]()
        var last = 0
        for m in number.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            parts.append(ns.substring(with: NSRange(location: last, length: m.range.location - last)))
            numbers.append(Double(ns.substring(with: m.range)) ?? .nan)
            last = m.range.location + m.range.length
        }
        parts.append(ns.substring(from: last))
        return (parts.joined(separator: "#"), numbers)
    }

    func write(_ bytes: Data, to path: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try bytes.write(to: URL(fileURLWithPath: path))
    }

    /// A tiny tour (`measuring`) or the fixture reanalyzed, and of each folder the files the
    /// fixture keeps.
    func writeFixture(measuring: Bool) throws {
        // A fixed folder, so that the commands the fixture records do not change from one writing to the next.
        let dir = NSTemporaryDirectory() + "genlab-golden-tour"
        try? FileManager.default.removeItem(atPath: dir)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        if measuring {
            _ = try Tour(scale: .tiny, out: dir).run { _, _, _, _, _ in }
        } else {
            for (path, bytes) in try FolderFiles.bytes(under: Self.fixture) { try write(bytes, to: dir + "/" + path) }
            _ = try ReanalyzeFolder.run(dir)
        }
        try? FileManager.default.removeItem(atPath: Self.fixture)
        for (path, bytes) in try FolderFiles.bytes(under: dir)
        where path.contains("/") && Self.kept((path as NSString).lastPathComponent) {
            guard path.split(separator: "/").count == 2 else { continue }
            try write(bytes, to: Self.fixture + "/" + path)
        }
    }
}
