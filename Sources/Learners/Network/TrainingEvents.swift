import Datasets
import Foundation
import LinearAlgebra

/// TensorBoard scalars of the trainings of one run (`--tensorboard DIR`, carried by the run's
/// context, never process-wide: two runs in one process write where each was told): each
/// `Trainer.train` given these events writes its train and test loss and error at every
/// evaluated epoch (`loss/train`, `loss/test`, `error/train`, `error/test`, step = epoch) to an
/// event file of its own, in a run folder named by its order, architecture and seed
/// (`run-0003-mlp40x256x10-seed2`): TensorBoard shows each as a run.
public final class TrainingEvents: @unchecked Sendable {
    private let lock = NSLock()
    private var folder: String?
    private var runs = 0

    /// Events written under `folder`.
    public init(folder: String) { self.folder = folder }

    /// Whether it still writes (an unwritable folder turns it off).
    public var isEnabled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return folder != nil
    }

    private func disable() {
        lock.lock()
        defer { lock.unlock() }
        folder = nil
    }

    /// The event file of a new run, or nil when off. An unwritable folder is reported once on
    /// stderr and turns the events off: training itself goes on.
    func newRun<T: Scalar>(_ net: Network<T>, seed: UInt64) -> TensorBoardEventFile? {
        lock.lock()
        guard let folder else {
            lock.unlock()
            return nil
        }
        runs += 1
        let name = String(format: "run-%04d-", runs) + Self.architecture(net) + "-seed\(seed)"
        lock.unlock()
        do { return try TensorBoardEventFile(folder: folder + "/" + name) } catch {
            FileHandle.standardError.write(Data("genlab: TensorBoard events off: \(error)\n".utf8))
            disable()
            return nil
        }
    }

    /// "mlp40x256x10", "cnn1d40xc8x…", "cnn2d784xc8x…": the input size and each parameterized
    /// layer's outputs, named by the network's convolutions (2-D over 1-D over none).
    static func architecture<T: Scalar>(_ net: Network<T>) -> String {
        var sizes = [String(net.inputFeatures)]
        var kind = "mlp"
        for l in net.layers {
            switch l.spec {
            case .dense(let o): sizes.append(String(o))
            case .conv1d(let c, _, _, _):
                if kind == "mlp" { kind = "cnn1d" }
                sizes.append("c\(c)")
            case .conv2d(let c, _, _, _):
                kind = "cnn2d"
                sizes.append("c\(c)")
            default: break
            }
        }
        return kind + sizes.joined(separator: "x")
    }

    static func write(_ file: TensorBoardEventFile?, _ r: EpochRecord) {
        file?.scalars(
            [
                ("loss/train", r.trainLoss), ("loss/test", r.testLoss), ("error/train", r.trainError),
                ("error/test", r.testError),
            ], step: r.epoch)
    }
}
