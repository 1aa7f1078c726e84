import Foundation
import LinearAlgebra

/// The runs of every tab, in the order asked. At most `slots` run at a time (each run is a child
/// process that keeps the machine's cores busy by itself); the rest wait in order. A request for
/// settings already queued or running joins that run instead of computing them twice.
public actor RunQueue {
    let launcher: any RunLauncher
    let slots: Int
    /// Finished runs kept for clients that come back to them; older ones are forgotten.
    let retained: Int
    private var runs = [Run]()
    private var active = Set<String>()
    private var counter = 0
    private var stopping = false

    public init(launcher: any RunLauncher, slots: Int = 1, retained: Int = 32) {
        self.launcher = launcher
        self.slots = max(1, slots)
        self.retained = retained
    }

    /// The run computing `spec`: one already queued or running for equal settings, else a new one.
    public func submit(_ spec: RunSpec) async throws -> Run {
        if stopping { throw GenLabError.run("the server is stopping") }
        for r in runs where r.spec.key == spec.key {
            if await !r.state.finished { return r }
        }
        counter += 1
        let run = Run(id: "r\(counter)", spec: spec)
        runs.append(run)
        await run.set(.queued, position: await position(of: run))
        await forgetOld()
        schedule()
        return run
    }

    public func run(id: String) -> Run? { runs.first { $0.id == id } }

    /// Every run known, oldest first.
    public func list() async -> [RunSummary] {
        var out = [RunSummary]()
        for r in runs { out.append(await r.summary) }
        return out
    }

    public func cancel(id: String) async -> Bool {
        guard let r = run(id: id) else { return false }
        await r.requestCancel(now: Timing.now())
        return true
    }

    /// Stops everything (SIGINT, SIGTERM): queued runs never start, running ones are killed,
    /// leaving their whole points; returns once the running ones have ended (at most `wait` s).
    public func shutdown(wait: Double = 3) async {
        stopping = true
        for r in runs { await r.requestCancel(now: Timing.now()) }
        let end = Timing.now() + wait
        while !active.isEmpty && Timing.now() < end { try? await Task.sleep(nanoseconds: 20_000_000) }
    }

    private func position(of run: Run) async -> Int {
        var n = 0
        for r in runs {
            if r === run { return n }
            if await r.state == .queued { n += 1 }
        }
        return n
    }

    /// Starts queued runs while slots are free.
    private func schedule() {
        Task {
            for r in runs {
                guard await r.state == .queued else { continue }
                // Checked and claimed with no suspension between: two schedulers never start one run twice.
                guard active.count < slots, !active.contains(r.id), !stopping else { continue }
                active.insert(r.id)
                Task.detached { [launcher] in
                    await RunExecution(run: r, launcher: launcher).perform()
                    await self.finished(r)
                }
            }
        }
    }

    private func finished(_ r: Run) async {
        active.remove(r.id)
        var position = 0
        for q in runs where await q.state == .queued {
            await q.emit(
                "status",
                StatusBody(
                    state: .queued, message: nil, position: position, command: q.spec.command, folder: q.spec.key))
            position += 1
        }
        await forgetOld()
        schedule()
    }

    private func forgetOld() async {
        var finished = [Int]()
        for (i, r) in runs.enumerated() where await r.state.finished { finished.append(i) }
        let drop = Set(finished.dropLast(retained))
        runs = runs.enumerated().filter { !drop.contains($0.offset) }.map(\.element)
    }
}
