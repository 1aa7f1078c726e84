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
            throw GenLabError.data(
                source: dir, expected: "a directory GenLab can create", found: "\(error.localizedDescription)")
        }
        let tmp = dir + "/." + url.lastPathComponent + ".tmp-" + writer
        // Written in place, not with `FileManager.createFile` or an atomic `Data.write`: on Linux
        // those write a temporary file of their own (".dat.nosync…") first, which a writer killed
        // there leaves behind under a name `removeStale` cannot tie to a process.
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: tmp))
        } catch {
            unlink(tmp)  // a full disk can leave part of it
            throw GenLabError.data(
                source: path, expected: "a writable location", found: "permission denied or a full disk")
        }
        // The kill test of a write in progress holds it here: the temporary file there, the target untouched.
        if let hold = writeHold { usleep(hold) }
        if rename(tmp, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(tmp)
            throw GenLabError.data(source: path, expected: "a file that can be replaced", found: reason)
        }
    }

    public static func write(_ text: String, to path: String) throws { try write(Array(text.utf8), to: path) }

    /// Microseconds each write waits between its temporary file and the rename
    /// (GENLAB_WRITE_HOLD seconds, at most 10): only for KillAnywhereTests.
    static let writeHold = ProcessInfo.processInfo.environment["GENLAB_WRITE_HOLD"].flatMap(Double.init).map {
        UInt32(min(max($0, 0), 10) * 1e6)
    }

    /// This process as a writer: "HOST-PID" (the host, because the tasks of a cluster share folders).
    static let writer =
        ProcessInfo.processInfo.hostName.map { $0.isLetter || $0.isNumber || $0 == "." ? $0 : "_" }.reduce("") {
            $0 + String($1)
        }
        + "-\(ProcessInfo.processInfo.processIdentifier)"

    /// Removes the temporary files that writers killed mid-write (kill -9) left in `dir`:
    /// `.NAME.tmp-HOST-PID` of this host whose process is gone. A live writer's file, and any
    /// file of another host (its process cannot be asked from here), is left alone. Returns
    /// the files removed.
    @discardableResult
    public static func removeStale(in dir: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return [] }
        let host = String(writer[..<writer.lastIndex(of: "-")!])
        var removed = [String]()
        for name in names where name.hasPrefix(".") {
            guard let r = name.range(of: ".tmp-" + host + "-", options: .backwards),
                let pid = Int32(name[r.upperBound...])
            else { continue }
            if pid != ProcessInfo.processInfo.processIdentifier && kill(pid, 0) != 0 && errno == ESRCH {
                if unlink(dir + "/" + name) == 0 { removed.append(name) }
            }
        }
        return removed
    }
}
