import Foundation
import LinearAlgebra

/// Experiment values read from the registry, from a configuration file or from a result.json:
/// what `genlab run`, `genlab sweep plan` and `genlab rerun` build before they run anything, and
/// what a Swift caller uses to get the same value.
extension Registry {
    /// The entry of `folder`, or a usage error that lists the folders.
    public static func entry(named folder: String) throws -> RegistryEntry {
        guard let e = entry(folder: folder) else {
            throw GenLabError.usage(
                "no experiment \"\(folder)\"; choose from \(entries.map(\.folder).joined(separator: ", "))")
        }
        return e
    }

    /// The value of `folder` at `scale`, as its concrete type (the commands' starting points).
    public static func value<E: Experiment>(_ folder: String, at scale: Scale = .default, as _: E.Type = E.self) -> E {
        guard let e = entry(folder: folder)?.plan(scale).experiment as? E else {
            preconditionFailure("registry entry \(folder) is not a \(E.self)")
        }
        return e
    }

    /// The experiment of entry `folder` from a JSON file of its fields, or from a result.json (its
    /// configuration). A file that is missing or not such a JSON object is a data error naming it.
    public static func experiment(_ folder: String, configurationFile path: String) throws -> any Experiment {
        let entry = try entry(named: folder)
        guard case .object(var object) = try readJSON(path, expected: "a JSON object") else {
            throw GenLabError.data(source: path, expected: "a JSON object", found: "another JSON value")
        }
        // A result.json: its configuration.
        if case .object(let inner)? = object["configuration"], object["experiment"] != nil { object = inner }
        do { return try decode(name: entry.name, configuration: object) } catch let e as GenLabError { throw e } catch {
            throw GenLabError.data(source: path, expected: "the fields of \(entry.name)", found: "\(error)")
        }
    }

    /// The result a result.json (or the folder holding it) records, and the experiment value that
    /// reruns it (its configuration).
    public static func rerun(_ resultPath: String) throws -> (
        path: String, result: ExperimentResult, experiment: any Experiment
    ) {
        let path = resultPath.hasSuffix(".json") ? resultPath : resultPath + "/result.json"
        let old: ExperimentResult
        do { old = try readJSON(path, expected: "a result.json").decoded() } catch let e as GenLabError {
            throw e
        } catch {
            throw GenLabError.data(source: path, expected: "a GenLab result.json", found: "\(error)")
        }
        do { return (path, old, try decode(name: old.experiment, configuration: old.configuration)) } catch let e
            as GenLabError
        {
            throw e
        } catch {
            throw GenLabError.data(
                source: path, expected: "a configuration of \(old.experiment) (written by execute)", found: "\(error)",
                fix: "results written before GenLab 0.2 record a summary, not the experiment value")
        }
    }

    static func readJSON(_ path: String, expected: String) throws -> JSONValue {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GenLabError.data(source: path, expected: expected, found: "no such file")
        }
        do { return try JSONDecoder().decode(JSONValue.self, from: data) } catch {
            throw GenLabError.data(source: path, expected: "JSON", found: "text that does not parse (\(error))")
        }
    }
}
