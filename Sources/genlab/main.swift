import ArgumentParser
import Foundation
import LinearAlgebra

// Exit codes (DESIGN.md): 0 success, 1 a run or data error, 2 bad usage. ArgumentParser's own
// usage errors (EX_USAGE, 64) are mapped to 2; every message is one line on stderr.
func runMain() -> Never {
    // OpenBLAS chooses its kernel when it loads: where it did not know the CPU, start again with the CPU's.
    BLAS.restartWithDetectedKernel()
    BLAS.tuneAllocator()
    do {
        var command = try GenLab.parseAsRoot()
        try command.run()
        exit(0)
    } catch let e as GenLabError {
        FileHandle.standardError.write(Data(("genlab: error: " + e.description + "\n").utf8))
        exit(e.exitCode)
    } catch {
        let code = GenLab.exitCode(for: error)
        if code == .success {
            print(GenLab.fullMessage(for: error))
            exit(0)
        }
        FileHandle.standardError.write(Data((GenLab.fullMessage(for: error) + "\n").utf8))
        exit(code == .validationFailure ? 2 : code.rawValue)
    }
}
runMain()
