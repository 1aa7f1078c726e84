import CBLAS
import Foundation
import LinearAlgebra

/// Learning-rate schedules over the whole run (t = step, T = total steps).
public enum Schedule: Codable, Equatable, Sendable {
    case constant
    /// ×`factor` every `every` epochs.
    case step(every: Int, factor: Double)
    /// η·(1 + cos(π t/T))/2
    case cosine

    /// A schedule as a command line writes it: constant, cosine or step:EVERY:FACTOR (nil for
    /// anything else, or EVERY < 1, or FACTOR ≤ 0).
    public init?(parsing text: String) {
        switch text {
        case "constant": self = .constant
        case "cosine": self = .cosine
        default:
            let p = text.split(separator: ":")
            guard p.count == 3, p[0] == "step", let every = Int(p[1]), every >= 1, let factor = Double(p[2]), factor > 0
            else { return nil }
            self = .step(every: every, factor: factor)
        }
    }

    public func rate(_ base: Double, step: Int, totalSteps: Int, epoch: Int) -> Double {
        switch self {
        case .constant: return base
        case .step(let every, let factor): return base * Foundation.pow(factor, Double(epoch / max(1, every)))
        case .cosine: return base * (1 + Foundation.cos(Double.pi * Double(step) / Double(max(1, totalSteps)))) / 2
        }
    }
}

/// First-order optimizers on the flat parameter buffer. State lives in buffers allocated once.
public struct OptimizerConfig: Codable, Equatable, Sendable {
    /// SGD (with optional momentum and Nesterov), Adam, or AdamW (decoupled weight decay).
    public enum Kind: String, Codable, Sendable, CaseIterable { case sgd, adam, adamw }
    public var kind: Kind
    public var learningRate: Double
    public var momentum: Double
    public var nesterov: Bool
    /// SGD and Adam: L2 added to the gradient (λθ); AdamW: decoupled decay (θ ← θ − ηλθ).
    public var weightDecay: Double
    public var beta1: Double
    public var beta2: Double
    public var epsilon: Double
    public var schedule: Schedule

    public init(
        kind: Kind = .sgd, learningRate: Double = 0.05, momentum: Double = 0.9, nesterov: Bool = false,
        weightDecay: Double = 0,
        beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, schedule: Schedule = .constant
    ) {
        self.kind = kind
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.schedule = schedule
    }

    public func validate() throws {
        guard learningRate > 0, learningRate.isFinite else {
            throw GenLabError.parameter(name: "learningRate", problem: "must be > 0, got \(learningRate)")
        }
        guard momentum >= 0 && momentum < 1 else {
            throw GenLabError.parameter(name: "momentum", problem: "must be in [0, 1), got \(momentum)")
        }
        guard weightDecay >= 0 else {
            throw GenLabError.parameter(name: "weightDecay", problem: "must be ≥ 0, got \(weightDecay)")
        }
    }
}

/// An optimizer's state for one network: momentum or moment buffers allocated once, updated in place at every step.
public final class Optimizer<T: Scalar>: @unchecked Sendable {
    public let config: OptimizerConfig
    let count: Int
    let first: UnsafeMutablePointer<T>  // momentum buffer / Adam's m
    let second: UnsafeMutablePointer<T>  // Adam's v
    var steps = 0

    public init(_ config: OptimizerConfig, parameterCount: Int) {
        self.config = config
        count = parameterCount
        first = .allocate(capacity: max(1, count))
        second = .allocate(capacity: max(1, count))
        first.initialize(repeating: 0, count: max(1, count))
        second.initialize(repeating: 0, count: max(1, count))
    }
    deinit {
        first.deallocate()
        second.deallocate()
    }

    /// SGD without momentum or weight decay: θ ← θ − η·∇, which a network may take inside its
    /// backward pass (`ExecutionPlan.fusesStep`).
    public var isPlainSGD: Bool { config.kind == .sgd && config.momentum == 0 && config.weightDecay == 0 }

    /// One update of θ from the gradient g at learning rate η (from the schedule).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func step(_ theta: UnsafeMutablePointer<T>, _ g: UnsafeMutablePointer<T>, learningRate eta: Double) {
        steps += 1
        let lr = T(eta)
        let wd = T(config.weightDecay)
        let n = count
        switch config.kind {
        case .sgd:
            // PyTorch's SGD: g += λθ; b = μb + g; step = nesterov ? g + μb : b.
            let mu = T(config.momentum)
            if mu == 0 && wd == 0 {
                T.axpy(n, -lr, g, theta)
            } else if mu == 0 {
                for j in 0..<n { theta[j] -= lr * (g[j] + wd * theta[j]) }
            } else if config.nesterov {
                for j in 0..<n {
                    let gj = g[j] + wd * theta[j]
                    first[j] = mu * first[j] + gj
                    theta[j] -= lr * (gj + mu * first[j])
                }
            } else {
                for j in 0..<n {
                    let gj = g[j] + wd * theta[j]
                    first[j] = mu * first[j] + gj
                    theta[j] -= lr * first[j]
                }
            }
        case .adam, .adamw:
            let b1 = T(config.beta1)
            let b2 = T(config.beta2)
            let eps = T(config.epsilon)
            let c1 = T(1 - Foundation.pow(config.beta1, Double(steps)))
            let c2 = T(1 - Foundation.pow(config.beta2, Double(steps)))
            // The loop is in C (adam.c): Swift's squareRoot() kept it from vectorizing.
            let decoupled: Int32 = config.kind == .adamw ? 1 : 0
            let (ob1, ob2) = (1 - b1, 1 - b2)
            if T.self == Float.self {
                func f(_ p: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<Float> {
                    UnsafeMutableRawPointer(p).assumingMemoryBound(to: Float.self)
                }
                genlab_adam_f32(
                    n, f(theta), f(g), f(first), f(second), Float(b1), Float(ob1), Float(b2), Float(ob2), Float(c1),
                    Float(c2), Float(lr), Float(eps), Float(wd), decoupled)
            } else {
                precondition(T.self == Double.self, "Adam's kernel serves Float and Double, not \(T.self)")
                func d(_ p: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<Double> {
                    UnsafeMutableRawPointer(p).assumingMemoryBound(to: Double.self)
                }
                genlab_adam_f64(
                    n, d(theta), d(g), d(first), d(second), Double(b1), Double(ob1), Double(b2), Double(ob2),
                    Double(c1), Double(c2), Double(lr), Double(eps), Double(wd), decoupled)
            }
        }
    }
}
