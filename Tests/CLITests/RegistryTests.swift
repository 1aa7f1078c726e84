import Experiments
import Foundation
import Reports
import Tour
import XCTest

/// The registry is the one list of experiments: complete, in the README, and every command it
/// shows reproduces the run it stands for.
final class RegistryTests: XCTestCase {
    let fashionInstalled = FileManager.default.fileExists(
        atPath: "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")

    func testEveryEntryIsComplete() throws {
        XCTAssertEqual(Set(Registry.entries.map(\.folder)).count, Registry.entries.count, "folders are unique")
        for e in Registry.entries {
            let claim = try XCTUnwrap(Registry.claim(of: e.name), "\(e.name) has no claim")
            XCTAssertGreaterThan(claim.text.count, 80, e.name)
            XCTAssertFalse(claim.slides.isEmpty, e.name)
            XCTAssertFalse(claim.title.isEmpty)
            XCTAssertTrue(
                e.inTour ? e.quickBudget > 0 : e.quickBudget == 0, "\(e.folder): a budget exactly when in the tour")
            XCTAssertNotNil(ClaimGroup.of(experiment: e.name), "\(e.name) belongs to no claim group of the talk")
            for s in Scale.allCases {
                let p = e.plan(s)
                XCTAssertEqual(p.experiment.name, e.name, "\(e.folder) at \(s)")
                XCTAssertNoThrow(try p.experiment.validate(), "\(e.folder) at \(s)")
                XCTAssertNoThrow(try p.experiment.configuration(), "\(e.folder) at \(s)")
                XCTAssertFalse(p.arguments.isEmpty)
                XCTAssertGreaterThan(p.estimate, 0)
            }
        }
        // The quick tour fits in 5 minutes on 2 cores: the budgets are measured seconds plus 10%.
        XCTAssertLessThanOrEqual(Registry.entries.filter(\.inTour).map(\.quickBudget).reduce(0, +), 300)
        // Each experiment value decodes back from its configuration to the same value.
        for e in Registry.entries {
            let p = e.plan(.quick)
            let back = try Registry.decode(name: e.name, configuration: try p.experiment.configuration())
            XCTAssertEqual(try back.configuration(), try p.experiment.configuration(), e.folder)
        }
    }

