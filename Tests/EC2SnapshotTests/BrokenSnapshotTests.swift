import EC2Snapshot
import Foundation
import PathClassifier
import PathCore
import Testing
import VPCTopology

/// Ten kinds of broken snapshot, made from the committed seed-after snapshot: each gives its
/// documented diagnostic (docs/aws-snapshots.md), none crashes, and packets that depend on a
/// missing piece are `insufficient-data`, never guessed.
@Suite("Broken snapshots")
struct BrokenSnapshotTests {
    /// A scratch copy of the seed-after snapshot, changed by `edit`, loaded, then removed.
    static func load(_ edit: (URL) throws -> Void) throws -> Result<(Topology, [Diagnostic]), SnapshotError> {
        let source = try #require(Bundle.module.url(forResource: "seed-after", withExtension: nil, subdirectory: "Fixtures"))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("packet-path-broken-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: source, to: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        try edit(folder)
        do {
            return .success(try SnapshotImporter.load(folder.path))
        } catch {
            return .failure(error)
        }
    }

    /// Rewrites `file` in `folder` by replacing `old` with `new` (which must be present).
    static func replace(_ file: String, _ old: String, _ new: String, in folder: URL) throws {
        let url = folder.appendingPathComponent(file)
        let text = try String(contentsOf: url, encoding: .utf8)
        try #require(text.contains(old), "\(file) has no \(old)")
        try text.replacingOccurrences(of: old, with: new).write(to: url, atomically: true, encoding: .utf8)
    }

    static func warnings(_ result: Result<(Topology, [Diagnostic]), SnapshotError>) throws -> (Topology, [Diagnostic]) {
        switch result {
        case .success(let value): return value
        case .failure(let error):
            Issue.record("expected a load with warnings, got errors:\n\(error)")
            throw error
        }
    }

    static let alpha5 = IPAddress("10.0.7.10")!

    static func classify(_ topology: Topology, to destination: String, protocol number: IPProtocolNumber = .tcp) -> Classification {
        Classifier(topology: topology).classify(
            PacketHeader(source: alpha5, destination: IPAddress(destination)!, protocolNumber: number, sourcePort: 40000, destinationPort: 443))
    }

    @Test("1. malformed JSON: an error with file, line and column")
    func malformedJSON() throws {
        let result = try Self.load { folder in
            try "{\n  \"Vpcs\": [\n    {\"VpcId\": \"vpc-1\",,}\n".write(to: folder.appendingPathComponent("describe-vpcs.json"), atomically: true, encoding: .utf8)
        }
        guard case .failure(let error) = result else { Issue.record("loaded"); return }
        let diagnostic = try #require(error.diagnostics.first { $0.severity == .error })
        #expect(diagnostic.file.hasSuffix("describe-vpcs.json"))
        #expect(diagnostic.line == 3 && diagnostic.column == 23)  // the second comma
        #expect(diagnostic.message.hasPrefix("malformed JSON"))
    }

