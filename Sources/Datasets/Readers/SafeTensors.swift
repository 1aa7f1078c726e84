import Foundation
import LinearAlgebra

/// Hugging Face's safetensors format: an 8-byte little-endian header length N, N bytes of JSON
/// `{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {string: string}}`,
/// then the tensors' raw little-endian bytes, offsets counted from the end of the header.
///
/// We read F64, F32, F16 and BF16 (the half types widened, exactly) and write F32 and F64. A file
/// is checked as the reference implementation checks it: the header lies inside the file and is
/// JSON, every tensor's byte range matches its shape and dtype, and the ranges tile the data
/// without overlap or gap (a gap would hide bytes no tensor owns).
public struct SafeTensors: Sendable {
    /// The element types read, by their safetensors names, and their widths in bytes.
    public enum DType: String, Sendable, CaseIterable {
        case float64 = "F64"
        case float32 = "F32"
        case float16 = "F16"
        case bfloat16 = "BF16"
        public var width: Int {
            switch self {
            case .float64: return 8
            case .float32: return 4
            case .float16, .bfloat16: return 2
            }
        }
    }

    public struct Tensor: Sendable, Equatable {
        public var name: String
        public var dtype: DType
        public var shape: [Int]
        /// Row-major (C order) values widened to Double: exact for all four dtypes.
        public var values: [Double]
        public init(name: String, dtype: DType, shape: [Int], values: [Double]) {
            self.name = name
            self.dtype = dtype
            self.shape = shape
            self.values = values
        }
    }

    /// Tensors in the order of their data in the file.
    public var tensors: [Tensor]
    public var metadata: [String: String]

