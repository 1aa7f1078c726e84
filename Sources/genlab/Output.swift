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

func finish(_ result: ExperimentResult, output: OutputOptions, extraLines: [String] = []) throws {
    let dir = output.out ?? "results/" + result.experiment
    try ResultWriter.write(result, to: dir)
    if output.json {
        print(try ResultFolder.encodeJSON(result), terminator: "")
        return
    }
    for line in extraLines { print(line) }
    for n in result.notes { print("note: " + n) }
    for v in result.verdicts {
        print("[\(v.label)] (\(v.kind.rawValue)) \(v.claim)")
        print("    \(v.evidence)")
    }
    print(String(format: "wrote %@/ (result.json, %d CSV, %d SVG) in %.1f s", dir, result.tables.count, result.figures.count, result.seconds))
}

/// A progress line on stderr: a bar when stderr is a terminal, plain lines otherwise.
func progressReporter(quiet: Bool, label: String) -> RunProgress {
    if quiet { return .silent }
    let tty = isatty(2) != 0
    return RunProgress { stage, fraction in
        if tty {
            drawBar(label, fraction: fraction, suffix: " \(Int(fraction * 100))% \(stage)")
        } else {
            FileHandle.standardError.write(Data("\(label): \(stage) (\(Int(fraction * 100))%)\n".utf8))
        }
    }
}

/// The command line as typed, for the report's "reproduce with".
func commandLine() -> String {
    (["genlab"] + CommandLine.arguments.dropFirst()).map { a in
        a.contains(where: { " '\"$&;|<>()*?".contains($0) }) ? "'" + a.replacingOccurrences(of: "'", with: "'\\''") + "'" : a
    }.joined(separator: " ")
}

/// One progress line redrawn in place on a terminal (stderr); a newline once complete.
func drawBar(_ label: String, fraction: Double, suffix: String, width: Int = 30) {
    let filled = Int(Double(width) * min(max(fraction, 0), 1))
    let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
    FileHandle.standardError.write(Data("\r\(label) \(bar)\(suffix)\u{1B}[K".utf8))
    if fraction >= 1 { FileHandle.standardError.write(Data("\n".utf8)) }
}
