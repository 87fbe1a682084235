import ArgumentParser

extension PacketPath {
    /// Checks a scenario and reports every problem.
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a scenario (and optionally a flow file) and report every problem with file, line and key path.")

        @OptionGroup var options: TopologyOptions

        /// An optional flow file to check against the topology.
        @Option(help: ArgumentHelp("Also check that every flow of this file resolves.", valueName: "file"))
        var flows: String?

        func run() throws {
            let topology = try options.load()
            if let flows { _ = try resolveFlows(try loadFlows(flows), file: flows, topology: topology) }
            try printOutput(
                "\(options.topology): ok: \(topology.vpcs.count) VPC(s), \(topology.subnets.count) subnet(s), \(topology.routeTables.count) route table(s), \(topology.interfaces.count) interface(s)")
        }
    }
}
