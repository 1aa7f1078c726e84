import Foundation
import Hummingbird
import ServiceLifecycle

/// `genlab serve`: the routes on a Hummingbird server, with the runs stopped first on SIGINT or
/// SIGTERM (their whole points stay), then the server.
public struct ServeServer: Sendable {
    public var host: String
    public var port: Int
    public var out: String
    public var queue: RunQueue

    /// Names the server answers to: the loopback names, and the host it listens on; any name
    /// when it listens on every interface.
    public var hosts: Set<String>? {
        host == "0.0.0.0" || host == "::" ? nil : ["127.0.0.1", "localhost", "::1", host]
    }

    public init(host: String, port: Int, out: String, queue: RunQueue) {
        self.host = host
        self.port = port
        self.out = out
        self.queue = queue
    }

    /// Whether a host is a loopback address (anything else is reachable from other machines).
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// The warning to print before listening on `host` (nil for a loopback address).
    public static func exposureWarning(_ host: String) -> String? {
        isLoopback(host)
            ? nil
            : "genlab serve: warning: listening on \(host), not loopback: anyone who reaches this address can start "
                + "runs on this machine\n"
    }

    /// Serves until SIGINT or SIGTERM; `ready` gets the address once it listens (port 0: a free one).
    public func run(ready: @escaping @Sendable (String) -> Void) async throws {
        let router = ServeRoutes.router(queue: queue, out: out, hosts: hosts)
        let shown = host.contains(":") ? "[\(host)]" : host
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "genlab"),
            onServerRunning: { channel in ready("http://\(shown):\(channel.localAddress?.port ?? port)/") })
        let group = ServiceGroup(
            configuration: .init(
                services: [app, StopRuns(queue: queue)], gracefulShutdownSignals: [.sigterm, .sigint],
                logger: app.logger))
        try await group.run()
    }
}

/// Listed after the server, so shut down before it: kills the runs (their streams then end),
/// after which the server's graceful shutdown has no open stream to wait for.
struct StopRuns: Service {
    let queue: RunQueue
    func run() async throws {
        try? await gracefulShutdown()
        await queue.shutdown()
    }
}
