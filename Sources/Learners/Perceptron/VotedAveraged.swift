import LinearAlgebra

/// The voted and averaged perceptrons (Freund & Schapire 1999), from the iterates of one run:
/// each iterate w_k votes (or is averaged) with weight c_k, the number of samples it survived.
public struct VotedPerceptron<T: Scalar>: Sendable {
    public var iterates: [[T]]
    public var votes: [Int]
    public var bias: Bool

    public init(_ fitted: FittedPerceptron<T>) {
        precondition(!fitted.iterates.isEmpty, "the voted perceptron needs a run with recordIterates: true")
        // Iterates that never survived a step carry no vote.
        let keep = fitted.iterateSteps.indices.filter { fitted.iterateSteps[$0] > 0 }
        iterates = keep.map { fitted.iterates[$0] }
        votes = keep.map { fitted.iterateSteps[$0] }
        bias = fitted.bias
    }

    /// sign(Σₖ cₖ·sign⟨wₖ, x⟩) per row, as ±1 (0 counts as −1, a mistake for +1 and a tie-break for
    /// −1).
    public func predict(_ x: Matrix<T>) -> [T] {
        let data = bias ? x.appendingConstantColumn(1) : x
        let w = Matrix(rows: iterates.count, cols: data.cols, storage: iterates.flatMap { $0 })
        let s = matmul(data, w, transB: true)  // [n, K]
        return (0..<data.rows).map { i in
            var total = 0
            for k in 0..<iterates.count { total += s[i, k] > 0 ? votes[k] : -votes[k] }
            return total > 0 ? 1 : -1
        }
    }

    /// The averaged perceptron's weights Σₖ cₖwₖ / Σₖ cₖ.
    public var averagedWeights: [T] {
        let total = T(votes.reduce(0, +))
        var avg = [T](repeating: 0, count: iterates[0].count)
        for (w, c) in zip(iterates, votes) { axpy(T(c) / total, w, &avg) }
        return avg
    }

    public func errorRate(_ x: Matrix<T>, _ y: [T]) -> Double {
        Double(zip(predict(x), y).filter { $0 != $1 }.count) / Double(max(1, y.count))
    }
}
