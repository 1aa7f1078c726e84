import Common
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

final class ExplainedParameterTests: XCTestCase {
    struct Inner: Codable, Sendable { var seed = 1 }
    struct Nested: Configurable {
        var name: String { "nested" }
        var data = Inner()
        var training = Inner()
    }
    struct Top: Configurable {
        var name: String { "top" }
        var seed = 0
        var training = Inner()
    }

    func message(_ e: Error) -> String? {
        if case GenLabError.usage(let m) = e { return m }
        return nil
    }

    /// A library error names a field; the command words it with the option the user gave. The
    /// field itself wins over nested fields of the same name; when only nested fields share
    /// the name, the message names all of them rather than guess.
    func testExplainedNamesTheOptionOrEveryCandidate() {
        let problem = "must be ≥ 0, got -1"
        let top = OptionNames().explained(GenLabError.parameter(name: "seed", problem: problem), in: Top())
        XCTAssertEqual(message(top), "--seed (seed) must be ≥ 0, got -1")
        let aliased = OptionNames(aliases: ["s": "seed"]).explained(
            GenLabError.parameter(name: "seed", problem: problem), in: Top())
        XCTAssertEqual(message(aliased), "--s (seed) must be ≥ 0, got -1")
        let nested = OptionNames().explained(GenLabError.parameter(name: "seed", problem: problem), in: Nested())
        XCTAssertEqual(
            message(nested), "seed must be ≥ 0, got -1 (the setting of one of --data.seed, --training.seed)")
        let dotted = OptionNames().explained(
            GenLabError.parameter(name: "training.seed", problem: problem), in: Nested())
        XCTAssertEqual(message(dotted), "--training.seed (training.seed) must be ≥ 0, got -1")
        let unknown = OptionNames().explained(GenLabError.parameter(name: "rate", problem: problem), in: Top())
        XCTAssertNil(message(unknown))
    }
}
