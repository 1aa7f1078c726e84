import LinearAlgebra

/// The IDX format of (Fashion-)MNIST: magic 00 00 TYPE NDIM, NDIM big-endian UInt32 sizes, data.
/// Only unsigned bytes (TYPE 0x08) occur in these sets and are all we read.
public struct IDXArray: Sendable {
    public var dimensions: [Int]
    public var bytes: [UInt8]

    public static func read(_ path: String) throws -> IDXArray {
        try parse(FileBytes.read(path), source: path)
    }

    /// `b` is consumed: the header is cut off in place, so the file's bytes are never held twice.
    public static func parse(_ b: consuming [UInt8], source: String) throws -> IDXArray {
        guard b.count >= 4 else {
            throw GenLabError.data(
                source: source, expected: "an IDX header of at least 4 bytes", found: "\(b.count) bytes")
        }
        guard b[0] == 0, b[1] == 0 else {
            throw GenLabError.data(
                source: source, expected: "IDX magic 00 00",
                found: String(format: "%02x %02x", b[0], b[1]), fix: "is this an IDX file?")
        }
        guard b[2] == 0x08 else {
            throw GenLabError.data(
                source: source, expected: "IDX type 0x08 (unsigned bytes)", found: String(format: "type 0x%02x", b[2]))
        }
        let ndim = Int(b[3])
        guard ndim >= 1 && ndim <= 4 else {
            throw GenLabError.data(source: source, expected: "1 to 4 IDX dimensions", found: "\(ndim)")
        }
        guard b.count >= 4 + 4 * ndim else {
            throw GenLabError.data(source: source, expected: "\(4 + 4 * ndim) header bytes", found: "\(b.count) bytes")
        }
        var dims = [Int]()
        for k in 0..<ndim {
            let o = 4 + 4 * k
            dims.append(Int(b[o]) << 24 | Int(b[o + 1]) << 16 | Int(b[o + 2]) << 8 | Int(b[o + 3]))
        }
        let header = 4 + 4 * ndim
        // The product of four 32-bit sizes can overflow Int (found by fuzzing): such a header
        // describes no file that can exist.
        var expected = 1
        for d in dims {
            let (p, overflow) = expected.multipliedReportingOverflow(by: d)
            guard !overflow else {
                throw GenLabError.data(
                    source: source, expected: "IDX dimensions of a file that can exist",
                    found: dims.map(String.init).joined(separator: "×"))
            }
            expected = p
        }
        guard b.count - header == expected else {
            throw GenLabError.data(
                source: source,
                expected: "\(expected) data bytes for dimensions \(dims.map(String.init).joined(separator: "×"))",
                found: "\(b.count - header)",
                fix: b.count - header < expected ? "the file is truncated; reinstall it" : "the file has trailing bytes"
            )
        }
        var payload = consume b
        payload.removeFirst(header)
        return IDXArray(dimensions: dims, bytes: payload)
    }
}
