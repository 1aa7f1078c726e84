import Datasets
import Foundation
import LinearAlgebra
import Measures
import XCTest

@testable import Experiments

/// The forest plots' tables carry the very numbers the verdicts decided on: each row's estimate,
/// interval and margin against the values the verdict recorded (which the rules computed), on
/// synthetic runs of every experiment that decides paired comparisons; and every figure's table
/// is in the result (the report redraws from CSV and FigureSpec alone).
final class ComparisonTableTests: XCTestCase {
    /// The row of `t` named `label` (of `quantity` where given): estimate, lower, upper, margin, outcome.
    func row(
        _ r: ExperimentResult, _ label: String, quantity: String? = nil, file: StaticString = #filePath,
        line: UInt = #line
    )
        -> (estimate: Double, lower: Double, upper: Double, margin: Double, outcome: String)?
    {
        guard let t = r.tables.first(where: { $0.name == ComparisonTable.name }) else {
            XCTFail("no comparisons table", file: file, line: line)
            return nil
        }
        let c = { (name: String) in t.columns.firstIndex(of: name)! }
        guard
            let x = t.rows.first(where: {
                $0[c("comparison")] == .string(label) && (quantity == nil || $0[c("quantity")] == .string(quantity!))
            })
        else {
            XCTFail("no row \(label) among \(t.rows.map { $0[0] })", file: file, line: line)
            return nil
        }
        return (
            x[c("estimate")].number!, x[c("lower")].number!, x[c("upper")].number!, x[c("margin")].number!,
            x[c("outcome")].string!
        )
    }

    /// Every figure reads a table the result carries, and every forest plot has rows to draw.
    func assertFiguresHaveTables(_ r: ExperimentResult, file: StaticString = #filePath, line: UInt = #line) {
        for f in r.figures {
            guard let t = r.tables.first(where: { $0.name == f.table }) else {
                XCTFail("\(f.file): no table \(f.table)", file: file, line: line)
                continue
            }
            guard f.kind == .forest, let s = f.series.first, let column = s.filterColumn,
                let j = t.columns.firstIndex(of: column)
            else { continue }
            XCTAssertTrue(
                t.rows.contains { $0[j].description == s.filterValue }, "\(f.file): no row of \(s.filterValue ?? "")",
                file: file, line: line)
        }
    }

    func testRegularizerRowsAreTheVerdictsIntervals() throws {
        let e = RegularizerAblation(seeds: 3)
        var runs = [RegularizerAblation.Run]()
        for s in 0..<3 {
            let j = 0.003 * Double(s * s)
            for (c, err) in [
                (RegularizerAblation.Condition.none, 0.40), (.dropout, 0.37), (.weightDecay, 0.40),
                (.earlyStopping, 0.45), (.smallBatch, 0.38),
                (.augmentation, 0.41), (.cnn, 0.2), (.mlpShuffled, 0.45), (.cnnShuffled, 0.4),
                (.regularizedRandomLabels, 0.9),
            ] {
                runs.append(
                    .init(
                        condition: c, seed: s, trainError: 0, testError: err + j * Double(c.rawValue.count % 3),
                        parameterNorm: 1, epochs: 10))
            }
        }
        let r = e.result(runs, classes: 10, shape: [40], seconds: 0, command: "t")
        for (k, reg) in RegularizerAblation.Condition.regularizers.enumerated() {
            let v = r.verdicts[k]
            let x = try XCTUnwrap(row(r, RegularizerAblation.short(reg) + " − none"))
            XCTAssertEqual(x.estimate, v.values["mean_difference"]!, accuracy: 1e-15)
            XCTAssertEqual(x.lower, v.values["lower"]!, accuracy: 1e-15)
            XCTAssertEqual(x.upper, v.values["upper"]!, accuracy: 1e-15)
            XCTAssertEqual(x.margin, v.values["least_effect"]!)
            XCTAssertEqual(x.outcome, v.label)
        }
        // The architecture: CNN − MLP is minus the recorded advantage; the lost lead's interval
        // reaches its upper end exactly where the rule's slack says (limit 0 − upper bound).
        let arch = r.verdicts[RegularizerAblation.Condition.regularizers.count]
        let cnn = try XCTUnwrap(row(r, "CNN − MLP, true positions"))
        XCTAssertEqual(cnn.estimate, -arch.values["advantage"]!, accuracy: 1e-15)
        let lost = try XCTUnwrap(row(r, "CNN's lead lost by shuffling (shuffled − true)"))
        XCTAssertEqual(lost.upper, -arch.values["smallest_slack"]!, accuracy: 1e-12)
        XCTAssertEqual(lost.estimate, arch.values["shuffled_advantage"]! - arch.values["advantage"]!, accuracy: 1e-12)
        XCTAssertEqual(r.figures.map(\.kind), [.dots, .forest])
        assertFiguresHaveTables(r)
    }

