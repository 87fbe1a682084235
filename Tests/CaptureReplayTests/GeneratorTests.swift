import CaptureReplay
import Foundation
import PacketSources
import PacketWire
import PathClassifier
import PathCore
import ScenarioFormat
import Testing
import VPCTopology
import _PacketPathTestSupport

@Suite("Synthetic captures")
struct GeneratorTests {
    @Test("built frames decode back to the same fields, with valid checksums", arguments: [LinkType.ethernet, .linuxSLL2, .raw])
    func roundTrip(_ linkType: LinkType) throws {
        let builder = FrameBuilder(linkType: linkType)
        for (source, destination) in [("10.0.7.10", "52.216.0.9"), ("2400:6500::10", "2600:1f18::1")] {
            for number in [IPProtocolNumber.tcp, .udp, source.contains(":") ? .icmpv6 : .icmp] {
                var packet = FrameBuilder.Packet(source: IPAddress(source)!, destination: IPAddress(destination)!, protocolNumber: number)
                packet.sourcePort = 40000
                packet.destinationPort = 443
                packet.tcpFlags = 0x12
                packet.icmpType = number == .icmpv6 ? 128 : 8
                packet.payload = [1, 2, 3]
                let frame = builder.frame(packet, sourceMAC: [2, 0, 0, 0, 0, 2], destinationMAC: [2, 0, 0, 0, 0, 1])
                let content = frame.withUnsafeBytes { FrameDecoder().decode($0, linkType: linkType) }
                guard case .packet(let decoded) = content else {
                    Issue.record("\(number) \(source): \(content)")
                    continue
                }
                #expect(decoded.header.source == packet.source && decoded.header.destination == packet.destination)
                #expect(decoded.header.protocolNumber == number)
                if number.hasPorts { #expect(decoded.header.sourcePort == 40000 && decoded.header.destinationPort == 443) }
                if number == .tcp { #expect(decoded.tcpFlags == 0x12) }
                if number.isICMP { #expect(decoded.header.icmpType == packet.icmpType) }
                // The IPv4 header checksum verifies: the sum over the header is all ones.
                let ipStart = frame.count - decoded.ipLength
                if case .v4 = packet.source { #expect(FrameBuilder.checksum(Array(frame[ipStart..<ipStart + 20])) == 0) }
            }
        }
    }

    @Test("every bundled scenario's flows, generated and replayed, get the verdicts replay --flows gives", arguments: [
        "Scenarios/seed/after.yaml|Scenarios/seed/flows.yaml", "Scenarios/multi-tier/scenario.yaml|Scenarios/multi-tier/flows.yaml",
        "Scenarios/lambda-in-vpc/scenario.yaml|Scenarios/lambda-in-vpc/flows.yaml",
    ])
    func generatedCapturesClassifyLikeFlows(_ pair: String) throws {
        let parts = pair.split(separator: "|").map { Corpus.packageRoot.appendingPathComponent(String($0)).path }
        let topology = try ScenarioLoader.load(try String(contentsOfFile: parts[0], encoding: .utf8), file: parts[0]).0
        let requests = try FlowFileLoader.load(try String(contentsOfFile: parts[1], encoding: .utf8), file: parts[1])
        let resolver = NameResolver(topology: topology)
        let classifier = Classifier(topology: topology)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("packet-path-generate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (index, request) in requests.enumerated() {
            let flow = try resolver.resolve(request, ordinal: index)
            let expected = classifier.classify(flow.header, from: flow.source)
            let path = directory.appendingPathComponent("\(index).pcap").path
            let writer = try PcapFileWriter(path: path, linkType: .ethernet)
            try CaptureGenerator(topology: topology, linkType: .ethernet).generate([flow], into: writer)
            try writer.commit()
            let (records, error) = Fixture.replay(path, topology: topology)
            #expect(error == nil)
            #expect(!records.isEmpty)
            for record in records {
                #expect(record.classification.verdict == expected.verdict, "\(request.name ?? "") frame \(record.frame): \(record.classification.reason) vs \(expected.reason)")
            }
        }
    }
}
