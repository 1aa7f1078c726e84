/// The failures a user can cause. Our own bugs are `precondition`s instead; a run that did not
/// converge is a field of its result, not an error.
public enum GenLabError: Error, CustomStringConvertible, Equatable {
    /// Bad usage: an option or spec that does not parse or is out of range. Exit code 2.
    case usage(String)
    /// A file or dataset that is missing or not what it should be. Exit code 1.
    case data(source: String, expected: String, found: String, fix: String? = nil)
    /// A run that cannot go on (for example, a numerical failure). Exit code 1.
    case run(String)
    /// A setting out of its range, named by its parameter: the field a Swift user or a `--config`
    /// file sets (`learningRate`), since the library cannot know which option, if any, gave it; a
    /// command adds the option it was given as. Exit code 2.
    case parameter(name: String, problem: String)

    public var exitCode: Int32 {
        switch self {
        case .usage, .parameter: return 2
        case .data, .run: return 1
        }
    }

    public var description: String {
        switch self {
        case .usage(let message): return message
        case .parameter(let name, let problem): return name + " " + problem
        case .data(let source, let expected, let found, let fix):
            return "\(source): expected \(expected), found \(found)" + (fix.map { "; \($0)" } ?? "")
        case .run(let message): return message
        }
    }
}
