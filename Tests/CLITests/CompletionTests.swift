import Foundation
import XCTest

/// Shell completions from swift-argument-parser: a script for bash, zsh and fish that knows the
/// subcommands; bash's parses (`bash -n`).
final class CompletionTests: XCTestCase {
    func testCompletionScripts() throws {
        for shell in ["bash", "zsh", "fish"] {
            let r = try runGenlab(["--generate-completion-script", shell])
            XCTAssertEqual(r.status, 0, r.stderr)
            for word in ["tour", "measures", "sweep", "collect"] {
                XCTAssertTrue(r.stdout.contains(word), "\(shell) completion lacks \(word)")
            }
            if shell == "bash" {
                let file = temporaryFolder() + "/genlab.bash"
                try r.stdout.write(toFile: file, atomically: true, encoding: .utf8)
                let p = Process()
                p.executableURL = URL(fileURLWithPath: "/bin/bash")
                p.arguments = ["-n", file]
                try p.run()
                p.waitUntilExit()
                XCTAssertEqual(p.terminationStatus, 0, "bash -n on the completion script")
            }
        }
    }
}
