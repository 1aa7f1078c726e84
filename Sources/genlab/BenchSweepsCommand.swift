import ArgumentParser
import Datasets
import Experiments
import Foundation
import LinearAlgebra

/// The wall-clock time of each sweep's default run, against the targets of issue #5: the
/// ridgeless and random-features sweeps under a minute, the MNIST-1D width sweep (19 widths,
/// 4,000 samples, 500 epochs, one seed) under 5 minutes, the default model-size sweep under 20;
/// and of issue #30 (many small networks at once): the width sweep at the published setting with
/// 5 seeds (the full scale's value) under 150 s, the default measures zoo (174 networks) under 90 s.
/// Each run starts from scratch (no checkpoint) and its verdicts are printed beside its time.
struct BenchSweeps: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sweeps", abstract: "Seconds for each sweep's default run, against its target (takes about 10 minutes).")
    @Option(help: "Sweeps to run, comma-separated: ridgeless, random-features, width, epochs, model-size, width5, zoo.") var only = "ridgeless,random-features,width,epochs,model-size"
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        global.apply()
        let names = only.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        // Each sweep's default run, from the registry: the same value `genlab COMMAND` runs with no options.
        let targets: [(String, folder: String, scale: Scale, target: Double)] = [
            ("ridgeless", "double-descent-ridgeless", .default, 60), ("random-features", "double-descent-random-features", .default, 60),
            ("width", "double-descent-width", .default, 300), ("epochs", "double-descent-epochs", .default, 120), ("model-size", "model-size", .default, 1200),
            ("width5", "double-descent-width", .full, 150), ("zoo", "measures", .default, 90),
        ]
        var known = [String: (target: Double, run: () throws -> ExperimentResult)]()
        for (n, folder, scale, target) in targets {
            let planned = Registry.entry(folder: folder)!.plan(scale)
            known[n] = (target, { try planned.experiment.execute(RunContext(command: "genlab " + planned.arguments.joined(separator: " "), dataDirectory: global.dataDir)) })
        }
        for n in names where known[n] == nil { throw GenLabError.usage("--only: no sweep \"\(n)\"; choose from " + targets.map(\.0).joined(separator: ", ")) }
        var rows = [JSONValue]()
        for n in names {
            let (target, body) = known[n]!
            let start = Timing.now()
            let r = try body()
            let s = Timing.now() - start
            let verdicts = r.verdicts.map { "[\($0.supported.map { $0 ? "supported" : "not supported" } ?? "inconclusive")] \($0.claim)" }
            if !json {
                print(n.padding(toLength: 16, withPad: " ", startingAt: 0) + String(format: "%7.1f s  (target < %4.0f s: %@)", s, target, (s < target ? "met" : "MISSED") as NSString))
                for v in verdicts { print("    " + v) }
            }
            rows.append(.object(["sweep": .string(n), "seconds": JSONValue(s), "target_seconds": JSONValue(target), "met": .bool(s < target),
                                 "verdicts": .array(verdicts.map { .string($0) })]))
        }
        if json { print(try ResultFolder.encodeJSON(["blas": JSONValue(BLAS.description), "cores": JSONValue(ProcessInfo.activeCores), "rows": .array(rows)]), terminator: "") }
    }
}
