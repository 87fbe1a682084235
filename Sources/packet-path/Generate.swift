import ArgumentParser
import CaptureReplay
import PacketSources
import PacketWire

extension PacketPath {
    /// Writes synthetic flows as a real capture.
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write synthetic flows as a pcap: TCP handshakes, data and FIN, UDP, ICMP, with checksums and timestamps.")

        @OptionGroup var options: TopologyOptions

        /// The YAML flow file.
        @Option(help: ArgumentHelp("Synthetic flows: a YAML flow file.", valueName: "file"))
        var flows: String

        /// The capture to write.
        @Option(name: [.customShort("o"), .customShort("w"), .long], help: ArgumentHelp("The pcap file to write (atomically; - for standard output).", valueName: "file"))
        var output: String

        /// The link type of the capture.
        @Option(name: .customLong("link-type"), help: "ethernet, sll2 or raw.")
        var linkType: GeneratedLinkType = .ethernet

        enum GeneratedLinkType: String, ExpressibleByArgument, CaseIterable {
            case ethernet
            case sll2
            case raw

            var value: LinkType {
                switch self {
                case .ethernet: return .ethernet
                case .sll2: return .linuxSLL2
                case .raw: return .raw
                }
            }
        }

        func run() throws {
            let topology = try options.load()
            let resolved = try resolveFlows(try loadFlows(flows), file: flows, topology: topology)
            let writer = try PcapFileWriter(path: output, linkType: linkType.value)
            let frames = try CaptureGenerator(topology: topology, linkType: linkType.value).generate(resolved, into: writer)
            try writer.commit()
            printError("\(output): \(frames) frames from \(resolved.count) flows")
        }
    }
}
