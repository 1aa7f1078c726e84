import ArgumentParser
import Foundation
import LinearAlgebra

// Exit codes (DESIGN.md): 0 success, 1 a run or data error, 2 bad usage. ArgumentParser's own
// usage errors (EX_USAGE, 64) are mapped to 2; every message is one line on stderr.
func runMain() -> Never {
    startWithDetectedKernel()
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

/// OpenBLAS chooses its kernel when it loads, before main: where it did not recognize the CPU
/// (`BLAS.undetectedCore`), start this process again with OPENBLAS_CORETYPE set, once
/// (GENLAB_BLAS_AUTO=0 marks the second start, and turns the choice off for a user who wants
/// OpenBLAS's own). The same arguments, the same results but for the rounding of another kernel.
func startWithDetectedKernel() {
    #if os(Linux)
    guard let core = BLAS.undetectedCore else { return }
    setenv("OPENBLAS_CORETYPE", core, 1)
    setenv("GENLAB_BLAS_AUTO", "0", 1)
    let args = CommandLine.arguments.map { strdup($0) } + [nil]
    execv("/proc/self/exe", args)
    // execv returns only on failure: go on with the generic kernel.
    unsetenv("OPENBLAS_CORETYPE")
    #endif
}
