import Foundation
import XCTest

@testable import Datasets

/// The event file's encodings against published values: CRC-32C's check value, TFRecord's
/// framing, protobuf varints and an Event decoded field by field. (scripts/tensorboard-test.sh
/// reads whole files back with TensorBoard's own reader.)
final class TensorBoardEventTests: XCTestCase {
    func testCRC32CAndFraming() {
        XCTAssertEqual(TensorBoardEventFile.crc32c(Array("123456789".utf8)), 0xE306_9283, "the CRC-32C check value")
        XCTAssertEqual(TensorBoardEventFile.crc32c([]), 0)
        let data: [UInt8] = [1, 2, 3]
        let r = TensorBoardEventFile.record(data)
        XCTAssertEqual(r.count, 8 + 4 + 3 + 4)
        XCTAssertEqual(Array(r[0..<8]), [3, 0, 0, 0, 0, 0, 0, 0])
        let c = TensorBoardEventFile.crc32c(Array(r[0..<8]))
        let masked = ((c >> 15) | (c << 17)) &+ 0xA282_EAD8
        XCTAssertEqual(Array(r[8..<12]), withUnsafeBytes(of: masked.littleEndian) { Array($0) })
        XCTAssertEqual(Array(r[12..<15]), data)
        XCTAssertEqual(TensorBoardEventFile.varint(300), [0xAC, 0x02])
        XCTAssertEqual(TensorBoardEventFile.varint(1), [1])
    }

    /// An Event with one scalar, decoded by hand: wall_time (1, fixed64), step (2, varint),
    /// summary (5) → value (1) → tag (1), simple_value (2, fixed32).
    func testEventEncoding() {
        let e = TensorBoardEventFile.event(wallTime: 1.5, step: 7, scalars: [("loss/train", 0.25)])
        XCTAssertEqual(e[0], 0x09)
        XCTAssertEqual(Array(e[1..<9]), withUnsafeBytes(of: (1.5).bitPattern.littleEndian) { Array($0) })
        XCTAssertEqual(Array(e[9..<11]), [0x10, 7])
        XCTAssertEqual(e[11], 0x2A)  // field 5, length-delimited
        let summary = Array(e[13...])
        XCTAssertEqual(Int(e[12]), summary.count)
        XCTAssertEqual(summary[0], 0x0A)  // value, field 1
        let value = Array(summary[2...])
        XCTAssertEqual(value[0], 0x0A)
        XCTAssertEqual(Int(value[1]), 10)
        XCTAssertEqual(String(decoding: value[2..<12], as: UTF8.self), "loss/train")
        XCTAssertEqual(value[12], 0x15)  // field 2, fixed32
        XCTAssertEqual(Array(value[13..<17]), withUnsafeBytes(of: Float(0.25).bitPattern.littleEndian) { Array($0) })
    }
}
