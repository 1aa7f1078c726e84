import Datasets
import Foundation
import LinearAlgebra
import XCTest

/// Each reader on good input, and each bad input with the message it must give.
final class ReaderTests: XCTestCase {
    func assertDataError(
        _ expr: @autoclosure () throws -> Any, contains parts: [String], file: StaticString = #filePath,
        line: UInt = #line
    ) {
        do {
            _ = try expr()
            XCTFail("expected an error", file: file, line: line)
        } catch let e as GenLabError {
            for p in parts {
                XCTAssertTrue(e.description.contains(p), "\"\(e.description)\" lacks \"\(p)\"", file: file, line: line)
            }
        } catch { XCTFail("unexpected error \(error)", file: file, line: line) }
    }

    func testIDXGoodRawAndGzip() throws {
        let dir = temporaryDirectory()
        let data = (0..<24).map { UInt8($0) }
        write(idxBytes([2, 3, 4], data: data), dir + "/a.idx")
        let a = try IDXArray.read(dir + "/a.idx")
        XCTAssertEqual(a.dimensions, [2, 3, 4])
        XCTAssertEqual(a.bytes, data)
        gzipFile(dir + "/a.idx")
        let b = try IDXArray.read(dir + "/a.idx.gz")
        XCTAssertEqual(b.dimensions, [2, 3, 4])
        XCTAssertEqual(b.bytes, data)
    }

    /// Crashes found by fuzzing (scripts/fuzz.sh), each now a clear error.
    func testFuzzFindings() {
        // IDX dimensions whose product overflows Int: a trap, before.
        let overflow: [UInt8] = [
            0x00, 0x00, 0x08, 0x02, 0xf0, 0xf0, 0xf0, 0xf0, 0xf0, 0xf0, 0x28, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00,
        ]
        XCTAssertThrowsError(try IDXArray.parse(overflow, source: "fuzz")) { e in
            XCTAssertTrue("\(e)".contains("can exist"), "\(e)")
        }
        // A LIBSVM feature index of 10¹⁷: an allocation no machine has, before.
        XCTAssertThrowsError(try LIBSVMReader.parse("0\n 2 111111111111111116:0\n", source: "fuzz")) { e in
            XCTAssertTrue("\(e)".contains("dense matrix"), "\(e)")
        }
        // One line with index 2·10⁹: 8 GB of Float, more than the bound (found by the long run).
        assertDataError(
            try LIBSVMReader.parse("0 +0000000002000000606:166\n", source: "oom.svm", maxDenseBytes: 1 << 28),
            contains: [
                "oom.svm", "dense matrix fits in 0.2 GiB", "1 samples × 2000000606 features", "7.5 GiB of Float",
                "select or hash",
            ])
        // The default bound is half the machine's memory, and a matrix just under a bound is read.
        XCTAssertEqual(LIBSVMReader.defaultMaxDenseBytes, Int(ProcessInfo.processInfo.physicalMemory / 2))
        XCTAssertEqual(try LIBSVMReader.parse("0 1000:1\n", source: "ok.svm", maxDenseBytes: 4000).featureCount, 1000)
        assertDataError(
            try LIBSVMReader.parse("0 1001:1\n", source: "big.svm", maxDenseBytes: 4000),
            contains: ["big.svm", "1001 features"])
        // An NPY shape with a ")" before its "(": a reversed range, before.
        func npy(_ header: String) -> [UInt8] {
            let h = Array(header.utf8)
            return [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, UInt8(h.count & 0xff), UInt8(h.count >> 8)] + h
        }
        XCTAssertThrowsError(
            try NPYArray.parse(npy("{'descr': '<f4', 'fortran_order'# False, 'shape': 84,), }   ( \n"), source: "fuzz"))
        // A shape whose size overflows Int.
        XCTAssertThrowsError(
            try NPYArray.parse(
                npy("{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 4), }\n"), source: "fuzz")
        ) { e in
            XCTAssertTrue("\(e)".contains("can exist"), "\(e)")
        }
    }

    func testIDXBadInputs() {
        let dir = temporaryDirectory()
        write([0x1f, 0x00, 8, 1, 0, 0, 0, 1, 5], dir + "/magic.idx")
        assertDataError(
            try IDXArray.read(dir + "/magic.idx"), contains: ["magic.idx", "expected IDX magic 00 00", "found 1f 00"])
        write(idxBytes([10], data: [1, 2, 3]), dir + "/short.idx")
        assertDataError(
            try IDXArray.read(dir + "/short.idx"), contains: ["short.idx", "10 data bytes", "found 3", "truncated"])
        write([0, 0, 8, 9, 0, 0], dir + "/dims.idx")
        assertDataError(
            try IDXArray.read(dir + "/dims.idx"), contains: ["dims.idx", "1 to 4 IDX dimensions", "found 9"])
        write(idxBytes([50], data: [UInt8](repeating: 7, count: 50)), dir + "/t.idx")
        gzipFile(dir + "/t.idx")
        let gz = [UInt8](FileManager.default.contents(atPath: dir + "/t.idx.gz")!)
        write(Array(gz[0..<(gz.count - 12)]), dir + "/trunc.idx.gz")
        assertDataError(
            try IDXArray.read(dir + "/trunc.idx.gz"), contains: ["trunc.idx.gz", "complete gzip stream", "truncated"])
        var corrupt = gz
        for i in 12..<min(20, corrupt.count - 8) { corrupt[i] ^= 0xA5 }
        write(corrupt, dir + "/corrupt.idx.gz")
        assertDataError(try IDXArray.read(dir + "/corrupt.idx.gz"), contains: ["corrupt.idx.gz", "gzip"])
        assertDataError(try IDXArray.read(dir + "/missing.idx"), contains: ["missing.idx", "no such file"])
    }

