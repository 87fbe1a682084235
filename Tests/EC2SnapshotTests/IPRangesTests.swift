import EC2Snapshot
import Foundation
import PathClassifier
import PathCore
import Testing
import VPCTopology

@Suite("ip-ranges.json")
struct IPRangesTests {
    static func fixture(_ name: String) throws -> String {
        try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures")).path
    }

    @Test("R14.1: prefixes and ipv6_prefixes are read; a bad entry is a warning")
    func reads() throws {
        let (ranges, warnings) = try IPRanges.load(try Self.fixture("ip-ranges.json"))
        #expect(ranges.count == 9)
        #expect(warnings.count == 1 && warnings[0].path == "ipv6_prefixes[1]")
        #expect(throws: SnapshotError.self) { try IPRanges.load(try Self.fixture("seed-after/describe-vpcs.json")) }
    }

    @Test("R14.3: labels prefer the prefix list, then a named subset, then AMAZON, then EC2; Lambda resolves to an unclaimed AMAZON range")
    func labelsAndResolution() throws {
        var builder = TopologyBuilder(try SnapshotImporter.load(try Self.fixture("seed-before")).0)
        builder.serviceRanges = try IPRanges.load(try Self.fixture("ip-ranges.json")).0
        let topology = builder.build()
        let labels = AddressLabels(topology: topology)
        #expect(labels.service(of: IPAddress("3.5.1.1")!)?.name == "S3 us-east-1")  // the prefix list
        #expect(labels.service(of: IPAddress("3.208.1.1")!)?.name == "AMAZON us-east-1")  // AMAZON before EC2
        #expect(labels.service(of: IPAddress("52.95.129.1")!)?.name == "S3 eu-west-1")
        let source = try NameResolver(topology: topology).source("10.0.7.10")
        let lambda = try NameResolver(topology: topology).destination("lambda", from: source.interface)
        #expect(lambda.address == IPAddress("44.192.0.1"))  // 3.208.0.0/12 is also EC2: customer addresses
        #expect(lambda.dnsAnswer?.contains("R14.3") == true)
        let result = Classifier(topology: topology).classify(PacketHeader(source: source.address, destination: lambda.address, protocolNumber: .tcp, sourcePort: 1, destinationPort: 443))
        #expect(result.verdict == .internet)
    }
}
