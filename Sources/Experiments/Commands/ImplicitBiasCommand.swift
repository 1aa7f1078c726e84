import Common

extension Commands {
    /// `--axis` chooses the experiment; every other word is a setting of its value.
    public enum ImplicitBiasCommand: CommandDefinition {
        public static let name = "implicit-bias"
        public static let abstract =
            "The solution gradient descent picks among many: the minimum-norm fit of under-determined least squares "
            + "(--axis least-squares), or the max-margin direction of separable logistic regression (--axis logistic, "
            + "Soudry et al.)."
        public enum Axis: String, CaseIterable {
            case leastSquares = "least-squares"
            case logistic
            var folder: String { "implicit-bias-" + rawValue }
        }
        public static var help: String {
            "--axis least-squares or logistic (required).\n\n"
                + Axis.allCases.map { "--axis \($0.rawValue):\n" + OptionNames().help(Registry.planned($0.folder)) }
                .joined(separator: "\n\n")
        }

        /// With a data set the planted settings do not apply: giving one is an error, not ignored.
        public static func experiment(_ words: [String], at scale: Scale) throws -> any Experiment {
            var words = words
            guard let axis = try Choice.take("axis", from: &words, as: Axis.self) else {
                throw GenLabError.usage("implicit-bias needs --axis least-squares or --axis logistic")
            }
            let settings = try OptionNames().settings(words)
            let given = Set(settings.map(\.key))
            let planted = axis == .logistic ? ["samples", "features", "margin"] : ["features", "noise"]
            if given.contains("data"), let p = planted.first(where: given.contains) {
                throw GenLabError.usage(
                    "--\(p) describes planted data; with --data the "
                        + (axis == .logistic ? "samples" : "features and targets") + " are the data set's")
            }
            return try Registry.planned(axis.folder, at: scale).setting(settings)
        }
    }
}
