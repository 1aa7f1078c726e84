/// A layer placed in a network: its kind (shapes, passes) and where its parameters start in θ.
public struct Layer: Sendable {
    public let kind: any LayerKind
    public let parameterOffset: Int

    public var spec: LayerSpec { kind.spec }
    public var input: Shape { kind.input }
    public var output: Shape { kind.output }
    public var inputFeatures: Int { kind.inputFeatures }
    public var outputFeatures: Int { kind.outputFeatures }
    public var weightCount: Int { kind.weightCount }
    public var parameterCount: Int { kind.parameterCount }
}
