import Datasets
import Experiments
import Foundation
import LinearAlgebra

/// One run from start to end: launch it, turn its progress lines and the point files it writes
/// into events (with the experiment's own partial analysis where it has one), then its result.
struct RunExecution {
    let run: Run
    let launcher: any RunLauncher
    /// How often the points folder is looked at while the run goes.
    static let pollInterval: UInt64 = 100_000_000

    var spec: RunSpec { run.spec }
    var pointsFolder: String { spec.folder + "/points" }

    func perform() async {
        if await run.cancelRequested { return }
        await run.set(.running)
        if let cached = try? ResultFolder.read(spec.folder), cached.experiment == spec.experiment.name,
            (try? spec.experiment.configuration()) == cached.configuration
        {
            var watcher = PointWatcher(folder: pointsFolder, experiment: spec.experiment)
            await watcher.scan(into: run)
            await run.emit("result", ResultBody(cached, partial: false, files: files()))
            return await run.set(.done, message: "read from the cache: these settings were computed before")
        }
        let started = Timing.now()
        let (lines, sink) = AsyncStream.makeStream(of: String.self)
        let launched: any LaunchedRun
        do {
            try FileManager.default.createDirectory(atPath: spec.folder, withIntermediateDirectories: true)
            // A cancelled run's partial analysis: this run writes its own from its first unit.
            try? FileManager.default.removeItem(atPath: spec.liveResult)
            launched = try launcher.launch(spec) { sink.yield($0) }
        } catch {
            return await run.set(.failed, message: "could not start the run: \(error)")
        }
        await run.attach(launched)
        // A Cancel that came while it was being launched.
        if await run.cancelRequested { launched.cancel() }
        let progress = Task {
            for await line in lines { if let p = ProgressBody(line: line) { await run.emit("progress", p) } }
        }
        let watch = Task { [run, pointsFolder, spec] in
            var watcher = PointWatcher(folder: pointsFolder, experiment: spec.experiment, liveResult: spec.liveResult)
            while !Task.isCancelled {
                await watcher.scan(into: run)
                try? await Task.sleep(nanoseconds: Self.pollInterval)
            }
            return watcher
        }
        let (status, tail) = await launched.wait()
        sink.finish()
        await progress.value
        watch.cancel()
        var watcher = await watch.value
        await watcher.scan(into: run)
        await finish(status: status, tail: tail, points: watcher.seen.count, seconds: Timing.now() - started)
    }

    /// The run's last events: its result, or why it has none.
    func finish(status: Int32, tail: [String], points: Int, seconds: Double) async {
        // A killed writer's temporary files: not points, and never read as one.
        AtomicFile.removeStale(in: pointsFolder)
        AtomicFile.removeStale(in: spec.folder)
        if await run.cancelRequested {
            let after = await run.cancelAskedAt.map { Timing.now() - $0 } ?? 0
            return await run.set(
                .cancelled,
                message: String(
                    format: "stopped %.2f s after Cancel; %d whole point%@ kept for the next run", after, points,
                    points == 1 ? "" : "s"))
        }
        guard status == 0 else {
            let message =
                tail.last { $0.hasPrefix("genlab: error:") || $0.hasPrefix("Error:") } ?? tail.last
                ?? "exit status \(status)"
            return await run.set(.failed, message: message.replacingOccurrences(of: "genlab: error: ", with: ""))
        }
        do {
            let result = try ResultFolder.read(spec.folder)
            await run.emit("result", ResultBody(result, partial: false, files: files()))
            await run.set(.done, message: String(format: "finished in %.1f s", seconds))
        } catch {
            await run.set(.failed, message: "the run ended without a readable result: \(error)")
        }
    }

    func files() -> [String] { Self.files(spec) }

    /// The result folder's files, as the /files/ route serves them.
    static func files(_ spec: RunSpec) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: spec.folder)) ?? []
        return names.filter {
            !$0.hasPrefix(".") && ($0.hasSuffix(".json") || $0.hasSuffix(".csv") || $0.hasSuffix(".svg"))
        }.sorted().map { spec.key + "/" + $0 }
    }
}

/// Reads the points folder as it fills: each new point is an event, and after new ones the
/// experiment's partial analysis (if it has one) is an event with figure and verdicts.
struct PointWatcher: Sendable {
    let folder: String
    let experiment: any Experiment
    /// The file a `LiveMeasurement` rewrites as its units finish (nil: not watched).
    let liveResult: String?
    private(set) var seen = Set<String>()
    private var points = [FinishedPoint]()
    /// The live file's modification time and size when it was last read: polled every 100 ms, it
    /// is read again only when a new one was renamed into place.
    private var lastLive: (Date, Int)?

    init(folder: String, experiment: any Experiment, liveResult: String? = nil) {
        self.folder = folder
        self.experiment = experiment
        self.liveResult = liveResult
    }

    mutating func scan(into run: Run) async {
        await scanPoints(into: run)
        await scanLiveResult(into: run)
    }

    /// A new partial analysis of the finished units, when the run wrote one since the last look.
    mutating func scanLiveResult(into run: Run) async {
        guard let path = liveResult, let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let modified = attributes[.modificationDate] as? Date,
            let size = (attributes[.size] as? NSNumber)?.intValue,
            lastLive.map({ $0.0 != modified || $0.1 != size }) ?? true,
            let data = FileManager.default.contents(atPath: path)
        else { return }
        lastLive = (modified, size)
        guard let partial = LiveResult.decode(data), partial.experiment == experiment.name else { return }
        await run.emit("partial", ResultBody(partial, partial: true))
    }

    mutating func scanPoints(into run: Run) async {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        let fresh = names.filter { !$0.hasPrefix(".") && $0.hasSuffix(".json") && !seen.contains($0) }.sorted()
        guard !fresh.isEmpty else { return }
        // Read only the new files; a file that does not check out is left for no one (another version's).
        let all = SweepPoints.finished(in: folder, only: Set(fresh))
        for name in fresh { seen.insert(name) }
        guard !all.isEmpty else { return }
        for p in all {
            points.append(p)
            await run.emit("point", PointBody(n: points.count, p))
        }
        if let live = experiment as? any PartialAnalysis, let partial = live.analyze(finished: points) {
            await run.emit("partial", ResultBody(partial, partial: true))
        }
    }
}
