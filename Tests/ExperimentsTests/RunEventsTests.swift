import Experiments
import Foundation
import Learners
import TestSupport
import XCTest

/// TensorBoard events travel with a run's context, not the process: two runs in one process each
/// write their own trainings, numbered from 1, where each was told; a run between them that was
/// told nothing adds to neither.
final class RunEventsTests: XCTestCase {
    func runFolders(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
    }

    func testEachRunWritesItsOwnEvents() throws {
        let (a, b) = (Scratch.path("events-a"), Scratch.path("events-b"))
        let plan = try XCTUnwrap(Registry.entry(folder: "regularizers")).plan(.tiny).experiment
        var first = RunContext(command: "t")
        var second = RunContext(command: "t")
        first.events = TrainingEvents(folder: a)
        second.events = TrainingEvents(folder: b)
        _ = try plan.execute(first)
        _ = try plan.execute(RunContext(command: "t"))
        _ = try plan.execute(second)
        let (inA, inB) = (runFolders(a), runFolders(b))
        XCTAssertGreaterThan(inA.count, 1)
        // Parallel trainings take their numbers in the order they start: compare the numbers and
        // the rest of the names apart.
        func numbers(_ names: [String]) -> [String] { names.map { String($0.prefix(8)) } }
        func rest(_ names: [String]) -> [String] { names.map { String($0.dropFirst(9)) }.sorted() }
        XCTAssertEqual(numbers(inA), (1...inA.count).map { String(format: "run-%04d", $0) })
        XCTAssertEqual(numbers(inB), numbers(inA), "each run numbers its own trainings from 1")
        XCTAssertEqual(rest(inA), rest(inB), "the same trainings in both runs")
    }
}
