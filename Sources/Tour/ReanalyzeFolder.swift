import Experiments
import Foundation
import LinearAlgebra
import Reports

/// `genlab reanalyze DIR`: every result folder of DIR (DIR itself, or a tour's subfolders)
/// analyzed again from its stored outcomes and rewritten by the writers a run uses, then the
/// tour's report when DIR has one. With an unchanged analysis every file comes out byte for byte
/// the same; with a changed rule, the verdicts change and nothing is trained.
public enum ReanalyzeFolder {
    public struct Summary {
        /// The folders rewritten, with the result each held before.
        public var reanalyzed: [(folder: String, before: ExperimentResult, after: ExperimentResult)] = []
        /// The folders left as they are, and why.
        public var skipped: [(folder: String, reason: String)] = []
        /// The report rewritten (DIR/index.html), if DIR had one.
        public var report: String?
    }

    /// Reanalyzes every folder first, in memory, and writes only when all of them could be read:
    /// a corrupt result.json or outcomes.json stops it before any file changes. Throws when no
    /// folder could be reanalyzed (the summary's reasons in the message).
    public static func run(_ dir: String) throws -> Summary {
        let root = dir.count > 1 && dir.hasSuffix("/") ? String(dir.dropLast()) : dir
        var summary = Summary()
        for folder in try Reanalysis.resultFolders(in: root) {
            switch try Reanalysis.folder(folder) {
            case .reanalyzed(let before, let after): summary.reanalyzed.append((folder, before, after))
            case .skipped(let reason): summary.skipped.append((folder, reason))
            }
        }
        guard !summary.reanalyzed.isEmpty else {
            throw GenLabError.run(
                "nothing in \(root) could be reanalyzed: "
                    + summary.skipped.map { "\($0.folder): \($0.reason)" }.joined(separator: "; "))
        }
        for r in summary.reanalyzed { try ResultWriter.write(r.after, to: r.folder) }
        if FileManager.default.fileExists(atPath: root + "/index.html"), summary.reanalyzed.first?.folder != root {
            summary.report = try Report.render(root, catalog: .talk)
        }
        return summary
    }

    /// "supported → not supported: CLAIM" for each verdict whose outcome changed (by position;
    /// a verdict added or removed is named too).
    public static func changes(before: ExperimentResult, after: ExperimentResult) -> [String] {
        var lines = [String]()
        for i in 0..<max(before.verdicts.count, after.verdicts.count) {
            let old = i < before.verdicts.count ? before.verdicts[i] : nil
            let new = i < after.verdicts.count ? after.verdicts[i] : nil
            switch (old, new) {
            case (let o?, let n?) where o.label != n.label: lines.append("\(o.label) → \(n.label): \(n.claim)")
            case (nil, let n?): lines.append("new, \(n.label): \(n.claim)")
            case (let o?, nil): lines.append("removed: \(o.claim)")
            default: break
            }
        }
        return lines
    }
}

extension ReanalyzeFolder.Summary {
    /// What a reanalysis did, for a reader: each folder with its verdicts and what changed, the
    /// folders left as they were and why, and the report.
    public var lines: [String] {
        var lines = [String]()
        for r in reanalyzed {
            let changes = ReanalyzeFolder.changes(before: r.before, after: r.after)
            lines.append(
                "reanalyzed \(r.folder): \(r.after.verdicts.count) verdicts" + (changes.isEmpty ? ", none changed" : "")
            )
            lines += changes.map { "    " + $0 }
        }
        if !skipped.isEmpty {
            lines += ["not reanalyzed (\(skipped.count)):"] + skipped.map { "    \($0.folder): \($0.reason)" }
        }
        if let report { lines.append("report: \(report)") }
        return lines
    }
}
