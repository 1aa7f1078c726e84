import Datasets
import Foundation
import Learners
import LinearAlgebra
import XCTest

/// A network's θ as a PyTorch state dict: the names of an nn.Sequential, PyTorch's layouts
/// (proved by forward passes written from the tensors alone), and every mismatch an error naming
/// the tensor, the expected and the found shape.
final class NetworkSafeTensorsTests: XCTestCase {
    func data(features: Int, classes: Int, n: Int = 6, seed: UInt64 = 1) -> Dataset {
        var g = Generator(seed: seed, stream: 5)
        let x = (0..<(n * features)).map { _ in Float(g.normal()) }
        return Dataset(
            features: Matrix(rows: n, cols: features, storage: x), labels: (0..<n).map { $0 % classes },
            classNames: (0..<classes).map(String.init), provenance: "test")
    }

    func network(_ spec: String, _ d: Dataset, seed: UInt64 = 4) throws -> Network<Float> {
        try ModelSpec(parsing: spec).network(for: d, initialization: .uniform, seed: seed)
    }

    func softmax(_ z: [Double]) -> [Double] {
        let m = z.max()!
        let e = z.map { Foundation.exp($0 - m) }
        let s = e.reduce(0, +)
        return e.map { $0 / s }
    }

    func testMLPNamesShapesAndLayoutByAForwardPassFromTheTensors() throws {
        let d = data(features: 5, classes: 3)
        let net = try network("mlp:4x6,act=tanh", d)
        let dict = net.stateDict(model: "mlp:4x6,act=tanh")
        XCTAssertEqual(dict.tensors.map(\.name), ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"])
        XCTAssertEqual(dict.tensors.map(\.shape), [[4, 5], [4], [6, 4], [6], [3, 6], [3]])
        XCTAssertEqual(
            dict.metadata["genlab_sequential"],
            "nn.Sequential(nn.Linear(5, 4), nn.Tanh(), nn.Linear(4, 6), nn.Tanh(), nn.Linear(6, 3))")
        XCTAssertEqual(dict.metadata["genlab_model"], "mlp:4x6,act=tanh")
        // y = x·Wᵀ + b with W [out, in] row-major, as torch.nn.Linear computes it.
        func linear(_ x: [Double], _ name: String) -> [Double] {
            let w = dict[name + ".weight"]!
            let b = dict[name + ".bias"]!
            var y = b.values
            for o in 0..<w.shape[0] { for j in 0..<w.shape[1] { y[o] += w.values[o * w.shape[1] + j] * x[j] } }
            return y
        }
        let p = net.predict(d.features)
        for i in 0..<d.count {
            let x = (0..<5).map { Double(d.features[i, $0]) }
            let probabilities = softmax(linear(linear(linear(x, "0").map(tanh), "2").map(tanh), "4"))
            for k in 0..<3 {
                XCTAssertEqual(
                    p.outputs[i, k], probabilities[k], accuracy: 1e-5, "float32 forward vs float64 reference")
            }
        }
    }

    func testConvolutionNamesAndLayoutByAForwardPassFromTheTensors() throws {
        let d = data(features: 12, classes: 2)
        let spec = "cnn1d:3x2,kernel=3,stride=2,padding=1,pool=2"
        let net = try network(spec, d)
        let dict = net.stateDict()
        // Conv1d, ReLU, MaxPool1d, Conv1d, ReLU, MaxPool1d, Flatten, Linear.
        XCTAssertEqual(dict.tensors.map(\.name), ["0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias"])
        XCTAssertEqual(dict.tensors.map(\.shape), [[3, 1, 3], [3], [2, 3, 3], [2], [2, 2], [2]])
        XCTAssertEqual(
            net.torchSequential.code,
            "nn.Sequential(nn.Conv1d(1, 3, 3, stride=2, padding=1), nn.ReLU(), nn.MaxPool1d(2), "
                + "nn.Conv1d(3, 2, 3, stride=2, padding=1), nn.ReLU(), nn.MaxPool1d(2), nn.Flatten(), nn.Linear(2, 2))")
        // torch.nn.functional.conv1d: y[o, t] = b[o] + Σ_c Σ_j W[o, c, j]·x[c, t·s − p + j] (zero outside).
        func conv(_ x: [[Double]], _ name: String) -> [[Double]] {
            let w = dict[name + ".weight"]!
            let b = dict[name + ".bias"]!
            let (cout, cin, k) = (w.shape[0], w.shape[1], w.shape[2])
            let length = x[0].count
            let lout = (length + 2 - k) / 2 + 1
            return (0..<cout).map { o in
                (0..<lout).map { t in
                    var s = b.values[o]
                    for c in 0..<cin {
                        for j in 0..<k {
                            let pos = t * 2 - 1 + j
                            if pos >= 0 && pos < length { s += w.values[(o * cin + c) * k + j] * x[c][pos] }
                        }
                    }
                    return max(s, 0)
                }
            }
        }
        func pool(_ x: [[Double]]) -> [[Double]] {
            x.map { r in (0..<(r.count / 2)).map { max(r[2 * $0], r[2 * $0 + 1]) } }
        }
        let p = net.predict(d.features)
        for i in 0..<d.count {
            let h = pool(conv(pool(conv([(0..<12).map { Double(d.features[i, $0]) }], "0")), "3")).flatMap { $0 }
            let w = dict["7.weight"]!
            let b = dict["7.bias"]!
            var z = [Double](repeating: 0, count: 2)
            for o in 0..<2 {
                z[o] = b.values[o]
                for j in 0..<2 { z[o] += w.values[o * 2 + j] * h[j] }
            }
            let probabilities = softmax(z)
            for k in 0..<2 { XCTAssertEqual(p.outputs[i, k], probabilities[k], accuracy: 1e-5) }
        }
    }

    func testLoadsOtherNumberingsAndNamedModules() throws {
        let d = data(features: 5, classes: 3)
        let source = try network("mlp:4", d, seed: 1)
        let dict = source.stateDict()
        func renamed(_ names: [String: String]) -> SafeTensors {
            SafeTensors(
                tensors: dict.tensors.map {
                    var t = $0
                    t.name = names[t.name] ?? t.name
                    return t
                })
        }
        // A Sequential with a Dropout at 1 and a prefix: indices 0 and 3.
        let numbered = renamed([
            "0.weight": "net.0.weight", "0.bias": "net.0.bias", "2.weight": "net.3.weight", "2.bias": "net.3.bias",
        ])
        let a = try network("mlp:4", d, seed: 9)
        try a.load(stateDict: numbered, source: "numbered")
        XCTAssertEqual(a.parameterArray, source.parameterArray)
        // Index 10 after index 9: numeric order, not text order.
        let b = try network("mlp:4", d, seed: 9)
        try b.load(
            stateDict: renamed([
                "0.weight": "9.weight", "0.bias": "9.bias", "2.weight": "10.weight", "2.bias": "10.bias",
            ]), source: "teens")
        XCTAssertEqual(b.parameterArray, source.parameterArray)
        // Named modules, in the order given.
        let named = renamed([
            "0.weight": "fc1.weight", "0.bias": "fc1.bias", "2.weight": "out.weight", "2.bias": "out.bias",
        ])
        let c = try network("mlp:4", d, seed: 9)
        XCTAssertThrowsError(try c.load(stateDict: named, source: "named.safetensors")) {
            XCTAssertTrue("\($0)".contains("weightNames"), "\($0)")
        }
        try c.load(stateDict: named, source: "named", names: ["fc1", "out"])
        XCTAssertEqual(c.parameterArray, source.parameterArray)
        // F64 and the half types load too (widened, then rounded to float32 as load_state_dict would).
        let wide = SafeTensors(
            tensors: dict.tensors.map {
                var t = $0
                t.dtype = .float64
                return t
            })
        let e = try network("mlp:4", d, seed: 9)
        try e.load(stateDict: try SafeTensors.parse(wide.bytes, source: "f64"), source: "f64")
        XCTAssertEqual(e.parameterArray, source.parameterArray)
    }

    func testMismatchesNameTheTensorTheExpectedAndTheFound() throws {
        let d = data(features: 5, classes: 3)
        let dict = try network("mlp:4", d).stateDict()
        func failure(_ file: SafeTensors, spec: String = "mlp:4", names: [String]? = nil) throws -> String {
            let net = try network(spec, d)
            let before = net.parameterArray
            var message = ""
            XCTAssertThrowsError(try net.load(stateDict: file, source: "m.safetensors", names: names)) { e in
                message = "\(e)"
                if case GenLabError.data(let source, _, _, _) = e {
                    XCTAssertEqual(source, "m.safetensors")
                } else {
                    XCTFail("\(e)")
                }
            }
            XCTAssertEqual(net.parameterArray, before, "θ untouched by a failed load")
            return message
        }
        let wider = try failure(dict, spec: "mlp:7")
        XCTAssertTrue(wider.contains("\"0.weight\" of shape [7, 5]") && wider.contains("found shape [4, 5]"), wider)
        XCTAssertTrue(try failure(dict, spec: "mlp:4x4").contains("3 layers with parameters"))
        XCTAssertTrue(
            try failure(SafeTensors(tensors: dict.tensors.filter { $0.name != "2.bias" })).contains("\"2.bias\""))
        XCTAssertTrue(
            try failure(
                SafeTensors(
                    tensors: dict.tensors + [
                        .init(name: "0.running_mean", dtype: .float32, shape: [4], values: [0, 0, 0, 0])
                    ])
            )
            .contains("0.running_mean"))
        var nan = dict
        nan.tensors[2].values[3] = .nan
        XCTAssertTrue(try failure(nan).contains("nan in tensor \"2.weight\" at flat index 3"))
        var huge = SafeTensors(
            tensors: dict.tensors.map {
                var t = $0
                t.dtype = .float64
                return t
            })
        huge.tensors[1].values[0] = 1e300
        XCTAssertTrue(try failure(huge).contains("infinite as Float"))
        XCTAssertTrue(try failure(dict, names: ["a"]).contains("2 module names"))
    }

    func testWeightsFilesByExtension() throws {
        let d = data(features: 5, classes: 3)
        let net = try network("mlp:4", d)
        let dir = NSTemporaryDirectory() + "genlab-nst-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try net.save(weights: dir + "/w.safetensors", model: "mlp:4")
        try net.save(weights: dir + "/w.npy")
        for file in ["w.safetensors", "w.npy"] {
            let other = try network("mlp:4", d, seed: 11)
            try other.load(weights: dir + "/" + file)
            XCTAssertEqual(other.parameterArray, net.parameterArray, file)
        }
        XCTAssertThrowsError(try net.load(weights: dir + "/w.npy", names: ["a", "b"])) { e in
            XCTAssertEqual((e as? GenLabError)?.exitCode, 2, "--weight-names with .npy is a usage error")
        }
    }
}
