import ArgumentParser
import CaptureReplay
import PathClassifier
import PathCore
import PathReporters

extension PacketPath {
    /// Draws the network, and the paths of flows through it.
    struct Diagram: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Draw the network (VPCs, subnets with their route tables and ACLs, gateways, endpoints, peerings, transit gateways) as Graphviz DOT, Mermaid or SVG; with --flows or --from/--to, each path in its verdict's colour.")

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case dot
            case mermaid
            case svg
        }

        @OptionGroup var options: TopologyOptions

        @Option(help: ArgumentHelp("Flows whose paths to colour (a YAML flow file).", valueName: "file"))
        var flows: String?

        @Option(help: ArgumentHelp("Colour the path of one flow from this sender (with --to).", valueName: "name|ip"))
        var from: String?

        @Option(help: ArgumentHelp("The receiver of the --from flow.", valueName: "name|ip|service"))
        var to: String?

        @Option(name: .customLong("protocol"), help: ArgumentHelp("The --from flow's protocol: tcp, udp, icmp, icmpv6 or a number.", valueName: "protocol"))
        var protocolName: String = "tcp"

        @Option(help: "The --from flow's destination port (default: the service's port, else 443).")
        var port: UInt16?

        @Option(help: "Output format: dot (Graphviz), mermaid, or svg (rendered by Graphviz's dot).")
        var format: Format = .dot

        @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Write to this file (atomically) instead of standard output.", valueName: "file"))
        var output: String?

        func validate() throws {
            if (from == nil) != (to == nil) { throw ValidationError("give '--from' and '--to' together") }
            if from != nil && flows != nil { throw ValidationError("give '--flows' or '--from'/'--to', not both") }
            if IPProtocolNumber(name: protocolName) == nil { throw ValidationError("'--protocol \(protocolName)' is not tcp, udp, icmp, icmpv6 or a number 0-255") }
        }

        func run() throws {
            let topology = try options.load()
            var requests: [FlowRequest] = []
            var file = "--from/--to"
            if let flows {
                requests = try loadFlows(flows)
                file = flows
            } else if let from, let to {
                requests = [FlowRequest(from: from, to: to, protocolNumber: IPProtocolNumber(name: protocolName)!, port: port)]
            }
            let judged = try judgeFlows(requests, file: file, topology: topology, oneWay: false)
            let diagram = NetworkDiagram(topology: topology, flows: judged.map(\.classification))
            switch format {
            case .dot: try withOutput(output) { try $0.writeLine(diagram.dot()) }
            case .mermaid: try withOutput(output) { try $0.writeLine(diagram.mermaid()) }
            case .svg:
                let svg = try Graphviz.svgOrExit(diagram)
                try withOutput(output) { try $0.write(svg) }
            }
        }
    }
}
