import CBLAS
import LinearAlgebra

/// Work in two independent parts that may run at once on two cores (`ForkJoin.run`). It is a
/// class, made once and reused with new arguments, because the closures it replaces cost heap
/// allocations on every call (`withoutActuallyEscaping` boxes its closure), and a training step
/// allocates nothing.
protocol TwoParts: AnyObject {
    /// Runs part 0 or part 1; the two parts write disjoint memory.
    func run(part: Int)
}

/// Two independent pieces of work on two cores at once, one BLAS thread each: the halves of a
/// small network's training step (`Network.splitsBatch`), or the skinny products of a 10-class
/// output layer, which OpenBLAS loses time sharing between its threads. The second part runs
/// on `genlab_pair`'s helper thread. With `linger` the helper spins briefly after its part,
/// so that back-to-back pairs pay no wake-up; without, it sleeps at once and leaves the core
/// to OpenBLAS's threads (which the big products that follow need). Sequential where BLAS runs on one thread (the
/// parallel sweeps, or
/// `--threads 1`).
enum ForkJoin {
    static func run(_ work: TwoParts, linger: Bool) {
        let threads = BLAS.threads
        guard threads > 1 else {
            work.run(part: 0)
            work.run(part: 1)
            return
        }
        BLAS.setThreads(1)
        let context = Unmanaged.passUnretained(work as AnyObject).toOpaque()
        // The join in genlab_pair orders both parts' writes before what follows.
        genlab_pair({ ForkJoin.part(0, of: $0) }, context, { ForkJoin.part(1, of: $0) }, context, linger ? 1 : 0)
        BLAS.setThreads(threads)
    }

    private static func part(_ i: Int, of context: UnsafeMutableRawPointer?) {
        (Unmanaged<AnyObject>.fromOpaque(context!).takeUnretainedValue() as! TwoParts).run(part: i)
    }
}
