import Foundation
import TestSupport

/// The genlab binary next to the test bundle.
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

struct CLIRun {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs the real command line and collects its exit status and output.
func runGenlab(_ args: [String], environment: [String: String] = [:]) throws -> CLIRun {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: genlabBinary)
    p.arguments = args
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    p.environment = env
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return CLIRun(
        status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
        stderr: String(decoding: e, as: UTF8.self))
}

/// A fresh temporary folder.
func temporaryFolder() -> String {
    Scratch.folder("cli")
}

/// Starts genlab with `args` (output discarded), polls `when` every 5 ms, and kills it with
/// SIGKILL as soon as `when` holds (or after `deadline` seconds). Returns whether the process
/// was still running at the kill, that is, whether it was interrupted rather than finished.
@discardableResult
func killGenlab(_ args: [String], environment: [String: String] = [:], deadline: TimeInterval = 120, when: () -> Bool)
    throws -> Bool
{
    let p = Process()
    p.executableURL = URL(fileURLWithPath: genlabBinary)
    p.arguments = args
    p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    let end = Date().addingTimeInterval(deadline)
    while p.isRunning && !when() && Date() < end { usleep(5_000) }
    let interrupted = p.isRunning
    if interrupted { kill(p.processIdentifier, SIGKILL) }
    p.waitUntilExit()
    return interrupted
}

extension String {
    /// Whether this text holds every part of `needle` split at " … ": a library error names its
    /// parameter (`learningRate`) and its problem, and the command may add the option between them
    /// (`--lr (learningRate) must be > 0`), so a test matches the name and the problem, not the option.
    func containsParts(_ needle: String) -> Bool {
        needle.components(separatedBy: " … ").allSatisfy { contains($0) }
    }
}
