import Datasets
import Foundation
import LinearAlgebra

/// A grid's finished points, appended to one file as each completes, so that a killed run
/// resumes point by point. The file is named by a hash of everything the values depend on
/// (`key`: settings, θ₀, the directions' seed, the sample's fingerprint, GenLab's version), so a
/// rerun with anything changed starts a file of its own instead of reading stale values (what
/// users of the peer tool lose day-long runs to). Each line carries a checksum of itself and the
/// key; a torn or foreign line is dropped on reading.
///
/// Line format: `index,loss,error,check`, the numbers as their IEEE-754 bit patterns in hex
/// (read back exactly), check = 16 hex digits of ContentHash(key, the first three fields).
final class GridCheckpoint: @unchecked Sendable {
    let path: String
    let key: String
    let count: Int
    private let lock = NSLock()
    private var handle: FileHandle?
    /// Points read back from the file: index → (loss, error).
    private(set) var stored: [Int: (Double, Double)] = [:]
    /// Lines dropped on reading (torn by a kill, or not of this key).
    private(set) var dropped = 0

    init(folder: String, key: String, count: Int) throws {
        self.key = key
        self.count = count
        path = folder + "/landscape-" + ContentHash.of(key).prefix(20) + ".csv"
        try read()
        if dropped > 0 {
            // Rewrite without the bad lines, so that appends start on a clean line.
            let kept = stored.keys.sorted().map { line($0, stored[$0]!.0, stored[$0]!.1) }.joined()
            try AtomicFile.write(kept, to: path)
        }
        if !FileManager.default.fileExists(atPath: path) { try AtomicFile.write("", to: path) }
        guard let h = FileHandle(forWritingAtPath: path) else {
            throw GenLabError.data(
                source: path, expected: "a checkpoint file GenLab can append to",
                found: "it cannot be opened for writing")
        }
        h.seekToEndOfFile()
        handle = h
    }

    deinit { try? handle?.close() }

    private func read() throws {
        guard let data = FileManager.default.contents(atPath: path) else { return }
        for raw in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true) {
            let f = raw.split(separator: ",")
            guard f.count == 4, let i = Int(f[0]), i >= 0, i < count, let lb = UInt64(f[1], radix: 16),
                let eb = UInt64(f[2], radix: 16),
                String(f[3]) == check(String(f[0]) + "," + f[1] + "," + f[2])
            else {
                dropped += 1
                continue
            }
            stored[i] = (Double(bitPattern: lb), Double(bitPattern: eb))
        }
    }

    private func check(_ fields: String) -> String { String(ContentHash.of(key, fields).prefix(16)) }

    private func line(_ i: Int, _ loss: Double, _ error: Double) -> String {
        let fields = "\(i),\(String(loss.bitPattern, radix: 16)),\(String(error.bitPattern, radix: 16))"
        return fields + "," + check(fields) + "\n"
    }

    /// Appends one finished point (thread-safe); the line reaches the file before this returns.
    func append(_ i: Int, loss: Double, error: Double) {
        lock.lock()
        defer { lock.unlock() }
        handle?.write(Data(line(i, loss, error).utf8))
    }
}
