import Foundation
import LinearAlgebra

/// A TensorBoard event file: TFRecord framing (length, masked CRC-32C of the length, the
/// record, masked CRC-32C of the record, little-endian) of `Event` protocol buffers — the first
/// carrying `file_version = "brain.Event:2"`, the others a `Summary` of simple scalar values.
/// The few messages are encoded by hand (field numbers from tensorflow/core/util/event.proto
/// and summary.proto): Event{wall_time = 1 (double), step = 2 (int64), file_version = 3,
/// summary = 5}, Summary{value = 1}, Summary.Value{tag = 1, simple_value = 2 (float)}.
public final class TensorBoardEventFile: @unchecked Sendable {
    public let path: String
    private let handle: FileHandle
    private let lock = NSLock()

    /// Creates `folder/events.out.tfevents.<seconds>.<host>.<pid>.<n>` and writes its version record.
    public init(folder: String) throws {
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            throw GenLabError.data(
                source: folder, expected: "a folder GenLab can create for TensorBoard events",
                found: error.localizedDescription)
        }
        let now = Date().timeIntervalSince1970
        path =
            folder
            + "/events.out.tfevents.\(Int(now)).\(ProcessInfo.processInfo.hostName)."
            + "\(ProcessInfo.processInfo.processIdentifier).\(Self.counter.next())"
        guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path)
        else {
            throw GenLabError.data(
                source: path, expected: "a writable location for TensorBoard events",
                found: "permission denied or a full disk")
        }
        handle = h
        write(Self.event(wallTime: now, step: 0, fileVersion: "brain.Event:2"))
    }

    deinit { try? handle.close() }

    /// One event with scalar values under their tags.
    public func scalars(
        _ values: [(tag: String, value: Double)], step: Int, wallTime: Double = Date().timeIntervalSince1970
    ) {
        write(Self.event(wallTime: wallTime, step: step, scalars: values))
    }

    private func write(_ event: [UInt8]) {
        lock.lock()
        defer { lock.unlock() }
        handle.write(Data(Self.record(event)))
    }

    private final class Counter: @unchecked Sendable {
        private var n = 0
        private let lock = NSLock()
        func next() -> Int {
            lock.lock()
            defer { lock.unlock() }
            n += 1
            return n
        }
    }
    private static let counter = Counter()

    // MARK: - The encodings

    /// TFRecord framing of one record.
    public static func record(_ data: [UInt8]) -> [UInt8] {
        let length = littleEndian(UInt64(data.count))
        return length + littleEndian(maskedCRC(length)) + data + littleEndian(maskedCRC(data))
    }

    /// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), as TFRecord uses it.
    public static func crc32c(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in bytes { crc = crcTable[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    /// TFRecord's mask: rotate right by 15 and add a constant.
    public static func maskedCRC(_ bytes: [UInt8]) -> UInt32 {
        let c = crc32c(bytes)
        return ((c >> 15) | (c << 17)) &+ 0xA282_EAD8
    }

    static let crcTable: [UInt32] = (0..<256).map { i -> UInt32 in
        var c = UInt32(i)
        for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
        return c
    }

    static func littleEndian<I: FixedWidthInteger>(_ v: I) -> [UInt8] {
        withUnsafeBytes(of: v.littleEndian) { Array($0) }
    }

    static func varint(_ v: UInt64) -> [UInt8] {
        var v = v
        var out = [UInt8]()
        while v >= 0x80 {
            out.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
        return out
    }

    /// A length-delimited field (wire type 2).
    static func bytesField(_ number: Int, _ bytes: [UInt8]) -> [UInt8] {
        varint(UInt64(number << 3 | 2)) + varint(UInt64(bytes.count)) + bytes
    }

    /// An Event message.
    public static func event(
        wallTime: Double, step: Int, fileVersion: String? = nil, scalars: [(tag: String, value: Double)] = []
    ) -> [UInt8] {
        var out = varint(1 << 3 | 1) + littleEndian(wallTime.bitPattern)
        out += varint(2 << 3 | 0) + varint(UInt64(bitPattern: Int64(step)))
        if let v = fileVersion { out += bytesField(3, Array(v.utf8)) }
        if !scalars.isEmpty {
            let summary = scalars.flatMap { s -> [UInt8] in
                let value =
                    bytesField(1, Array(s.tag.utf8)) + varint(2 << 3 | 5) + littleEndian(Float(s.value).bitPattern)
                return bytesField(1, value)
            }
            out += bytesField(5, summary)
        }
        return out
    }
}
