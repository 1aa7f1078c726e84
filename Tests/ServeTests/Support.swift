import Datasets
import Experiments
import Foundation
import LinearAlgebra
import Reports
import TestSupport

@testable import Serve

/// The genlab binary built beside the test bundle (`swift build --build-tests` builds it).
var genlabBinary: String {
    childrenUseTheSuitesKernel()
    let dir = Bundle.main.bundleURL.path
    for candidate in [
        dir + "/genlab", URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path + "/genlab",
    ] {
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return dir + "/genlab"
}

/// Runs genlab and returns its exit status and stderr.
func runGenlab(_ args: [String]) throws -> (status: Int32, stderr: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: genlabBinary)
    p.arguments = args
    let err = Pipe()
    p.standardOutput = FileHandle.nullDevice
    p.standardError = err
    try p.run()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: e, as: UTF8.self))
}

/// A run computed by no experiment: it writes `points` point files (the envelope `Sweep` writes)
/// into the run's points folder, one every `interval` seconds, prints a progress line after each,
/// then a result folder. Cancel stops it between points, as a kill would.
struct ScriptedLauncher: RunLauncher {
    var points: Int
    var interval: Double
    /// Exit status when not cancelled (0: writes the result).
    var status: Int32 = 0

    func launch(_ spec: RunSpec, line: @escaping @Sendable (String) -> Void) throws -> any LaunchedRun {
        let run = ScriptedRun()
        let (points, interval, status) = (self.points, self.interval, self.status)
        Thread.detachNewThread {
            for i in 0..<points {
                if run.stopped { return run.end(137) }
                let outcome = "{\"index\":\(i),\"testError\":\(Double(i) / Double(max(points, 1)))}"
                let envelope =
                    "{\"version\":\"\(genlabVersion)\",\"context\":\"scripted\",\"blasThreads\":1,\"key\":\"point-\(i)"
                    + "\",\"checksum\":\"\(ContentHash.of(outcome))\",\"outcome\":\(jsonString(outcome))}"
                try? AtomicFile.write(envelope, to: spec.folder + String(format: "/points/point-%04d.json", i))
                line("\(spec.entry.folder): \(i + 1)/\(points) points (\(Int(Double(i + 1) / Double(points) * 100))%)")
                usleep(UInt32(interval * 1e6))
            }
            if run.stopped { return run.end(137) }
            if status == 0 {
                var table = Table(name: "curve", columns: ["index", "test_error"])
                for i in 0..<points { table.append([JSONValue(i), JSONValue(Double(i) / Double(max(points, 1)))]) }
                var result = ExperimentResult(
                    experiment: spec.experiment.name, configuration: (try? spec.experiment.configuration()) ?? [:],
                    seed: 0,
                    verdicts: [
                        Verdict(
                            .finding, claim: "scripted", supported: true, evidence: "\(points) points",
                            values: ["mde": 0.05])
                    ],
                    command: spec.command,
                    figures: [
                        FigureSpec(
                            file: "curve.svg", title: "scripted curve", table: "curve", x: "index", xLabel: "i",
                            yLabel: "e",
                            series: [.init(y: "test_error", label: "test", markers: true)])
                    ],
                    tables: [table])
                result.seconds = Double(points) * interval
                try? ResultWriter.write(result, to: spec.folder)
            } else {
                line("genlab: error: scripted failure")
            }
            run.end(status)
        }
        return run
    }
}

func jsonString(_ s: String) -> String { String(decoding: try! JSONEncoder().encode(s), as: UTF8.self) }

final class ScriptedRun: LaunchedRun, @unchecked Sendable {
    private let lock = NSLock()
    private var _stopped = false
    private var status: Int32?
    private var waiting = [CheckedContinuation<(status: Int32, tail: [String]), Never>]()
    var stopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return _stopped
    }

    func end(_ s: Int32) {
        lock.lock()
        status = s
        let w = waiting
        waiting = []
        lock.unlock()
        for c in w { c.resume(returning: (s, s == 0 || s == 137 ? [] : ["genlab: error: scripted failure"])) }
    }
    func wait() async -> (status: Int32, tail: [String]) {
        await withCheckedContinuation { c in
            lock.lock()
            if let s = status {
                lock.unlock()
                c.resume(returning: (s, s == 0 || s == 137 ? [] : ["genlab: error: scripted failure"]))
                return
            }
            waiting.append(c)
            lock.unlock()
        }
    }
    func cancel() {
        lock.lock()
        _stopped = true
        lock.unlock()
    }
}

/// The events of an SSE body.
func events(_ body: String) -> [RunEvent] { RunEvent.parse(body) }

/// A field of an event's JSON body.
func field(_ e: RunEvent, _ name: String) -> Any? {
    (try? JSONSerialization.jsonObject(with: Data(e.data.utf8))).flatMap { ($0 as? [String: Any])?[name] }
}
