import Foundation

/// Where a run stands.
public enum RunState: String, Codable, Sendable {
    case queued, running, done, failed, cancelled
    public var finished: Bool { self == .done || self == .failed || self == .cancelled }
}

/// One run and its event log. Every client of the run reads the same log by position (the SSE
/// id), so memory does not grow with the number of clients or with a slow one: a client holds a
/// cursor, never a copy. Waiting clients are resumed when an event is appended.
public actor Run {
    public nonisolated let id: String
    public nonisolated let spec: RunSpec
    public private(set) var state = RunState.queued
    private(set) var events = [RunEvent]()
    private var waiters = [CheckedContinuation<Void, Never>]()
    /// The index of the latest partial result in `events`.
    private var lastPartial: Int?
    static let superseded = "{\"superseded\":true}"
    /// Set when Cancel was asked before the run started or while it runs.
    private(set) var cancelRequested = false
    /// The running process's handle (nil while queued and after it ends).
    var launched: (any LaunchedRun)?
    /// When Cancel was asked (to report how long the stop took).
    private(set) var cancelAskedAt: Double?

    init(id: String, spec: RunSpec) {
        self.id = id
        self.spec = spec
    }

    /// Appends an event (its id the next number). A partial result supersedes the ones before it:
    /// their bodies shrink to a stub (ids stay, so nothing reads as lost), which keeps a run's log
    /// to its points plus one figure set however many partial analyses it streams.
    func emit(_ type: String, _ json: String) {
        if type == "partial", let last = lastPartial { events[last].data = Self.superseded }
        if type == "partial" { lastPartial = events.count }
        events.append(RunEvent(id: events.count + 1, type: type, data: json))
        let ready = waiters
        waiters.removeAll()
        for w in ready { w.resume() }
    }

    func emit<T: Encodable>(_ type: String, _ value: T) { emit(type, jsonText(value)) }

    /// Sets the state and logs it; a finished run also closes its log with "end".
    func set(_ s: RunState, message: String? = nil, position: Int? = nil) {
        guard !state.finished else { return }
        state = s
        emit(
            "status",
            StatusBody(state: s, message: message, position: position, command: spec.command, folder: spec.key))
        if s.finished {
            launched = nil
            emit("end", StatusBody(state: s, message: message, position: nil, command: spec.command, folder: spec.key))
        }
    }

    /// Events after `id`, waiting until there is at least one or the log is closed; empty when
    /// the log is closed and read to its end.
    func events(after id: Int) async -> [RunEvent] {
        while events.count <= id && !state.finished {
            await withCheckedContinuation { waiters.append($0) }
        }
        return Array(events.dropFirst(max(0, id)))
    }

    func attach(_ l: any LaunchedRun) { launched = l }

    /// Asks the run to stop: a queued run never starts; a running one's process is killed.
    func requestCancel(now: Double) {
        guard !state.finished else { return }
        cancelRequested = true
        cancelAskedAt = now
        launched?.cancel()
        if state == .queued { set(.cancelled, message: "cancelled before it started") }
    }

    public var eventCount: Int { events.count }

    public var summary: RunSummary {
        RunSummary(
            id: id, experiment: spec.entry.folder, scale: spec.scale.rawValue, state: state, command: spec.command)
    }
}

/// The body of a status event.
struct StatusBody: Codable, Sendable {
    var state: RunState
    var message: String?
    var position: Int?
    var command: String
    var folder: String
}

/// A run as the queue lists it.
public struct RunSummary: Codable, Sendable, Equatable {
    public var id: String
    public var experiment: String
    public var scale: String
    public var state: RunState
    public var command: String
}
