import LinearAlgebra

extension Network {
    /// Whether a training step over `b` samples runs as two half batches, one per core with one
    /// BLAS thread each, instead of one batch whose products OpenBLAS shares between its threads.
    /// For a small network each product is a few MFLOP and OpenBLAS's hand-over between its
    /// threads costs about as much as the work it shares; two halves hand over twice per step,
    /// and the code between the products (the batch gather, bias, ReLU, softmax, im2col) runs
    /// on both cores too. The price is a second gradient, combined in one pass over the
    /// parameters, which stops paying once the parameters outgrow the cache and OpenBLAS's
    /// threads have big products to share (`splitBelowFlopsPerStep`).
    public func splitsBatch(_ b: Int) -> Bool {
        guard BLAS.threads > 1, b >= 2 * Network.minimumHalf else { return false }
        switch halving {
        case .never: return false
        case .always: return true
        case .automatic: return Double(b) * flopsPerSample < Network.splitBelowFlopsPerStep
        }
    }

    /// Below this many FLOPs per training step the step is halved between the cores. Measured
    /// on the 2-core reference machine, 784→W→10 at batch 128 (`genlab bench train`, halved
    /// vs not, same process order): W = 64 (26 MFLOP per step) 280–357k vs 224–335k samples/s,
    /// W = 256 (105 MFLOP) 106–132k vs 105–122k, W = 1024 (419 MFLOP) even (30–35k both),
    /// W = 4096 (1.7 GFLOP) 7.9k vs 9.3k. MNIST-1D's cnn1d:25x25x25 trains 1.5× faster halved.
    static var splitBelowFlopsPerStep: Double { 500e6 }
    /// The smallest half batch worth a core of its own.
    static var minimumHalf: Int { 16 }

    /// Forward and backward FLOPs per sample of the products (2·m·n·k each), no input gradient of layer 0.
    var flopsPerSample: Double {
        var f = 0.0
        for (i, l) in layers.enumerated() {
            switch l.spec {
            case .dense: f += Double(2 * l.weightCount) * (i == 0 ? 2 : 3)
            case .conv1d: f += Double(2 * l.weightCount * l.output.length) * (i == 0 ? 2 : 3)
            default: break
            }
        }
        return f
    }

    /// `lossAndGradient` (with `accumulate: false`) over two halves of the batch at once: this
    /// network takes the first ⌈b/2⌉ samples, its replica the rest, both reading the same
    /// parameters. The halves' mean gradients are weighted by their shares of the batch, so
    /// the result is the gradient of the batch mean, as in one pass (to rounding). With
    /// `sgdStep: η` the step θ ← θ − η·∇ is taken in the same pass that combines the halves.
    func lossAndGradientInHalves(_ x: UnsafePointer<T>, labels: UnsafePointer<Int32>?, targets: UnsafePointer<T>?, batch b: Int,
                                 training: Bool, sgdStep: T?, filling fill: (Range<Int>) -> Void) -> Double {
        if replica == nil { replica = Network(replicaOf: self) }
        let other = replica!
        let b1 = (b + 1) / 2, b2 = b - b1
        let d = inputFeatures, k = outputCount
        let losses = halfLosses
        ForkJoin.pair({
            fill(0..<b1)
            losses[0] = self.lossAndGradientInOnePass(x, labels: labels, targets: targets, batch: b1, training: training, accumulate: false, sgdStep: nil)
        }, {
            fill(b1..<b)
            losses[1] = other.lossAndGradientInOnePass(x + b1 * d, labels: labels.map { $0 + b1 }, targets: targets.map { $0 + b1 * k },
                                              batch: b2, training: training, accumulate: false, sgdStep: nil)
        })
        let w1 = T(b1) / T(b), w2 = T(b2) / T(b)
        let g1 = gradient, g2 = UnsafePointer(other.gradient), n = parameterCount
        // Each core combines half of the parameters (both just finished: the hand-over is cheap).
        let half = n / 2
        if let eta = sgdStep {
            let a1 = eta * w1, a2 = eta * w2, p = parameters
            ForkJoin.pair({ for j in 0..<half { p[j] -= a1 * g1[j] + a2 * g2[j] } },
                          { for j in half..<n { p[j] -= a1 * g1[j] + a2 * g2[j] } })
        } else {
            ForkJoin.pair({ for j in 0..<half { g1[j] = w1 * g1[j] + w2 * g2[j] } },
                          { for j in half..<n { g1[j] = w1 * g1[j] + w2 * g2[j] } })
        }
        return (Double(b1) * losses[0] + Double(b2) * losses[1]) / Double(b)
    }
}

