import Datasets
import Foundation
import Learners
import LinearAlgebra

extension EvaluateExperiment {
    /// The score of an evaluation in words: loss and accuracy (or the squared error of a
    /// regression), and the confusion matrix as a small grid.
    public func summary(of r: ExperimentResult, sample: Dataset) -> [String] {
        guard let acc = r.metrics["accuracy"]?.number else {
            return [
                String(
                    format: "%d samples (%@ part): mean squared error %.4g", sample.count, part.rawValue,
                    r.number("loss"))
            ]
        }
        return [
            String(
                format: "%d samples (%@ part): loss %.4f, accuracy %.4f", sample.count, part.rawValue, r.number("loss"),
                acc)
        ]
            + Self.confusionText(r.tables[1], classes: sample.classNames)
    }

    /// The confusion matrix as a small grid (rows: true class, columns: predicted), for up to 12 classes.
    public static func confusionText(_ t: Table, classes: [String]) -> [String] {
        let k = classes.count
        guard k <= 12 else { return ["confusion matrix: \(k) classes, see confusion.csv"] }
        let counts = t.column("count").map { Int($0) }
        let width = max(6, (counts.max() ?? 0).description.count + 1)
        func pad(_ s: String) -> String { String(repeating: " ", count: max(0, width - s.count)) + s }
        var lines = [
            "confusion (rows true, columns predicted):",
            String(repeating: " ", count: 14) + (0..<k).map { pad(String($0)) }.joined(),
        ]
        for y in 0..<k {
            let label = classes[y] == String(y) ? classes[y] : String(y) + " " + classes[y]
            lines.append(
                String(label.prefix(13)).padding(toLength: 14, withPad: " ", startingAt: 0)
                    + (0..<k).map { pad(String(counts[y * k + $0])) }.joined())
        }
        return lines
    }

    /// The files `genlab predict` writes.
    public enum PredictionFormat: String, Codable, Sendable, CaseIterable { case npy, csv }

    /// Writes the predictions of `sample` into `dir`: predicted.npy (int64 class indices) and
    /// probabilities.npy (float64 [n, K]), or predictions.csv with the true label beside them.
    public static func write(_ p: Predictions, of sample: Dataset, as format: PredictionFormat, to dir: String) throws {
        let n = p.outputs.rows
        let k = p.outputs.cols
        switch format {
        case .npy:
            if !p.labels.isEmpty {
                try AtomicFile.write(NPYArray.encode(p.labels, shape: [n]), to: dir + "/predicted.npy")
            }
            try AtomicFile.write(NPYArray.encode(p.outputs.storage, shape: [n, k]), to: dir + "/probabilities.npy")
        case .csv:
            let regression = p.labels.isEmpty
            var text =
                regression
                ? "row,target,prediction\n" : "row,label,predicted" + (0..<k).map { ",p_\($0)" }.joined() + "\n"
            for i in 0..<n {
                let truth = sample.isRegression ? sample.targets[i].description : String(sample.labels[i])
                text +=
                    "\(i),\(truth)" + (regression ? "" : "," + String(p.labels[i]))
                    + (0..<k).map { "," + p.outputs[i, $0].description }.joined() + "\n"
            }
            try AtomicFile.write(text, to: dir + "/predictions.csv")
        }
    }
}
