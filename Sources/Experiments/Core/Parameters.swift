import Foundation
import LinearAlgebra

/// One setting of an experiment, read off the experiment value itself: its key in the
/// configuration (a dotted path into nested settings, e.g. "grid.widths"), its value, and the
/// help text of the field's doc comment. The options of `genlab run NAME`, the command lines the
/// registry shows and the list `genlab run NAME --parameters` prints all come from these, so an
/// option is one field with a doc comment and cannot drift from the value.
public struct Parameter: Equatable, Sendable {
    /// The configuration key, e.g. "maxEpochs" or "grid.widths".
    public var key: String
    /// The value in the experiment (nil: an optional setting that is not set).
    public var value: JSONValue?
    /// The field's doc comment (empty when the field has none).
    public var help: String
    /// The field's Swift type, e.g. "Int", "Optional<Double>", "Array<Int>" (what a number must be).
    public var type: String = ""
    /// The values an enumerated setting takes (empty for any other).
    public var choices: [String] = []

    /// Whether the setting holds integers (so 2.5 is refused before decoding).
    var integral: Bool {
        ["Int", "UInt64", "Int64", "UInt32", "Int32"].contains {
            type == $0 || type == "Optional<\($0)>" || type == "Array<\($0)>"
        }
    }

    /// The command-line option: the key in kebab case, e.g. "--max-epochs", "--grid.widths".
    public var flag: String { "--" + Parameter.kebab(key) }

    /// "maxEpochs" → "max-epochs" (each dotted part on its own).
    public static func kebab(_ key: String) -> String {
        key.split(separator: ".", omittingEmptySubsequences: false).map { part in
            var out = ""
            for c in part {
                if c.isUppercase {
                    if !out.isEmpty { out += "-" }
                    out += c.lowercased()
                } else {
                    out.append(c)
                }
            }
            return out
        }.joined(separator: ".")
    }

    /// The value as an option takes it: numbers as they read back, lists comma-separated (';'
    /// between strings, which may hold commas themselves), nested settings as JSON.
    public static func text(_ v: JSONValue) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return String(b)
        case .number(let d): return formatNumber(d)
        case .string(let s): return s
        case .array(let a):
            if a.allSatisfy({ $0.string != nil }) { return a.map { $0.string! }.joined(separator: ";") }
            if a.allSatisfy({ $0.number != nil }) { return a.map { formatNumber($0.number!) }.joined(separator: ",") }
            return json(v)
        case .object: return json(v)
        }
    }

    /// Settings as a command line gives them, `--name value` or `--name=value`, in order: what
    /// `Experiment.setting` takes. Anything else is a usage error naming the word.
    public static func settings(_ words: [String]) throws -> [(key: String, text: String)] {
        var pairs = [(key: String, text: String)]()
        var i = 0
        while i < words.count {
            let w = words[i]
            guard w.hasPrefix("--"), w.count > 2 else {
                throw GenLabError.usage("expected a setting --NAME VALUE, got \"\(w)\"")
            }
            if let eq = w.firstIndex(of: "=") {
                pairs.append((String(w[w.index(w.startIndex, offsetBy: 2)..<eq]), String(w[w.index(after: eq)...])))
                i += 1
            } else {
                guard i + 1 < words.count else { throw GenLabError.usage("\(w) needs a value") }
                pairs.append((String(w.dropFirst(2)), words[i + 1]))
                i += 2
            }
        }
        return pairs
    }

    /// Each setting of `e` on two lines, its option with the value, then its help: what
    /// `--parameters` prints.
    public static func list(_ e: any Configurable) -> [String] {
        e.parameters.flatMap { p in
            [p.flag + " " + (p.value.map(Parameter.text) ?? "(not set)")] + (p.help.isEmpty ? [] : ["    " + p.help])
        }
    }

    static func json(_ v: JSONValue) -> String {
        let e = JSONEncoder()
        e.outputFormatting = .sortedKeys
        return (try? e.encode(v)).map { String(decoding: $0, as: UTF8.self) } ?? "\(v)"
    }
}

