import Foundation
import LinearAlgebra

/// `genlab reanalyze`: a result folder's tables, verdicts and figures computed again from the
/// outcomes its run stored (`outcomes.json`), by today's analysis, without data or training.
public enum Reanalysis {
    /// What became of one result folder.
    public enum Outcome {
        /// The analysis of the stored outcomes, and the result the folder held before.
        case reanalyzed(before: ExperimentResult, after: ExperimentResult)
        /// Left as it is, and why (a tool's result, which stores no outcomes, or a
        /// folder without stored outcomes).
        case skipped(reason: String)
    }

    /// The reanalysis of folder `dir` (it holds a result.json). Throws for a result.json or an
    /// outcomes.json that cannot be read, or outcomes that belong to another run.
    public static func folder(_ dir: String) throws -> Outcome {
        let before = try resultJSON(dir)
        let experiment: any Experiment
        do { experiment = try Registry.decode(name: before.experiment, configuration: before.configuration) } catch {
            return .skipped(
                reason:
                    "its configuration does not decode as \(before.experiment) (\(ResultFolder.shortReason(error))): "
                    + "written by another GenLab version"
            )
        }
        guard let measured = experiment as? any MeasuredExperiment else {
            return .skipped(
                reason: "\(before.experiment) does not store its outcomes (a tool's result: rerun it instead)")
        }
        let path = dir + "/" + MeasurementFile.name
        guard let data = FileManager.default.contents(atPath: path) else {
            return .skipped(
                reason:
                    "no \(MeasurementFile.name) beside its result.json: written before runs stored their outcomes, or "
                    + "by a run that failed; rerun it (genlab rerun \(dir))"
            )
        }
        return .reanalyzed(before: before, after: try measured.reanalyzed(data, source: path, result: before))
    }

    /// result.json alone (the analysis does not read the old tables).
    static func resultJSON(_ dir: String) throws -> ExperimentResult {
        let path = dir + "/result.json"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GenLabError.data(source: path, expected: "a result.json", found: "no such file")
        }
        do { return try JSONDecoder().decode(ExperimentResult.self, from: data) } catch {
            throw GenLabError.data(
                source: path, expected: "a GenLab result (JSON)",
                found: "unreadable content (\(ResultFolder.shortReason(error)))")
        }
    }

    /// The result folders of `dir`: DIR itself when it holds a result.json, else each subfolder
    /// that holds one (a tour's folder), in name order.
    public static func resultFolders(in dir: String) throws -> [String] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw GenLabError.data(
                source: dir, expected: "a result folder (with result.json) or a tour's folder", found: "no such folder")
        }
        if FileManager.default.fileExists(atPath: dir + "/result.json") { return [dir] }
        let children = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
        let folders = children.map { dir + "/" + $0 }.filter {
            FileManager.default.fileExists(atPath: $0 + "/result.json")
        }
        guard !folders.isEmpty else {
            throw GenLabError.data(
                source: dir,
                expected: "a result folder (with result.json) or a tour's folder (subfolders with result.json)",
                found: "no result.json in it or its subfolders")
        }
        return folders
    }
}
