import ArgumentParser
import Experiments
import Foundation
import Reports
import Tour

struct TourCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tour",
        abstract: "Run every experiment of the talk, in its order, into one folder and one HTML report.")
    @Option(
        help: """
            quick (minutes on a laptop), default (each command's defaults), full (the published setups) or tiny \
            (seconds, for tests).
            """
    )
    var scale: Scale = .quick
    @Option(help: "Output folder.") var out = "tour"
    @OptionGroup var global: GlobalOptions

    func run() throws {
        global.apply()
        let tty = isatty(2) != 0
        let quiet = global.quiet
        var tour = Tour(scale: scale, out: out, dataDirectory: global.dataDir, networksFolder: global.networks)
        tour.events = global.trainingEvents()
        let (outcomes, report) = try tour.run { k, n, label, fraction, eta in
            if quiet { return }
            let etaText = eta.map { String(format: " · ETA %.0f s", $0) } ?? ""
            if tty {
                RunProgress.drawBar("[\(k + 1)/\(n)] \(label)", fraction: fraction, suffix: etaText, width: 24)
            } else if fraction == 0, eta != nil {
                FileHandle.standardError.write(Data("[\(k + 1)/\(n)] \(label)\(etaText)\n".utf8))
            }
        }
        Tour.verdictLines(outcomes).forEach { print($0) }
        print("\nreport: \(report)")
    }
}

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Render DIR/index.html from the result folders in DIR (no retraining).")
    @Argument(help: "Folder of experiment results (e.g. the tour's).") var dir: String

    func run() throws { print(try Report.render(dir, catalog: .talk)) }
}

struct RerunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rerun",
        abstract:
            "Run again the experiment a result.json records (its configuration is the value), into a new folder."
    )
    @Argument(help: "A result.json written by GenLab (or the folder holding it).") var result: String
    @Option(help: "Folder for the new results (default: results/<experiment>-rerun).") var out: String?
    @Flag(help: "Print result.json to stdout instead of the summary.") var json = false
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let (path, old, exp) = try Registry.rerun(result)
        var output = OutputOptions()
        output.out = out ?? "results/\(old.experiment)-rerun"
        output.json = json
        let command =
            ["genlab", "rerun", path, "--out", output.out!] + (global.dataDir.map { ["--data-dir", $0] } ?? [])
        try runCommand(
            exp, label: "rerun \(old.experiment)", listOnly: false, output: output, global: global,
            command: shellQuoted(command))
    }
}

/// `genlab reanalyze DIR`: tables, verdicts and figures computed again from the outcomes a run
/// stored, without training (`ReanalyzeFolder`).
struct ReanalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reanalyze",
        abstract:
            "Recompute tables, verdicts and figures (and a tour's report) from a run's stored outcomes, no training.",
        discussion:
            "DIR is one experiment's result folder or a tour's folder. Each result folder whose experiment stores "
            + "its outcomes (outcomes.json) is analyzed again by this GenLab and rewritten with the writers a run "
            + "uses: with an unchanged analysis, byte for byte. Folders without stored outcomes (an older GenLab's, "
            + "a tool's) are named and left as they are; exit 1 when none could be reanalyzed.")
    @Argument(help: "A result folder (with result.json and outcomes.json) or a tour's folder.") var dir: String

    func run() throws { try ReanalyzeFolder.run(dir).lines.forEach { print($0) } }
}
