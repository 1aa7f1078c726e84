import LinearAlgebra

/// Losses averaged over the batch. Each gives the loss, ∂L/∂z and, for Hessian-vector
/// products, R(∂L/∂z) = (∂²L/∂z²)·R(z); each loss's file has the two side by side.
public enum Loss: String, Codable, Sendable, CaseIterable {
    /// Softmax cross-entropy over K logits; targets are class indices.
    case crossEntropy = "cross-entropy"
    /// Mean over batch and outputs of (z − t)²; targets are reals (one output) or class indices (one-hot).
    case meanSquaredError = "mse"
    /// log(1 + exp(−s·z)) with one logit and s = ±1 (class 1 → +1).
    case logistic

    /// Writes ∂L/∂z into `dz` and returns the batch loss. z, dz: [b, K].
    @inline(__always)
    static func gradient<T: Scalar>(
        _ loss: Loss, z: UnsafePointer<T>, dz: UnsafeMutablePointer<T>, batch b: Int, outputs k: Int,
        labels: UnsafePointer<Int32>?, targets: UnsafePointer<T>?
    ) -> Double {
        switch loss {
        case .crossEntropy: return CrossEntropy.gradient(z: z, dz: dz, batch: b, outputs: k, labels: labels!)
        case .meanSquaredError:
            return MeanSquaredError.gradient(z: z, dz: dz, batch: b, outputs: k, labels: labels, targets: targets)
        case .logistic: return Logistic.gradient(z: z, dz: dz, batch: b, labels: labels!)
        }
    }

    /// R(∂L/∂z) into `rdz` for the direction R(z) = rz, given z. rz, rdz: [b, K].
    @inline(__always)
    static func tangent<T: Scalar>(
        _ loss: Loss, z: UnsafePointer<T>, rz: UnsafePointer<T>, rdz: UnsafeMutablePointer<T>, batch b: Int,
        outputs k: Int
    ) {
        switch loss {
        case .crossEntropy: CrossEntropy.tangent(z: z, rz: rz, rdz: rdz, batch: b, outputs: k)
        case .meanSquaredError: MeanSquaredError.tangent(rz: rz, rdz: rdz, batch: b, outputs: k)
        case .logistic: Logistic.tangent(z: z, rz: rz, rdz: rdz, batch: b)
        }
    }
}
