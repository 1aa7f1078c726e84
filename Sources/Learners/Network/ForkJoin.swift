import CBLAS
import LinearAlgebra

/// Two independent pieces of work on two cores at once. The products of a 10-class layer are
/// too skinny for OpenBLAS to share one between two threads profitably (it loses time handing
/// it over), so where two such products are independent — the output layer's H·v part and its
/// R(δ), say — each runs whole on a core of its own, with one BLAS thread each.
/// Sequential where BLAS already runs on one thread (the parallel sweeps, or `--threads 1`).
enum ForkJoin {
    static func pair(_ a: () -> Void, _ b: () -> Void) {
        let threads = BLAS.threads
        guard threads > 1 else { a(); b(); return }
        BLAS.setThreads(1)
        withoutActuallyEscaping(a) { a in
            withoutActuallyEscaping(b) { b in
                // The two pieces write disjoint buffers; the join orders their writes before ours.
                var (a, b) = (a, b)
                withUnsafeMutablePointer(to: &a) { pa in
                    withUnsafeMutablePointer(to: &b) { pb in
                        genlab_pair({ $0!.assumingMemoryBound(to: (() -> Void).self).pointee() }, pa,
                                    { $0!.assumingMemoryBound(to: (() -> Void).self).pointee() }, pb)
                    }
                }
            }
        }
        BLAS.setThreads(threads)
    }

    /// Whether a dense layer's products are skinny enough to pair (see `genlab_sgemm`).
    @inline(__always)
    static func isSkinny(_ layer: Layer) -> Bool {
        guard case .dense(let o) = layer.spec else { return false }
        return o <= Int(GENLAB_SKINNY) || layer.inputFeatures <= Int(GENLAB_SKINNY)
    }
}
