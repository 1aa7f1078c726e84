import Foundation

/// RunProgress of a long run, reported to whoever runs it (the CLI draws a bar on a terminal).
public struct RunProgress: Sendable {
    public var report: @Sendable (_ stage: String, _ fraction: Double) -> Void
    public init(_ report: @escaping @Sendable (_ stage: String, _ fraction: Double) -> Void) { self.report = report }
    public static let silent = RunProgress { _, _ in }
}

extension RunProgress {
    /// Progress on stderr, where a command-line program shows it: a bar redrawn in place when
    /// stderr is a terminal, one plain line per report otherwise (a log file stays readable).
    public static func standardError(label: String) -> RunProgress {
        let tty = isatty(2) != 0
        return RunProgress { stage, fraction in
            if tty {
                drawBar(label, fraction: fraction, suffix: " \(Int(fraction * 100))% \(stage)")
            } else {
                FileHandle.standardError.write(Data("\(label): \(stage) (\(Int(fraction * 100))%)\n".utf8))
            }
        }
    }

    /// One progress line redrawn in place on a terminal (stderr); a newline once complete.
    public static func drawBar(_ label: String, fraction: Double, suffix: String, width: Int = 30) {
        let filled = Int(Double(width) * min(max(fraction, 0), 1))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) \(bar)\(suffix)\u{1B}[K".utf8))
        if fraction >= 1 { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