    func testBatchSizeRowsAreTheVerdictsIntervals() throws {
        let e = BatchSizeSharpness(seeds: 5)
        let g = (all: [32, 100, 1000], small: 32, large: 100, full: 1000)
        var runs = [BatchSizeSharpness.Run]()
        var gen = Generator(seed: 4)
        for s in 0..<5 {
            for b in g.all {
                runs.append(
                    .init(
                        seed: s, batch: b, steps: 100, epochs: 10, reachedTarget: true, trainLoss: 0.1, trainError: 0,
                        testError: 0.3 + Double(b) / 20_000 + 0.005 * gen.normal(),
                        lambdaMax: 2 + Double(b) / 300 + 0.2 * gen.normal(),
                        lanczosConverged: true, trace: 10, epsilonSharpness: 1))
            }
        }
        let r = e.result(runs, g, seconds: 0, command: "t")
        // belowEverywhere on (small − large) records limit − upper: the lower end of (large − small).
        let sharper = try XCTUnwrap(row(r, "batch 100 − batch 32", quantity: "λ_max"))
        XCTAssertEqual(sharper.lower, r.verdicts[0].values["smallest_slack"]!, accuracy: 1e-12)
        XCTAssertEqual(sharper.estimate, r.verdicts[0].values["mean_difference"]!, accuracy: 1e-15)
        XCTAssertEqual(sharper.outcome, r.verdicts[0].label)
        let full = try XCTUnwrap(row(r, "full batch (1000) − batch 32", quantity: "λ_max"))
        XCTAssertEqual(full.lower, r.verdicts[3].values["smallest_slack"]!, accuracy: 1e-12)
        // `lowers` decided on (small − large): the row is its mirror, with the same margin.
        let worse = try XCTUnwrap(row(r, "batch 100 − batch 32", quantity: "test error"))
        XCTAssertEqual(worse.lower, -r.verdicts[1].values["upper"]!, accuracy: 1e-15)
        XCTAssertEqual(worse.upper, -r.verdicts[1].values["lower"]!, accuracy: 1e-15)
        XCTAssertEqual(worse.margin, r.verdicts[1].values["least_effect"]!)
        XCTAssertEqual(worse.outcome, r.verdicts[1].label)
        assertFiguresHaveTables(r)
    }

    func testRandomLabelsChanceRowIsTheVerdictsInterval() throws {
        let e = RandomLabels(fractions: [0, 1], inputCorruptions: true, seeds: 3)
        var runs = [RandomLabels.Run]()
        for s in 0..<3 {
            for (c, err) in [
                (RandomLabels.Condition.labels(0), 0.2), (.labels(1), 0.88), (.shuffledPixels, 0.3),
                (.randomPixels, 0.7), (.gaussian, 0.91),
            ] {
                runs.append(
                    .init(
                        condition: c, seed: s, steps: 100 * (s + 1), epochs: 10, fitted: true, trainError: 0,
                        testError: err + 0.01 * Double(s), testCount: 1000, chance: 0.9))
            }
        }
        let r = e.analyze(Measured(.init(classes: 10, runs: runs)))
        let v = r.verdicts[3]
        let x = try XCTUnwrap(row(r, "random labels 100% and Gaussian inputs (the verdict)"))
        XCTAssertEqual(x.lower, v.values["lower"]!, accuracy: 1e-15)
        XCTAssertEqual(x.upper, v.values["upper"]!, accuracy: 1e-15)
        XCTAssertEqual(x.margin, RandomLabels.chanceMargin)
        XCTAssertEqual(x.outcome, v.label)
        XCTAssertEqual(try XCTUnwrap(row(r, "true labels")).estimate, 0.21 - 0.9, accuracy: 1e-12)
        assertFiguresHaveTables(r)
    }

