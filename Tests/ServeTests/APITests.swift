import Experiments
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import XCTest

@testable import Serve

/// The HTTP API through Hummingbird's own test client (no socket): the page, the catalog,
/// starting, streaming and cancelling runs, bad input, foreign origins, path traversal.
final class APITests: XCTestCase {
    func app(_ launcher: any RunLauncher, out: String) -> (some ApplicationProtocol, RunQueue) {
        let queue = RunQueue(launcher: launcher)
        return (
            Application(router: ServeRoutes.router(queue: queue, out: out, hosts: ["127.0.0.1", "localhost", "::1"])),
            queue
        )
    }

    func testPageIsSelfContainedAndListsEveryExperiment() async throws {
        let (app, _) = app(ScriptedLauncher(points: 1, interval: 0), out: Scratch.folder("serve"))
        try await app.test(.router) { client in
            try await client.execute(uri: "/", method: .get) { r in
                XCTAssertEqual(r.status, .ok)
                let page = String(buffer: r.body)
                XCTAssertTrue(page.contains("id=\"experiment\"") && page.contains("EventSource"))
                // Nothing from elsewhere: no src or href to another site, and a policy that forbids it.
                XCTAssertNil(page.range(of: #"(src|href)="(https?:)?//"#, options: .regularExpression))
                XCTAssertTrue(r.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            }
            try await client.execute(uri: "/api/experiments", method: .get) { r in
                let catalog = try JSONDecoder().decode(Catalog.self, from: Data(buffer: r.body))
                let folders = catalog.groups.flatMap { $0.experiments.map(\.folder) }
                XCTAssertEqual(folders.sorted(), Registry.entries.map(\.folder).sorted())
                XCTAssertEqual(Set(catalog.groups.map(\.title)).count, catalog.groups.count, "each claim group once")
            }
        }
    }

    func testBadSettingGivesTheCLIMessageAndTheServerKeepsServing() async throws {
        let (app, _) = app(ScriptedLauncher(points: 1, interval: 0), out: Scratch.folder("serve"))
        try await app.test(.router) { client in
            let (h, b) = post(
                #"{"experiment": "double-descent-width", "scale": "tiny", "settings": {"label-noise": "1.5"}}"#)
            let message = try await client.execute(uri: "/api/runs", method: .post, headers: h, body: b) {
                r -> String in
                XCTAssertEqual(r.status, .badRequest)
                return try XCTUnwrap(field(RunEvent(id: 0, type: "", data: String(buffer: r.body)), "error") as? String)
            }
            let cli = try runGenlab([
                "run", "double-descent-width", "--scale", "tiny", "--label-noise", "1.5", "--out",
                Scratch.path("serve-cli"),
            ])
            XCTAssertEqual(cli.status, 2)
            XCTAssertEqual(cli.stderr.trimmingCharacters(in: .whitespacesAndNewlines), "genlab: error: " + message)
            // The check endpoint answers the same message (as content), and a good request still works.
            let (h2, b2) = post(
                #"{"experiment": "double-descent-width", "scale": "tiny", "settings": {"seeds": "2.5"}}"#)
            try await client.execute(uri: "/api/check", method: .post, headers: h2, body: b2) { r in
                XCTAssertEqual(r.status, .ok)
                XCTAssertEqual(
                    field(RunEvent(id: 0, type: "", data: String(buffer: r.body)), "error") as? String,
                    "double-descent-width: --seeds must be an integer, got 2.5")
            }
            for body in [
                #"{"experiment": "no-such", "scale": "tiny", "settings": {}}"#,
                #"{"experiment": "double-descent-width", "scale": "huge", "settings": {}}"#,
                #"{"experiment": "double-descent-width", "scale": "tiny", "settings": {"no-such-key": "1"}}"#,
                "not json",
            ] {
                let (h3, b3) = post(body)
                try await client.execute(uri: "/api/runs", method: .post, headers: h3, body: b3) { r in
                    XCTAssertEqual(r.status, .badRequest, body)
                    XCTAssertFalse(String(buffer: r.body).isEmpty)
                }
            }
            let (h4, b4) = post(
                #"{"experiment": "double-descent-width", "scale": "tiny", "settings": {"widths": "4,16"}}"#)
            try await client.execute(uri: "/api/check", method: .post, headers: h4, body: b4) { r in
                XCTAssertEqual(
                    field(RunEvent(id: 0, type: "", data: String(buffer: r.body)), "command") as? String,
                    "genlab run double-descent-width --scale tiny --widths 4,16")
            }
        }
    }

    func testForeignOriginAndForeignHostAreRefused() async throws {
        let (app, _) = app(ScriptedLauncher(points: 1, interval: 0), out: Scratch.folder("serve"))
        try await app.test(.router) { client in
            let body = ByteBuffer(string: #"{"experiment": "double-descent-width", "scale": "tiny", "settings": {}}"#)
            for origin in ["http://evil.example", "null", "http://localhost.evil.example", "https://localhost"] {
                try await client.execute(
                    uri: "/api/runs", method: .post, headers: [.origin: origin, .contentType: "application/json"],
                    body: body
                ) { r in
                    XCTAssertEqual(r.status, .forbidden, origin)
                }
                try await client.execute(uri: "/api/runs/r1/events", method: .get, headers: [.origin: origin]) { r in
                    XCTAssertEqual(r.status, .forbidden, origin)
                }
            }
            try await client.execute(
                uri: "/api/runs", method: .get, headers: [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"]
            ) { r in
                XCTAssertEqual(r.status, .forbidden)
            }
            // The page's own origin (the test client's authority is "localhost").
            try await client.execute(uri: "/api/runs", method: .get, headers: [.origin: "http://localhost"]) { r in
                XCTAssertEqual(r.status, .ok)
            }
        }
        XCTAssertNotNil(
            OriginGuard<BasicRequestContext>.refusal(
                authority: "attacker.example:8765", origin: nil, fetchSite: nil, hosts: ["127.0.0.1"]))
        XCTAssertNil(
            OriginGuard<BasicRequestContext>.refusal(
                authority: "127.0.0.1:8765", origin: "http://127.0.0.1:8765", fetchSite: "same-origin",
                hosts: ["127.0.0.1"]))
        XCTAssertNotNil(
            OriginGuard<BasicRequestContext>.refusal(
                authority: "127.0.0.1:8765", origin: "http://127.0.0.1:9999", fetchSite: nil, hosts: ["127.0.0.1"]))
        XCTAssertEqual(OriginGuard<BasicRequestContext>.hostName("[::1]:80"), "::1")
        // On every interface: any Host name, but still only its own Origin.
        XCTAssertNil(
            OriginGuard<BasicRequestContext>.refusal(
                authority: "lab.example:8765", origin: "http://lab.example:8765", fetchSite: nil, hosts: nil))
        XCTAssertNotNil(
            OriginGuard<BasicRequestContext>.refusal(
                authority: "lab.example:8765", origin: "http://evil.example", fetchSite: nil, hosts: nil))
        XCTAssertNil(
            ServeServer(
                host: "0.0.0.0", port: 0, out: "/o", queue: RunQueue(launcher: ScriptedLauncher(points: 0, interval: 0))
            ).hosts)
    }

    func testFilesServeOnlyTheResultFolder() async throws {
        let root = Scratch.folder("serve")
        let outside = Scratch.folder("serve-outside")
        try "secret".write(toFile: outside + "/secret.txt", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: root + "/a", withIntermediateDirectories: true)
        try "{}".write(toFile: root + "/a/result.json", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(
            atPath: root + "/a/link.json", withDestinationPath: outside + "/secret.txt")
        let (app, _) = app(ScriptedLauncher(points: 1, interval: 0), out: root)
        try await app.test(.router) { client in
            try await client.execute(uri: "/files/a/result.json", method: .get) { r in
                XCTAssertEqual(r.status, .ok)
                XCTAssertEqual(String(buffer: r.body), "{}")
            }
            let escape = "../" + (outside as NSString).lastPathComponent + "/secret.txt"
            for uri in [
                "/files/" + escape, "/files/a/../../" + (outside as NSString).lastPathComponent + "/secret.txt",
                "/files/%2e%2e/" + (outside as NSString).lastPathComponent + "/secret.txt",
                "/files/a%2F..%2F..%2Fetc%2Fpasswd",
                "/files/a/link.json", "/files//etc/passwd", "/files/a/.hidden",
            ] {
                try await client.execute(uri: uri, method: .get) { r in
                    XCTAssertTrue([.forbidden, .notFound].contains(r.status), "\(uri): \(r.status)")
                    XCTAssertNotEqual(String(buffer: r.body), "secret", uri)
                }
            }
            try await client.execute(uri: "/files/a/none.json", method: .get) { r in XCTAssertEqual(r.status, .notFound)
            }
        }
        // The rule itself, below the router's own path handling.
        XCTAssertEqual(
            ResultFiles.resolve("..%2F" + (outside as NSString).lastPathComponent + "%2Fsecret.txt", root: root),
            .failure(
                .refused(
                    "only files inside the result folder are served, not "
                        + "\"../\((outside as NSString).lastPathComponent)/secret.txt\""
                )))
        guard case .failure(.refused) = ResultFiles.resolve("a/link.json", root: root) else {
            return XCTFail("a link out of the folder was served")
        }
        guard case .success = ResultFiles.resolve("a/result.json", root: root) else {
            return XCTFail("a file inside was refused")
        }
    }

    func testRunStreamsEveryPointThenTheResult() async throws {
        let out = Scratch.folder("serve")
        let (app, _) = app(ScriptedLauncher(points: 6, interval: 0.02), out: out)
        try await app.test(.router) { client in
            let id = try await start(
                client, #"{"experiment": "double-descent-width", "scale": "tiny", "settings": {"epochs": "3"}}"#)
            let stream = try await client.execute(uri: "/api/runs/\(id)/events", method: .get) { r -> [RunEvent] in
                XCTAssertEqual(r.headers[.contentType], "text/event-stream; charset=utf-8")
                return events(String(buffer: r.body))
            }
            XCTAssertEqual(stream.map(\.id), Array(1...stream.count), "ids count up by one, none lost or repeated")
            XCTAssertEqual(stream.filter { $0.type == "point" }.count, 6)
            XCTAssertEqual(stream.filter { $0.type == "point" }.map { field($0, "n") as? Int }, (1...6).map { $0 })
            XCTAssertEqual(stream.filter { $0.type == "progress" }.last.flatMap { field($0, "fraction") as? Double }, 1)
            let result = try XCTUnwrap(stream.first { $0.type == "result" })
            XCTAssertTrue((result.data).contains("<svg"), "the figure, drawn by the report's code")
            XCTAssertTrue(result.data.contains("\"mde\":0.05"))
            XCTAssertEqual(stream.last?.type, "end")
            XCTAssertEqual(field(stream.last!, "state") as? String, "done")
            // Resuming after an id replays only what follows.
            let resumed = try await client.execute(
                uri: "/api/runs/\(id)/events", method: .get, headers: [HTTPField.Name("Last-Event-ID")!: "3"]
            ) { events(String(buffer: $0.body)) }
            XCTAssertEqual(resumed.map(\.id), Array(4...stream.count))
            // The same settings again: read from the cache at once.
            let again = try await start(
                client, #"{"experiment": "double-descent-width", "scale": "tiny", "settings": {"epochs": "3"}}"#)
            let cached = try await client.execute(uri: "/api/runs/\(again)/events", method: .get) {
                events(String(buffer: $0.body))
            }
            XCTAssertTrue(cached.contains { $0.type == "result" })
            XCTAssertTrue(
                cached.contains {
                    ($0.type == "status" && (field($0, "message") as? String)?.contains("cache") == true)
                })
        }
    }

    func testCancelStopsWithinASecondAndKeepsWholePoints() async throws {
        let out = Scratch.folder("serve")
        let (app, queue) = app(ScriptedLauncher(points: 400, interval: 0.05), out: out)
        try await app.test(.router) { client in
            let id = try await start(
                client, #"{"experiment": "double-descent-width", "scale": "tiny", "settings": {}}"#)
            // A second request queues behind it; cancelled there, it never starts.
            let second = try await start(
                client, #"{"experiment": "double-descent-width", "scale": "tiny", "settings": {"seeds": "2"}}"#)
            XCTAssertNotEqual(id, second)
            let found = await queue.run(id: id)
            let run = try XCTUnwrap(found)
            while await run.eventCount < 6 { try await Task.sleep(nanoseconds: 10_000_000) }
            let asked = Date()
            try await client.execute(uri: "/api/runs/\(second)/cancel", method: .post) {
                XCTAssertEqual($0.status, .ok)
            }
            try await client.execute(uri: "/api/runs/\(id)/cancel", method: .post) { XCTAssertEqual($0.status, .ok) }
            let stream = try await client.execute(uri: "/api/runs/\(id)/events", method: .get) {
                events(String(buffer: $0.body))
            }
            XCTAssertLessThan(Date().timeIntervalSince(asked), 1, "stopped within a second")
            XCTAssertEqual(stream.last.flatMap { field($0, "state") as? String }, "cancelled")
            let points = stream.filter { $0.type == "point" }.count
            XCTAssertLessThan(points, 400)
            XCTAssertFalse(stream.contains { $0.type == "result" })
            let secondStream = try await client.execute(uri: "/api/runs/\(second)/events", method: .get) {
                events(String(buffer: $0.body))
            }
            XCTAssertEqual(secondStream.last.flatMap { field($0, "state") as? String }, "cancelled")
            XCTAssertFalse(secondStream.contains { $0.type == "point" })
            // Every file in the points folder is a whole point (no temporary file, no torn JSON).
            let spec = try RunSpec.resolve(RunRequest(experiment: "double-descent-width"), out: out)
            let files = try FileManager.default.contentsOfDirectory(atPath: spec.folder + "/points")
            XCTAssertEqual(SweepPoints.finished(in: spec.folder + "/points").count, files.count)
            XCTAssertGreaterThanOrEqual(files.count, points)
            try await client.execute(uri: "/api/runs/nope/cancel", method: .post) {
                XCTAssertEqual($0.status, .notFound)
            }
        }
    }

    func testAFailedRunReportsTheErrorAndTheQueueMovesOn() async throws {
        let (app, _) = app(ScriptedLauncher(points: 1, interval: 0, status: 1), out: Scratch.folder("serve"))
        try await app.test(.router) { client in
            let id = try await start(
                client, #"{"experiment": "double-descent-width", "scale": "tiny", "settings": {}}"#)
            let stream = try await client.execute(uri: "/api/runs/\(id)/events", method: .get) {
                events(String(buffer: $0.body))
            }
            XCTAssertEqual(stream.last.flatMap { field($0, "state") as? String }, "failed")
            XCTAssertEqual(stream.last.flatMap { field($0, "message") as? String }, "scripted failure")
            let list = try await client.execute(uri: "/api/runs", method: .get) {
                try JSONDecoder().decode([RunSummary].self, from: Data(buffer: $0.body))
            }
            XCTAssertEqual(list.map(\.id), [id])
        }
    }
}

/// Starts a run through the API and returns its id.
func start(_ client: some TestClientProtocol, _ body: String) async throws -> String {
    try await client.execute(
        uri: "/api/runs", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body)
    ) { r in
        XCTAssertEqual(r.status, .accepted, String(buffer: r.body))
        return try XCTUnwrap(try JSONDecoder().decode(RunSummary.self, from: Data(buffer: r.body)).id)
    }
}

/// A JSON request body with its content type.
func post(_ body: String) -> (HTTPFields, ByteBuffer) { ([.contentType: "application/json"], ByteBuffer(string: body)) }
