import EC2Snapshot
import Foundation
import PathClassifier
import PathCore
import ScenarioFormat
import Testing
import VPCTopology

/// Snapshots whose parts disagree or hold what AWS refuses: every problem is named at its file,
/// `validate` (loading) and `import` (writing a scenario that loads) agree, and nothing is dropped
/// without a word.
@Suite("Snapshot consistency")
struct SnapshotConsistencyTests {
    typealias Base = TransitGatewaySnapshotTests

    /// The base snapshot with `extra` network interfaces appended to describe-network-interfaces.
    static func withInterfaces(_ extra: String) -> [String: String] {
        var files = Base.base
        files["describe-network-interfaces.json"] = files["describe-network-interfaces.json"]!
            .replacingOccurrences(of: "\"Groups\": [{\"GroupId\": \"sg-b\"}]}]}", with: "\"Groups\": [{\"GroupId\": \"sg-b\"}]},\n\(extra)]}")
        return files
    }

    /// The scenario `import` writes for `topology`, loaded back.
    static func imported(_ topology: Topology) throws -> Topology {
        var writer = ScenarioWriter(topology: topology)
        return try ScenarioLoader.load(writer.yaml(title: "snapshot"), file: "snapshot.yaml").0
    }

    @Test("a transit gateway attachment's interface as a destination accepts no connections, in the snapshot and once imported")
    func transitGatewayInterface() throws {
        let files = Self.withInterfaces(#"""
            {"NetworkInterfaceId": "eni-tgw", "VpcId": "vpc-a", "SubnetId": "subnet-a", "InterfaceType": "transit_gateway", "Status": "in-use",
             "Description": "Network Interface for Transit Gateway Attachment tgw-attach-a", "RequesterManaged": true,
             "PrivateIpAddress": "10.1.1.50", "PrivateIpAddresses": [{"PrivateIpAddress": "10.1.1.50", "Primary": true}], "Groups": []}
            """#)
        let (topology, _) = try Base.load(files)
        for candidate in [topology, try Self.imported(topology)] {
            let flow = try Base.classify(candidate, from: "10.2.1.20", to: "10.1.1.50")
            #expect(flow.reason == .noSuchHost)
            let last = try #require(flow.request.hops.last)
            #expect(last.detail.contains("transit gateway attachment tgw-attach-a") && last.detail.contains("accepts no connections"), "\(last.detail)")
            #expect(!flow.request.hops.contains { $0.detail.contains("no inbound rule of") })
        }
    }

    @Test("a NAT gateway's interface whose gateway is missing is warned about and accepts no connections")
    func orphanNATInterface() throws {
        let files = Self.withInterfaces(#"""
            {"NetworkInterfaceId": "eni-nat", "VpcId": "vpc-a", "SubnetId": "subnet-a", "InterfaceType": "nat_gateway", "Status": "in-use",
             "Description": "Interface for NAT Gateway nat-0gone", "PrivateIpAddress": "10.1.1.60",
             "PrivateIpAddresses": [{"PrivateIpAddress": "10.1.1.60", "Primary": true}], "Groups": []}
            """#)
        let (topology, warnings) = try Base.load(files)
        #expect(warnings.contains { $0.file == "describe-network-interfaces.json" && $0.message.contains("NAT gateway missing from describe-nat-gateways") })
        let flow = try Base.classify(topology, from: "10.2.1.20", to: "10.1.1.60")
        #expect(flow.reason == .noSuchHost)
        #expect(flow.request.hops.last?.detail.contains("accepts no connections") == true)
    }

    @Test("consistency warnings name the file of the VPC or transit gateway they are about")
    func warningsNameTheirFile() throws {
        var files = Base.base
        // vpc-a loses its main route table: subnet-a has no table.
        files["describe-route-tables.json"] = files["describe-route-tables.json"]!
            .replacingOccurrences(of: #"{"RouteTableId": "rtb-a", "VpcId": "vpc-a", "Associations": [{"Main": true,"#, with: #"{"RouteTableId": "rtb-a", "VpcId": "vpc-a", "Associations": [{"Main": false,"#)
        files["search-transit-gateway-routes.tgw-rtb-01.json"] = nil
        let (_, warnings) = try Base.load(files)
        let main = try #require(warnings.first { $0.message.contains("no main route table") })
        #expect(main.file == "describe-vpcs.json" && main.line != nil)
        let tables = try #require(warnings.first { $0.message.contains("route tables are not in the snapshot") })
        #expect(tables.file == "describe-transit-gateways.json" && tables.line != nil)
        #expect(!warnings.contains { $0.file.isEmpty }, "\(warnings)")
    }

    @Test("R15.4: a transit gateway attachment to a VPC missing from the snapshot is warned about; packets routed there are insufficient data, also once imported")
    func attachmentToMissingVPC() throws {
        var files = Base.base
        files["describe-transit-gateway-vpc-attachments.json"] = files["describe-transit-gateway-vpc-attachments.json"]!
            .replacingOccurrences(of: "\"State\": \"available\"}]}", with: """
                "State": "available"},
                  {"TransitGatewayAttachmentId": "tgw-attach-c", "TransitGatewayId": "tgw-1", "VpcId": "vpc-c", "SubnetIds": ["subnet-c"], "State": "available"}]}
                """)
        files["describe-transit-gateway-attachments.json"] = files["describe-transit-gateway-attachments.json"]!
            .replacingOccurrences(of: "\"State\": \"associated\"}}]}", with: """
                "State": "associated"}},
                  {"TransitGatewayAttachmentId": "tgw-attach-c", "TransitGatewayId": "tgw-1", "ResourceType": "vpc", "ResourceId": "vpc-c", "State": "available",
                   "Association": {"TransitGatewayRouteTableId": "tgw-rtb-01", "State": "associated"}}]}
                """)
        files["search-transit-gateway-routes.tgw-rtb-01.json"] = files["search-transit-gateway-routes.tgw-rtb-01.json"]!
            .replacingOccurrences(of: "{\"Routes\": [", with: """
                {"Routes": [{"DestinationCidrBlock": "10.3.0.0/16", "TransitGatewayAttachments": [{"ResourceId": "vpc-c", "TransitGatewayAttachmentId": "tgw-attach-c", "ResourceType": "vpc"}], "Type": "propagated", "State": "active"},
                """)
        files["describe-route-tables.json"] = files["describe-route-tables.json"]!
            .replacingOccurrences(of: #"{"DestinationCidrBlock": "10.2.0.0/16", "TransitGatewayId": "tgw-1""#,
                                  with: #"{"DestinationCidrBlock": "10.3.0.0/16", "TransitGatewayId": "tgw-1", "Origin": "CreateRoute", "State": "active"}, {"DestinationCidrBlock": "10.2.0.0/16", "TransitGatewayId": "tgw-1""#)
        let (topology, warnings) = try Base.load(files)
        let missing = warnings.filter { $0.message.contains("tgw-attach-c is to vpc-c, missing from the snapshot") }
        #expect(missing.count == 1 && missing.first?.file == "describe-transit-gateway-vpc-attachments.json", "\(warnings)")
        for candidate in [topology, try Self.imported(topology)] {
            #expect(try Base.classify(candidate, from: "10.1.1.10", to: "10.3.1.1").reason == .insufficientData)
            #expect(try Base.classify(candidate, from: "10.1.1.10", to: "10.2.1.20").reason == .transitGateway)
        }
    }

    @Test("R15.4: a transit gateway route naming no attachment (as moto lists them) carries insufficient data, not a drop, also once imported")
    func routeWithoutAttachment() throws {
        var files = Base.base
        files["search-transit-gateway-routes.tgw-rtb-01.json"] = files["search-transit-gateway-routes.tgw-rtb-01.json"]!.replacingOccurrences(
            of: #""TransitGatewayAttachments": [{"ResourceId": "vpc-b", "TransitGatewayAttachmentId": "tgw-attach-b", "ResourceType": "vpc"}]"#,
            with: #""TransitGatewayAttachments": []"#)
        let (topology, warnings) = try Base.load(files)
        #expect(warnings.contains { $0.message.contains("route 10.2.0.0/16 names no attachment of the snapshot") })
        for candidate in [topology, try Self.imported(topology)] {
            #expect(try Base.classify(candidate, from: "10.1.1.10", to: "10.2.1.20").reason == .insufficientData)
            #expect(try Base.classify(candidate, from: "10.1.1.10", to: "10.2.9.9").reason == .tgwBlackhole)
        }
    }

    @Test("what AWS refuses to create fails the snapshot as it fails a scenario: a subnet outside its VPC, an interface on a reserved address")
    func awsRefusals() throws {
        var outside = Base.base
        outside["describe-subnets.json"] = outside["describe-subnets.json"]!.replacingOccurrences(of: "\"CidrBlock\": \"10.2.1.0/24\"", with: "\"CidrBlock\": \"10.9.1.0/24\"")
        var reserved = Self.withInterfaces(#"""
            {"NetworkInterfaceId": "eni-r", "VpcId": "vpc-a", "SubnetId": "subnet-a", "InterfaceType": "interface", "Status": "available",
             "PrivateIpAddress": "10.1.1.3", "PrivateIpAddresses": [{"PrivateIpAddress": "10.1.1.3", "Primary": true}], "Groups": []}
            """#)
        reserved["describe-instances.json"] = Base.base["describe-instances.json"]
        for (files, problem, file) in [
            (outside, "outside the CIDR blocks of vpc-b", "describe-subnets.json"),
            (reserved, "one of the five addresses AWS reserves", "describe-network-interfaces.json"),
        ] {
            let error = #expect(throws: SnapshotError.self) { try Base.load(files) }
            let found = error?.diagnostics.first { $0.severity == .error && $0.message.contains(problem) }
            #expect(found?.file == file && found?.line != nil, "\(error?.description ?? "no error")")
        }
    }

    @Test("an address outside every associated block of its subnet is warned about and left out, so the import loads")
    func addressOutsideSubnet() throws {
        let files = Self.withInterfaces(#"""
            {"NetworkInterfaceId": "eni-o", "VpcId": "vpc-a", "SubnetId": "subnet-a", "InterfaceType": "interface", "Status": "available",
             "PrivateIpAddress": "10.1.1.70", "PrivateIpAddresses": [{"PrivateIpAddress": "10.1.1.70", "Primary": true}],
             "Ipv6Addresses": [{"Ipv6Address": "2600:1f18::70"}], "Groups": []}
            """#)
        let (topology, warnings) = try Base.load(files)
        #expect(warnings.contains { $0.message.contains("2600:1f18::70 is not in an associated block") })
        let interface = try #require(topology.interfaces.first { $0.label.id == "eni-o" })
        #expect(interface.ipv6.isEmpty && interface.ipv4.count == 1)
        _ = try Self.imported(topology)
    }

    @Test("a route to a peering connection in the snapshot is not warned about as missing; import writes no empty account and loads")
    func presentPeering() throws {
        var files = Base.base
        files["describe-vpc-peering-connections.json"] = #"""
            {"VpcPeeringConnections": [{"VpcPeeringConnectionId": "pcx-ab", "Status": {"Code": "active"},
              "RequesterVpcInfo": {"VpcId": "vpc-a", "CidrBlock": "10.1.0.0/16"}, "AccepterVpcInfo": {"VpcId": "vpc-b", "CidrBlock": "10.2.0.0/16"}}]}
            """#
        files["describe-route-tables.json"] = files["describe-route-tables.json"]!.replacingOccurrences(
            of: #"{"DestinationCidrBlock": "10.2.0.0/16", "TransitGatewayId": "tgw-1", "Origin": "CreateRoute", "State": "active"}"#,
            with: #"{"DestinationCidrBlock": "10.2.0.0/16", "VpcPeeringConnectionId": "pcx-ab", "Origin": "CreateRoute", "State": "active"}"#)
        let (topology, warnings) = try Base.load(files)
        #expect(!warnings.contains { $0.message.contains("pcx-ab") }, "\(warnings)")
        #expect(try Base.classify(topology, from: "10.1.1.10", to: "10.2.1.20").request.reason == .peering)
        // No OwnerId in this snapshot: no account at all rather than an empty one.
        var writer = ScenarioWriter(topology: topology)
        let yaml = writer.yaml(title: "snapshot")
        #expect(!yaml.contains("account: \"\""), "\(yaml)")
        #expect(try Base.classify(try Self.imported(topology), from: "10.1.1.10", to: "10.2.1.20").request.reason == .peering)
    }

    @Test("a peering connection that joins no VPC of the snapshot is warned about and left out; the import loads")
    func peeringWithoutVPCs() throws {
        var files = Base.base
        files["describe-vpc-peering-connections.json"] = #"""
            {"VpcPeeringConnections": [{"VpcPeeringConnectionId": "pcx-far", "Status": {"Code": "active"},
              "RequesterVpcInfo": {"VpcId": "vpc-x", "CidrBlock": "10.7.0.0/16"}, "AccepterVpcInfo": {"VpcId": "vpc-y", "CidrBlock": "10.8.0.0/16"}}]}
            """#
        let (topology, warnings) = try Base.load(files)
        #expect(topology.peeringConnections.isEmpty)
        #expect(warnings.contains { $0.file == "describe-vpc-peering-connections.json" && $0.message.contains("pcx-far joins no VPC of the snapshot") })
        _ = try Self.imported(topology)
    }
}
