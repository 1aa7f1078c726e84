import Foundation
import LinearAlgebra
import XCTest

@testable import Datasets

/// Whole-file reads: one buffer of the file's size, a file that changes size while it is read
/// refused with both counts, text validated as UTF-8 in place.
final class FileReadTests: XCTestCase {
    func message(_ body: () throws -> Any) -> String {
        do {
            _ = try body()
            return "no error"
        } catch { return "\(error)" }
    }

    func testBytesAsOnDisk() throws {
        let dir = temporaryDirectory()
        let path = dir + "/b.bin"
        let bytes = (0..<100_003).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }
        write(bytes, path)
        // Small chunks: the loop that reads a large file piece by piece, on a small one.
        XCTAssertEqual(try FileBytes.readRaw(path, chunk: 4096), bytes)
        XCTAssertEqual(try FileBytes.readRaw(path), bytes)
        write([UInt8](), dir + "/empty")
        XCTAssertEqual(try FileBytes.readRaw(dir + "/empty"), [])
    }

    /// The file is cut short between two reads (what another process truncating it does): an
    /// error with the size when opened and the bytes there were, never a shorter data set.
    func testTruncatedWhileRead() throws {
        let dir = temporaryDirectory()
        let path = dir + "/cut.idx"
        write(idxBytes([250, 4, 4], data: [UInt8](repeating: 7, count: 4000)), path)
        let m = message { try FileBytes.readRaw(path, chunk: 1024) { truncate(path, 1500) } }
        for part in [
            "cut.idx", "4016 bytes (its size when opened)", "1500: the file was truncated while it was read",
            "another process",
        ] {
            XCTAssertTrue(m.contains(part), "\"\(m)\" lacks \"\(part)\"")
        }
        // Grown while read: a file still being written.
        write(idxBytes([250, 4, 4], data: [UInt8](repeating: 7, count: 4000)), path)
        let g = message {
            try FileBytes.readRaw(path, chunk: 1024) {
                let h = FileHandle(forWritingAtPath: path)!
                h.seekToEndOfFile()
                h.write(Data([1, 2, 3]))
                h.closeFile()
            }
        }
        XCTAssertTrue(g.contains("the file grew while it was read"), g)
    }

    func testNotAFile() {
        let dir = temporaryDirectory()
        XCTAssertTrue(message { try FileBytes.readRaw(dir) }.contains("a regular file, found a directory"))
        XCTAssertTrue(message { try FileBytes.readRaw(dir + "/none") }.contains("no such file"))
        XCTAssertTrue(message { try FileBytes.readRaw("/dev/null") }.contains("a special file"))
    }

    /// Text read into the String's own storage: valid UTF-8 comes back unchanged, gzip is
    /// inflated, anything else is refused (the standard library's validation is the reference).
    func testTextInPlace() throws {
        let dir = temporaryDirectory()
        let text = "a,b,label\n1,2,café\n3,4,日本\n"
        write(text, dir + "/t.csv")
        XCTAssertEqual(try FileBytes.readText(dir + "/t.csv"), text)
        write(text, dir + "/z.csv")
        gzipFile(dir + "/z.csv")
        XCTAssertEqual(try FileBytes.readText(dir + "/z.csv.gz"), text)
        for bad: [UInt8] in [
            [0x61, 0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x61, 0xe2, 0x82],
        ] {
            write(bad, dir + "/bad.csv")
            XCTAssertTrue(message { try FileBytes.readText(dir + "/bad.csv") }.contains("not UTF-8"), "\(bad)")
        }
        var g = SystemRandomNumberGenerator()
        // Lead and continuation bytes of every length, and bytes that are never valid, so that
        // random strings are valid often enough to test both answers.
        let alphabet: [UInt8] = [
            0x41, 0x0a, 0x80, 0xbf, 0xa9, 0x82, 0xac, 0x98, 0xc2, 0xc3, 0xe2, 0xed, 0xa0, 0xf0, 0x9f, 0xf4, 0x90, 0xc0,
            0xff,
        ]
        var valid = 0
        for _ in 0..<2000 {
            let bytes = (0..<Int.random(in: 0..<8, using: &g)).map { _ in alphabet.randomElement(using: &g)! }
            let expected = String(validating: bytes, as: UTF8.self)
            let ok = bytes.withUnsafeBufferPointer { FileBytes.isUTF8($0) }
            XCTAssertEqual(ok, expected != nil, "\(bytes)")
            if ok { valid += 1 }
        }
        XCTAssertGreaterThan(valid, 100, "the random strings must exercise valid UTF-8 too")
    }
}
