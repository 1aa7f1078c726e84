import Foundation
import LinearAlgebra

/// The real Fashion-MNIST (Xiao, Rasul & Vollgraf 2017): 60,000 + 10,000 grey 28×28 images,
/// read from the IDX files that Debian's `dataset-fashion-mnist` package installs.
public enum FashionMNIST {
    public static let classNames = [
        "t-shirt", "trouser", "pullover", "dress", "coat",
        "sandal", "shirt", "sneaker", "bag", "ankle-boot",
    ]
    public static let defaultDirectory = "/usr/share/datasets/fashion-mnist"

    /// `--data-dir`, then `GENLAB_DATA`, then Debian's location.
    public static func directory(override: String? = nil) -> String {
        if let o = override, !o.isEmpty { return o }
        if let e = ProcessInfo.processInfo.environment["GENLAB_DATA"], !e.isEmpty { return e }
        return defaultDirectory
    }

    /// Pixels scaled to [0, 1].
    public static func load(directory dir: String) throws -> DataSplit {
        func file(_ stem: String) throws -> String {
            for name in [stem + ".gz", stem] {
                let p = (dir as NSString).appendingPathComponent(name)
                if FileManager.default.fileExists(atPath: p) { return p }
            }
            throw GenLabError.data(
                source: (dir as NSString).appendingPathComponent(stem + ".gz"),
                expected: "the Fashion-MNIST IDX file", found: "no such file",
                fix:
                    "install the dataset-fashion-mnist package (apt-get install dataset-fashion-mnist) or pass "
                    + "--data-dir / set GENLAB_DATA"
            )
        }
        let train = try part(images: file("train-images-idx3-ubyte"), labels: file("train-labels-idx1-ubyte"))
        let test = try part(images: file("t10k-images-idx3-ubyte"), labels: file("t10k-labels-idx1-ubyte"))
        var split = DataSplit(train: train, test: test, spec: "fashion-mnist")
        split.sampleShape = [28, 28]
        return split
    }

    static func part(images: String, labels: String) throws -> Dataset {
        let x = try IDXArray.read(images)
        let y = try IDXArray.read(labels)
        guard x.dimensions.count == 3, x.dimensions[1] == 28, x.dimensions[2] == 28 else {
            throw GenLabError.data(
                source: images, expected: "dimensions N×28×28",
                found: x.dimensions.map(String.init).joined(separator: "×"))
        }
        guard y.dimensions.count == 1, y.dimensions[0] == x.dimensions[0] else {
            throw GenLabError.data(
                source: labels, expected: "\(x.dimensions[0]) labels (one per image in \(images))",
                found: y.dimensions.map(String.init).joined(separator: "×"))
        }
        if let bad = y.bytes.first(where: { $0 > 9 }) {
            throw GenLabError.data(source: labels, expected: "labels 0…9", found: "\(bad)")
        }
        let n = x.dimensions[0]
        let pixels = ByteFeatures(bytes: x.bytes, scale: ByteFeatures.pixelScale)
        var d = Dataset(
            features: pixels.matrix(rows: n, cols: 784), labels: y.bytes.map(Int.init), classNames: classNames,
            provenance: images)
        d.byteFeatures = pixels
        return d
    }
}
