import CBLAS
import LinearAlgebra

/// How a network's passes run: which fast paths are on. Every fast path computes what the plain
/// plan computes, to rounding; the tests pin each one to `.plain` on the same batch.
public struct ExecutionPlan: Equatable, Sendable, CustomStringConvertible {
    /// A training step's gradient as two half batches, one per core (`Halves`).
    public var halvesSteps = false
    /// An H·v as two half batches, one per core.
    public var halvesCurvature = false
    /// A skinny dense layer's independent products one per core (the helper thread of `ForkJoin`).
    public var pairsSkinnyProducts = false
    /// A 2-D convolution's im2col and col2im, half of the batch per core (`ColumnPair`).
    public var splitsColumns = false
    /// A 2-D convolution per sample: im2col of one sample into planes [Cin·k·k, P] and the GEMM
    /// W·planes straight into NCHW (no batch-sized columns, no channel transposes), half of the
    /// batch per core; the backward pass redoes the sample's planes for ∂W (`Conv2D.forwardPerSample`).
    public var convolvesPerSample = false
    /// The first dense layer's forward and tangent products as one GEMM, X·[W; V]ᵀ.
    public var stacksFirstLayer = false
    /// An H·v at the θ and batch of the arena's forward pass reuses it (`ForwardState`).
    public var keepsForwardPass = false
    /// Plain SGD's step θ ← θ − η·∇ taken inside the backward products, with no gradient buffer
    /// (in the pass that combines the halves when the step is halved).
    public var fusesStep = false
    /// An activation applied in the output pass of the layer below (`Epilogue`).
    public var fusesActivations = false
    /// BLAS on one thread for the pass (the plain plan), instead of the process's setting.
    public var singleThreaded = false

    public init() {}

    /// One thread, no fusion, no reuse: the reference every fast path is checked against.
    public static var plain: ExecutionPlan {
        var p = ExecutionPlan()
        p.singleThreaded = true
        return p
    }

    /// Every fast path that the network, batch and threads allow, by the measured rules below.
    public static func automatic(
        flopsPerSample: Double, parameterCount: Int, batch b: Int, threads: Int, halving: Halving
    ) -> ExecutionPlan {
        var p = ExecutionPlan()
        let halvable = threads > 1 && b >= 2 * minimumHalf
        func halves(_ measuredRule: Bool) -> Bool {
            guard halvable else { return false }
            switch halving {
            case .never: return false
            case .always: return true
            case .automatic: return measuredRule
            }
        }
        p.halvesSteps = halves(Double(b) * flopsPerSample < halveStepsBelowFlops)
        p.halvesCurvature = halves(parameterCount <= halveCurvatureUpToParameters)
        p.pairsSkinnyProducts = threads > 1
        p.splitsColumns = threads > 1
        p.convolvesPerSample = true
        p.stacksFirstLayer = true
        p.keepsForwardPass = true
        p.fusesStep = true
        p.fusesActivations = true
        return p
    }

    /// Below this many FLOPs per training step the step is halved between the cores: for a small
    /// network each product is a few MFLOP and OpenBLAS's hand-over between its threads costs
    /// about as much as the work it shares; two halves hand over twice per step, and the code
    /// between the products (gather, bias, ReLU, softmax, im2col) runs on both cores too. The
    /// price is a second gradient, combined in one pass over θ, which stops paying once θ outgrows
    /// the cache. Measured on the 2-core reference machine, 784→W→10 at batch 128, samples/s
    /// halved vs not (`genlab bench train --halving always|never`, alternating, three runs):
    /// W = 64 (26 MFLOP per step) 434–490k vs 287–412k; W = 128 255–283k vs 168–273k; W = 256
    /// (105 MFLOP) 142–144k vs 96–141k; W = 512 (209 MFLOP) 58–75k vs 73–77k; W = 1024 28–34k
    /// vs 37–40k; W = 4096 7.5k vs 8.1–9.8k.
    public static let halveStepsBelowFlops = 150e6
    /// Up to this many parameters an H·v is halved. Measured for mlp:256 on 1,000 Fashion-MNIST
    /// images (203k parameters), from scratch, alternating six times: median 9.5 ms halved vs
    /// 11.1 ms in one pass. Not measured beyond a million parameters, where the pass that
    /// combines the halves grows (as for training at W = 4096).
    public static let halveCurvatureUpToParameters = 1_000_000
    /// The smallest half batch worth a core of its own.
    public static let minimumHalf = 16

    /// The plan for one of the halves: the same, not halved again.
    var forOneHalf: ExecutionPlan {
        var p = self
        p.halvesSteps = false
        p.halvesCurvature = false
        return p
    }

    public var description: String {
        let on = [
            ("halved steps", halvesSteps), ("halved H·v", halvesCurvature),
            ("paired skinny products", pairsSkinnyProducts),
            ("split columns", splitsColumns), ("per-sample convolutions", convolvesPerSample),
            ("stacked first layer", stacksFirstLayer), ("kept forward pass", keepsForwardPass),
            ("fused step", fusesStep),
            ("fused activations", fusesActivations), ("one thread", singleThreaded),
        ].filter(\.1).map(\.0)
        return on.isEmpty ? "plain (BLAS threads as set)" : on.joined(separator: ", ")
    }

    /// Runs `body` with BLAS on one thread when the plan says so.
    @inline(__always)
    func withThreads<R>(_ body: () -> R) -> R {
        guard singleThreaded, BLAS.threads != 1 else { return body() }
        let threads = BLAS.threads
        BLAS.setThreads(1)
        defer { BLAS.setThreads(threads) }
        return body()
    }
}

/// When a training step or an H·v runs as two half batches, one per core.
public enum Halving: String, Codable, Sendable, CaseIterable {
    /// When BLAS runs on several threads and the measured rule says so (the default).
    case automatic
    case never
    /// Whenever BLAS runs on several threads and the batch has at least 32 samples.
    case always
}

/// How a network picks its plan for each pass.
public enum Planning: Sendable, Equatable {
    /// `ExecutionPlan.automatic` for the network, batch and BLAS threads of the pass.
    case automatic(Halving)
    /// This plan for every pass (halving still needs a batch of two).
    case fixed(ExecutionPlan)
}
