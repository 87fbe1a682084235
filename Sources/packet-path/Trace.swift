import CaptureReplay
import Foundation
import OutputFiles
import ArgumentParser
import PathClassifier
import PathCore
import PathReporters
import VPCTopology

extension PacketPath {
    /// Explains one flow hop by hop.
    struct Trace: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Explain one flow hop by hop: interface, security group, network ACL, route, gateway or endpoint.")

        @OptionGroup var options: TopologyOptions

        /// The sender: an instance, interface or VPC-attached Lambda function name, or an address
        /// (an address outside the topology traces a connection in from the internet).
        @Option(help: ArgumentHelp("The sender: an instance, interface or VPC-attached Lambda function name, or an IP (an IP outside the topology traces inbound from the internet).", valueName: "name|ip"))
        var from: String

        /// The receiver: a name, an address, or an AWS service.
        @Option(help: ArgumentHelp("The receiver: a name, an IP, or an AWS service (s3, dynamodb, lambda, com.amazonaws.REGION.SERVICE).", valueName: "name|ip|service"))
        var to: String

        /// The IP protocol.
        @Option(name: .customLong("protocol"), help: ArgumentHelp("tcp, udp, icmp, icmpv6 or a protocol number.", valueName: "protocol"))
        var protocolName: String = "tcp"

        /// Destination port for TCP/UDP.
        @Option(help: "Destination port (default: the service's port, else 443).")
        var port: UInt16?

        /// Source port for TCP/UDP.
        @Option(name: .customLong("source-port"), help: "Source port (default: 40000, an ephemeral port).")
        var sourcePort: UInt16?

        /// ICMP type.
        @Option(name: .customLong("icmp-type"), help: "ICMP type (default: echo request).")
        var icmpType: UInt8?

        /// Resolve names to IPv6 addresses.
        @Flag(name: .customLong("ipv6"), help: "Resolve names to IPv6 addresses.")
        var ipv6 = false

        /// Output format.
        @Option(help: "Output format: text, json, or mermaid (the hops as a sequence diagram).")
        var format: TraceFormat = .text

        /// Judge the first packet alone.
        @Flag(name: .customLong("one-way"), help: "Judge the first packet alone; by default its reply is walked too (R19.7).")
        var oneWay = false

        /// Show one hop at a time.
        @Flag(help: "In a terminal, show one hop at a time and wait for Enter (a teaching lab's pace); elsewhere, the whole trace.")
        var step = false

        enum TraceFormat: String, ExpressibleByArgument, CaseIterable {
            case text
            case json
            /// A Mermaid sequence diagram of the hops.
            case mermaid
        }

        func validate() throws {
            guard let number = IPProtocolNumber(name: protocolName) else {
                throw ValidationError("'--protocol \(protocolName)' is not tcp, udp, icmp, icmpv6 or a number 0-255")
            }
            if !number.hasPorts && (port != nil || sourcePort != nil) {
                throw ValidationError("'--port' and '--source-port' apply to tcp and udp only")
            }
            if !number.isICMP && icmpType != nil { throw ValidationError("'--icmp-type' applies to icmp and icmpv6 only") }
        }

        func run() throws {
            let topology = try options.load()
            let request = FlowRequest(
                from: from, to: to, protocolNumber: IPProtocolNumber(name: protocolName)!, port: port, sourcePort: sourcePort,
                icmpType: icmpType, family: ipv6 ? .ipv6 : .ipv4)
            let resolver = NameResolver(topology: topology)
            let header: PacketHeader
            let classification: FlowClassification
            var dnsAnswer: String?
            if let inbound = resolver.resolveInbound(request, ordinal: 0) {
                // From the internet, to an address as the internet addresses it (R11.4, R19.6).
                header = inbound
                classification = Classifier(topology: topology).classifyInboundFlow(inbound, oneWay: oneWay)
            } else {
                let flow: ResolvedFlow
                do {
                    flow = try resolver.resolve(request, ordinal: 0)
                } catch {
                    printError("error: \(error)")
                    throw ExitStatus.badInput
                }
                header = flow.header
                dnsAnswer = flow.dnsAnswer
                classification = Classifier(topology: topology).classifyFlow(flow.header, from: flow.source, oneWay: oneWay)
            }
            let record = PacketRecord(frame: 1, header: header, flow: classification, name: "\(from) → \(to)")
            switch format {
            case .text:
                let text = TextReporter.trace(record, title: "\(from) → \(to)", dnsAnswer: dnsAnswer)
                if step && isatty(0) == 1 && isatty(1) == 1 {
                    try stepThrough(text)
                } else {
                    try printOutput(text)
                }
            case .json:
                try printOutput(JSONLinesReporter.trace(record, dnsAnswer: dnsAnswer))
            case .mermaid:
                try printOutput(TraceSequence.mermaid(record, title: "\(from) → \(to)"))
            }
        }
    
        /// Prints the trace up to its first hop, then each numbered hop after Enter, then the rest
        /// (the verdict) at once. End of input shows the rest without waiting.
        func stepThrough(_ text: String) throws {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            func isHop(_ line: String) -> Bool {
                let trimmed = line.drop { $0 == " " }
                return trimmed.first?.isNumber == true && trimmed.drop { $0.isNumber }.hasPrefix(". ")
            }
            var waiting = true
            for line in lines {
                if waiting && isHop(line) {
                    StandardError.write("  [Enter: next hop] ")
                    if readLine() == nil { waiting = false }
                }
                try printOutput(line)
            }
        }
    }
}