    public init(tensors: [Tensor], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    public subscript(name: String) -> Tensor? { tensors.first { $0.name == name } }

    /// The reference implementation refuses headers over 100 MB; so do we (a length field of 2⁶³
    /// must not become an allocation).
    static let maxHeaderBytes = 100_000_000

    public static func read(_ path: String) throws -> SafeTensors { try parse(FileBytes.readRaw(path), source: path) }

    public static func parse(_ b: [UInt8], source: String) throws -> SafeTensors {
        func bad(
            _ expected: String, _ found: String,
            fix: String? = "write the file with safetensors' save_file (or genlab train --save-weights safetensors)"
        ) -> GenLabError {
            .data(source: source, expected: expected, found: found, fix: fix)
        }
        guard b.count >= 8 else { throw bad("an 8-byte header length", "\(b.count) bytes (a truncated header)") }
        let n = b[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard n <= UInt64(b.count - 8) else {
            throw bad(
                "a header of at most the \(b.count - 8) bytes after the length field",
                "a header length of \(n) bytes, past the end of the file")
        }
        guard n <= UInt64(maxHeaderBytes) else { throw bad("a header under \(maxHeaderBytes) bytes", "\(n) bytes") }
        let start = 8 + Int(n)
        guard n >= 2, b[8] == UInt8(ascii: "{") else {
            throw bad("a JSON object as header", n < 2 ? "\(n) header bytes" : "a header that does not start with {")
        }
        guard let header = try? JSONDecoder().decode([String: HeaderEntry].self, from: Data(b[8..<start])) else {
            throw bad("a JSON object as header", "invalid JSON in the \(n) header bytes")
        }
        let buffer = b.count - start
        var metadata = [String: String]()
        var entries = [(name: String, dtype: DType, shape: [Int], begin: Int, end: Int)]()
        for (name, value) in header {
            if name == "__metadata__" {
                guard case .metadata(let m) = value else {
                    throw bad("__metadata__ as an object of strings", "another value")
                }
                metadata = m
                continue
            }
            guard case .tensor(let info) = value else {
                throw bad(
                    "tensor \"\(name)\" as an object {\"dtype\": string, "
                        + "\"shape\": [integers], \"data_offsets\": [begin, end]}",
                    "another value")
            }
            guard let dtype = DType(rawValue: info.dtype) else {
                throw bad(
                    "dtype F32, F64, F16 or BF16 for tensor \"\(name)\"", info.dtype,
                    fix: "convert the tensor to float32 before saving (tensor.float())")
            }
            let shape = info.shape
            let offsets = info.data_offsets
            guard shape.allSatisfy({ $0 >= 0 }) else {
                throw bad("a shape of non-negative integers for tensor \"\(name)\"", "\(shape)")
            }
            guard offsets.count == 2, offsets[0] >= 0 else {
                throw bad("data_offsets [begin, end] of non-negative integers for tensor \"\(name)\"", "\(offsets)")
            }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin <= end, end <= buffer else {
                throw bad(
                    "data_offsets of tensor \"\(name)\" within the \(buffer) data bytes, begin ≤ end",
                    "[\(begin), \(end)] (out of range)")
            }
            var bytes = dtype.width
            for d in shape {
                let (p, overflow) = bytes.multipliedReportingOverflow(by: d)
                guard !overflow else { throw bad("a shape of a tensor that can exist for \"\(name)\"", "\(shape)") }
                bytes = p
            }
            guard end - begin == bytes else {
                throw bad(
                    "\(bytes) bytes for tensor \"\(name)\" (\(info.dtype), shape \(shape))",
                    "data_offsets [\(begin), \(end)]: \(end - begin) bytes")
            }
            entries.append((name, dtype, shape, begin, end))
        }
        // The ranges, in file order, must tile [0, buffer): no overlap, no gap.
        entries.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        var covered = 0
        for e in entries {
            guard e.begin >= covered else {
                throw bad(
                    "tensors whose bytes do not overlap",
                    "tensor \"\(e.name)\" at [\(e.begin), \(e.end)] overlapping the bytes before \(covered)")
            }
            guard e.begin == covered else {
                throw bad(
                    "tensors that cover the data without gaps",
                    "bytes [\(covered), \(e.begin)) that no tensor owns, before \"\(e.name)\"")
            }
            covered = e.end
        }
        guard covered == buffer else {
            throw bad("tensors that cover all \(buffer) data bytes", "\(buffer - covered) bytes after the last tensor")
        }
        let tensors = b.withUnsafeBytes { raw in
            entries.map { e in
                Tensor(
                    name: e.name, dtype: e.dtype, shape: e.shape,
                    values: decode(
                        raw.baseAddress! + start + e.begin, count: (e.end - e.begin) / e.dtype.width, e.dtype))
            }
        }
        return SafeTensors(tensors: tensors, metadata: metadata)
    }

    /// One value of the header: a tensor's entry, the metadata, or anything else (an error, named by its key).
    enum HeaderEntry: Decodable {
        struct Info: Decodable {
            var dtype: String
            var shape: [Int]
            var data_offsets: [Int]
        }
        case tensor(Info)
        case metadata([String: String])
        case other
        init(from decoder: Decoder) throws {
            if let info = try? Info(from: decoder) {
                self = .tensor(info)
            } else if let m = try? [String: String](from: decoder) {
                self = .metadata(m)
            } else {
                self = .other
            }
        }
    }

    static func decode(_ p: UnsafeRawPointer, count: Int, _ dtype: DType) -> [Double] {
        (0..<count).map { i in
            switch dtype {
            case .float64:
                return Double(bitPattern: UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)))
            case .float32:
                return Double(
                    Float(bitPattern: UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))))
            case .float16:
                return halfToDouble(UInt16(littleEndian: p.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
            case .bfloat16:
                return Double(
                    Float(
                        bitPattern: UInt32(
                            UInt16(littleEndian: p.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) << 16))
            }
        }
    }

    /// IEEE 754 binary16 → Double, exactly: 1 sign, 5 exponent (bias 15), 10 fraction bits.
    public static func halfToDouble(_ h: UInt16) -> Double {
        let sign: Double = h & 0x8000 != 0 ? -1 : 1
        let exponent = Int((h >> 10) & 0x1f)
        let fraction = Double(h & 0x3ff)
        switch exponent {
        case 0: return sign * fraction * 0x1p-24  // subnormal: f·2⁻¹⁴/2¹⁰
        case 31: return fraction == 0 ? sign * .infinity : .nan
        default: return sign * (1 + fraction / 1024) * Double(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }

    /// The bytes of a file holding `tensors` (each written as its dtype: F32 or F64) in this order,
    /// the header padded with spaces to a multiple of 8 bytes as the reference writer does.
    public static func encode(_ tensors: [Tensor], metadata: [String: String] = [:]) -> [UInt8] {
        var fields = [String]()
        var data = [UInt8]()
        var offset = 0
        if !metadata.isEmpty {
            fields.append(
                "\"__metadata__\":{"
                    + metadata.sorted { $0.key < $1.key }.map { "\(json($0.key)):\(json($0.value))" }.joined(
                        separator: ",") + "}")
        }
        for t in tensors {
            precondition(
                t.dtype == .float32 || t.dtype == .float64,
                "safetensors: GenLab writes F32 and F64, not \(t.dtype.rawValue)")
            precondition(
                t.shape.reduce(1, *) == t.values.count,
                "safetensors: shape \(t.shape) does not hold \(t.values.count) values")
            let bytes = t.values.count * t.dtype.width
            fields.append(
                "\(json(t.name)):{\"dtype\":\"\(t.dtype.rawValue)\",\"shape\":["
                    + "\(t.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),"
                    + "\(offset + bytes)]}"
            )
            data.reserveCapacity(data.count + bytes)
            for v in t.values {
                if t.dtype == .float32 {
                    withUnsafeBytes(of: Float(v).bitPattern.littleEndian) { data += $0 }
                } else {
                    withUnsafeBytes(of: v.bitPattern.littleEndian) { data += $0 }
                }
            }
            offset += bytes
        }
        var header = Array(("{" + fields.joined(separator: ",") + "}").utf8)
        while header.count % 8 != 0 { header.append(UInt8(ascii: " ")) }
        var out = [UInt8]()
        out.reserveCapacity(8 + header.count + data.count)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { out += $0 }
        return out + header + data
    }

    /// This file's bytes (`encode`).
    public var bytes: [UInt8] { Self.encode(tensors, metadata: metadata) }

    /// A JSON string literal.
    static func json(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default: out += u.value < 0x20 ? String(format: "\\u%04x", u.value) : String(u)
            }
        }
        return out + "\""
    }
}
