import EC2Snapshot
import _PacketPathTestSupport
import Foundation
import PathClassifier
import PathCore
import ScenarioFormat
import Testing
import VPCTopology

/// `packet-path import`: a snapshot written as a scenario classifies every packet as the snapshot does.
@Suite("Import round trip")
struct RoundTripTests {
    /// Imports `folder`, reloads the scenario, and compares both on `packets`.
    static func roundTrip(_ folder: String, packets: [PacketHeader]) throws {
        let (snapshot, _) = try SnapshotImporter.load(folder)
        var writer = ScenarioWriter(topology: snapshot)
        let yaml = writer.yaml(title: folder)
        #expect(writer.warnings.isEmpty, "\(writer.warnings)")
        let (scenario, _) = try ScenarioLoader.load(yaml, file: "imported.yaml")
        let a = Classifier(topology: snapshot)
        let b = Classifier(topology: scenario)
        for packet in packets {
            let left = a.classify(packet)
            let right = b.classify(packet)
            #expect(left.reason == right.reason, "\(folder): \(packet.source) → \(packet.destination): \(left.reason) vs \(right.reason)")
        }
    }

    @Test("the committed seed-after snapshot round-trips")
    func committedFixture() throws {
        let folder = try #require(Bundle.module.url(forResource: "seed-after", withExtension: nil, subdirectory: "Fixtures"))
        let packets = ["52.216.0.9", "10.0.7.200", "8.8.8.8", "10.0.0.2", "3.218.182.1", "10.0.7.99"].map {
            PacketHeader(source: IPAddress("10.0.7.10")!, destination: IPAddress($0)!, protocolNumber: .tcp, sourcePort: 40000, destinationPort: 443)
        }
        try Self.roundTrip(folder.path, packets: packets)
    }

    @Test("every shared snapshot round-trips with identical verdicts on its labelled flows")
    func corpus() throws {
        if Corpus.skipNote("import round trip") { return }
        for file in try Corpus.flowFiles() {
            let packets = file.flows.compactMap(CorpusConformanceTests.packet)
            try Self.roundTrip(Corpus.root.appendingPathComponent("snapshots/\(file.scenario)").path, packets: packets)
        }
    }
}