extension Configurable {
    /// Every setting of the value, nested settings flattened to dotted keys, in the order of the
    /// value's fields. Optional settings that are not set are listed with a nil value.
    public var parameters: [Parameter] {
        guard let configuration = try? configuration() else { return [] }
        return Parameters.flatten(self, configuration: configuration, prefix: "")
    }

    /// The value with some settings replaced, each given as option text (`Parameter.text`'s
    /// forms): "--seeds 3" is `("seeds", "3")`. The result is decoded back through the value's
    /// own Codable conformance, so a setting of the wrong type is an error naming it, never a
    /// silently different experiment. Keys may be kebab or camel case; an unknown key is an
    /// error that lists the known ones.
    public func setting(_ settings: [(key: String, text: String)]) throws -> Self {
        guard !settings.isEmpty else { return self }
        guard case .object(var object) = try JSONValue.encoding(self) else {
            throw GenLabError.run("\(name): the configuration is not a JSON object")
        }
        let known = parameters
        for (rawKey, text) in settings {
            let path = try Parameters.resolve(rawKey, known: known, experiment: name)
            let current = Parameters.value(at: path, in: object)
            let flag = "--" + Parameter.kebab(path.joined(separator: "."))
            if let p = known.first(where: { $0.key == path.joined(separator: ".") }), text != "null" {
                try Parameters.check(text, among: p.choices, flag: flag, experiment: name)
            }
            let parsed = try Parameters.parse(text, like: current, flag: flag)
            if known.first(where: { $0.key == path.joined(separator: ".") })?.integral == true {
                let numbers = {
                    if case .array(let a) = parsed { return a.compactMap(\.number) }
                    return parsed.number.map { [$0] } ?? []
                }()
                guard numbers.allSatisfy({ $0 == $0.rounded() && abs($0) < 9.0e15 }) else {
                    throw GenLabError.usage("\(name): \(flag) must be an integer, got \(text)")
                }
            }
            Parameters.set(parsed, at: path, in: &object)
        }
        do { return try JSONValue.object(object).decoded(as: Self.self) } catch let e as DecodingError {
            throw GenLabError.usage("\(name): " + Parameters.describe(e))
        }
    }

    /// The options that turn `base` into this value (equal experiments give none): what a
    /// command line shows after `genlab run NAME` to build exactly this value.
    public func options(from base: Self) -> [String] {
        let mine = parameters
        let theirs = Dictionary(base.parameters.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        var out = [String]()
        for p in mine where theirs[p.key] != p.value {
            out += [p.flag, p.value.map(Parameter.text) ?? "null"]
        }
        // A setting of the base that this value leaves unset (an optional cleared).
        let mineKeys = Set(mine.map(\.key))
        for (key, value) in theirs.sorted(by: { $0.key < $1.key }) where !mineKeys.contains(key) && value != nil {
            out += ["--" + Parameter.kebab(key), "null"]
        }
        return out
    }
}

/// The pieces of `Parameter` handling that need no experiment.
enum Parameters {
    /// Leaves of the configuration in the order of the value's fields (Mirror), nested structs
    /// (JSON objects) flattened with their own fields' doc comments.
    static func flatten(_ value: Any, configuration: [String: JSONValue], prefix: String) -> [Parameter] {
        let typeName = Self.typeName(of: value)
        var out = [Parameter]()
        var seen = Set<String>()
        let children = Mirror(reflecting: value).children.compactMap { c -> (String, Any)? in
            guard var label = c.label else { return nil }
            if label.hasPrefix("_") { label.removeFirst() }
            return (label, c.value)
        }
        for (label, child) in children {
            guard configuration.keys.contains(label) || isNil(child) else { continue }
            seen.insert(label)
            let help = ParameterHelp.fields[typeName]?[label] ?? ""
            if case .object(let nested)? = configuration[label], let inner = unwrap(child), !(inner is [String: Any]) {
                out += flatten(inner, configuration: nested, prefix: prefix + label + ".")
            } else {
                out.append(
                    Parameter(
                        key: prefix + label, value: configuration[label], help: help,
                        type: String(describing: Swift.type(of: child)), choices: choices(of: Swift.type(of: child))))
            }
        }
        // Keys the encoder wrote that are not stored fields (custom encodings): listed, without help.
        for key in configuration.keys.sorted() where !seen.contains(key) {
            out.append(Parameter(key: prefix + key, value: configuration[key], help: ""))
        }
        return out
    }

