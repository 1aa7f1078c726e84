// libFuzzer targets for GenLab's parsers (scripts/fuzz.sh builds this with -sanitize=fuzzer,address
// and runs one binary per target; GENLAB_FUZZ_TARGET picks the parser). Every parser must turn
// any bytes into a value or a GenLabError — never a crash, a hang or a sanitizer report.
import Datasets
import Experiments
import Foundation
import Learners
import LinearAlgebra

let target = ProcessInfo.processInfo.environment["GENLAB_FUZZ_TARGET"] ?? ""

/// A point outcome shaped like the measure zoo's (strings, integers, doubles, a dictionary, an
/// optional), read by the sweep's own point reader.
struct FuzzOutcome: Codable, Sendable {
    var stopped: String
    var steps: Int
    var testError: Double
    var measures: [String: Double]
    var problem: String?
}
/// The networks a fuzzed state dict is loaded into (names, shapes, finiteness checked): an MLP
/// 5→4→3 (the seed corpus's shapes) and a small CNN.
let stateDictNetworks: [Network<Float>] = [
    try! Network<Float>(input: (5, 1), hidden: [.dense(outputs: 4), .relu], outputs: 3),
    try! Network<Float>(
        input: (1, 8), hidden: [.conv1d(channels: 2, kernel: 3, stride: 2, padding: 1), .relu], outputs: 2),
]
let pointSweep = Sweep<Int, FuzzOutcome>(points: [3], context: "fuzz", checkpoint: nil) { "point-\($0)" }

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let text = String(decoding: bytes, as: UTF8.self)
    switch target {
    case "idx": _ = try? IDXArray.parse(bytes, source: "fuzz")
    case "idx-gzip":
        if let raw = try? FileBytes.gunzip(bytes, source: "fuzz") { _ = try? IDXArray.parse(raw, source: "fuzz") }
    case "csv": _ = try? CSVReader.parse(text, source: "fuzz", labelColumn: nil)
    // The dense bound at 256 MiB: libFuzzer stops at 4 GiB, a user's machine at half its memory.
    case "libsvm": _ = try? LIBSVMReader.parse(text, source: "fuzz", maxDenseBytes: 1 << 28)
    case "npy": _ = try? NPYArray.parse(bytes, source: "fuzz")
    case "safetensors":
        if let file = try? SafeTensors.parse(bytes, source: "fuzz") {
            for net in stateDictNetworks { try? net.load(stateDict: file, source: "fuzz") }
            // What was read, written (half types as F32: they widen exactly) and read again, is the same.
            let written = SafeTensors(
                tensors: file.tensors.map {
                    var t = $0
                    if t.dtype != .float64 { t.dtype = .float32 }
                    return t
                }, metadata: file.metadata)
            guard let again = try? SafeTensors.parse(written.bytes, source: "fuzz"), again.metadata == file.metadata,
                again.tensors.count == file.tensors.count,
                zip(again.tensors, file.tensors).allSatisfy({ a, b in
                    a.name == b.name && a.shape == b.shape
                        && zip(a.values, b.values).allSatisfy { $0.isNaN ? $1.isNaN : $0.bitPattern == $1.bitPattern }
                })
            else { fatalError("safetensors: a file read, written and read again changed") }
        }
    case "data-spec": _ = try? DatasetSpec(parsing: text)
    case "model-spec": _ = try? ModelSpec(parsing: text)
    case "result-json": _ = try? JSONDecoder().decode(ExperimentResult.self, from: Data(bytes))
    case "sweep-plan": _ = try? JSONDecoder().decode(SweepPlan.self, from: Data(bytes))
    case "sweep-point":
        // With a checksum that matches (the seeds' own), the outcome text is decoded too.
        _ = pointSweep.stored(Data(bytes), for: 3, file: "fuzz", blasThreads: 1)
    default:
        fatalError(
            "GENLAB_FUZZ_TARGET must name a target (idx, idx-gzip, csv, libsvm, npy, safetensors, data-spec, "
                + "model-spec, result-json, sweep-plan, sweep-point), got \"\(target)\""
        )
    }
    return 0
}

// SwiftPM links an executable's entry point as <Target>_main (so that tests can link it);
// here it hands over to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

@_cdecl("GenLabFuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var vector = argv
    return LLVMFuzzerRunDriver(&count, &vector) { data, size in fuzz(data, size) }
}
