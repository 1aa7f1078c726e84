import Foundation

/// Starts the computation of a run. The server's own launcher runs `genlab run …` as a child
/// process; the tests give scripted ones.
public protocol RunLauncher: Sendable {
    /// Starts `spec` writing into `spec.folder` (its points under `spec.folder/points`);
    /// `line` receives each line the run prints on stderr (its progress lines).
    func launch(_ spec: RunSpec, line: @escaping @Sendable (String) -> Void) throws -> any LaunchedRun
}

/// A started run.
public protocol LaunchedRun: Sendable {
    /// Waits for the end: the exit status (0: the result is written) and the last lines of stderr.
    func wait() async -> (status: Int32, tail: [String])
    /// Stops it now. Whatever it had finished stays: points and results are written atomically.
    func cancel()
}

/// Runs each request as `genlab run FOLDER --scale S [settings] --out DIR --networks OUT/networks
/// --cheapest-first`, the very command the page shows plus where to write and the order of the
/// points (cheapest first, so that the first arrive within seconds; the numbers are the same). A child process, because
/// a cancelled
/// run must stop within a second wherever it is (inside a training epoch, inside a BLAS call):
/// SIGKILL does, and the experiments' atomic writes (temporary file, then rename; the suite's
/// KillAnywhereTests) leave only whole points behind. It also keeps a crashing experiment from
/// taking the server down.
public struct ChildProcessLauncher: RunLauncher {
    /// The genlab executable (the server's own).
    public var executable: String
    /// Shared trained networks (`--networks`), under the server's --out.
    public var networks: String?
    /// Fashion-MNIST's folder, passed on as --data-dir.
    public var dataDirectory: String?

    public init(executable: String, networks: String?, dataDirectory: String?) {
        self.executable = executable
        self.networks = networks
        self.dataDirectory = dataDirectory
    }

    public func launch(_ spec: RunSpec, line: @escaping @Sendable (String) -> Void) throws -> any LaunchedRun {
        var args = spec.arguments + ["--out", spec.folder, "--cheapest-first", "--live-result", spec.liveResult]
        if let n = networks { args += ["--networks", n] }
        if let d = dataDirectory { args += ["--data-dir", d] }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = args
        let err = Pipe()
        p.standardOutput = FileHandle.nullDevice
        p.standardError = err
        let child = ChildRun(process: p)
        p.terminationHandler = { child.exited($0.terminationStatus) }
        try p.run()
        child.readLines(err.fileHandleForReading, line)
        return child
    }
}

/// A child process and its end, awaited once.
final class ChildRun: LaunchedRun, @unchecked Sendable {
    private let process: Process
    private let lock = NSLock()
    private var status: Int32?
    private var lines = [String]()
    private var readerDone = false
    private var waiting = [CheckedContinuation<(status: Int32, tail: [String]), Never>]()

    init(process: Process) { self.process = process }

    /// Reads stderr on its own thread until the child closes it (progress lines arrive as printed).
    func readLines(_ handle: FileHandle, _ line: @escaping @Sendable (String) -> Void) {
        Thread.detachNewThread { [self] in
            var pending = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let nl = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let text = String(decoding: pending[pending.startIndex..<nl], as: UTF8.self)
                    pending.removeSubrange(pending.startIndex...nl)
                    self.keep(text)
                    line(text)
                }
            }
            self.finish { $0.readerDone = true }
        }
    }

    private func keep(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        lines.append(text)
        if lines.count > 20 { lines.removeFirst(lines.count - 20) }
    }

    func exited(_ code: Int32) { finish { $0.status = code } }

    /// Applies `change`, then resumes the waiters once both the exit and the end of stderr are in.
    private func finish(_ change: (ChildRun) -> Void) {
        lock.lock()
        change(self)
        guard let s = status, readerDone else {
            lock.unlock()
            return
        }
        let ready = waiting
        let tail = lines
        waiting.removeAll()
        lock.unlock()
        for w in ready { w.resume(returning: (s, tail)) }
    }

    func wait() async -> (status: Int32, tail: [String]) {
        await withCheckedContinuation { c in
            lock.lock()
            if let s = status, readerDone {
                let t = lines
                lock.unlock()
                c.resume(returning: (s, t))
                return
            }
            waiting.append(c)
            lock.unlock()
        }
    }

    func cancel() {
        lock.lock()
        defer { lock.unlock() }
        if status == nil && process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