    /// A value of an enumerated setting, checked against its cases (any text for other settings).
    static func check(_ text: String, among choices: [String], flag: String, experiment: String) throws {
        guard let last = choices.last, !choices.contains(text) else { return }
        throw GenLabError.usage(
            "\(experiment): \(flag) must be \(choices.dropLast().joined(separator: ", ")) or \(last), got \"\(text)\"")
    }

    /// The raw values of an enumeration's cases (of an optional one's too); empty for other types.
    static func choices(of type: Any.Type) -> [String] {
        if let o = type as? any OptionalType.Type { return choices(of: o.wrapped) }
        guard let cases = type as? any CaseIterable.Type else { return [] }
        return cases.rawValues
    }

    static func typeName(of value: Any) -> String {
        var name = String(describing: type(of: unwrap(value) ?? value))
        if let dot = name.lastIndex(of: ".") { name = String(name[name.index(after: dot)...]) }
        return name
    }

    /// The wrapped value of an Optional (nil for .none), the value itself otherwise.
    static func unwrap(_ value: Any) -> Any? {
        let m = Mirror(reflecting: value)
        guard m.displayStyle == .optional else { return value }
        return m.children.first?.value
    }

    static func isNil(_ value: Any) -> Bool {
        Mirror(reflecting: value).displayStyle == .optional && Mirror(reflecting: value).children.isEmpty
    }

    /// The path of a key given as an option ("max-epochs", "maxEpochs", "grid.widths").
    static func resolve(_ raw: String, known: [Parameter], experiment: String) throws -> [String] {
        let key = raw.hasPrefix("--") ? String(raw.dropFirst(2)) : raw
        if let p = known.first(where: { $0.key == key || Parameter.kebab($0.key) == key }) {
            return p.key.split(separator: ".").map(String.init)
        }
        throw GenLabError.usage(
            "\(experiment) has no parameter \"\(key)\"; its parameters: "
                + known.map { Parameter.kebab($0.key) }.joined(separator: ", "))
    }

    static func value(at path: [String], in object: [String: JSONValue]) -> JSONValue? {
        guard let head = path.first else { return nil }
        if path.count == 1 { return object[head] }
        guard case .object(let inner)? = object[head] else { return nil }
        return value(at: Array(path.dropFirst()), in: inner)
    }

    static func set(_ v: JSONValue, at path: [String], in object: inout [String: JSONValue]) {
        guard let head = path.first else { return }
        if path.count == 1 {
            object[head] = v == .null ? nil : v
            return
        }
        var inner: [String: JSONValue] = [:]
        if case .object(let o)? = object[head] { inner = o }
        set(v, at: Array(path.dropFirst()), in: &inner)
        object[head] = .object(inner)
    }

    /// Option text as JSON of the current value's shape: a number for a number, a list for a
    /// list; JSON literals ([…], {…}) and "null" (unset an optional) are taken as they are.
    static func parse(_ text: String, like current: JSONValue?, flag: String) throws -> JSONValue {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t == "null" { return .null }
        if t.hasPrefix("[") || t.hasPrefix("{") {
            do { return try JSONDecoder().decode(JSONValue.self, from: Data(t.utf8)) } catch {
                throw GenLabError.usage("\(flag): \"\(text)\" is not valid JSON")
            }
        }
        switch current {
        case .number?: return try number(Substring(t), flag: flag)
        case .bool?:
            switch t.lowercased() {
            case "true", "yes", "1": return .bool(true)
            case "false", "no", "0": return .bool(false)
            default: throw GenLabError.usage("\(flag) takes true or false, got \"\(text)\"")
            }
        case .array(let a)?: return try list(t, like: a, flag: flag)
        case .object?:
            throw GenLabError.usage(
                "\(flag) is a group of settings: give them one by one (\(flag).NAME VALUE) or as a JSON object")
        case .string?: return .string(t)
        case .null?, nil: return unsetOptional(t)
        }
    }

