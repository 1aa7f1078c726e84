import Foundation
import TestSupport
import XCTest

/// A fresh temporary folder per test, removed afterwards.
func temporaryDirectory() -> String {
    Scratch.folder("test")
}

func write(_ bytes: [UInt8], _ path: String) { FileManager.default.createFile(atPath: path, contents: Data(bytes)) }
func write(_ text: String, _ path: String) { write(Array(text.utf8), path) }

/// gzip via the system tool (the test must not use the code under test to make its input).
func gzipFile(_ path: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["gzip", "-f", path]
    try! p.run()
    p.waitUntilExit()
}

/// An IDX file of unsigned bytes with the given dimensions.
func idxBytes(_ dims: [Int], data: [UInt8]) -> [UInt8] {
    var b: [UInt8] = [0, 0, 8, UInt8(dims.count)]
    for d in dims { b += [UInt8(d >> 24 & 0xff), UInt8(d >> 16 & 0xff), UInt8(d >> 8 & 0xff), UInt8(d & 0xff)] }
    return b + data
}
