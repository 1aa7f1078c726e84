import Datasets
import Foundation
import LinearAlgebra
import XCTest

@testable import Learners

/// TensorBoard run folders name the architecture: a 2-D CNN must not pass for an MLP (it did,
/// before the name knew conv2d layers), and a 1-D CNN keeps its name.
final class TrainingEventsNameTests: XCTestCase {
    func network(_ spec: String, imageShape: [Int]? = nil) throws -> Network<Float> {
        let (h, w, n) = (6, 8, 4)
        var g = Generator(seed: 2)
        let d = Dataset(
            features: Matrix(rows: n, cols: h * w, storage: (0..<(n * h * w)).map { _ in Float(g.normal()) }),
            labels: [0, 1, 2, 0], classNames: ["a", "b", "c"], provenance: "test")
        return try ModelSpec(parsing: spec).network(for: d, imageShape: imageShape, initialization: .uniform, seed: 3)
    }

    func testRunNamesSayTheArchitecture() throws {
        XCTAssertEqual(TrainingEvents.architecture(try network("mlp:16x8")), "mlp48x16x8x3")
        XCTAssertEqual(
            TrainingEvents.architecture(try network("cnn2d:2x3,pool=2", imageShape: [6, 8])), "cnn2d48xc2xc3x3")
        XCTAssertTrue(TrainingEvents.architecture(try network("cnn1d:4")).hasPrefix("cnn1d48xc4"))
    }
}
