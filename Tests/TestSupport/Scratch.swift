import Foundation

/// Temporary folders for tests, removed when the test process exits: a run of the suite leaves
/// nothing behind in the temporary directory (a test that fails half-way included).
public enum Scratch {
    /// A fresh, empty folder `TMPDIR/genlab-<prefix>-<uuid>`, created now.
    public static func folder(_ prefix: String) -> String {
        let path = NSTemporaryDirectory() + "genlab-\(prefix)-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        Registry.shared.add(path)
        return path
    }

    /// A fresh path `TMPDIR/genlab-<prefix>-<uuid>` that does not exist yet (for code that must create it).
    public static func path(_ prefix: String) -> String {
        let path = NSTemporaryDirectory() + "genlab-\(prefix)-" + UUID().uuidString
        Registry.shared.add(path)
        return path
    }

    final class Registry: @unchecked Sendable {
        static let shared = Registry()
        private var paths = [String]()
        private let lock = NSLock()
        private init() { atexit { Registry.shared.removeAll() } }
        func add(_ path: String) {
            lock.lock()
            paths.append(path)
            lock.unlock()
        }
        func removeAll() {
            lock.lock()
            defer { lock.unlock() }
            for p in paths { try? FileManager.default.removeItem(atPath: p) }
            paths.removeAll()
        }
    }
}

/// The genlab processes the suite starts run OpenBLAS's kernel as the suite's own process does:
/// genlab starts again with a better kernel where OpenBLAS did not recognize the CPU
/// (`BLAS.undetectedCore`), and a child on another kernel than the suite would round its tables
/// differently from the in-process runs they are compared with. Called by `genlabBinary`.
public func childrenUseTheSuitesKernel() {
    if getenv("OPENBLAS_CORETYPE") == nil { setenv("GENLAB_BLAS_AUTO", "0", 1) }
}
