/// RunProgress of a long run, reported to whoever runs it (the CLI draws a bar on a terminal).
public struct RunProgress: Sendable {
    public var report: @Sendable (_ stage: String, _ fraction: Double) -> Void
    public init(_ report: @escaping @Sendable (_ stage: String, _ fraction: Double) -> Void) { self.report = report }
    public static let silent = RunProgress { _, _ in }
}
