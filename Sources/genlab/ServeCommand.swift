import ArgumentParser
import Foundation
import Serve

/// `genlab serve`: the talk as a live explorer in the browser.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract:
            "Explore the experiments in a browser: move their settings, watch the points and the verdicts arrive.",
        discussion:
            "Serves one page on 127.0.0.1 (another address only with --host). Each run is `genlab run …` into "
            + "--out, the points and trained networks there are the cache: settings computed before show at once. "
            + "Stop with Ctrl-C (runs in progress are stopped; their finished points stay).")
    @Option(help: "Port to listen on (0: a free one, printed).") var port: Int = 8765
    @Option(help: "Address to listen on. Anything but loopback lets other machines start runs here.") var host: String =
        "127.0.0.1"
    @Option(help: "Folder for results, points and shared networks (the cache).") var out: String = "results/serve"
    @Option(help: "Runs computed at once (each uses every core by itself).") var jobs: Int = 1
    @Option(
        name: .customLong("data-dir"),
        help: "Folder with the Fashion-MNIST IDX files (default: $GENLAB_DATA, then /usr/share/datasets/fashion-mnist)."
    )
    var dataDir: String?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be in 0...65535, got \(port)") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be ≥ 1, got \(jobs)") }
    }

    func run() throws {
        if let warning = ServeServer.exposureWarning(host) { FileHandle.standardError.write(Data(warning.utf8)) }
        let server = try ServeServer.local(host: host, port: port, out: out, jobs: jobs, dataDirectory: dataDir)
        try server.runBlocking { address in
            // Unbuffered: a script waiting for the address reads it at once.
            FileHandle.standardOutput.write(
                Data("genlab serve: open \(address) (results in \(server.out); Ctrl-C stops)\n".utf8))
        }
    }
}
