import Experiments
import Foundation
import LinearAlgebra

/// What the page offers: every registry experiment, grouped by the talk's claim groups in the
/// talk's order, each with its settings as controls read off the experiment value at every scale
/// (the same `Parameter`s `genlab run NAME --parameters` lists).
public struct Catalog: Codable, Sendable, Equatable {
    public struct Group: Codable, Sendable, Equatable {
        public var title: String
        public var experiments: [Entry]
    }

    public struct Entry: Codable, Sendable, Equatable {
        /// The registry folder: what `genlab run` takes.
        public var folder: String
        public var name: String
        public var label: String
        /// The claim in the talk's words (empty for a tool).
        public var claim: String
        /// Whether the page redraws figure and verdicts while points or units arrive (`PartialAnalysis`,
        /// `LiveMeasurement`).
        public var live: Bool
        public var parameters: [Control]
    }

    /// One setting as a control: its kind, its value at each scale, and the range those span.
    public struct Control: Codable, Sendable, Equatable {
        public var key: String
        public var flag: String
        public var help: String
        /// "integer", "number", "bool", "list", "text" or "json" (a group of settings, or an unset optional).
        public var kind: String
        /// The option text at each scale (nil: not set at that scale).
        public var values: [String: String?]
        /// A slider's range for a number: the values the scales take, widened when they agree.
        public var min: Double?
        public var max: Double?
    }

    public var groups: [Group]
    public var scales: [String]

    /// The registry as controls.
    public static func registry() -> Catalog {
        var groups = [Group]()
        for entry in Registry.entries {
            let title = ClaimGroup.of(experiment: entry.name)?.rawValue ?? "Tools"
            let e = Entry(
                folder: entry.folder, name: entry.name, label: entry.label,
                claim: Registry.claim(of: entry.name)?.text ?? "",
                live: entry.plan(.tiny).isLive, parameters: controls(entry))
            if let i = groups.firstIndex(where: { $0.title == title }) {
                groups[i].experiments.append(e)
            } else {
                groups.append(Group(title: title, experiments: [e]))
            }
        }
        return Catalog(groups: groups, scales: Scale.allCases.map(\.rawValue))
    }

    /// The controls of an entry: its parameters at the default scale, valued at every scale.
    static func controls(_ entry: RegistryEntry) -> [Control] {
        let byScale = Dictionary(
            uniqueKeysWithValues: Scale.allCases.map { s in
                (
                    s.rawValue,
                    Dictionary(
                        entry.plan(s).experiment.parameters.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
                )
            })
        return entry.plan(.default).experiment.parameters.map { p in
            let values = Dictionary(
                uniqueKeysWithValues: Scale.allCases.map { s in
                    (s.rawValue, byScale[s.rawValue]?[p.key]?.value.map(Parameter.text))
                })
            let numbers = Scale.allCases.compactMap { byScale[$0.rawValue]?[p.key]?.value?.number }
            let (lo, hi) = range(numbers, integral: kind(p) == "integer")
            return Control(key: p.key, flag: p.flag, help: p.help, kind: kind(p), values: values, min: lo, max: hi)
        }
    }

    static func kind(_ p: Parameter) -> String {
        switch p.value {
        case .number?: return ["Int", "UInt64", "Int64", "UInt32", "Int32"].contains(p.type) ? "integer" : "number"
        case .bool?: return "bool"
        case .array?: return "list"
        case .string?: return "text"
        case .object?, .null?, nil: return "json"
        }
    }

    /// The span of a number's values over the scales; one value v alone spans [v/10, 10v] (a
    /// fraction in [0, 1], [0, 1]), so that a slider can move either way.
    static func range(_ values: [Double], integral: Bool) -> (Double?, Double?) {
        guard let lo = values.min(), let hi = values.max() else { return (nil, nil) }
        if lo < hi { return (lo, hi) }
        if lo == 0 { return (0, integral ? 10 : 1) }
        if !integral && lo > 0 && lo <= 1 { return (0, 1) }
        let a = lo > 0 ? lo / 10 : lo * 10
        let b = lo > 0 ? lo * 10 : lo / 10
        return integral ? (Swift.max(1, a.rounded(.down)), b.rounded(.up)) : (a, b)
    }
}
