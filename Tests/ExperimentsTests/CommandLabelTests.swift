import XCTest

@testable import Experiments

final class CommandLabelTests: XCTestCase {
    /// A run's progress label names the experiment its words chose, not only the command: the
    /// axis of `perceptron risk` and of `double-descent` picks another experiment.
    func testLabelNamesTheChosenExperiment() throws {
        let risk = Commands.PerceptronRiskCommand.self
        XCTAssertEqual(risk.label(for: try risk.experiment([], at: .tiny)), "perceptron risk")
        XCTAssertEqual(
            risk.label(for: try risk.experiment(["--axis", "dimension"], at: .tiny)), "perceptron dimension")
        let descent = Commands.DoubleDescentCommand.self
        XCTAssertEqual(
            descent.label(for: try descent.experiment(["--axis", "width"], at: .tiny)), "double descent width")
        XCTAssertEqual(
            descent.label(for: try descent.experiment(["--axis", "epochs"], at: .tiny)), "double descent epochs")
    }
}
