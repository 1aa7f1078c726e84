import Datasets
import LinearAlgebra

extension RiskBoundExperiment {
    /// The settings a `separable:d=D,margin=M,radius=R` data spec stands for: the distribution's.
    public static func settings(separable data: String) throws -> [(key: String, text: String)] {
        try separableSettings(
            data,
            fields: ["d": "distribution.dimension", "margin": "distribution.margin", "radius": "distribution.radius"],
            grid: "sizes")
    }
}

extension DimensionFreeRisk {
    /// The settings a `separable:margin=M,radius=R` data spec stands for (d is the grid).
    public static func settings(separable data: String) throws -> [(key: String, text: String)] {
        try separableSettings(data, fields: ["margin": "margin", "radius": "radius"], grid: "dimensions")
    }
}

/// The fields a separable:… spec sets (the bounds need the distribution's margin and radius, so
/// no other data set); an option without a field is a usage error naming those there are.
func separableSettings(_ data: String, fields: [String: String], grid: String) throws -> [(key: String, text: String)] {
    let spec = try DatasetSpec(parsing: data)
    guard spec.name == "separable" else {
        throw GenLabError.parameter(
            name: "data",
            problem: "must be a separable:… spec (the bounds need the "
                + "distribution's margin and radius), got \"\(data)\"")
    }
    return try spec.options.map { k, v in
        guard let field = fields[k] else {
            throw GenLabError.parameter(
                name: "data",
                problem: "option \(k) does not apply here (use \(fields.keys.sorted().joined(separator: ", ")); "
                    + "the grid, `\(grid)`, is a setting of its own)")
        }
        return (field, v)
    }
}
