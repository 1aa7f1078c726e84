import Experiments
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import XCTest

@testable import Serve

/// Real runs: the genlab binary as the child process, the width sweep at tiny settings; and the
/// load test, 20 clients streaming one run over loopback.
final class LiveRunTests: XCTestCase {
    func app(out: String) -> (some ApplicationProtocol, RunQueue) {
        let queue = RunQueue(
            launcher: ChildProcessLauncher(executable: genlabBinary, networks: out + "/networks", dataDirectory: nil))
        return (
            Application(router: ServeRoutes.router(queue: queue, out: out, hosts: ["127.0.0.1", "localhost", "::1"])),
            queue
        )
    }

    func testWidthSweepStreamsPointsPartialVerdictsAndTheResult() async throws {
        let out = Scratch.folder("serve-live")
        let (app, queue) = app(out: out)
        try await app.test(.router) { client in
            let started = Date()
            let id = try await start(
                client,
                #"{"experiment": "double-descent-width", "scale": "tiny", "settings": {"widths": "4,16,64", "epochs": "#
                    + #""2"}}"#
            )
            // A reader beside the stream, on the log itself, sees each partial result before the next supersedes it.
            let found = await queue.run(id: id)
            let run = try XCTUnwrap(found)
            let watcher = Task { () -> [RunEvent] in
                var seen = [RunEvent]()
                var cursor = 0
                while true {
                    let batch = await run.events(after: cursor)
                    guard let last = batch.last else { return seen }
                    seen += batch.filter { $0.type == "partial" }
                    cursor = last.id
                }
            }
            let stream = try await client.execute(uri: "/api/runs/\(id)/events", method: .get) {
                events(String(buffer: $0.body))
            }
            let seenLive = await watcher.value
            let points = stream.filter { $0.type == "point" }
            XCTAssertEqual(points.count, 6, "3 widths × (noisy, clean)")
            XCTAssertTrue(points.allSatisfy { ($0.data).contains("testError") })
            // In the log, once the run is over, every partial result but the last is superseded: a
            // stub, its figures gone (a client that read them in time got them whole).
            let partials = await run.events(after: 0).filter { $0.type == "partial" }
            XCTAssertEqual(
                partials.filter { !$0.data.contains("superseded") }.count, 1, "the latest partial result is kept whole")
            XCTAssertEqual(partials.dropLast().filter { $0.data == "{\"superseded\":true}" }.count, partials.count - 1)
            XCTAssertFalse(partials.last!.data.contains("superseded"))
            // Live, the figure grows: each partial analysis has the widths finished so far, by the experiment's own
            // rules.
            let whole = seenLive.filter { !$0.data.contains("superseded") }
            XCTAssertFalse(whole.isEmpty)
            XCTAssertTrue(
                whole.allSatisfy { $0.data.contains("<svg") && $0.data.contains("model-wise double descent") })
            let finishedWidths = whole.compactMap { p in
                p.data.range(of: #"Partial: [0-9] of 3 widths"#, options: .regularExpression).map {
                    Int(p.data[$0].dropFirst(9).prefix(1))!
                }
            }
            XCTAssertEqual(finishedWidths.count, whole.count, "each partial result says how much of the grid it has")
            XCTAssertEqual(finishedWidths, finishedWidths.sorted(), "the grid only grows")
            let result = try XCTUnwrap(stream.first { $0.type == "result" })
            XCTAssertTrue(result.data.contains("width.svg") && result.data.contains("result.json"))
            XCTAssertEqual(stream.last.flatMap { field($0, "state") as? String }, "done")
            let firstPoint = try XCTUnwrap(stream.firstIndex { $0.type == "point" })
            XCTAssertLessThan(firstPoint, stream.firstIndex { $0.type == "result" }!)
            print(
                "serve: tiny width sweep, 6 points, streamed in "
                    + "\(String(format: "%.1f", Date().timeIntervalSince(started))) s"
            )
            // The result folder is served, and the same settings show at once.
            try await client.execute(
                uri: "/api/check", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(
                    string:
                        #"{"experiment": "double-descent-width", "scale": "tiny", "settings": {"epochs": "2", "#
                        + #""widths": "4,16,64"}}"#
                )
            ) { r in
                let preview = String(buffer: r.body)
                XCTAssertTrue(
                    preview.contains("\"partial\":false") && preview.contains("<svg"), preview.prefix(300).description)
            }
        }
    }

