import Foundation
import LinearAlgebra

/// Writes that never leave a half-written file: write a temporary sibling, then rename over
/// the target (rename is atomic within one file system).
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        } catch {
            throw GenLabError.data(source: dir, expected: "a directory GenLab can create", found: "\(error.localizedDescription)")
        }
        let tmp = dir + "/." + url.lastPathComponent + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        guard FileManager.default.createFile(atPath: tmp, contents: Data(bytes)) else {
            throw GenLabError.data(source: path, expected: "a writable location", found: "permission denied or a full disk")
        }
        if rename(tmp, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(tmp)
            throw GenLabError.data(source: path, expected: "a file that can be replaced", found: reason)
        }
    }

    public static func write(_ text: String, to path: String) throws { try write(Array(text.utf8), to: path) }
}
