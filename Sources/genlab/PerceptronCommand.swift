import ArgumentParser
import Datasets
import Experiments
import Foundation
import LinearAlgebra
import Reports

struct PerceptronCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perceptron",
        abstract: "The perceptron of the talk: the R²/γ² mistake bound, the two risk bounds, and ordinary fitting.",
        subcommands: [Mistakes.self, Risk.self, Fit.self])

    struct Mistakes: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mistakes against the bound R²/γ², with the proof traced step by step.",
            discussion: "γ is the max margin (hard-margin SVM with a duality certificate). A point with ⟨w, x⟩ = 0 counts as a mistake. With --bias a constant feature 1 is appended, which changes R.")
        @Option(help: "Dataset spec (two classes; default separable:d=50,n=5000,margin=0.05).") var data: String?
        @Option(name: .customLong("max-epochs"), help: "Stop after this many passes (default 1000).") var maxEpochs: Int?
        @Option(help: "Shuffle the order each pass with this seed (default: the given order).") var seed: UInt64?
        @Flag(help: "Append a constant feature (a bias).") var bias = false
        @OptionGroup var scale: ScaleOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var global: GlobalOptions

        func validate() throws { if let m = maxEpochs, m < 1 { throw ValidationError("--max-epochs must be ≥ 1, got \(m)") } }

        func run() throws {
            global.apply()
            var exp = scale.base("perceptron-mistakes", as: MistakeBoundExperiment.self)
            if let d = data { exp.data = d }
            if let m = maxEpochs { exp.maxEpochs = m }
            if let s = seed { exp.shuffleSeed = s }
            if bias { exp.bias = true }
            let r = try exp.execute(global.context(label: "perceptron mistakes"))
            let dir = output.out ?? "results/" + r.experiment
            var lines = [String]()
            let m = r.metrics
            if let bound = m["mistake_bound"]?.number, let g = m["margin"]?.number {
                lines.append(String(format: "R = %.4g, γ = %.4g, R²/γ² = %.1f; mistakes %d in %d passes%@",
                                    m["radius"]?.number ?? .nan, g, bound, Int(m["mistakes"]?.number ?? 0), Int(m["epochs"]?.number ?? 0),
                                    m["converged"] == .bool(true) ? " (converged)" : " (not converged)"))
            } else {
                lines.append("mistakes per pass: " + (r.tables.first?.column("mistakes").map { String(Int($0)) }.joined(separator: " ") ?? ""))
            }
            lines.append("final weights w_T: \(dir)/weights.npy, float64\(bias ? ", bias last" : "")")
            try finish(r, output: output, extraLines: lines)
        }
    }

    struct Risk: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Risk of the random iterate (one pass) and of the final weights, against R²/(γ²n) and R²/(γ²(n+1)); with --axis dimension, the final weights' risk as d grows at fixed R, γ and n, beside a VC bound.")
        enum Axis: String, ExpressibleByArgument, CaseIterable { case samples, dimension }
        @Option(help: "samples (the risk against n) or dimension (against d at fixed n: R/γ, not d, is the capacity).") var axis: Axis = .samples
        @Option(help: "The distribution: a separable spec (d, margin, radius; default separable:d=20,margin=0.1; with --axis dimension, margin and radius).") var data: String?
        @Option(name: [.customLong("grid"), .customLong("n")], help: "Training-set sizes n, comma-separated and increasing (default 100,200,500,1000,2000; --n is the same); with --axis dimension, the dimensions d (default 10,30,…,10000).") var n: String?
        @Option(help: "The sample size n of --axis dimension (default 500).") var samples: Int?
        @Option(help: "Independent training sets per n (default 200).") var trials: Int?
        @Option(help: "Size of the fresh sample the risks are measured on (default 10000).") var test: Int?
        @Option(help: "Seed (default 0).") var seed: UInt64?
        @OptionGroup var scale: ScaleOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var global: GlobalOptions

        func run() throws {
            global.apply()
            if axis == .dimension { return try runDimension() }
            if samples != nil { throw ValidationError("--samples applies to --axis dimension (the sizes of --axis samples are --grid)") }
            var exp = scale.base("perceptron-risk", as: RiskBoundExperiment.self)
            if let n { exp.sizes = try parseIntList(n, name: "--grid") }
            if let v = trials { exp.trials = v }
            if let v = test { exp.testCount = v }
            if let data {
                let spec = try DatasetSpec(parsing: data)
                guard spec.name == "separable" else {
                    throw GenLabError.usage("--data must be a separable:… spec (the bounds need the distribution's margin and radius), got \"\(data)\"")
                }
                let opts = Dictionary(spec.options.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
                for k in opts.keys where !["d", "margin", "radius"].contains(k) {
                    throw GenLabError.usage("--data: option \(k) does not apply here (use d, margin, radius; --grid sets the sizes)")
                }
                func num(_ k: String, _ d: Double) throws -> Double {
                    guard let s = opts[k] else { return d }
                    guard let v = Double(s) else { throw GenLabError.usage("--data: \(k) must be a number, got \"\(s)\"") }
                    return v
                }
                exp.distribution = Separable(dimension: Int(try num("d", 20)), margin: try num("margin", 0.1), radius: try num("radius", 1), seed: exp.seed)
            }
            if let v = seed { exp.seed = v; exp.distribution.seed = v }
            let r = try exp.execute(global.context(label: "perceptron risk"))
            try finish(r, output: output)
        }

        func runDimension() throws {
            var exp = scale.base("perceptron-dimension", as: DimensionFreeRisk.self)
            if let n { exp.dimensions = try parseIntList(n, name: "--grid") }
            if let v = samples { exp.n = v }
            if let v = trials { exp.trials = v }
            if let v = test { exp.testCount = v }
            if let v = seed { exp.seed = v }
            if let data {
                let spec = try DatasetSpec(parsing: data)
                guard spec.name == "separable" else { throw GenLabError.usage("--data must be a separable:… spec (margin, radius), got \"\(data)\"") }
                for (k, v) in spec.options {
                    guard k == "margin" || k == "radius" else { throw GenLabError.usage("--data: option \(k) does not apply to --axis dimension (use margin, radius; --grid sets d)") }
                    guard let x = Double(v) else { throw GenLabError.usage("--data: \(k) must be a number, got \"\(v)\"") }
                    if k == "margin" { exp.margin = x } else { exp.radius = x }
                }
            }
            try finish(try exp.execute(global.context(label: "perceptron dimension")), output: output)
        }
    }

    struct Fit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fit perceptrons (binary, or one-vs-rest / multiclass / averaged for K classes); weights saved as NPY.")
        @Option(help: "Dataset spec (default fashion-mnist).") var data: String?
        @Option(help: "Passes over the training data (default 10).") var epochs: Int?
        @Option(help: "Shuffle seed (with --order shuffled).") var seed: UInt64?
        @Option(help: "Visit the samples in the given order, or reshuffled each pass (given|shuffled).") var order: SampleOrder = .shuffled
        @Flag(name: .customLong("no-bias"), help: "No bias term: with --order given on two classes, the talk's Algorithm 1 exactly (w₀ = 0, one update per mistake).") var noBias = false
        @OptionGroup var scale: ScaleOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var global: GlobalOptions

        enum SampleOrder: String, ExpressibleByArgument, CaseIterable { case given, shuffled }

        func validate() throws {
            if seed != nil && order == .given { throw ValidationError("--seed shuffles the samples; it does not apply with --order given") }
            if let e = epochs, e < 1 { throw ValidationError("--epochs must be ≥ 1, got \(e)") }
        }

        func run() throws {
            global.apply()
            var fit = scale.base("perceptron-fit", as: PerceptronFit.self)
            if let d = data { fit.data = d }
            if let e = epochs { fit.epochs = e }
            if let s = seed { fit.seed = s }
            if noBias { fit.bias = false }
            fit.shuffle = order == .shuffled
            let r = try fit.execute(global.context(label: "perceptron fit"))
            let shape = r.artifacts["weights.npy"].flatMap { try? NPYArray.parse($0, source: "weights") }?.shape ?? []
            let dir = output.out ?? "results/" + r.experiment
            var lines = ["model                  train acc  test acc  fit s"]
            for row in r.tables[0].rows {
                let name = (row[0].string ?? "").padding(toLength: 22, withPad: " ", startingAt: 0)
                lines.append(name + String(format: " %.4f     %.4f    %.3f", row[1].number ?? .nan, row[2].number ?? .nan, row[3].number ?? .nan))
            }
            lines.append("weights: \(dir)/weights.npy, shape \(shape)" + (noBias ? " (no bias)" : " (bias last)")
                         + (fit.isPlainAlgorithm && shape.first == 1 ? "; Algorithm 1 exactly: no bias, given order, one update per mistake" : ""))
            try finish(r, output: output, extraLines: lines)
        }
    }
}