    /// The README's table names every experiment's command and the option values that tell them apart.
    func testREADMEListsEveryExperiment() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/../../"
        try checkListsEveryExperiment(try String(contentsOfFile: root + "README.md", encoding: .utf8), "README")
        // The DocC article "The talk, claim by claim" too.
        try checkListsEveryExperiment(
            try String(
                contentsOfFile: root + "Sources/Experiments/Experiments.docc/TheTalkClaimByClaim.md", encoding: .utf8),
            "TheTalkClaimByClaim.md")
    }

    func checkListsEveryExperiment(_ readme: String, _ name: String) throws {
        for e in Registry.entries {
            let args = e.command
            let command = "genlab " + args.prefix { !$0.hasPrefix("--") }.joined(separator: " ")
            XCTAssertTrue(readme.contains(command), "\(name) lacks \(command)")
            for (i, a) in args.enumerated() where ["--axis", "--loss"].contains(a) {
                XCTAssertTrue(readme.contains(a + " " + args[i + 1]), "\(name) lacks \(command) \(a) \(args[i + 1])")
            }
        }
    }

    /// Tables without the columns that time the run.
    func tables(_ dir: String, _ names: [String]) throws -> [String: String] {
        var out = [String: String]()
        for n in names {
            let t = try ResultFolder.readCSV(dir + "/" + n + ".csv", name: n)
            let keep = t.columns.indices.filter { !t.columns[$0].contains("seconds") }
            out[n] =
                keep.map { t.columns[$0] }.joined(separator: ",") + "\n"
                + t.rows.map { r in keep.map { r[$0].description }.joined(separator: ",") }.joined(separator: "\n")
        }
        return out
    }

    /// Every tiny-scale command the tour shows, run through the real command line, gives the
    /// tables of the registry's own run (so the report's "reproduce with" is the truth).
    func testTourCommandsReproduceTheirRuns() throws {
        let dir = temporaryFolder()
        for e in Registry.entries {
            let p = e.plan(.tiny)
            if p.readsFashionMNIST && !fashionInstalled { continue }
            let direct = try p.experiment.execute(RunContext(command: "t"))
            try ResultWriter.write(direct, to: dir + "/direct-" + e.folder)
            let cli = try runGenlab(p.arguments + ["--out", dir + "/cli-" + e.folder, "--quiet"])
            XCTAssertEqual(cli.status, 0, "\(e.folder): \(cli.stderr)")
            XCTAssertEqual(
                try tables(dir + "/cli-" + e.folder, direct.tableNames),
                try tables(dir + "/direct-" + e.folder, direct.tableNames), e.folder)
            // The configuration the CLI recorded is the registry's experiment value.
            let recorded = try ResultFolder.read(dir + "/cli-" + e.folder)
            XCTAssertEqual(recorded.configuration, try p.experiment.configuration(), e.folder)
        }
    }

    /// result.json alone reruns the experiment to identical tables.
    func testRerunReproducesTables() throws {
        let dir = temporaryFolder()
        for folder in [
            "perceptron-mistakes", "double-descent-samples", "bias-variance-zero-one", "double-descent-random-features",
        ] {
            let p = Registry.entry(folder: folder)!.plan(.tiny)
            XCTAssertEqual(try runGenlab(p.arguments + ["--out", dir + "/a-" + folder, "--quiet"]).status, 0)
            let r = try runGenlab([
                "rerun", dir + "/a-" + folder + "/result.json", "--out", dir + "/b-" + folder, "--quiet",
            ])
            XCTAssertEqual(r.status, 0, r.stderr)
            let names = try ResultFolder.read(dir + "/a-" + folder).tableNames
            XCTAssertFalse(names.isEmpty)
            XCTAssertEqual(try tables(dir + "/b-" + folder, names), try tables(dir + "/a-" + folder, names), folder)
        }
        // A result.json that is not one, or of an unknown experiment: a data error naming the file.
        _ = FileManager.default.createFile(atPath: dir + "/bad.json", contents: Data("{\"x\": 1}".utf8))
        let bad = try runGenlab(["rerun", dir + "/bad.json", "--out", dir + "/c"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("bad.json"), bad.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/c"))
    }

    /// `genlab reanalyze DIR` on a folder of the CLI's own runs: every file the same after; a
    /// result without its outcomes.json is named with the fix; nothing to reanalyze, or no folder: exit 1.
    func testReanalyzeRewritesTheSameFilesAndNamesFoldersWithoutOutcomes() throws {
        let dir = temporaryFolder()
        for folder in ["double-descent-samples", "perceptron-mistakes"] {
            let p = Registry.entry(folder: folder)!.plan(.tiny)
            XCTAssertEqual(try runGenlab(p.arguments + ["--out", dir + "/" + folder, "--quiet"]).status, 0)
        }
        // A result written before runs stored their outcomes.
        try FileManager.default.removeItem(atPath: dir + "/perceptron-mistakes/outcomes.json")
        let files = [
            "double-descent-samples/result.json", "double-descent-samples/ridgeless.csv",
            "double-descent-samples/ridgeless.svg", "double-descent-samples/outcomes.json",
        ]
        let before = try files.map { try Data(contentsOf: URL(fileURLWithPath: dir + "/" + $0)) }
        let r = try runGenlab(["reanalyze", dir])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("reanalyzed \(dir)/double-descent-samples: 3 verdicts, none changed"), r.stdout)
        XCTAssertTrue(
            r.stdout.contains("no outcomes.json") && r.stdout.contains("genlab rerun \(dir)/perceptron-mistakes"),
            r.stdout)
        XCTAssertEqual(try files.map { try Data(contentsOf: URL(fileURLWithPath: dir + "/" + $0)) }, before)
        let none = try runGenlab(["reanalyze", dir + "/perceptron-mistakes"])
        XCTAssertEqual(none.status, 1)
        XCTAssertTrue(none.stderr.contains("nothing in \(dir)/perceptron-mistakes could be reanalyzed"), none.stderr)
        let missing = try runGenlab(["reanalyze", dir + "/no-such"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("no such folder"), missing.stderr)
    }

    /// An option that does not apply to the chosen axis or loss is a usage error, before any data is loaded.
    func testInapplicableOptionsAreUsageErrors() throws {
        for (args, needle) in [
            (["double-descent", "--axis", "width", "--n", "50"], "double-descent-width has no parameter \"n\""),
            (["double-descent", "--axis", "width", "--seed", "3"], "has no parameter \"seed\""),
            (
                ["double-descent", "--axis", "features", "--model", "relu-features", "--noise", "0.2"],
                "double-descent-random-features has no parameter \"noise\""
            ),
            (
                ["double-descent", "--axis", "samples", "--epochs", "9"],
                "double-descent-samples has no parameter \"epochs\""
            ),
            (["double-descent", "--axis", "features", "--data", "mnist1d"], "isotropic Gaussian features"),
            (
                ["bias-variance", "--loss", "zero-one", "--steps", "10"],
                "bias-variance-zero-one has no parameter \"steps\""
            ),
            (["bias-variance", "--steps", "10"], "bias-variance has no parameter \"steps\""),
            (
                ["bias-variance", "--loss", "cross-entropy", "--data", "teacher", "--n", "50"],
                "the teacher's sets have its own n"
            ),
            (["bias-variance", "--loss", "zero-one", "--axis", "degree"], "--axis applies with --loss squared"),
            (["double-descent", "--axis", "width", "--trials", "3"], "has no parameter \"trials\""),
            (["double-descent", "--axis", "samples", "--seeds", "3"], "has no parameter \"seeds\""),
            (["double-descent", "--axis", "epochs", "--model", "relu-features"], "--model applies to --axis features"),
            (
                ["double-descent", "--axis", "width", "--network", "mlp:8"],
                "double-descent-width has no parameter \"network\""
            ),
            (["double-descent", "--axis", "width", "--momentum", "0.5"], "has no parameter \"momentum\""),
            (["double-descent", "--axis", "width", "--optimizer", "rmsprop"], "--optimizer"),
            (
                ["implicit-bias", "--axis", "least-squares", "--margin", "0.2"],
                "implicit-bias-least-squares has no parameter \"margin\""
            ),
            (
                ["implicit-bias", "--axis", "logistic", "--data", "separable:d=5,n=50", "--margin", "0.2"],
                "--margin describes planted data"
            ),
            (["bias-variance", "--loss", "cross-entropy", "--noise", "0.2"], "--noise applies to --data teacher"),
            (
                ["bias-variance", "--loss", "zero-one", "--data", "mnist1d"],
                "bias-variance-zero-one has no parameter \"data\""
            ),
            (["bias-variance", "--n", "50"], "bias-variance has no parameter \"n\""),
            (["regularizers", "--shifts", "0"], "non-zero shifts"),
            (["model-size", "--n", "3"], "model-size has no parameter \"n\""),
            (["random-labels", "--fractions", "0,2"], "label fractions must lie in [0, 1]"),
            (["pac", "--delta", "1"], "delta … (δ) must be in (0, 1), got 1"),
            (["pac", "--epsilon", "0"], "epsilon … (ε) must be in (0, 1), got 0"),
            (["perceptron", "risk", "--samples", "50"], "perceptron-risk has no parameter \"samples\""),
            (["perceptron", "risk", "--data", "separable:d=5,n=9"], "data … option n does not apply here"),
            (["perceptron", "fit", "--max-epochs", "5"], "perceptron-fit has no parameter \"max-epochs\""),
            (
                ["perceptron", "risk", "--axis", "dimension", "--grid", "10"],
                "dimensions … at least two increasing dimensions"
            ),
            (["double-descent", "--axis", "width", "--grid", "geomspace:2,300"], "geomspace:START,STOP,COUNT"),
            (["double-descent", "--model", "resnet"], "resnet"),
            (["bias-variance", "--loss", "hinge"], "hinge"),
            (["rerun"], "Missing expected argument"),
        ] {
            let r = try runGenlab(args + ["--out", temporaryFolder() + "/x"])
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.containsParts(needle), "\(args): \(r.stderr)")
        }
    }

    /// `genlab run NAME` runs any registry experiment at a scale, or from a JSON configuration.
    func testRunByNameAndConfig() throws {
        let dir = temporaryFolder()
        let a = try runGenlab(["run", "double-descent-samples", "--scale", "tiny", "--out", dir + "/a", "--quiet"])
        XCTAssertEqual(a.status, 0, a.stderr)
        let planned = Registry.entry(folder: "double-descent-samples")!.plan(.tiny)
        XCTAssertEqual(try ResultFolder.read(dir + "/a").configuration, try planned.experiment.configuration())
        // The configuration alone, as a user would write it.
        let config = try JSONSerialization.data(
            withJSONObject: ResultFolder.read(dir + "/a").configuration.mapValues { v -> Any in
                try JSONSerialization.jsonObject(with: JSONEncoder().encode(v), options: .fragmentsAllowed)
            })
        FileManager.default.createFile(atPath: dir + "/config.json", contents: config)
        let b = try runGenlab([
            "run", "double-descent-samples", "--config", dir + "/config.json", "--out", dir + "/b", "--quiet",
        ])
        XCTAssertEqual(b.status, 0, b.stderr)
        let names = try ResultFolder.read(dir + "/a").tableNames
        XCTAssertEqual(try tables(dir + "/b", names), try tables(dir + "/a", names))
        let unknown = try runGenlab(["run", "no-such-thing", "--out", dir + "/c"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("choose from"), unknown.stderr)
        FileManager.default.createFile(atPath: dir + "/bad.json", contents: Data("{\"samples\": \"many\"}".utf8))
        let bad = try runGenlab(["run", "double-descent-samples", "--config", dir + "/bad.json", "--out", dir + "/d"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("bad.json"), bad.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/d/result.json"))
        // Any setting is an option named after its field; the result records the changed value.
        let set = try runGenlab([
            "run", "double-descent-samples", "--scale", "tiny", "--trials", "3", "--noise=0.2", "--out", dir + "/e",
            "--quiet",
        ])
        XCTAssertEqual(set.status, 0, set.stderr)
        let recorded = try ResultFolder.read(dir + "/e")
        XCTAssertEqual(recorded.configuration["trials"], JSONValue(3))
        XCTAssertEqual(recorded.configuration["noise"], JSONValue(0.2))
        XCTAssertTrue(recorded.command.contains("--trials 3"), recorded.command)
        for (args, needle) in [
            (["--trials", "many"], "--trials takes numbers"), (["--nope", "1"], "has no parameter \"nope\""),
            (["--trials"], "--trials needs a value"), (["--trials", "2.5"], "--trials must be an integer"),
            (["stray"], "expected a setting"),
        ] {
            let r = try runGenlab(
                ["run", "double-descent-samples", "--scale", "tiny"] + args + ["--out", dir + "/f", "--quiet"])
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.containsParts(needle), "\(args): \(r.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/f/result.json"))
        }
        // --parameters lists every setting with its value at the scale and its help.
        let list = try runGenlab(["run", "model-size", "--scale", "quick", "--parameters"])
        XCTAssertEqual(list.status, 0, list.stderr)
        XCTAssertTrue(list.stdout.contains("--seeds 4\n"), list.stdout)
        XCTAssertTrue(list.stdout.contains("--widths 64,256,1024\n"), list.stdout)
    }

    /// `--scale` means the same in every experiment command: it starts from the registry's settings
    /// at that scale (options given override them), so `COMMAND --scale tiny` records the registry's tiny value.
    func testScaleOptionOfEveryCommand() throws {
        let dir = temporaryFolder()
        var seen = Set<[String]>()
        for e in Registry.entries {
            // The words and the options that choose the experiment (not its settings).
            let selector = e.command
            guard selector.first != "run" else { continue }
            guard seen.insert(selector).inserted else { continue }  // a second data set of the same command
            let p = e.plan(.tiny)
            if p.readsFashionMNIST && !fashionInstalled { continue }
            let r = try runGenlab(selector + ["--scale", "tiny", "--out", dir + "/" + e.folder, "--quiet"])
            XCTAssertEqual(r.status, 0, "\(selector): \(r.stderr)")
            XCTAssertEqual(
                try ResultFolder.read(dir + "/" + e.folder).configuration, try p.experiment.configuration(), e.folder)
        }
        XCTAssertGreaterThanOrEqual(seen.count, 12)
    }
}
