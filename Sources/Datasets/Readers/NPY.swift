import Foundation
import LinearAlgebra

/// NumPy's .npy format (version 1.0–3.0): magic "\x93NUMPY", a Python-dict header with
/// `descr`, `fortran_order` and `shape`, then the data. We read little-endian uint8, int64,
/// float32 and float64 in C order, and write float32/float64.
public struct NPYArray: Sendable {
    /// The element types read and written, by their NPY descriptors.
    public enum DType: String, Sendable {
        case uint8 = "|u1"
        case int64 = "<i8"
        case float32 = "<f4"
        case float64 = "<f8"
    }
    public var shape: [Int]
    public var dtype: DType
    /// The values widened to Double (exact for every dtype we read but int64 beyond 2⁵³).
    public var values: [Double]

    public static func read(_ path: String) throws -> NPYArray { try parse(FileBytes.read(path), source: path) }

    public static func parse(_ b: [UInt8], source: String) throws -> NPYArray {
        let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]
        guard b.count >= 10, Array(b[0..<6]) == magic else {
            throw GenLabError.data(
                source: source, expected: "the NPY magic \\x93NUMPY",
                found: b.count < 6 ? "\(b.count) bytes" : "other bytes",
                fix: "save the array with numpy.save")
        }
        let major = b[6]
        let headerLength: Int
        let start: Int
        if major == 1 {
            headerLength = Int(b[8]) | Int(b[9]) << 8
            start = 10
        } else if major == 2 || major == 3 {
            guard b.count >= 12 else {
                throw GenLabError.data(source: source, expected: "a 12-byte NPY preamble", found: "\(b.count) bytes")
            }
            headerLength = Int(b[8]) | Int(b[9]) << 8 | Int(b[10]) << 16 | Int(b[11]) << 24
            start = 12
        } else {
            throw GenLabError.data(source: source, expected: "NPY format version 1, 2 or 3", found: "version \(major)")
        }
        guard b.count >= start + headerLength,
            let header = String(bytes: b[start..<(start + headerLength)], encoding: .utf8)
        else {
            throw GenLabError.data(
                source: source, expected: "an NPY header of \(headerLength) bytes", found: "a truncated header")
        }
        func field(_ key: String) -> String? {
            guard let r = header.range(of: "'\(key)':") else { return nil }
            return String(header[r.upperBound...]).trimmingCharacters(in: .whitespaces)
        }
        guard let descrField = field("descr"), let q1 = descrField.firstIndex(of: "'"),
            let q2 = descrField[descrField.index(after: q1)...].firstIndex(of: "'")
        else {
            throw GenLabError.data(source: source, expected: "a 'descr' entry in the NPY header", found: header)
        }
        var descr = String(descrField[descrField.index(after: q1)..<q2])
        if descr == "<u1" { descr = "|u1" }
        guard let dtype = DType(rawValue: descr) else {
            throw GenLabError.data(
                source: source, expected: "dtype uint8, int64, float32 or float64 (little-endian)", found: "'\(descr)'",
                fix: "convert with array.astype(numpy.float32)")
        }
        if let f = field("fortran_order"), f.hasPrefix("True") {
            throw GenLabError.data(
                source: source, expected: "C order", found: "Fortran order", fix: "save numpy.ascontiguousarray(array)")
        }
        // The closing parenthesis after the opening one (a ")" before it crashed the reader: fuzzing).
        guard let s = field("shape"), let open = s.firstIndex(of: "("), let close = s[open...].firstIndex(of: ")")
        else {
            throw GenLabError.data(source: source, expected: "a 'shape' tuple in the NPY header", found: header)
        }
        let dims = s[s.index(after: open)..<close].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        var shape = [Int]()
        for d in dims {
            guard let v = Int(d), v >= 0 else {
                throw GenLabError.data(
                    source: source, expected: "non-negative integer dimensions", found: String(s[open...close]))
            }
            shape.append(v)
        }
        let width: Int = [.uint8: 1, .int64: 8, .float32: 4, .float64: 8][dtype]!
        var count = 1
        for d in shape + [width] {
            let (p, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow else {
                throw GenLabError.data(
                    source: source, expected: "a shape of an array that can exist", found: "\(shape)")
            }
            count = p
        }
        count /= width
        let dataStart = start + headerLength
        guard b.count - dataStart == count * width else {
            throw GenLabError.data(
                source: source, expected: "\(count * width) data bytes for shape \(shape)",
                found: "\(b.count - dataStart)",
                fix: "the file is truncated or was not written by numpy.save")
        }
        var values = [Double](repeating: 0, count: count)
        b.withUnsafeBytes { raw in
            let p = raw.baseAddress! + dataStart
            for i in 0..<count {
                switch dtype {
                case .uint8: values[i] = Double(p.load(fromByteOffset: i, as: UInt8.self))
                case .int64:
                    values[i] = Double(Int64(littleEndian: p.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self)))
                case .float32:
                    values[i] = Double(
                        Float(bitPattern: UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
                    )
                case .float64:
                    values[i] = Double(
                        bitPattern: UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)))
                }
            }
        }
        return NPYArray(shape: shape, dtype: dtype, values: values)
    }

    /// The bytes of a version-1.0 .npy file holding `values` with `shape` as float32 or float64.
    public static func encode<T: Scalar>(_ values: [T], shape: [Int]) -> [UInt8] {
        encode(raw: values, descr: T.self == Float.self ? "<f4" : "<f8", shape: shape)
    }

    /// The bytes of a .npy file holding integers as int64 (labels: numpy reads them as int64).
    public static func encode(_ values: [Int], shape: [Int]) -> [UInt8] {
        encode(raw: values.map { Int64($0) }, descr: "<i8", shape: shape)
    }

    static func encode<E>(raw values: [E], descr: String, shape: [Int]) -> [UInt8] {
        precondition(shape.reduce(1, *) == values.count, "NPY shape \(shape) does not hold \(values.count) values")
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
        // Pad with spaces so that the data start is 64-byte aligned; the header ends in \n.
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var out: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0]
        let h = header.utf8.count
        out += [UInt8(h & 0xff), UInt8(h >> 8)]
        out += Array(header.utf8)
        // Little-endian hosts only (x86-64, arm64).
        values.withUnsafeBufferPointer { out += Array(UnsafeRawBufferPointer($0)) }
        return out
    }
}