    static func number(_ s: Substring, flag: String) throws -> JSONValue {
        let trimmed = s.trimmingCharacters(in: .whitespaces)
        guard let d = Double(trimmed), d.isFinite else {
            throw GenLabError.usage("\(flag) takes numbers, got \"\(trimmed)\"")
        }
        return .number(d)
    }

    /// A list like `current`: a geometric grid of integers, as the sweeps' notebooks write it;
    /// strings separated by ';' (a model spec holds commas), numbers by ','.
    static func list(_ t: String, like current: [JSONValue], flag: String) throws -> JSONValue {
        if let grid = try Grid.parse(t) { return .array(grid.map { .number(Double($0)) }) }
        let strings = current.first.map { $0.string != nil } ?? t.contains(";")
        if strings { return .array(t.split(separator: ";").map { .string($0.trimmingCharacters(in: .whitespaces)) }) }
        return .array(try t.split(separator: ",").map { try number($0, flag: flag) })
    }

    /// An optional that is not set: a number if it reads as one, a list of numbers if its
    /// comma-separated parts do (--range -2,2), else text.
    static func unsetOptional(_ t: String) -> JSONValue {
        if let d = Double(t), d.isFinite { return .number(d) }
        let parts = t.split(separator: ",", omittingEmptySubsequences: false).map {
            Double($0.trimmingCharacters(in: .whitespaces))
        }
        if parts.count > 1, parts.allSatisfy({ $0?.isFinite == true }) { return .array(parts.map { .number($0!) }) }
        if t == "true" || t == "false" { return .bool(t == "true") }
        return .string(t)
    }

    /// A decoding error in the words of the parameter it is about.
    static func describe(_ e: DecodingError) -> String {
        func path(_ c: DecodingError.Context) -> String {
            let keys = c.codingPath.map(\.stringValue).filter { Int($0) == nil }
            return keys.isEmpty ? "the configuration" : "--" + Parameter.kebab(keys.joined(separator: "."))
        }
        switch e {
        case .typeMismatch(let t, let c): return "\(path(c)) must be \(Self.words(for: t)) (\(c.debugDescription))"
        case .valueNotFound(let t, let c): return "\(path(c)) must be \(Self.words(for: t)), and cannot be unset"
        case .keyNotFound(let k, let c): return "\(path(c)) lacks \(k.stringValue)"
        case .dataCorrupted(let c):
            return "\(path(c)): \(c.debugDescription)" + (c.underlyingError.map { " (\($0))" } ?? "")
        @unknown default: return "\(e)"
        }
    }

    static func words(for t: Any.Type) -> String {
        switch String(describing: t) {
        case "Int", "UInt64", "Int64", "UInt32": return "an integer"
        case "Double", "Float": return "a number"
        case "String": return "text"
        case "Bool": return "true or false"
        case let name where name.hasPrefix("Array<"): return "a list (numbers comma-separated, text ';'-separated)"
        default: return "a \(t)"
        }
    }
}

/// An Optional's wrapped type, for `Parameters.choices(of:)`.
protocol OptionalType { static var wrapped: Any.Type { get } }
extension Optional: OptionalType { static var wrapped: Any.Type { Wrapped.self } }

extension CaseIterable {
    /// The cases' raw values, where they are strings.
    fileprivate static var rawValues: [String] {
        allCases.compactMap { ($0 as? any RawRepresentable)?.rawValue as? String }
    }
}
