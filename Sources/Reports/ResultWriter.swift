import Datasets
import Experiments
import Foundation
import LinearAlgebra

/// Writes an experiment's folder: CSVs, the SVG of every figure (drawn from those tables), then
/// result.json last. Each file is written atomically.
public enum ResultWriter {
    public static func write(_ result: ExperimentResult, to dir: String) throws {
        AtomicFile.removeStale(in: dir)
        for t in result.tables { try AtomicFile.write(ResultFolder.csv(t), to: dir + "/" + t.name + ".csv") }
        for (file, bytes) in result.artifacts.sorted(by: { $0.key < $1.key }) { try AtomicFile.write(bytes, to: dir + "/" + file) }
        try drawFigures(result, in: dir)
        try AtomicFile.write(try ResultFolder.encodeJSON(result), to: dir + "/result.json")
    }

    /// Redraws every figure from the result's tables.
    public static func drawFigures(_ result: ExperimentResult, in dir: String) throws {
        for f in result.figures {
            guard let table = result.tables.first(where: { $0.name == f.table }) else { continue }
            try AtomicFile.write(Plot.render(f, table: table), to: dir + "/" + f.file)
        }
    }
}
