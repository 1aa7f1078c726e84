import Foundation
import LinearAlgebra
import Measures

extension BadMinima {
    func result(_ pairs: [Pair], seconds: Double, command: String) -> ExperimentResult {
        let used = pairs.filter(\.both)
        let notes = notes(pairs, used: used)
        let worse = VerdictRules.exceeds(
            differences: used.map { $0.pretrained.testError - $0.direct.testError }, leastEffect: Self.leastWorse,
            what: "test error(random labels first) − test error(direct)")
        let sharper = VerdictRules.exceeds(
            differences: used.map { log($0.pretrained.lambdaMax / $0.direct.lambdaMax) },
            leastEffect: Self.leastSharper,
            what: "log λ_max(random labels first) − log λ_max(direct)")
        func mean(_ f: (Pair) -> Double) -> Double { used.isEmpty ? .nan : Stats.mean(used.map(f)) }
        let verdicts = [
            Verdict(
                .finding,
                claim:
                    "Bad global minima exist and SGD reaches them: after first fitting random labels, training on the "
                    + "true labels to the same training loss ends at a minimum that tests worse than the one "
                    + "reached directly (by 2 points or more to count).",
                supported: worse.supported,
                evidence: String(
                    format:
                        "%d seeds, %@ on %@, both routes to training cross-entropy ≤ %g: test error %.1f%% directly, "
                        + "%.1f%% after fitting random labels (%.0f epochs on them); %@.",
                    used.count, model, data, targetLoss, 100 * mean { $0.direct.testError },
                    100 * mean { $0.pretrained.testError },
                    mean { Double($0.memorizeEpochs) }, worse.reason),
                values: worse.values),
            Verdict(
                .finding,
                claim:
                    "The worse minimum is the sharper one: its Hessian's largest eigenvalue is larger (by 10% or more "
                    + "to count), as the sharp-minima story predicts.",
                supported: sharper.supported,
                evidence: String(
                    format:
                        "λ_max %.3g directly, %.3g after random labels; trace %.3g and %.3g "
                        + "(means over %d seeds); %@.",
                    mean { $0.direct.lambdaMax }, mean { $0.pretrained.lambdaMax }, mean { $0.direct.trace },
                    mean { $0.pretrained.trace },
                    used.count, sharper.reason),
                values: sharper.values),
        ]
        let table = minimaTable(pairs)
        return ExperimentResult(
            experiment: name, configuration: [:], seed: 0,
            metrics: [
                "pairs": JSONValue(used.count), "direct_test_error": JSONValue(mean { $0.direct.testError }),
                "pretrained_test_error": JSONValue(mean { $0.pretrained.testError }),
            ],
            verdicts: verdicts, command: command, figures: Self.figures, tables: [table], seconds: seconds,
            notes: notes,
            references: Self.resultReferences)
    }

    /// The references of `result`.
    static var resultReferences: [Results.Reference] {
        [
            Reference(
                source:
                    "Liu, Papailiopoulos & Achlioptas (2020), Bad global minima exist and SGD can reach them, NeurIPS",
                value:
                    "100% training accuracy either way; test accuracy drops by tens of points after random-label "
                    + "pretraining (CIFAR-10, VGG/ResNet, no regularization)",
                what: "their setting: CIFAR and convolutional networks; here an MLP on Fashion-MNIST")
        ]
    }

    /// Seeds left out (a route missed its target) and minima whose curvature is not measured.
    func notes(_ pairs: [Pair], used: [Pair]) -> [String] {
        var notes = [String]()
        if used.count < pairs.count {
            notes.append(
                "\(pairs.count - used.count) of \(pairs.count) seeds left out: a route missed its target within "
                    + "\(maxEpochs) epochs (seeds \(pairs.filter { !$0.both }.map(\.seed)); the random-label phase "
                    + "stopped because of: "
                    + "\(Set(pairs.filter { !$0.both }.map(\.memorizeStop)).sorted().joined(separator: ", ")))"
            )
        }
        // λ_max = 0 at a minimum of positive loss means the Float logits saturated (softmax
        // exactly one-hot): no curvature to compare, said rather than compared.
        if used.contains(where: { !($0.direct.lambdaMax > 0 && $0.pretrained.lambdaMax > 0) }) {
            notes.append(
                "Some minima have λ_max ≤ 0: their logits saturate in Float (the softmax is exactly one-hot), so "
                    + "their curvature is not measured; the sharpness comparison is not to be trusted."
            )
        }
        return notes
    }

    /// Both routes of every seed, the random-label phase beside the second.
    func minimaTable(_ pairs: [Pair]) -> Table {
        var table = Table(
            name: "minima",
            columns: [
                "route", "seed", "reached", "epochs", "train_error", "test_error", "lambda_max", "trace",
                "random_label_epochs", "random_label_train_error", "random_labels_fit",
            ])
        for p in pairs {
            table.append([
                .string("direct"), JSONValue(p.seed), .bool(p.direct.reached), JSONValue(p.direct.epochs),
                JSONValue(p.direct.trainError),
                JSONValue(p.direct.testError), JSONValue(p.direct.lambdaMax), JSONValue(p.direct.trace), .null, .null,
                .null,
            ])
            table.append([
                .string("random labels first"), JSONValue(p.seed), .bool(p.pretrained.reached),
                JSONValue(p.pretrained.epochs), JSONValue(p.pretrained.trainError),
                JSONValue(p.pretrained.testError), JSONValue(p.pretrained.lambdaMax), JSONValue(p.pretrained.trace),
                JSONValue(p.memorizeEpochs), JSONValue(p.memorizeTrainError), .bool(p.memorized),
            ])
        }
        return table
    }

    static var figures: [FigureSpec] {
        [
            FigureSpec(
                file: "test_error.svg", title: "Test error at the two minima of the same training loss", kind: .dots,
                table: "minima", x: "route",
                xLabel: "route", yLabel: "test error", series: [.init(y: "test_error", label: "one seed")]),
            FigureSpec(
                file: "sharpness.svg", title: "Test error against λ_max at both minima, every seed", kind: .scatter,
                table: "minima", x: "lambda_max",
                xLabel: "λ_max at the minimum", yLabel: "test error", xLog: true,
                series: [
                    .init(
                        y: "test_error", label: "direct", markers: true, filterColumn: "route", filterValue: "direct"),
                    .init(
                        y: "test_error", label: "random labels first", markers: true, filterColumn: "route",
                        filterValue: "random labels first"),
                ]),
        ]
    }
}
