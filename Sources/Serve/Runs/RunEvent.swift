import Foundation

/// One server-sent event of a run: a number that increases by one within the run (the SSE `id`,
/// so a reconnecting browser resumes after the last one it saw), a type, and a JSON body.
public struct RunEvent: Sendable, Equatable {
    public var id: Int
    /// "status", "progress", "point", "partial", "result" or "end".
    public var type: String
    /// One line of JSON.
    public var data: String

    /// The event in the text/event-stream framing (one `data:` line: the JSON has no newlines).
    public var framed: String { "id: \(id)\nevent: \(type)\ndata: \(data)\n\n" }

    /// Parses a stream of framed events back (the tests' and the load test's reader).
    public static func parse(_ text: String) -> [RunEvent] {
        text.components(separatedBy: "\n\n").compactMap { block in
            var id: Int?
            var type = "message"
            var data = ""
            for line in block.split(separator: "\n") {
                if line.hasPrefix("id: ") {
                    id = Int(line.dropFirst(4))
                } else if line.hasPrefix("event: ") {
                    type = String(line.dropFirst(7))
                } else if line.hasPrefix("data: ") {
                    data = String(line.dropFirst(6))
                }
            }
            return id.map { RunEvent(id: $0, type: type, data: data) }
        }
    }
}

/// JSON text of an Encodable value, keys sorted (one line).
func jsonText<T: Encodable>(_ value: T) -> String {
    let e = JSONEncoder()
    e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    e.nonConformingFloatEncodingStrategy = .convertToString(
        positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return (try? e.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
}
