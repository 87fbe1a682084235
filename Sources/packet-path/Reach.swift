import ArgumentParser
import PathClassifier
import PathCore
import PathReporters
import Reachability
import VPCTopology

extension PacketPath {
    /// Reachability questions over address classes: who can reach a destination, what a source
    /// can reach, and which rules one flow depends on.
    struct Reach: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Answer reachability questions: every source that can reach --to (interfaces, the internet, on-premises networks) and where the others stop; with --from, everything a source can reach; with both, the rules that flow depends on.",
            discussion: """
                Computed over address classes (docs/reach.md): everything outside the VPCs is cut \
                where any prefix of the topology begins or ends, so every address of a class gets \
                the same answer, and each class is walked once. Without --port, ports are cut the \
                same way by the security-group and network ACL rules.
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case text, json, dot, mermaid, svg, html
        }

        @OptionGroup var options: TopologyOptions

        @Option(help: ArgumentHelp("The destination: a name, an IP, or an AWS service.", valueName: "name|ip|service"))
        var to: String?

        @Option(help: ArgumentHelp("The source: an instance, interface or Lambda function name, or an IP outside the VPCs.", valueName: "name|ip"))
        var from: String?

        @Option(name: .customLong("protocol"), help: ArgumentHelp("tcp, udp, icmp, icmpv6 or a protocol number.", valueName: "protocol"))
        var protocolName: String = "tcp"

        @Option(help: "Destination port (default: every port, answered per port class).")
        var port: UInt16?

        @Flag(name: .customLong("ipv6"), help: "Ask about IPv6 addresses.")
        var ipv6 = false

        @Flag(name: .customLong("one-way"), help: "Judge first packets alone; by default replies are walked too (R19.7).")
        var oneWay = false

        @Option(help: "Output format: text, json, dot, mermaid or svg (the diagram with every party's path), or html (a self-contained report).")
        var format: Format = .text

        @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Write to this file (atomically) instead of standard output.", valueName: "file"))
        var output: String?

        func validate() throws {
            if to == nil && from == nil { throw ValidationError("give '--to', '--from', or both") }
            if IPProtocolNumber(name: protocolName) == nil { throw ValidationError("'--protocol \(protocolName)' is not tcp, udp, icmp, icmpv6 or a number 0-255") }
            if to != nil && from != nil && ![Format.text, .json].contains(format) { throw ValidationError("one flow's rules are written as text or json") }
        }

        var question: ReachQuestion {
            ReachQuestion(protocolNumber: IPProtocolNumber(name: protocolName)!, port: port, family: ipv6 ? .ipv6 : .ipv4, oneWay: oneWay)
        }

        func run() throws {
            let topology = try options.load()
            let engine = Reachability(topology: topology)
            let classes = AddressClasses(topology: topology, family: question.family)
            if let from, let to { return try oneFlow(engine, classes: classes, from: from, to: to) }
            let answers: [ReachAnswer]
            let render: ReachText
            if let to {
                answers = engine.sources(reaching: to, question)
                render = ReachText(topology: topology, question: question, direction: .to, subject: to)
            } else {
                do {
                    answers = try engine.destinations(from: from!, question)
                } catch {
                    printError("error: --from: \(error)")
                    throw ExitStatus.badInput
                }
                render = ReachText(topology: topology, question: question, direction: .from, subject: from!)
            }
            // A destination no party can resolve (a typo) is an error, not a list of parties not asked.
            if let unresolved = answers.first?.unresolved, answers.allSatisfy({ $0.unresolved != nil }) {
                printError("error: --to: \(unresolved)")
                throw ExitStatus.badInput
            }
            let flows = answers.flatMap { $0.outcomes.map(\.flow) }
            switch format {
            case .text: try writeText(render.text(answers, classes: classes.classes.count), to: output)
            case .json: try withOutput(output) { try $0.writeLine(render.json(answers, classes: classes.classes.count)) }
            case .dot: try withOutput(output) { try $0.writeLine(NetworkDiagram(topology: topology, flows: flows).dot()) }
            case .mermaid: try withOutput(output) { try $0.writeLine(NetworkDiagram(topology: topology, flows: flows).mermaid()) }
            case .svg:
                let svg = try Graphviz.svgOrExit(NetworkDiagram(topology: topology, flows: flows))
                try withOutput(output) { try $0.write(svg) }
            case .html:
                let report = HTMLReport(reach: answers, render: render, topology: topology, topologyFile: options.topology, diagram: Graphviz.reportDiagram(NetworkDiagram(topology: topology, flows: flows)))
                try withOutput(output) { try $0.writeLine(report.html()) }
            }
        }

        /// One flow, the classes it stands for, and the rules it depends on.
        func oneFlow(_ engine: Reachability, classes: AddressClasses, from: String, to: String) throws {
            let outcome: ReachOutcome
            do {
                outcome = try engine.flow(from: from, to: to, question)
            } catch {
                printError("error: \(error)")
                throw ExitStatus.badInput
            }
            let render = ReachText(topology: engine.topology, question: question, direction: .from, subject: from)
            let outside = { (address: IPAddress) in engine.topology.addressOwners[address] == nil ? classes.classOf(address) : nil }
            // The port class of the port walked (the service's, else 443, without --port).
            let portClass = outcome.header.destinationPort.flatMap { port in
                PortClasses(topology: engine.topology, protocolNumber: question.protocolNumber).classes.compactMap { $0 }.first { $0.contains(port) }
            }
            switch format {
            case .json:
                let answer = ReachAnswer(party: .service(to), outcomes: [outcome], unresolved: nil)
                try withOutput(output) { try $0.writeLine(render.json([answer], classes: classes.classes.count)) }
            default:
                try writeText(
                    render.flowText(
                        outcome, destination: to, sourceClass: outside(outcome.header.source), destinationClass: outside(outcome.header.destination),
                        portClass: portClass), to: output)
            }
        }
    }
}
