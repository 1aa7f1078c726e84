import Datasets
import Foundation
import LinearAlgebra
import Results

/// Writes an experiment's folder: CSVs, the SVG of every figure (drawn from those tables), then
/// result.json last. Each file is written atomically; a folder is a result only once all of
/// its files are this run's: an older result.json is removed first, and if a file cannot be
/// written (a full disk, a read-only folder) the files this call wrote are removed again, so
/// the folder never pairs one run's result.json with another's tables.
public enum ResultWriter {
    public static func write(_ result: ExperimentResult, to dir: String) throws {
        AtomicFile.removeStale(in: dir)
        unlink(dir + "/result.json")
        var written = [String]()
        func put(_ bytes: [UInt8], _ name: String) throws {
            try AtomicFile.write(bytes, to: dir + "/" + name)
            written.append(dir + "/" + name)
        }
        do {
            for t in result.tables { try put(Array(ResultFolder.csv(t).utf8), t.name + ".csv") }
            for (file, bytes) in result.artifacts.sorted(by: { $0.key < $1.key }) { try put(bytes, file) }
            for f in result.figures {
                guard let table = result.tables.first(where: { $0.name == f.table }) else { continue }
                try put(Array(Plot.render(f, table: table).utf8), f.file)
            }
            try put(Array(try ResultFolder.encodeJSON(result).utf8), "result.json")
        } catch {
            for p in written { unlink(p) }
            throw error
        }
    }

    /// Redraws every figure from the result's tables.
    public static func drawFigures(_ result: ExperimentResult, in dir: String) throws {
        for f in result.figures {
            guard let table = result.tables.first(where: { $0.name == f.table }) else { continue }
            try AtomicFile.write(Plot.render(f, table: table), to: dir + "/" + f.file)
        }
    }
}
