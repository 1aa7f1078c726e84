import LinearAlgebra

/// A 128-bit content hash for cache keys (not cryptographic): two independent multiply–xorshift
/// lanes over 8-byte words, with every field's length mixed in so that ("ab","c") ≠ ("a","bc").
/// Fast enough to fingerprint a whole data set (~1 GB/s) each time a sweep starts.
public struct ContentHash: Sendable {
    private var a: UInt64 = 0x243F_6A88_85A3_08D3
    private var b: UInt64 = 0x1319_8A2E_0370_7344

    public init() {}

    @inline(__always)
    private mutating func word(_ w: UInt64) {
        a = (a ^ w) &* 0x9E37_79B9_7F4A_7C15
        a ^= a >> 29
        b = (b ^ (w &+ 0x632B_E59B_D9B4_E019)) &* 0xBF58_476D_1CE4_E5B9
        b ^= b >> 31
    }

    public mutating func combine(bytes p: UnsafeRawBufferPointer) {
        word(UInt64(p.count))
        var i = 0
        while i + 8 <= p.count {
            word(p.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < p.count {
            tail |= UInt64(p[i]) << shift
            shift += 8
            i += 1
        }
        word(tail)
    }

    public mutating func combine<T: BitwiseCopyable>(_ values: [T]) {
        values.withUnsafeBytes { combine(bytes: $0) }
    }

    public mutating func combine(_ s: String) {
        combine(Array(s.utf8))
    }

    /// 32 hex digits.
    public var hex: String {
        func h(_ x: UInt64) -> String {
            let s = String(x, radix: 16)
            return String(repeating: "0", count: 16 - s.count) + s
        }
        // A final avalanche so that nearby states give unrelated digits.
        func fin(_ x: UInt64) -> UInt64 {
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        return h(fin(a)) + h(fin(b ^ a))
    }

    public static func of(_ parts: String...) -> String {
        var c = ContentHash()
        for p in parts { c.combine(p) }
        return c.hex
    }
}

extension Dataset {
    /// Hashes everything a result computed on this sample depends on: features, labels or
    /// targets, and the class names (their order numbers the labels).
    public func combine(into h: inout ContentHash) {
        h.combine(String(count) + "x" + String(featureCount))
        h.combine(features.storage)
        h.combine(labels)
        h.combine(targets)
        h.combine(classNames.joined(separator: "\u{1F}"))
    }
}

extension DataSplit {
    /// The content address of the data: train, test and validation samples, bit for bit. Two
    /// specs that give the same numbers share it; a file changed under the same name does not.
    public var fingerprint: String {
        var h = ContentHash()
        train.combine(into: &h)
        test.combine(into: &h)
        if let v = validation { v.combine(into: &h) } else { h.combine("no validation") }
        return h.hex
    }
}
