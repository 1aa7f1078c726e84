import ArgumentParser
import Experiments
import Foundation
import LinearAlgebra
import Reports

/// Shared tail of every experiment command: write the folder, then print the verdicts (or JSON).
struct OutputOptions: ParsableArguments {
    @Option(help: "Folder for result.json, CSVs and SVGs (default: results/<experiment>).")
    var out: String?

    @Flag(help: "Print result.json to stdout instead of the summary.")
    var json = false
}

/// Writes the result's folder (--out), then prints its summary (or result.json with --json).
func finish(_ result: ExperimentResult, output: OutputOptions, extraLines: [String] = []) throws {
    let dir = output.out ?? "results/" + result.experiment
    try ResultWriter.write(result, to: dir)
    if output.json { return print(try ResultFolder.encodeJSON(result), terminator: "") }
    (extraLines + result.report(folder: dir)).forEach { print($0) }
}

/// The command line as typed, for the report's "reproduce with".
func commandLine() -> String { shellQuoted(["genlab"] + CommandLine.arguments.dropFirst()) }
