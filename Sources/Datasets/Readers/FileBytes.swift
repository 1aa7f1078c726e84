import CZlib
import Foundation
import LinearAlgebra

/// Whole-file reads. Gzip is detected by its magic bytes (1f 8b) and inflated with zlib.
public enum FileBytes {
    static func read(_ path: String) throws -> [UInt8] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw GenLabError.data(source: path, expected: "a readable file", found: "no such file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GenLabError.data(source: path, expected: "a readable file", found: "a file that cannot be read")
        }
        let bytes = [UInt8](data)
        if bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b { return try gunzip(bytes, source: path) }
        return bytes
    }

    /// Inflates a gzip stream (one or more members) in memory.
    public static func gunzip(_ input: [UInt8], source: String) throws -> [UInt8] {
        var stream = z_stream()
        // 16 + MAX_WBITS: expect a gzip header.
        guard inflateInit2_(&stream, 16 + 15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw GenLabError.run("zlib could not start inflating \(source)")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8]()
        output.reserveCapacity(input.count * 4)
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var status: Int32 = Z_OK
        try input.withUnsafeBufferPointer { inBuf in
            stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress!)
            stream.avail_in = uInt(inBuf.count)
            repeat {
                try chunk.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress!
                    stream.avail_out = uInt(out.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    if status == Z_STREAM_END && stream.avail_in > 0 {
                        // Another gzip member follows (concatenated .gz files).
                        let produced = out.count - Int(stream.avail_out)
                        output.append(contentsOf: out[0..<produced])
                        inflateReset(&stream)
                        status = Z_OK
                        return
                    }
                    guard status == Z_OK || status == Z_STREAM_END else {
                        let reason = status == Z_DATA_ERROR ? "corrupt compressed data" : (status == Z_BUF_ERROR ? "a truncated gzip stream" : "zlib error \(status)")
                        throw GenLabError.data(source: source, expected: "a complete gzip stream", found: reason,
                                               fix: "download or reinstall the file")
                    }
                    output.append(contentsOf: out[0..<(out.count - Int(stream.avail_out))])
                }
                if status == Z_OK && stream.avail_in == 0 && stream.avail_out != 0 {
                    throw GenLabError.data(source: source, expected: "a complete gzip stream", found: "a truncated gzip stream",
                                           fix: "download or reinstall the file")
                }
            } while status != Z_STREAM_END
        }
        return output
    }
}