    @Test("2. an empty folder: an error saying there is no JSON")
    func emptyFolder() throws {
        let result = try Self.load { folder in
            for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
                try FileManager.default.removeItem(at: folder.appendingPathComponent(file))
            }
        }
        guard case .failure(let error) = result else { Issue.record("loaded"); return }
        #expect(error.description.contains("no .json files"))
    }

    @Test("3. describe-vpcs missing: subnets and tables of unknown VPCs are warned about and left out")
    func missingVPCs() throws {
        let (topology, warnings) = try Self.warnings(Self.load { try FileManager.default.removeItem(at: $0.appendingPathComponent("describe-vpcs.json")) })
        #expect(topology.vpcs.isEmpty && topology.subnets.isEmpty)
        #expect(warnings.contains { $0.file.hasSuffix("describe-subnets.json") && $0.message.contains("missing from the snapshot") })
        #expect(Self.classify(topology, to: "8.8.8.8").reason == .unknownSource)
    }

    @Test("4. a route to a vpce- with no endpoint record: a warning, and S3 packets are insufficient data")
    func routeToMissingEndpoint() throws {
        let (topology, warnings) = try Self.warnings(Self.load { try FileManager.default.removeItem(at: $0.appendingPathComponent("describe-vpc-endpoints.json")) })
        #expect(warnings.contains { $0.path.contains("Routes[") && $0.message.contains("vpce-") && $0.message.contains("missing") })
        #expect(Self.classify(topology, to: "52.216.0.9").reason == .insufficientData)
        #expect(Self.classify(topology, to: "8.8.8.8").reason == .igwDirect)  // unrelated traffic is still classified
    }

    @Test("5. a prefix list without entries: a warning, and packets that could match it are insufficient data")
    func prefixListWithoutEntries() throws {
        let (topology, warnings) = try Self.warnings(Self.load {
            try FileManager.default.removeItem(at: $0.appendingPathComponent("get-managed-prefix-list-entries.pl-84abbe1d95ef57f95.json"))
        })
        #expect(warnings.contains { $0.message.contains("pl-84abbe1d95ef57f95 has no entries") })
        #expect(Self.classify(topology, to: "52.216.0.9").reason == .insufficientData)
    }

    @Test("6. an interface in an unknown subnet: a warning with its JSON path, interface left out")
    func interfaceInUnknownSubnet() throws {
        let (topology, warnings) = try Self.warnings(Self.load {
            try Self.replace("describe-network-interfaces.json", "\"SubnetId\": \"subnet-20fde3a5d2b1082cc\"", "\"SubnetId\": \"subnet-0000000000000dead\"", in: $0)
        })
        #expect(warnings.contains { $0.path.hasPrefix("NetworkInterfaces[") && $0.message.contains("subnet-0000000000000dead") })
        #expect(topology.interfaces.count < 2)
    }

    @Test("7. a file that is no describe output: a warning naming its key")
    func unknownFile() throws {
        let (_, warnings) = try Self.warnings(Self.load {
            try "{\"Buckets\": []}".write(to: $0.appendingPathComponent("list-buckets.json"), atomically: true, encoding: .utf8)
        })
        #expect(warnings.contains { $0.file.hasSuffix("list-buckets.json") && $0.message.contains("'Buckets'") })
    }

    @Test("8. prefix-list entries with no list ID in the file name or content: a warning")
    func entriesWithoutID() throws {
        let (_, warnings) = try Self.warnings(Self.load { folder in
            try FileManager.default.moveItem(
                at: folder.appendingPathComponent("get-managed-prefix-list-entries.pl-84abbe1d95ef57f95.json"),
                to: folder.appendingPathComponent("entries.json"))
        })
        #expect(warnings.contains { $0.file.hasSuffix("entries.json") && $0.message.contains("without a list ID") })
    }

    @Test("9. a security group missing from the snapshot: a warning, and its packets are insufficient data")
    func missingSecurityGroup() throws {
        let (topology, warnings) = try Self.warnings(Self.load {
            try Self.replace("describe-security-groups.json", "\"GroupId\": \"sg-545a84dc2e7014d94\"", "\"GroupId\": \"sg-0000000000000gone\"", in: $0)
        })
        #expect(warnings.contains { $0.message.contains("sg-545a84dc2e7014d94") })
        // alpha5's only group is unknown: no rule can allow its traffic, and that is not a guess either way.
        let result = Self.classify(topology, to: "8.8.8.8")
        #expect(result.verdict == .dropped)
    }

    @Test("10. odd values: an unknown IPv6 state, host bits, an unknown route state are warnings")
    func oddValues() throws {
        let (topology, warnings) = try Self.warnings(Self.load { folder in
            try Self.replace("describe-subnets.json", "\"State\": \"associated\"", "\"State\": \"{'State': 'associated'}\"", in: folder)
            try Self.replace("describe-route-tables.json", "\"DestinationCidrBlock\": \"0.0.0.0/0\"", "\"DestinationCidrBlock\": \"0.0.0.1/0\"", in: folder)
        })
        #expect(warnings.contains { $0.message.contains("is not 'associated'") })
        #expect(warnings.contains { $0.message.contains("host bits") && $0.message.contains("0.0.0.0/0") })
        #expect(Self.classify(topology, to: "8.8.8.8").reason == .igwDirect)
    }
}

@Suite("Route targets in snapshots")
struct SnapshotTargetTests {
    @Test("R1.15: a vpce- target is a gateway endpoint or a Gateway Load Balancer endpoint, as describe-vpc-endpoints says")
    func vpceTargets() throws {
        let gateway = try BrokenSnapshotTests.warnings(BrokenSnapshotTests.load { _ in })
        let table = try #require(gateway.0.routeTables.first { $0.routes.contains { if case .gatewayEndpoint = $0.target { return true } else { return false } } })
        #expect(table.routes.contains { if case .prefixList = $0.destination, case .gatewayEndpoint = $0.target { return true } else { return false } })
        let gwlb = try BrokenSnapshotTests.warnings(BrokenSnapshotTests.load {
            try BrokenSnapshotTests.replace("describe-vpc-endpoints.json", "\"VpcEndpointType\": \"Gateway\"", "\"VpcEndpointType\": \"GatewayLoadBalancer\"", in: $0)
        })
        #expect(gwlb.0.routeTables.contains { $0.routes.contains { if case .gatewayLoadBalancerEndpoint = $0.target { return true } else { return false } } })
    }

    @Test("R5.2: an interface endpoint whose ENI carries other security groups than the endpoint record names: a warning; the ENI's groups are used")
    func endpointGroupsDisagree() throws {
        let (topology, warnings) = try BrokenSnapshotTests.warnings(BrokenSnapshotTests.load {
            // The endpoint's ENI gets alpha5's group instead of vpce-lambda-sg (the record still names that).
            try BrokenSnapshotTests.replace("describe-network-interfaces.json", "\"GroupId\": \"sg-22e2926328bbc2b65\"", "\"GroupId\": \"sg-9f0d74c63dd850617\"", in: $0)
        })
        let warning = warnings.first { $0.message.contains("vpce-ee3bac4241c0f5d31 lists security groups") }
        #expect(
            warning?.message
                == "vpce-ee3bac4241c0f5d31 lists security groups [sg-22e2926328bbc2b65] but its interface eni-946ea1f8876749588 carries [sg-9f0d74c63dd850617]; the interface's are used (R5.2)",
            "\(warnings.map(\.message))")
        let endpoint = try #require(topology.endpoints.first { $0.label.id == "vpce-ee3bac4241c0f5d31" })
        #expect(endpoint.interfaces.allSatisfy { topology[$0].securityGroups.map { topology[$0].label.id } == ["sg-9f0d74c63dd850617"] })
        let (_, clean) = try BrokenSnapshotTests.warnings(BrokenSnapshotTests.load { _ in })
        #expect(!clean.contains { $0.message.contains("lists security groups") }, "agreeing groups give no warning")
    }
}
