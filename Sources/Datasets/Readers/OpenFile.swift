import LinearAlgebra

#if canImport(Glibc)
    import Glibc
    private let systemRead = Glibc.read
    private let systemClose = Glibc.close
#elseif canImport(Darwin)
    import Darwin
    private let systemRead = Darwin.read
    private let systemClose = Darwin.close
#endif

/// A regular file opened for reading, with its size when it was opened. Reading checks that the
/// file still has exactly that size at the end: a shorter read means it was truncated while it
/// was read, a longer one that another process is still writing it.
struct OpenFile {
    let path: String
    let descriptor: Int32
    let size: Int

    init(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = errno
            throw GenLabError.data(
                source: path, expected: "a readable file",
                found: reason == ENOENT
                    ? "no such file" : "a file that cannot be read (\(String(cString: strerror(reason))))")
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            _ = systemClose(fd)
            throw GenLabError.data(source: path, expected: "a readable file", found: "a file whose size cannot be read")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            _ = systemClose(fd)
            throw GenLabError.data(
                source: path, expected: "a regular file",
                found: (info.st_mode & S_IFMT) == S_IFDIR ? "a directory" : "a special file")
        }
        self.path = path
        descriptor = fd
        size = Int(info.st_size)
    }

    func close() { _ = systemClose(descriptor) }

    /// Whether the file begins with gzip's magic bytes 1f 8b (read in place, the offset untouched).
    func startsWithGzipMagic() -> Bool {
        var magic: (UInt8, UInt8) = (0, 0)
        return pread(descriptor, &magic, 2, 0) == 2 && magic == (0x1f, 0x8b)
    }

    /// The whole file as bytes, in one buffer of its size.
    func readBytes(chunk: Int = 1 << 26, betweenChunks: (() -> Void)? = nil) throws -> [UInt8] {
        try [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            count = 0
            count = try readAll(into: UnsafeMutableRawBufferPointer(buffer), chunk: chunk, betweenChunks: betweenChunks)
        }
    }

    /// Reads the whole file into `buffer` (capacity ≥ size) and returns the byte count, which is
    /// always `size`: anything else is an error naming both counts.
    func readAll(into buffer: UnsafeMutableRawBufferPointer, chunk: Int = 1 << 26, betweenChunks: (() -> Void)? = nil)
        throws -> Int
    {
        var done = 0
        while done < size {
            let n = systemRead(descriptor, buffer.baseAddress! + done, min(chunk, size - done))
            if n < 0 {
                if errno == EINTR { continue }
                throw GenLabError.data(
                    source: path, expected: "a readable file",
                    found: "a read error after \(done) bytes (\(String(cString: strerror(errno))))")
            }
            if n == 0 {
                throw GenLabError.data(
                    source: path, expected: "\(size) bytes (its size when opened)",
                    found: "\(done): the file was truncated while it was read",
                    fix: "another process is writing or replacing it; read it again once that is done")
            }
            done += n
            if done < size { betweenChunks?() }
        }
        var extra: UInt8 = 0
        if systemRead(descriptor, &extra, 1) > 0 {
            throw GenLabError.data(
                source: path, expected: "\(size) bytes (its size when opened)",
                found: "more: the file grew while it was read",
                fix: "another process is still writing it; read it again once that is done")
        }
        return done
    }
}
