/// A claim of the talk in our own words, with the slides of ../shared/TALK.txt it comes from
/// (the registry states them; a report shows them).
public struct Claim: Sendable {
    public var title: String
    public var text: String
    public var slides: [String]
    public init(title: String, text: String, slides: [String]) {
        self.title = title
        self.text = text
        self.slides = slides
    }
}

/// What a report knows of the talk, handed to it by the layer that knows the experiments (the
/// registry: `ReportCatalog.talk` in Experiments): the order of the experiments, each one's claim
/// and its claim group. The report reads result folders and this, nothing else.
public struct ReportCatalog: Sendable {
    /// An experiment's place in the talk (by its name in result.json); unknown names go last.
    public var order: @Sendable (String) -> Int
    /// An experiment's claim, nil for tools outside the talk.
    public var claim: @Sendable (String) -> Claim?
    /// An experiment's claim group, nil for tools outside the talk.
    public var group: @Sendable (String) -> String?
    /// The claim groups in the talk's order: the report's opening lines.
    public var groups: [String]

    public init(
        order: @escaping @Sendable (String) -> Int, claim: @escaping @Sendable (String) -> Claim?,
        group: @escaping @Sendable (String) -> String?, groups: [String]
    ) {
        self.order = order
        self.claim = claim
        self.group = group
        self.groups = groups
    }

    /// No talk: folders in name order, no claims, no groups (a report of results alone).
    public static let none = ReportCatalog(order: { _ in 0 }, claim: { _ in nil }, group: { _ in nil }, groups: [])
}
