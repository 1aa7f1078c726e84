import Foundation
import LinearAlgebra
import XCTest

@testable import Datasets

/// The safetensors reader and writer: round trips bit for bit, the half types widened exactly,
/// and every malformed file an error that names the problem.
final class SafeTensorsTests: XCTestCase {
    /// A file assembled by hand, as the format's specification lays it out (header padded or not).
    func file(_ header: String, data: [UInt8], declaredLength: UInt64? = nil) -> [UInt8] {
        let h = Array(header.utf8)
        var out = [UInt8]()
        withUnsafeBytes(of: (declaredLength ?? UInt64(h.count)).littleEndian) { out += $0 }
        return out + h + data
    }

    func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }

    func testRoundTripIsBitExactForF32AndF64() throws {
        // Values chosen for their bits: a subnormal, ±0, the extremes, a value with a full mantissa.
        let f32: [Float] = [
            0, -0.0, 1, -2.5, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 0.1, Float(bitPattern: 0x3f7f_ffff),
        ]
        let f64: [Double] = [.pi, -0.0, .leastNonzeroMagnitude, 1e300, 0.1]
        let original = SafeTensors(
            tensors: [
                .init(name: "0.weight", dtype: .float32, shape: [2, 4], values: f32.map(Double.init)),
                .init(name: "0.bias", dtype: .float64, shape: [5], values: f64),
                .init(name: "empty", dtype: .float32, shape: [0, 3], values: []),
                .init(name: "scalar \"quoted\"\n", dtype: .float32, shape: [], values: [7]),
            ], metadata: ["format": "pt", "spec": "mlp:4,act=tanh"])
        let bytes = original.bytes
        XCTAssertEqual(
            Int(bytes[0]) % 8, 0, "header padded to 8 bytes (the data aligned), as the reference writer does")
        let back = try SafeTensors.parse(bytes, source: "t")
        XCTAssertEqual(back.metadata, original.metadata)
        XCTAssertEqual(back.tensors.map(\.name), original.tensors.map(\.name), "file order kept")
        XCTAssertEqual(back["0.weight"]!.values.map { Float($0).bitPattern }, f32.map(\.bitPattern))
        XCTAssertEqual(back["0.bias"]!.values.map(\.bitPattern), f64.map(\.bitPattern))
        XCTAssertEqual(back["empty"]!.shape, [0, 3])
        XCTAssertEqual(back["scalar \"quoted\"\n"]!.shape, [])
        XCTAssertEqual(back.bytes, bytes, "writing what was read gives the same bytes")
    }

    func testHalfTypesWidenExactly() throws {
        // F16: 1, −2, 65504 (max), 2⁻²⁴ (smallest subnormal), 2⁻¹⁴ (smallest normal), ∞, 1/3 rounded
        // (0x3555).
        let half: [UInt16] = [0x3c00, 0xc000, 0x7bff, 0x0001, 0x0400, 0x7c00, 0x3555]
        let halfValues: [Double] = [1, -2, 65504, 0x1p-24, 0x1p-14, .infinity, 0x1.554p-2]
        // BF16: the top half of float32's bits.
        let bf: [UInt16] = [0x3f80, 0xc0a0, 0x3e4c, 0x0001]
        let bfValues: [Double] = [
            1, -5, Double(Float(bitPattern: 0x3e4c_0000)), Double(Float(bitPattern: 0x0001_0000)),
        ]
        let data = half.flatMap(le) + bf.flatMap(le)
        let header =
            "{\"h\":{\"dtype\":\"F16\",\"shape\":[7],\"data_offsets\":[0,14]},\"b\":{\"dtype\":\"BF16\",\"shape\":[2,2]"
            + ",\"data_offsets\":[14,22]}}"
        let t = try SafeTensors.parse(file(header, data: data), source: "halves")
        XCTAssertEqual(t["h"]!.values, halfValues)
        XCTAssertEqual(t["b"]!.values, bfValues)
        // Every finite half converts exactly: through Float16 where the platform has it, else a check of one binade.
        #if arch(x86_64) || arch(arm64)
            for bits in UInt16(0)...UInt16.max where (bits >> 10) & 0x1f != 31 {
                XCTAssertEqual(
                    SafeTensors.halfToDouble(bits), Double(Float16(bitPattern: bits)),
                    "F16 0x\(String(bits, radix: 16))")
            }
        #endif
    }

    func testBadFilesNameTheProblem() {
        let ok = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}"
        let eight = [UInt8](repeating: 0, count: 8)
        let cases: [(String, [UInt8], String)] = [
            ("truncated header", [1, 0, 0], "truncated header"),
            ("header length past the file", file(ok, data: eight, declaredLength: 10_000), "past the end of the file"),
            ("huge header length", file(ok, data: eight, declaredLength: UInt64.max), "past the end of the file"),
            ("not JSON", file("{\"w\": nope}", data: eight), "invalid JSON"),
            ("not an object", file("[1, 2]   ", data: []), "JSON object"),
            (
                "unknown dtype", file("{\"w\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", data: eight),
                "I64"
            ),
            (
                "offsets past the data",
                file("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", data: eight), "out of range"
            ),
            (
                "begin after end",
                file("{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}", data: eight), "out of range"
            ),
            (
                "size ≠ shape·dtype",
                file("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", data: eight), "12 bytes"
            ),
            (
                "overlap",
                file(
                    "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\""
                        + ":[1],\"data_offsets\":[4,8]}}",
                    data: eight), "overlapping"
            ),
            (
                "gap", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", data: eight),
                "no tensor owns"
            ),
            ("bytes after the last tensor", file(ok, data: eight + [0, 0, 0, 0]), "after the last tensor"),
            (
                "negative dimension",
                file("{\"w\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", data: eight), "non-negative"
            ),
            (
                "fractional offset",
                file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8.5]}}", data: eight), "as an object"
            ),
            (
                "shape overflow",
                file(
                    "{\"w\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,8]}}",
                    data: eight),
                "can exist"
            ),
            (
                "metadata not strings",
                file(
                    "{\"__metadata__\":{\"a\":1},\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}",
                    data: eight), "__metadata__"
            ),
        ]
        for (what, bytes, needle) in cases {
            XCTAssertThrowsError(try SafeTensors.parse(bytes, source: "bad.safetensors"), what) { e in
                guard case GenLabError.data(let source, _, _, _) = e else { return XCTFail("\(what): \(e)") }
                XCTAssertEqual(source, "bad.safetensors", what)
                XCTAssertTrue("\(e)".contains(needle), "\(what): \(e)")
            }
        }
        XCTAssertNoThrow(try SafeTensors.parse(file(ok, data: eight), source: "good"), "the near-misses' valid twin")
    }

    func testReadsAFileFromDisk() throws {
        let dir = NSTemporaryDirectory() + "genlab-st-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let t = SafeTensors(tensors: [.init(name: "x", dtype: .float32, shape: [3], values: [1, 2, 3])])
        try AtomicFile.write(t.bytes, to: dir + "/x.safetensors")
        XCTAssertEqual(try SafeTensors.read(dir + "/x.safetensors")["x"]!.values, [1, 2, 3])
        XCTAssertThrowsError(try SafeTensors.read(dir + "/missing.safetensors"))
    }
}