    /// Any converted sweep redraws live, not only the width sweep: the sample-wise network's
    /// partial results carry its figure and its verdict, by its own analysis.
    func testSampleWiseNetworkStreamsPartialVerdictsToo() async throws {
        let out = Scratch.folder("serve-live")
        let (app, _) = app(out: out)
        try await app.test(.router) { client in
            let id = try await start(
                client, #"{"experiment": "double-descent-samples-network", "scale": "tiny", "settings": {}}"#)
            let stream = try await client.execute(uri: "/api/runs/\(id)/events", method: .get) {
                events(String(buffer: $0.body))
            }
            XCTAssertEqual(stream.filter { $0.type == "point" }.count, 6, "3 sizes × 2 seeds")
            let partials = stream.filter { $0.type == "partial" && !$0.data.contains("superseded") }
            let last = try XCTUnwrap(partials.last, "no partial result streamed")
            XCTAssertTrue(
                last.data.contains("<svg") && last.data.contains("More data can hurt"),
                last.data.prefix(300).description)
            XCTAssertNotNil(last.data.range(of: #"Partial: [1-3] of 3 sizes finished"#, options: .regularExpression))
            XCTAssertEqual(stream.last.flatMap { field($0, "state") as? String }, "done")
        }
    }

    /// An experiment that is not a sweep of points redraws live too: the regularizer ablation
    /// publishes the analysis of its finished seeds (`LiveMeasurement`), streamed before its result.
    func testALiveMeasurementStreamsTheAnalysisOfItsFinishedSeeds() async throws {
        let out = Scratch.folder("serve-live")
        let (app, _) = app(out: out)
        try await app.test(.router) { client in
            let id = try await start(client, #"{"experiment": "regularizers", "scale": "tiny", "settings": {}}"#)
            let stream = try await client.execute(uri: "/api/runs/\(id)/events", method: .get) {
                events(String(buffer: $0.body))
            }
            let partials = stream.filter { $0.type == "partial" && !$0.data.contains("superseded") }
            let last = try XCTUnwrap(partials.last, "no partial result streamed")
            XCTAssertTrue(
                last.data.contains("<svg") && last.data.contains("Dropout lowers the test error"),
                last.data.prefix(300).description)
            XCTAssertNotNil(last.data.range(of: #"Partial: [12] of 2 seeds finished"#, options: .regularExpression))
            XCTAssertLessThan(stream.firstIndex { $0.type == "partial" }!, stream.firstIndex { $0.type == "result" }!)
            XCTAssertEqual(stream.last.flatMap { field($0, "state") as? String }, "done")
        }
    }

    func testCancellingARealRunKillsItWithinASecondLeavingWholePoints() async throws {
        let out = Scratch.folder("serve-live")
        let request =
            #"{"experiment": "double-descent-width", "scale": "tiny", "settings": {"widths": "#
            + #""2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32", "epochs": "#
            + #""60"}}"#
        let (app2, queue2) = self.app(out: out)
        try await app2.test(.router) { client in
            let id = try await start(client, request)
            let found = await queue2.run(id: id)
            let run = try XCTUnwrap(found)
            let deadline = Date().addingTimeInterval(120)
            while await !(run.events(after: 0)).contains(where: { $0.type == "point" }) && Date() < deadline {
                try await Task.sleep(nanoseconds: 20_000_000)
            }
            let asked = Date()
            try await client.execute(uri: "/api/runs/\(id)/cancel", method: .post) { XCTAssertEqual($0.status, .ok) }
            let stream = try await client.execute(uri: "/api/runs/\(id)/events", method: .get) {
                events(String(buffer: $0.body))
            }
            let stopped = Date().timeIntervalSince(asked)
            XCTAssertLessThan(stopped, 1, "a real run stops within a second")
            XCTAssertEqual(stream.last.flatMap { field($0, "state") as? String }, "cancelled")
            let spec = try RunSpec.resolve(
                RunRequest(
                    experiment: "double-descent-width", scale: "tiny",
                    settings: [
                        "widths":
                            "2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32",
                        "epochs": "60",
                    ]), out: out)
            let files = try FileManager.default.contentsOfDirectory(atPath: spec.folder + "/points")
            XCTAssertGreaterThan(files.count, 0)
            XCTAssertEqual(
                SweepPoints.finished(in: spec.folder + "/points").count, files.count, "only whole points: \(files)")
            XCTAssertLessThan(files.count, 62)
            print(String(format: "serve: cancel of a real run took %.3f s; %d whole points kept", stopped, files.count))
        }
    }

    /// 20 clients stream one run over a real loopback socket: each gets every event once, in
    /// order; memory stays bounded (the log is shared; clients hold cursors).
    func testTwentyClientsStreamingOneRunOverLoopback() async throws {
        let queue = RunQueue(launcher: ScriptedLauncher(points: 300, interval: 0.004))
        let app = Application(
            router: ServeRoutes.router(
                queue: queue, out: Scratch.folder("serve-load"), hosts: ["127.0.0.1", "localhost", "::1"]),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let before = residentMegabytes()
            let started = Date()
            let id = try await start(
                client, #"{"experiment": "double-descent-width", "scale": "tiny", "settings": {}}"#)
            let streams = try await withThrowingTaskGroup(of: [RunEvent].self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        try await client.execute(uri: "/api/runs/\(id)/events", method: .get) {
                            events(String(buffer: $0.body))
                        }
                    }
                }
                var all = [[RunEvent]]()
                for try await s in group { all.append(s) }
                return all
            }
            let seconds = Date().timeIntervalSince(started)
            let after = residentMegabytes()
            XCTAssertEqual(streams.count, 20)
            let reference = streams[0]
            for s in streams {
                XCTAssertEqual(s.map(\.id), Array(1...s.count), "no event lost or repeated")
                // The same events (a partial result may reach a slow client already superseded, as a stub).
                XCTAssertEqual(
                    s.filter { $0.type != "partial" }, reference.filter { $0.type != "partial" },
                    "every client sees the same events")
                XCTAssertEqual(s.filter { $0.type == "point" }.count, 300)
                XCTAssertEqual(s.last?.type, "end")
            }
            XCTAssertLessThan(seconds, 60, "bounded time")
            XCTAssertLessThan(after - before, 64, "memory bounded: \(before) MB → \(after) MB")
            print(
                String(
                    format:
                        "serve load: 20 clients × %d events (300 points) over "
                        + "loopback in %.2f s; resident memory %.0f → %.0f MB",
                    reference.count, seconds, before, after))
        }
    }
}

/// This process's resident memory (VmRSS), in MB.
func residentMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
    else { return 0 }
    return (Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
}
