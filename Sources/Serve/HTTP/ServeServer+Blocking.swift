import Foundation
import LinearAlgebra

extension ServeServer {
    /// The server for `out` (created, the cache) computing `jobs` runs at once, each as a child
    /// `genlab run …` of this executable, its trained networks shared under OUT/networks.
    public static func local(host: String, port: Int, out: String, jobs: Int, dataDirectory: String?) throws
        -> ServeServer
    {
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let root = URL(fileURLWithPath: out).standardizedFileURL.path
        let launcher = ChildProcessLauncher(
            executable: currentExecutable, networks: root + "/networks", dataDirectory: dataDirectory)
        return ServeServer(host: host, port: port, out: root, queue: RunQueue(launcher: launcher, slots: jobs))
    }

    /// Serves until the server stops, on this thread (a command-line main has no async context);
    /// `ready` gets the address once it listens. An error of the server is a run error.
    public func runBlocking(ready: @escaping @Sendable (String) -> Void) throws {
        let done = DispatchSemaphore(value: 0)
        let failure = ErrorBox()
        Task {
            do { try await run(ready: ready) } catch { failure.error = error }
            done.signal()
        }
        done.wait()
        if let e = failure.error { throw GenLabError.run("the server stopped: \(e)") }
    }

    /// This program's executable, which runs each request as `genlab run …`.
    public static var currentExecutable: String {
        #if os(Linux)
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
                return target
            }
        #endif
        return Bundle.main.executablePath ?? CommandLine.arguments[0]
    }
}

/// The server task's error, handed to the waiting thread.
final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Error?
    var error: Error? {
        get {
            lock.lock()
            defer { lock.unlock() }
            return value
        }
        set {
            lock.lock()
            value = newValue
            lock.unlock()
        }
    }
}
