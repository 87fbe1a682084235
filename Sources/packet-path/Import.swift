import ArgumentParser
import EC2Snapshot
import ScenarioFormat
import VPCTopology

extension PacketPath {
    /// Writes an AWS snapshot folder as an editable YAML scenario.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a folder of aws ec2 describe-* JSON as a YAML scenario, for what-if edits.")

        /// The snapshot folder.
        @Argument(help: ArgumentHelp("A folder of aws ec2 describe-* JSON (docs/aws-snapshots.md).", valueName: "dir"))
        var snapshot: String

        /// Where to write the scenario; standard output by default.
        @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Write the scenario to this file (atomically) instead of standard output.", valueName: "file"))
        var output: String?

        func run() throws {
            let topology = try loadTopology(snapshot)
            var writer = ScenarioWriter(topology: topology)
            let yaml = writer.yaml(title: snapshot)
            for warning in writer.warnings { printError("\(snapshot): warning: \(warning)") }
            try withOutput(output) { try $0.writeLine(String(yaml.dropLast())) }
            // A snapshot can hold what AWS would refuse (addresses outside their subnet, …): the file is
            // written so it can be fixed, and the problems are listed.
            do {
                _ = try ScenarioLoader.load(yaml, file: output ?? "<standard output>")
            } catch {
                report(error.diagnostics)
                printError("\(snapshot): error: the scenario was written but does not load until the problems above are fixed")
                throw ExitStatus.badInput
            }
        }
    }
}
