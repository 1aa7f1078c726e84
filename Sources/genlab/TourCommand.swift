import ArgumentParser
import Experiments
import Foundation
import LinearAlgebra
import Reports

extension Tour.Scale: ExpressibleByArgument {}

struct TourCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tour",
        abstract: "Run every experiment of the talk, in its order, into one folder and one HTML report.")
    @Option(help: "quick (minutes on a laptop) or full (the published setups).") var scale: Tour.Scale = .quick
    @Option(help: "Output folder.") var out = "tour"
    @OptionGroup var global: GlobalOptions

    func run() throws {
        global.apply()
        let tty = isatty(2) != 0, quiet = global.quiet
        let tour = Tour(scale: scale, out: out, dataDirectory: global.dataDir)
        let (outcomes, report) = try tour.run { k, n, label, fraction, eta in
            if quiet { return }
            let etaText = eta.map { String(format: " · ETA %.0f s", $0) } ?? ""
            if tty {
                drawBar("[\(k + 1)/\(n)] \(label)", fraction: fraction, suffix: etaText, width: 24)
            } else if fraction == 0, eta != nil {
                FileHandle.standardError.write(Data("[\(k + 1)/\(n)] \(label)\(etaText)\n".utf8))
            }
        }
        print("\nverdict          claim")
        for o in outcomes {
            for v in o.result.verdicts { print(v.label.padding(toLength: 16, withPad: " ", startingAt: 0) + " " + v.claim) }
        }
        print("\nreport: \(report)")
    }
}

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Render DIR/index.html from the result folders in DIR (no retraining).")
    @Argument(help: "Folder of experiment results (e.g. the tour's).") var dir: String

    func run() throws {
        let path = try Report.render(dir)
        print(path)
    }
}
