import ArgumentParser
import Experiments
import Foundation
import LinearAlgebra
import Reports
import Tour

extension Scale: ExpressibleByArgument {}

struct TourCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tour",
        abstract: "Run every experiment of the talk, in its order, into one folder and one HTML report.")
    @Option(help: "quick (minutes on a laptop), default (each command's defaults), full (the published setups) or tiny (seconds, for tests).") var scale: Scale = .quick
    @Option(help: "Output folder.") var out = "tour"
    @OptionGroup var global: GlobalOptions

    func run() throws {
        global.apply()
        let tty = isatty(2) != 0, quiet = global.quiet
        var tour = Tour(scale: scale, out: out, dataDirectory: global.dataDir)
        tour.events = global.trainingEvents()
        let (outcomes, report) = try tour.run { k, n, label, fraction, eta in
            if quiet { return }
            let etaText = eta.map { String(format: " · ETA %.0f s", $0) } ?? ""
            if tty {
                drawBar("[\(k + 1)/\(n)] \(label)", fraction: fraction, suffix: etaText, width: 24)
            } else if fraction == 0, eta != nil {
                FileHandle.standardError.write(Data("[\(k + 1)/\(n)] \(label)\(etaText)\n".utf8))
            }
        }
        print("\nverdict          kind         claim")
        for o in outcomes {
            for v in o.result.verdicts {
                print(v.label.padding(toLength: 16, withPad: " ", startingAt: 0) + " " + v.kind.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0) + " " + v.claim)
            }
        }
        let sensitivity = outcomes.filter { $0.result.sensitivity != nil }
        print("\n" + VerdictTally(outcomes.filter { $0.result.sensitivity == nil }.flatMap(\.result.verdicts)).sentence
              + (sensitivity.isEmpty ? "" : "; sensitivity runs, not counted: " + sensitivity.map(\.folder).joined(separator: ", ")))
        print("\nreport: \(report)")
    }
}

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Render DIR/index.html from the result folders in DIR (no retraining).")
    @Argument(help: "Folder of experiment results (e.g. the tour's).") var dir: String

    func run() throws {
        let path = try Report.render(dir, catalog: .talk)
        print(path)
    }
}

struct RerunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rerun",
        abstract: "Run again the experiment a result.json records (its configuration is the experiment value), into a new folder.")
    @Argument(help: "A result.json written by GenLab (or the folder holding it).") var result: String
    @Option(help: "Folder for the new results (default: results/<experiment>-rerun).") var out: String?
    @Flag(help: "Print result.json to stdout instead of the summary.") var json = false
    @OptionGroup var global: GlobalOptions

    func run() throws {
        global.apply()
        let path = result.hasSuffix(".json") ? result : result + "/result.json"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GenLabError.data(source: path, expected: "a result.json", found: "no such file")
        }
        let old: ExperimentResult
        do { old = try JSONDecoder().decode(ExperimentResult.self, from: data) } catch {
            throw GenLabError.data(source: path, expected: "a GenLab result.json", found: "\(error)")
        }
        let exp: any Experiment
        do { exp = try Registry.decode(name: old.experiment, configuration: old.configuration) } catch let e as GenLabError { throw e } catch {
            throw GenLabError.data(source: path, expected: "a configuration of \(old.experiment) (written by execute)", found: "\(error)",
                                   fix: "results written before GenLab 0.2 record a summary, not the experiment value")
        }
        let dir = out ?? "results/\(old.experiment)-rerun"
        var command = ["genlab", "rerun", path, "--out", dir]
        if let d = global.dataDir { command += ["--data-dir", d] }
        var context = RunContext(command: shellQuoted(command), dataDirectory: global.dataDir, checkpoint: dir + "/points",
                                 progress: progressReporter(quiet: global.quiet, label: "rerun \(old.experiment)"), networks: global.networks.map(NetworkStore.init(folder:)))
        context.events = global.trainingEvents()
        var output = OutputOptions()
        output.out = dir; output.json = json
        try finish(try exp.execute(context), output: output)
    }
}
