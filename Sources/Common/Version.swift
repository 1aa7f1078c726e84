/// The GenLab version written into every result.
public let genlabVersion = "0.2.0"
