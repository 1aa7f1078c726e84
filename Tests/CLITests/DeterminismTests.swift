import Experiments
import Foundation
import XCTest

/// The same seed, the same numbers: every experiment of the registry at tiny scale, run twice with
/// the same thread count (byte-identical tables), and with --threads 1 against --threads 2. BLAS
/// sums in another order on two threads, so there the tables agree to a stated tolerance, not to
/// the bit: measured, the largest difference is 7e-8 relative (Float networks), 1e-14 (Double),
/// and 4e-8 absolute in quantities that are zero up to rounding (a logit change, a distance).
/// A sweep killed and resumed is byte-identical too (KillAnywhereTests, MeasuresCommandTests).
final class DeterminismTests: XCTestCase {
    static let fashionInstalled = FileManager.default.fileExists(
        atPath: "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")
    /// Every registry experiment (those on Fashion-MNIST where it is installed, as in CI).
    static var experiments: [String] {
        Registry.entries.filter { Self.fashionInstalled || !$0.plan(.tiny).readsFashionMNIST }.map(\.folder)
    }
    static let relative = 1e-6, absolute = 1e-6

    /// Each CSV of a result folder, without the columns that time the run.
    func tables(_ dir: String) throws -> [String: [[String]]] {
        var out = [String: [[String]]]()
        for f in try FileManager.default.contentsOfDirectory(atPath: dir) where f.hasSuffix(".csv") {
            let rows = try String(contentsOfFile: dir + "/" + f, encoding: .utf8).split(separator: "\n").map {
                $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            }
            let keep = rows[0].indices.filter { !rows[0][$0].contains("seconds") }
            out[f] = rows.map { r in keep.map { $0 < r.count ? r[$0] : "" } }
        }
        return out
    }

    func testSameSeedSameTables() throws {
        if !Self.fashionInstalled {
            print(
                "DeterminismTests: Fashion-MNIST is not installed; its experiments are left out "
                    + "(scripts/install-deps.sh installs it)"
            )
        }
        XCTAssertGreaterThanOrEqual(Self.experiments.count, 20)
        for e in Self.experiments {
            var runs = [[String: [[String]]]]()
            for (k, threads) in ["1", "1", "2"].enumerated() {
                let dir = temporaryFolder()
                // The second run writes its live partial results, every prefix of its units analyzed
                // (genlab serve's view): the same tables, and a partial result of the experiment.
                let live = k == 1 ? ["--live-result", dir + "/live/result.json"] : []
                let r = try runGenlab(
                    ["run", e, "--scale", "tiny", "--threads", threads, "--out", dir, "--quiet"] + live,
                    environment: ["GENLAB_LIVE_INTERVAL": "0"])
                XCTAssertEqual(r.status, 0, "\(e): \(r.stderr)")
                runs.append(try tables(dir))
                if k == 1 && Registry.entry(folder: e)!.plan(.tiny).experiment is any LiveMeasurement {
                    let partial = LiveResult.read(dir + "/live/result.json")
                    XCTAssertEqual(partial?.experiment, Registry.entry(folder: e)!.name, "\(e): no live partial result")
                    XCTAssertTrue(
                        partial?.notes.contains { $0.hasPrefix("Partial: ") } == true, "\(e): \(partial?.notes ?? [])")
                }
            }
            XCTAssertEqual(runs[0], runs[1], "\(e): a run writing its live results differs from one that does not")
            XCTAssertEqual(Set(runs[0].keys), Set(runs[2].keys))
            for (name, a) in runs[0] {
                let b = runs[2][name]!
                XCTAssertEqual(a.count, b.count, "\(e)/\(name)")
                for (ra, rb) in zip(a, b) {
                    for (x, y) in zip(ra, rb) where x != y {
                        guard let u = Double(x), let v = Double(y) else {
                            XCTFail("\(e)/\(name): \(x) against \(y) with 2 threads")
                            continue
                        }
                        XCTAssertLessThanOrEqual(
                            abs(u - v), Self.absolute + Self.relative * max(abs(u), abs(v)),
                            "\(e)/\(name): \(x) against \(y) with 2 threads")
                    }
                }
            }
        }
    }
}
