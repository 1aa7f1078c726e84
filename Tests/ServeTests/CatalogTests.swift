import Experiments
import Foundation
import TestSupport
import XCTest

@testable import Serve

/// The page's controls come from the experiments' own fields: every experiment of the registry,
/// at tiny and quick settings, round-trips through its controls' text unchanged.
final class CatalogTests: XCTestCase {
    func testEveryControlAtEveryScaleGivesBackTheScalesValue() throws {
        let catalog = Catalog.registry()
        let out = Scratch.folder("catalog")
        for entry in catalog.groups.flatMap(\.experiments) {
            for scale in ["tiny", "quick", "default"] {
                var settings = [String: String]()
                for c in entry.parameters { if let v = c.values[scale] ?? nil { settings[c.key] = v } }
                let spec = try RunSpec.resolve(
                    RunRequest(experiment: entry.folder, scale: scale, settings: settings), out: out)
                let planned = Registry.entry(folder: entry.folder)!.plan(Scale(rawValue: scale)!).experiment
                XCTAssertEqual(
                    try Parameter.text(.object(spec.experiment.configuration())),
                    try Parameter.text(.object(planned.configuration())), "\(entry.folder) at \(scale)")
                XCTAssertTrue(spec.settings.isEmpty, "\(entry.folder) at \(scale): \(spec.settings)")
                XCTAssertEqual(spec.arguments, ["run", entry.folder, "--scale", scale])
            }
        }
    }

    /// Every experiment of the registry redraws live — a sweep from its checkpointed points, any
    /// other from the units it publishes (DeterminismTests runs each with its live results
    /// written) — or is declared one indivisible unit, whose result is its first figure.
    func testEveryRegistryExperimentIsLiveOrOneUnit() {
        let experiments = Catalog.registry().groups.flatMap(\.experiments)
        XCTAssertEqual(experiments.count, Registry.entries.count)
        let notLive = experiments.filter { !$0.live }.map(\.folder)
        XCTAssertEqual(
            notLive.filter { !(Registry.entry(folder: $0)!.plan(.tiny).experiment is any SingleUnitMeasurement) }, [])
        XCTAssertLessThanOrEqual(notLive.count, 8, "\(notLive)")
    }

    func testControlsOfTheWidthSweep() throws {
        let width = try XCTUnwrap(
            Catalog.registry().groups.flatMap(\.experiments).first { $0.folder == "double-descent-width" })
        XCTAssertTrue(width.live)
        let controls = Dictionary(uniqueKeysWithValues: width.parameters.map { ($0.key, $0) })
        XCTAssertEqual(controls["widths"]?.kind, "list")
        XCTAssertEqual(controls["widths"]?.values["tiny"], "4,16,64")
        XCTAssertEqual(controls["labelNoise"]?.kind, "number")
        XCTAssertEqual(controls["labelNoise"]?.min, 0)
        XCTAssertEqual(controls["labelNoise"]?.max, 1)
        // Epochs: 5 at tiny, 500 above: the slider spans them.
        XCTAssertEqual(controls["epochs"]?.kind, "integer")
        XCTAssertEqual(controls["epochs"]?.min, 5)
        XCTAssertEqual(controls["epochs"]?.max, 500)
        XCTAssertEqual(controls["withoutNoise"]?.kind, "bool")
        XCTAssertEqual(controls["data"]?.kind, "text")
    }

    func testSliderRanges() {
        XCTAssertTrue(Catalog.range([], integral: true) == (nil, nil))
        XCTAssertTrue(Catalog.range([2, 8, 4], integral: true) == (2, 8))
        XCTAssertTrue(
            Catalog.range([3, 3], integral: true) == (1, 30), "one value: a tenth to ten times, integers at least 1")
        XCTAssertTrue(Catalog.range([0.15], integral: false) == (0, 1), "a fraction: [0, 1]")
        XCTAssertTrue(Catalog.range([0], integral: true) == (0, 10))
        XCTAssertTrue(Catalog.range([200], integral: false) == (20, 2000))
    }

    func testEqualSettingsShareAFolderAndOthersDoNot() throws {
        let a = try RunSpec.resolve(
            RunRequest(experiment: "double-descent-width", scale: "tiny", settings: ["epochs": "3"]), out: "/o")
        let b = try RunSpec.resolve(
            RunRequest(
                experiment: "double-descent-width", scale: "tiny", settings: ["epochs": "3.0", "label-noise": "0.15"]),
            out: "/o")
        let c = try RunSpec.resolve(
            RunRequest(experiment: "double-descent-width", scale: "tiny", settings: ["epochs": "4"]), out: "/o")
        XCTAssertEqual(a.folder, b.folder, "the same value, however it was typed")
        XCTAssertNotEqual(a.folder, c.folder)
        XCTAssertTrue(a.folder.hasPrefix("/o/double-descent-width/"))
        XCTAssertEqual(b.command, "genlab run double-descent-width --scale tiny --epochs 3")
    }
}