    func testCSV() throws {
        let d = try CSVReader.parse("a,b,label\n1,2,cat\n3,4,dog\n5,6,cat\n", source: "t.csv")
        XCTAssertEqual(d.count, 3)
        XCTAssertEqual(d.featureCount, 2)
        XCTAssertEqual(d.classNames, ["cat", "dog"])
        XCTAssertEqual(d.labels, [0, 1, 0])
        XCTAssertEqual(d.features[2, 1], 6)
        let r = try CSVReader.parse("y,x\n0.5,1\n1.5,2\n", source: "r.csv", labelColumn: "y", regression: true)
        XCTAssertEqual(r.targets, [0.5, 1.5])
        XCTAssertEqual(r.features.storage, [1, 2])
        // Windows line ends, spaces and tabs around fields, non-ASCII labels.
        let w = try CSVReader.parse("a, b ,label\r\n 1 ,\t2, café \r\n3,4,日本\r\n", source: "w.csv")
        XCTAssertEqual(w.features.storage, [1, 2, 3, 4])
        XCTAssertEqual(w.classNames.sorted(), ["café", "日本"])
        // Numeric labels order numerically, not as text.
        XCTAssertEqual(try CSVReader.parse("x,label\n1,10\n2,9\n", source: "n.csv").classNames, ["9", "10"])
    }

    func testCSVBadInputs() {
        assertDataError(
            try CSVReader.parse("a,b,label\n1,2,x\n3,y\n", source: "ragged.csv"),
            contains: ["ragged.csv:3", "3 fields", "found 2"])
        assertDataError(
            try CSVReader.parse("a,b,label\n1,two,x\n", source: "text.csv"),
            contains: ["text.csv:2", "finite number in column \"b\"", "\"two\""])
        assertDataError(
            try CSVReader.parse("a,b,label\n1,nan,x\n", source: "nan.csv"),
            contains: ["nan.csv:2", "finite number", "\"nan\""])
        assertDataError(try CSVReader.parse("", source: "empty.csv"), contains: ["empty.csv", "empty file"])
        assertDataError(try CSVReader.parse("a,b\n", source: "header.csv"), contains: ["header.csv", "only a header"])
    }

    func testLIBSVM() throws {
        let d = try LIBSVMReader.parse("+1 1:0.5 3:2\n-1 2:1 # comment\n\n+1 3:-1\n", source: "t.svm")
        XCTAssertEqual(d.count, 3)
        XCTAssertEqual(d.featureCount, 3)
        XCTAssertEqual(d.features.storage, [0.5, 0, 2, 0, 1, 0, 0, 0, -1])
        XCTAssertEqual(d.classNames, ["-1", "+1"])
        XCTAssertEqual(d.labels, [1, 0, 1])
    }

    func testLIBSVMBadInputs() {
        assertDataError(
            try LIBSVMReader.parse("1 0:3\n", source: "zero.svm"), contains: ["zero.svm:1", "index ≥ 1", "found 0"])
        assertDataError(
            try LIBSVMReader.parse("1 3:1 2:1\n", source: "order.svm"),
            contains: ["order.svm:1", "increasing", "2 after 3"])
        assertDataError(
            try LIBSVMReader.parse("1 a:1\n", source: "word.svm"), contains: ["word.svm:1", "index:value", "\"a:1\""])
        assertDataError(
            try LIBSVMReader.parse("x 1:1\n", source: "label.svm"), contains: ["label.svm:1", "numeric label"])
    }

    func testNPYRoundTripAndDtypes() throws {
        let values: [Float] = [1.5, -2, 3.25, 0, 7, 8]
        let bytes = NPYArray.encode(values, shape: [2, 3])
        let a = try NPYArray.parse(bytes, source: "w.npy")
        XCTAssertEqual(a.shape, [2, 3])
        XCTAssertEqual(a.dtype, .float32)
        XCTAssertEqual(a.values, values.map(Double.init))
        XCTAssertEqual((bytes.count - values.count * 4) % 64, 0, "data start is 64-byte aligned")
        // Hand-written int64 and uint8 files, as numpy writes them.
        func npy(_ descr: String, _ shape: String, _ data: [UInt8]) -> [UInt8] {
            var h = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }"
            while (10 + h.utf8.count + 1) % 64 != 0 { h += " " }
            h += "\n"
            return [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, UInt8(h.utf8.count), 0] + Array(h.utf8) + data
        }
        let i64 = try NPYArray.parse(
            npy("<i8", "(2,)", [5, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
            source: "i.npy")
        XCTAssertEqual(i64.values, [5, -1])
        let u8 = try NPYArray.parse(npy("|u1", "(3,)", [0, 128, 255]), source: "u.npy")
        XCTAssertEqual(u8.values, [0, 128, 255])
        let f64 = try NPYArray.parse(
            npy("<f8", "(1, 1)", Array(withUnsafeBytes(of: 0.1) { Array($0) })), source: "d.npy")
        XCTAssertEqual(f64.values, [0.1])
        XCTAssertEqual(f64.shape, [1, 1])
        assertDataError(
            try NPYArray.parse(npy(">f8", "(1,)", [0, 0, 0, 0, 0, 0, 0, 0]), source: "be.npy"),
            contains: ["be.npy", "little-endian", "'>f8'"])
        assertDataError(
            try NPYArray.parse(npy("<f4", "(4,)", [0, 0, 0, 0]), source: "short.npy"),
            contains: ["short.npy", "16 data bytes", "found 4"])
        assertDataError(
            try NPYArray.parse(Array("hello world".utf8), source: "text.npy"), contains: ["text.npy", "NPY magic"])
    }
}
