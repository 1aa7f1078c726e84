import Datasets
import Foundation
import LinearAlgebra

/// TensorBoard scalars from every training run of this process (`--tensorboard DIR`): when a
/// folder is set, each `Trainer.train` writes its train and test loss and error at every
/// evaluated epoch (`loss/train`, `loss/test`, `error/train`, `error/test`, step = epoch) to an
/// event file of its own, in a run folder named by its order, architecture and seed
/// (`run-0003-mlp40x256x10-seed2`): TensorBoard shows each as a run. Off by default.
public final class TrainingEvents: @unchecked Sendable {
    public static let shared = TrainingEvents()
    private let lock = NSLock()
    private var folder: String?
    private var runs = 0

    /// Starts writing under `folder` (nil: stops).
    public func enable(_ folder: String?) { lock.lock(); defer { lock.unlock() }; self.folder = folder; runs = 0 }

    public var isEnabled: Bool { lock.lock(); defer { lock.unlock() }; return folder != nil }

    /// The event file of a new run, or nil when off. An unwritable folder is reported once on
    /// stderr and turns the events off: training itself goes on.
    func newRun<T: Scalar>(_ net: Network<T>, seed: UInt64) -> TensorBoardEventFile? {
        lock.lock()
        guard let folder else { lock.unlock(); return nil }
        runs += 1
        let name = String(format: "run-%04d-", runs) + Self.architecture(net) + "-seed\(seed)"
        lock.unlock()
        do { return try TensorBoardEventFile(folder: folder + "/" + name) } catch {
            FileHandle.standardError.write(Data("genlab: TensorBoard events off: \(error)\n".utf8))
            enable(nil)
            return nil
        }
    }

    /// "mlp40x256x10", "cnn1d40x…": the input size and each parameterized layer's outputs.
    static func architecture<T: Scalar>(_ net: Network<T>) -> String {
        var sizes = [String(net.inputFeatures)], conv = false
        for l in net.layers {
            switch l.spec {
            case .dense(let o): sizes.append(String(o))
            case .conv1d(let c, _, _, _): conv = true; sizes.append("c\(c)")
            default: break
            }
        }
        return (conv ? "cnn1d" : "mlp") + sizes.joined(separator: "x")
    }

    static func write(_ file: TensorBoardEventFile?, _ r: EpochRecord) {
        file?.scalars([("loss/train", r.trainLoss), ("loss/test", r.testLoss), ("error/train", r.trainError), ("error/test", r.testError)], step: r.epoch)
    }
}
