import ArgumentParser
import Experiments
import Foundation
import LinearAlgebra
import Reports
import Tour

/// `genlab reanalyze DIR`: tables, verdicts and figures computed again from the outcomes a run
/// stored, without training (`ReanalyzeFolder`).
struct ReanalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reanalyze",
        abstract: "Recompute tables, verdicts and figures (and a tour's report) from the outcomes a run stored, without training.",
        discussion: "DIR is one experiment's result folder or a tour's folder. Each result folder whose experiment stores its outcomes "
            + "(outcomes.json) is analyzed again by this GenLab and rewritten with the writers a run uses: with an unchanged analysis, "
            + "byte for byte. Folders without stored outcomes (an older GenLab's, a tool's) are named and left as they are; exit 1 when none could be reanalyzed.")
    @Argument(help: "A result folder (with result.json and outcomes.json) or a tour's folder.") var dir: String

    func run() throws {
        let summary = try ReanalyzeFolder.run(dir)
        for r in summary.reanalyzed {
            let changes = ReanalyzeFolder.changes(before: r.before, after: r.after)
            print("reanalyzed \(r.folder): \(r.after.verdicts.count) verdicts" + (changes.isEmpty ? ", none changed" : ""))
            for c in changes { print("    " + c) }
        }
        if !summary.skipped.isEmpty {
            print("not reanalyzed (\(summary.skipped.count)):")
            for s in summary.skipped { print("    \(s.folder): \(s.reason)") }
        }
        if let report = summary.report { print("report: \(report)") }
    }
}
