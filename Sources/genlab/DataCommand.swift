import ArgumentParser
import Datasets
import Experiments
import Learners

struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract:
            "Inspect and export datasets; `genlab data spec-help` lists the specs, `model-help` the models.",
        subcommands: [Describe.self, Export.self, SpecHelp.self, ModelHelp.self])

    struct Describe: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sizes, classes, R = max‖x‖ and feature ranges of a dataset.",
            discussion: "SPEC is a name with options or a file path; `genlab data spec-help` lists them all.")

        @Argument(help: "Dataset spec.") var spec: String
        @Flag(help: "Print JSON instead of text.") var json = false
        @OptionGroup var global: GlobalOptions

        func run() throws {
            global.apply()
            let split = try global.load(spec)
            let summary = DatasetSummary(split)
            print(json ? try ResultFolder.encodeJSON(summary) : summary.text, terminator: json ? "" : "")
        }
    }
}

extension DataCommand {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Write any data set GenLab loads or generates as NPY or CSV files, for numpy, pandas and other tools.",
            discussion: """
                Writes PART_x.npy / PART_y.npy (or PART.csv) for train, test and validation; with label noise
                the clean labels and the mask of flipped labels; planted vectors of synthetic sets
                (planted_NAME.npy); and dataset.json (spec, class names, sizes, split, planted facts,
                fingerprint). The folder is written whole or not at all.
                """)
        @Argument(help: "Dataset spec (genlab data spec-help lists them).") var spec: String
        @Option(help: "npy or csv.") var format: DataExport.Format = .npy
        @Option(help: "Folder to create (it must not exist or be empty).") var out: String
        @OptionGroup var global: GlobalOptions

        func run() throws {
            global.apply()
            let split = try global.load(spec)
            let m = try DataExport.write(split, format: format, to: out)
            print("wrote \(out)/: \(m.files.joined(separator: ", "))")
            print(split.splitSummary)
        }
    }

    struct SpecHelp: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "spec-help", abstract: "Every data set and every option of a dataset spec.")
        func run() throws { print(DatasetSpec.helpText) }
    }

    struct ModelHelp: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "model-help", abstract: "Every model and every option of a model spec (--model).")
        func run() throws { print(ModelSpec.helpText) }
    }
}

extension DataExport.Format: ExpressibleByArgument {}