    func testRetestRowsAreTheVerdictsIntervals() throws {
        var g = Generator(seed: 5)
        let models = (0..<40).map { i -> Retest.Model in
            let a = 0.3 + 0.6 * Double(i) / 40 + 0.002 * g.normal()
            var m = Retest.Model(
                family: "f\((i / 2) % 6)", learningRate: 0.1, epochs: i / 2, seed: i % 2, original: a,
                fresh: a + 0.002 * g.normal(),
                shifted: 1.3 * a - 0.35, selected: i >= 28 && i % 2 == 1)
            m.controlAccuracies = (0..<20).map { _ in a + (a * (1 - a) / 100).squareRoot() * g.normal() }
            return m
        }
        let r = Retest().result(models, testCount: 2000, seconds: 0, command: "t")
        let control = try XCTUnwrap(row(r, "positive control: picks' extra drop, picked on 100 samples"))
        XCTAssertEqual(control.lower, r.verdicts[1].values["lower"]!, accuracy: 1e-15)
        XCTAssertEqual(control.upper, r.verdicts[1].values["upper"]!, accuracy: 1e-15)
        let picks = try XCTUnwrap(row(r, "picks' extra drop (original − fresh), picks − others"))
        XCTAssertEqual(picks.estimate, r.verdicts[2].values["extra_drop"]!, accuracy: 1e-15)
        XCTAssertEqual(picks.margin, r.verdicts[2].values["margin"]!, accuracy: 1e-15)
        XCTAssertEqual(
            picks.lower, r.verdicts[2].values["lower"]!, accuracy: 1e-15, "withinMargin decided on this Welch interval")
        let shift = try XCTUnwrap(row(r, "original − shifted accuracy, every model"))
        XCTAssertEqual(shift.estimate, r.verdicts[3].values["mean_shift_drop"]!, accuracy: 1e-15)
        assertFiguresHaveTables(r)
    }

    func testZooBestRowIsTheVerdictsLead() throws {
        let e = MeasureZoo(bases: 3, resamples: 300, seed: 1)
        let points = e.design()
        var g = Generator(seed: 9)
        let outcomes = points.indices.map { _ -> MeasureZoo.Outcome in
            let gap = 0.2 + 0.3 * g.uniform()
            var m = Dictionary(uniqueKeysWithValues: MeasureCatalog.all.map { ($0.name, 1 + g.uniform()) })
            m["pac-bayes-flatness"] = 10 * gap + 0.05 * g.normal()
            return MeasureZoo.Outcome(
                stopped: .targetLoss, steps: 10, epochs: 1, trainLoss: 0.01, trainError: 0, testError: gap, measures: m,
                problem: nil)
        }
        let r = e.result(points: points, outcomes: outcomes, seconds: 0, command: "t", notes: [])
        let v = r.verdicts[0]
        let best = try XCTUnwrap(row(r, "pac-bayes-flatness − params"))
        XCTAssertEqual(best.estimate, v.values["best_minus_reference"]!, accuracy: 1e-15)
        XCTAssertEqual(best.lower, v.values["best_minus_reference_lower"]!, accuracy: 1e-15)
        XCTAssertEqual(best.upper, v.values["best_minus_reference_upper"]!, accuracy: 1e-15)
        XCTAssertEqual(best.outcome, v.label)
        XCTAssertEqual(best.margin, MeasureZoo.tauMargin)
        // The τ chart names every measure: a forest over the measures table, τ and Ψ.
        let tau = try XCTUnwrap(r.figures.first { $0.file == "measures_tau.svg" })
        XCTAssertEqual(tau.kind, .forest)
        XCTAssertEqual(tau.x, "measure")
        XCTAssertEqual(tau.series.map(\.y), ["tau", "psi"])
        assertFiguresHaveTables(r)
    }

    /// result.json written before these fields existed still decodes, and the new ones round-trip.
    func testFigureSpecDecodesOldAndNew() throws {
        let old =
            #"{"file": "f.svg", "title": "t", "kind": "line", "table": "t", "x": "x", "xLabel": "x", "yLabel": "y", "#
            + #""xLog": false, "yLog": false, "fitLine": false, "series": [{"y": "y", "label": "y", "dashed": "#
            + #"false, "markers": false}]}"#
        let spec = try JSONDecoder().decode(FigureSpec.self, from: Data(old.utf8))
        XCTAssertNil(spec.published)
        XCTAssertNil(spec.margin)
        XCTAssertNil(spec.reference)
        let forest = FigureSpec.forest(
            file: "c.svg", title: "c", quantity: "λ_max", xLabel: "d",
            published: [PublishedMark(label: "p", x: 47, xUpper: 61, y: 0.54)])
        let back = try JSONDecoder().decode(FigureSpec.self, from: JSONEncoder().encode(forest))
        XCTAssertEqual(back, forest)
        XCTAssertFalse(
            String(decoding: try JSONEncoder().encode(spec), as: UTF8.self).contains("published"),
            "absent fields stay absent")
    }
}
