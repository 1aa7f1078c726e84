import CZlib
import Foundation
import LinearAlgebra

/// Whole-file reads. Gzip is detected by its magic bytes (1f 8b) and inflated with zlib.
public enum FileBytes {
    /// The file's bytes, inflated if it is gzip. The file is read straight into one buffer of its
    /// size (no second copy), and a file that changes size while it is read — truncated or still
    /// being written by another process — is an error, never a silently shorter data set.
    static func read(_ path: String) throws -> [UInt8] {
        let bytes = try readRaw(path)
        if bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b { return try gunzip(bytes, source: path) }
        return bytes
    }

    /// A text file (gzip allowed) as a String. Plain text is read directly into the String's own
    /// storage and validated there, so the file is never held twice.
    static func readText(_ path: String) throws -> String {
        let file = try OpenFile(path)
        defer { file.close() }
        // Gzip is known from the first two bytes, so either path reads the file once.
        if file.startsWithGzipMagic() {
            guard let inflated = String(bytes: try gunzip(file.readBytes(), source: path), encoding: .utf8) else {
                throw notUTF8(path)
            }
            return inflated
        }
        var valid = true
        let text = try String(unsafeUninitializedCapacity: file.size) { buffer in
            let count = try file.readAll(into: UnsafeMutableRawBufferPointer(buffer))
            valid = isUTF8(UnsafeBufferPointer(rebasing: buffer[..<count]))
            return valid ? count : 0
        }
        guard valid else { throw notUTF8(path) }
        return text
    }

    /// Validation in place (the standard library's UTF8Span), without copying into a String.
    static func isUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool { (try? UTF8Span(validating: bytes.span)) != nil }

    static func notUTF8(_ path: String) -> GenLabError {
        GenLabError.data(source: path, expected: "UTF-8 text", found: "bytes that are not UTF-8")
    }

    /// The bytes as they are on disk. `chunk` and `betweenChunks` exist for the tests (a file
    /// truncated between two reads).
    static func readRaw(_ path: String, chunk: Int = 1 << 26, betweenChunks: (() -> Void)? = nil) throws -> [UInt8] {
        let file = try OpenFile(path)
        defer { file.close() }
        return try file.readBytes(chunk: chunk, betweenChunks: betweenChunks)
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
        // The chunk grows with the input (gzip rarely expands more than 4×), capped at 1 MiB: a fixed
        // 1 MiB buffer made inflating a 50-byte input cost a megabyte of zeroing.
        var chunk = [UInt8](repeating: 0, count: min(1 << 20, max(1 << 12, input.count * 4)))
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
                        let reason =
                            status == Z_DATA_ERROR
                            ? "corrupt compressed data"
                            : (status == Z_BUF_ERROR ? "a truncated gzip stream" : "zlib error \(status)")
                        throw GenLabError.data(
                            source: source, expected: "a complete gzip stream", found: reason,
                            fix: "download or reinstall the file")
                    }
                    output.append(contentsOf: out[0..<(out.count - Int(stream.avail_out))])
                }
                if status == Z_OK && stream.avail_in == 0 && stream.avail_out != 0 {
                    throw GenLabError.data(
                        source: source, expected: "a complete gzip stream", found: "a truncated gzip stream",
                        fix: "download or reinstall the file")
                }
            } while status != Z_STREAM_END
        }
        return output
    }
}
