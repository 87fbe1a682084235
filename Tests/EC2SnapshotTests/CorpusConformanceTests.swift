import EC2Snapshot
import _PacketPathTestSupport
import Foundation
import PathClassifier
import PathCore
import Testing
import VPCTopology

/// Every labelled flow of every shared capture, traced against its snapshot (issue: real AWS networks).
@Suite("Corpus conformance")
struct CorpusConformanceTests {
    @Test("every shared snapshot loads; the raw moto ones with warnings")
    func snapshotsLoad() throws {
        if Corpus.skipNote("snapshotsLoad") { return }
        for folder in try Corpus.folders("snapshots") {
            #expect(throws: Never.self, "\(folder.path)") { _ = try SnapshotImporter.load(folder.path) }
        }
        // moto's known deviations load with warnings, not errors.
        for folder in try Corpus.folders("snapshots-moto-raw") {
            let (_, warnings) = try SnapshotImporter.load(folder.path)
            #expect(!warnings.isEmpty, "\(folder.lastPathComponent) loaded without a warning")
        }
    }

    @Test("every labelled flow gets its expected verdict")
    func labelledFlows() throws {
        if Corpus.skipNote("labelledFlows") { return }
        var checked = 0
        for file in try Corpus.flowFiles() {
            let (topology, _) = try SnapshotImporter.load(Corpus.root.appendingPathComponent("snapshots/\(file.scenario)").path)
            let classifier = Classifier(topology: topology)
            for flow in file.flows {
                let packet = try #require(Self.packet(flow))
                let result = classifier.classify(packet)
                let accepted = Corpus.acceptedVerdictNames(flow).compactMap(Verdict.init(rawValue:))
                #expect(
                    accepted.contains(result.verdict),
                    "\(file.capture): \(flow.src) → \(flow.dst) \(flow.proto) \(flow.dport ?? -1): expected \(flow.expected_detail), got \(result.verdict.rawValue)/\(result.reason.rawValue)\n\(result.hops.map { "  \($0.kind.rawValue) \($0.resource) \($0.detail)" }.joined(separator: "\n"))")
                checked += 1
            }
        }
        #expect(checked > 400)
    }

    static func packet(_ flow: Corpus.LabelledFlow) -> PacketHeader? {
        guard let source = IPAddress(flow.src), let destination = IPAddress(flow.dst),
              let number = IPProtocolNumber(name: flow.proto == "icmp6" ? "icmpv6" : flow.proto)
        else { return nil }
        var packet = PacketHeader(source: source, destination: destination, protocolNumber: number)
        if number.hasPorts {
            packet.sourcePort = flow.sport.map { UInt16($0) }
            packet.destinationPort = flow.dport.map { UInt16($0) }
        } else if number.isICMP {
            packet.icmpType = UInt8(flow.icmp_type ?? (number == .icmp ? 8 : 128))
            packet.icmpCode = 0
        }
        return packet
    }
}
