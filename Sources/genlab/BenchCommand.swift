import ArgumentParser
import Experiments
import Foundation

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract:
            "Throughput benchmarks (scripts/bench-peers.sh runs them beside numpy, scikit-learn, PyTorch and JAX).",
        subcommands: Benchmarks.all.map { benchCommand($0) })
}

func benchCommand<B: Benchmark>(_: B.Type) -> ParsableCommand.Type { BenchSubcommand<B>.self }

/// A benchmark (`Benchmark`) as a subcommand: every word is a setting of its value; prints its
/// lines as they are measured, or JSON (for the peer scripts).
struct BenchSubcommand<B: Benchmark>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: B.command, abstract: B.abstract, discussion: B.names.help(B(), scaled: false))
    }
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false
    @Flag(help: "List the benchmark's settings with their values (after any given) instead of running it.")
    var parameters = false
    @Argument(parsing: .allUnrecognized, help: "Settings of the benchmark, --NAME VALUE (listed above).")
    var settings: [String] = []

    func run() throws {
        let bench = try B().setting(B.names.settings(settings))
        if parameters { return Parameter.list(bench).forEach { print($0) } }
        do { try bench.validate() } catch { throw B.names.explained(error, in: bench) }
        global.apply()
        var streamed = false
        let report = try bench.measure(dataDirectory: global.dataDir) { lines in
            streamed = true
            if !json { lines.forEach { print($0) } }
        }
        if json {
            print(try ResultFolder.encodeJSON(report), terminator: "")
        } else if !streamed {
            report.lines.forEach { print($0) }
        }
    }
}
