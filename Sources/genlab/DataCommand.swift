import ArgumentParser
import Datasets
import Experiments
import Foundation
import LinearAlgebra

struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "data", abstract: "Inspect datasets.", subcommands: [Describe.self])

    struct Describe: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sizes, classes, R = max‖x‖ and feature ranges of a dataset.",
            discussion: """
            SPEC is a name with options or a file path:
              fashion-mnist[:classes=trouser,bag,train=10000]
              mnist1d[:train=4000,test=1000,label-noise=0.15,shuffle-positions]
              separable:d=20,n=1000,margin=0.1      gaussian-mixture:d=2,k=3
              regression:f=sin,n=100,noise=0.1       teacher:d=20,width=32,k=2
              isotropic:p=100,n=200,noise=0.5        data.csv:label=y   data.libsvm   X.npy:labels=y.npy
            """)

        @Argument(help: "Dataset spec.") var spec: String
        @Flag(help: "Print JSON instead of text.") var json = false
        @OptionGroup var global: GlobalOptions

        func run() throws {
            global.apply()
            let split = try global.load(spec, needsTest: false)
            let summary = DatasetSummary(split)
            print(json ? try ResultFolder.encodeJSON(summary) : summary.text, terminator: json ? "" : "")
        }
    }
}
