import EC2Snapshot
import Foundation
import PathClassifier
import PathCore
import ScenarioFormat
import Testing
import VPCTopology

/// R19.1 from snapshots: transit gateways in the shapes `aws ec2` prints, and Batfish's layout.
@Suite("Transit gateways in snapshots")
struct TransitGatewaySnapshotTests {
    /// Two VPCs (a 10.1.0.0/16 with host 10.1.1.10, b 10.2.0.0/16 with host 10.2.1.20), each
    /// routing the other through tgw-1 from one subnet in us-east-1a.
    static let base: [String: String] = [
        "describe-vpcs.json": #"""
            {"Vpcs": [{"VpcId": "vpc-a", "CidrBlock": "10.1.0.0/16", "CidrBlockAssociationSet": [{"CidrBlock": "10.1.0.0/16", "CidrBlockState": {"State": "associated"}}]},
                      {"VpcId": "vpc-b", "CidrBlock": "10.2.0.0/16", "CidrBlockAssociationSet": [{"CidrBlock": "10.2.0.0/16", "CidrBlockState": {"State": "associated"}}]}]}
            """#,
        "describe-subnets.json": #"""
            {"Subnets": [{"SubnetId": "subnet-a", "VpcId": "vpc-a", "CidrBlock": "10.1.1.0/24", "AvailabilityZone": "us-east-1a"},
                         {"SubnetId": "subnet-b", "VpcId": "vpc-b", "CidrBlock": "10.2.1.0/24", "AvailabilityZone": "us-east-1a"}]}
            """#,
        "describe-route-tables.json": #"""
            {"RouteTables": [
              {"RouteTableId": "rtb-a", "VpcId": "vpc-a", "Associations": [{"Main": true, "AssociationState": {"State": "associated"}}],
               "Routes": [{"DestinationCidrBlock": "10.1.0.0/16", "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"},
                          {"DestinationCidrBlock": "10.2.0.0/16", "TransitGatewayId": "tgw-1", "Origin": "CreateRoute", "State": "active"}]},
              {"RouteTableId": "rtb-b", "VpcId": "vpc-b", "Associations": [{"Main": true, "AssociationState": {"State": "associated"}}],
               "Routes": [{"DestinationCidrBlock": "10.2.0.0/16", "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"},
                          {"DestinationCidrBlock": "10.1.0.0/16", "TransitGatewayId": "tgw-1", "Origin": "CreateRoute", "State": "active"}]}]}
            """#,
        "describe-security-groups.json": #"""
            {"SecurityGroups": [
              {"GroupId": "sg-a", "GroupName": "default", "VpcId": "vpc-a", "IpPermissions": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
               "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]},
              {"GroupId": "sg-b", "GroupName": "default", "VpcId": "vpc-b", "IpPermissions": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
               "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]}]}
            """#,
        "describe-network-acls.json": #"""
            {"NetworkAcls": [
              {"NetworkAclId": "acl-a", "VpcId": "vpc-a", "IsDefault": true, "Associations": [{"SubnetId": "subnet-a"}],
               "Entries": [{"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": false, "CidrBlock": "0.0.0.0/0"},
                           {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": true, "CidrBlock": "0.0.0.0/0"}]},
              {"NetworkAclId": "acl-b", "VpcId": "vpc-b", "IsDefault": true, "Associations": [{"SubnetId": "subnet-b"}],
               "Entries": [{"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": false, "CidrBlock": "0.0.0.0/0"},
                           {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": true, "CidrBlock": "0.0.0.0/0"}]}]}
            """#,
        "describe-network-interfaces.json": #"""
            {"NetworkInterfaces": [
              {"NetworkInterfaceId": "eni-a", "VpcId": "vpc-a", "SubnetId": "subnet-a", "InterfaceType": "interface", "Status": "in-use",
               "Attachment": {"InstanceId": "i-a", "DeviceIndex": 0, "Status": "attached"},
               "PrivateIpAddress": "10.1.1.10", "PrivateIpAddresses": [{"PrivateIpAddress": "10.1.1.10", "Primary": true}], "Groups": [{"GroupId": "sg-a"}]},
              {"NetworkInterfaceId": "eni-b", "VpcId": "vpc-b", "SubnetId": "subnet-b", "InterfaceType": "interface", "Status": "in-use",
               "Attachment": {"InstanceId": "i-b", "DeviceIndex": 0, "Status": "attached"},
               "PrivateIpAddress": "10.2.1.20", "PrivateIpAddresses": [{"PrivateIpAddress": "10.2.1.20", "Primary": true}], "Groups": [{"GroupId": "sg-b"}]}]}
            """#,
        "describe-instances.json": #"""
            {"Reservations": [{"ReservationId": "r-1", "Instances": [
              {"InstanceId": "i-a", "State": {"Name": "running"}, "VpcId": "vpc-a", "SubnetId": "subnet-a", "PrivateIpAddress": "10.1.1.10",
               "NetworkInterfaces": [{"NetworkInterfaceId": "eni-a"}], "Tags": [{"Key": "Name", "Value": "host-a"}]},
              {"InstanceId": "i-b", "State": {"Name": "running"}, "VpcId": "vpc-b", "SubnetId": "subnet-b", "PrivateIpAddress": "10.2.1.20",
               "NetworkInterfaces": [{"NetworkInterfaceId": "eni-b"}], "Tags": [{"Key": "Name", "Value": "host-b"}]}]}]}
            """#,
        "describe-transit-gateways.json": #"""
            {"TransitGateways": [{"TransitGatewayId": "tgw-1", "State": "available",
              "Options": {"DefaultRouteTableAssociation": "enable", "DefaultRouteTablePropagation": "enable", "SecurityGroupReferencingSupport": "disable"}}]}
            """#,
        "describe-transit-gateway-vpc-attachments.json": #"""
            {"TransitGatewayVpcAttachments": [
              {"TransitGatewayAttachmentId": "tgw-attach-a", "TransitGatewayId": "tgw-1", "VpcId": "vpc-a", "SubnetIds": ["subnet-a"], "State": "available"},
              {"TransitGatewayAttachmentId": "tgw-attach-b", "TransitGatewayId": "tgw-1", "VpcId": "vpc-b", "SubnetIds": ["subnet-b"], "State": "available"}]}
            """#,
        "describe-transit-gateway-attachments.json": #"""
            {"TransitGatewayAttachments": [
              {"TransitGatewayAttachmentId": "tgw-attach-a", "TransitGatewayId": "tgw-1", "ResourceType": "vpc", "ResourceId": "vpc-a", "State": "available",
               "Association": {"TransitGatewayRouteTableId": "tgw-rtb-01", "State": "associated"}},
              {"TransitGatewayAttachmentId": "tgw-attach-b", "TransitGatewayId": "tgw-1", "ResourceType": "vpc", "ResourceId": "vpc-b", "State": "available",
               "Association": {"TransitGatewayRouteTableId": "tgw-rtb-01", "State": "associated"}}]}
            """#,
        "describe-transit-gateway-route-tables.json": #"""
            {"TransitGatewayRouteTables": [{"TransitGatewayRouteTableId": "tgw-rtb-01", "TransitGatewayId": "tgw-1", "State": "available",
              "DefaultAssociationRouteTable": true, "DefaultPropagationRouteTable": true}]}
            """#,
        "search-transit-gateway-routes.tgw-rtb-01.json": #"""
            {"Routes": [
              {"DestinationCidrBlock": "10.1.0.0/16", "TransitGatewayAttachments": [{"ResourceId": "vpc-a", "TransitGatewayAttachmentId": "tgw-attach-a", "ResourceType": "vpc"}], "Type": "propagated", "State": "active"},
              {"DestinationCidrBlock": "10.2.0.0/16", "TransitGatewayAttachments": [{"ResourceId": "vpc-b", "TransitGatewayAttachmentId": "tgw-attach-b", "ResourceType": "vpc"}], "Type": "propagated", "State": "active"},
              {"DestinationCidrBlock": "10.2.9.0/24", "Type": "static", "State": "blackhole"}],
             "AdditionalRoutesAvailable": false}
            """#,
    ]

    /// Loads `files` as a snapshot folder.
    static func load(_ files: [String: String]) throws -> (Topology, [Diagnostic]) {
        try SnapshotImporter.load(files: files.map { ($0.key, Array($0.value.utf8)) }.sorted { $0.0 < $1.0 })
    }

    /// The hops' texts, one per line.
    static func text(_ classification: Classification) -> String { classification.hops.map(\.detail).joined(separator: "\n") }

    static func classify(_ topology: Topology, from: String, to: String) throws -> FlowClassification {
        let header = PacketHeader(source: IPAddress(from)!, destination: IPAddress(to)!, protocolNumber: .tcp, sourcePort: 40_000, destinationPort: 443)
        let source = try #require(topology.addressOwners[header.source]?.first)
        return Classifier(topology: topology).classifyFlow(header, from: source)
    }

    @Test("R19.1: the route table associated with the ingress attachment, from search-transit-gateway-routes; a blackhole drops")
    func routes() throws {
        let (topology, _) = try Self.load(Self.base)
        #expect(topology.transitGateways.first?.routeTablesKnown == true)
        #expect(try Self.classify(topology, from: "10.1.1.10", to: "10.2.1.20").reason == .transitGateway)
        #expect(try Self.classify(topology, from: "10.1.1.10", to: "10.2.9.9").reason == .tgwBlackhole)
    }

    @Test("a route to a transit gateway or peering in the snapshot is not warned about as missing")
    func noFalseMissingWarning() throws {
        let (_, warnings) = try Self.load(Self.base)
        #expect(!warnings.contains { $0.message.contains("missing from the snapshot") }, "\(warnings)")
    }

    @Test("R15.4, R19.1: without the route tables, packets through the transit gateway are insufficient data, with a warning naming the calls")
    func missingRouteTables() throws {
        var files = Self.base
        files["search-transit-gateway-routes.tgw-rtb-01.json"] = nil
        let (topology, warnings) = try Self.load(files)
        #expect(try Self.classify(topology, from: "10.1.1.10", to: "10.2.1.20").reason == .insufficientData)
        #expect(warnings.contains { $0.message.contains("search-transit-gateway-routes") })
    }

    @Test("R19.1: Batfish's layout (static routes and propagations wrapped per table) gives the same answers")
    func batfishLayout() throws {
        var files = Self.base
        files["search-transit-gateway-routes.tgw-rtb-01.json"] = nil
        files["TransitGatewayStaticRoutes.json"] = #"""
            {"TransitGatewayStaticRoutes": [{"TransitGatewayRouteTableId": "tgw-rtb-01",
              "Routes": [{"DestinationCidrBlock": "10.2.9.0/24", "Type": "static", "State": "blackhole", "TransitGatewayAttachments": []}]}]}
            """#
        files["TransitGatewayPropagations.json"] = #"""
            {"TransitGatewayPropagations": [{"TransitGatewayRouteTableId": "tgw-rtb-01", "TransitGatewayRouteTablePropagations": [
              {"TransitGatewayAttachmentId": "tgw-attach-a", "ResourceId": "vpc-a", "ResourceType": "vpc", "State": "enabled"},
              {"TransitGatewayAttachmentId": "tgw-attach-b", "ResourceId": "vpc-b", "ResourceType": "vpc", "State": "enabled"}]}]}
            """#
        let (topology, _) = try Self.load(files)
        #expect(try Self.classify(topology, from: "10.1.1.10", to: "10.2.1.20").reason == .transitGateway)
        #expect(try Self.classify(topology, from: "10.2.1.20", to: "10.1.1.10").reason == .transitGateway)
        #expect(try Self.classify(topology, from: "10.1.1.10", to: "10.2.9.9").reason == .tgwBlackhole)
    }

    /// The base with a VPN attachment to tgw-1 (192.168.0.0/16 behind it, routed there by a static
    /// route), vpc-b routing that block back, and vpc-a's virtual private gateway with a Direct
    /// Connect gateway, whose routes come by BGP (172.16.0.0/12 propagated).
    static var hybrid: [String: String] {
        var files = base
        files["describe-transit-gateway-attachments.json"] = files["describe-transit-gateway-attachments.json"]!.replacingOccurrences(
            of: "\"State\": \"associated\"}}]}", with: """
                "State": "associated"}},
                  {"TransitGatewayAttachmentId": "tgw-attach-vpn", "TransitGatewayId": "tgw-1", "ResourceType": "vpn", "ResourceId": "vpn-1", "State": "available",
                   "Association": {"TransitGatewayRouteTableId": "tgw-rtb-01", "State": "associated"}}]}
                """)
        files["search-transit-gateway-routes.tgw-rtb-01.json"] = files["search-transit-gateway-routes.tgw-rtb-01.json"]!.replacingOccurrences(
            of: "{\"Routes\": [", with: """
                {"Routes": [{"DestinationCidrBlock": "192.168.0.0/16", "TransitGatewayAttachments": [{"ResourceId": "vpn-1", "TransitGatewayAttachmentId": "tgw-attach-vpn", "ResourceType": "vpn"}], "Type": "static", "State": "active"},
                """)
        files["describe-vpn-connections.json"] = #"""
            {"VpnConnections": [{"VpnConnectionId": "vpn-1", "TransitGatewayId": "tgw-1", "CustomerGatewayId": "cgw-1", "State": "available", "Type": "ipsec.1",
              "Options": {"StaticRoutesOnly": false}, "Routes": []}]}
            """#
        files["describe-vpn-gateways.json"] = #"""
            {"VpnGateways": [{"VpnGatewayId": "vgw-1", "State": "available", "Type": "ipsec.1", "VpcAttachments": [{"VpcId": "vpc-a", "State": "attached"}]}]}
            """#
        files["describe-direct-connect-gateway-associations.vgw-1.json"] = #"""
            {"directConnectGatewayAssociations": [{"directConnectGatewayId": "dxgw-1", "associationId": "dxgw-assoc-1", "associationState": "associated",
              "associatedGateway": {"id": "vgw-1", "type": "virtualPrivateGateway", "ownerAccount": "111122223333", "region": "us-east-1"},
              "virtualGatewayId": "vgw-1", "allowedPrefixesToDirectConnectGateway": [{"cidr": "10.1.0.0/16"}]}]}
            """#
        files["describe-route-tables.json"] = files["describe-route-tables.json"]!
            .replacingOccurrences(
                of: #"{"DestinationCidrBlock": "10.1.0.0/16", "TransitGatewayId": "tgw-1", "Origin": "CreateRoute", "State": "active"}"#,
                with: #"{"DestinationCidrBlock": "10.1.0.0/16", "TransitGatewayId": "tgw-1", "Origin": "CreateRoute", "State": "active"}, {"DestinationCidrBlock": "192.168.0.0/16", "TransitGatewayId": "tgw-1", "Origin": "CreateRoute", "State": "active"}"#)
            .replacingOccurrences(
                of: #"{"DestinationCidrBlock": "10.2.0.0/16", "TransitGatewayId": "tgw-1", "Origin": "CreateRoute", "State": "active"}"#,
                with: #"{"DestinationCidrBlock": "10.2.0.0/16", "TransitGatewayId": "tgw-1", "Origin": "CreateRoute", "State": "active"}, {"DestinationCidrBlock": "172.16.0.0/12", "GatewayId": "vgw-1", "Origin": "EnableVgwRoutePropagation", "State": "active"}"#)
        return files
    }

    @Test("R19.1, R19.2: from on premises through a VPN attachment (its networks: what the tables route to it), reply included; a Direct Connect gateway on a virtual private gateway is BGP; also once imported")
    func hybridSnapshot() throws {
        let (topology, warnings) = try Self.load(Self.hybrid)
        #expect(!warnings.contains { $0.message.contains("vpn-1") || $0.message.contains("dxgw") }, "\(warnings)")
        var writer = ScenarioWriter(topology: topology)
        let yaml = writer.yaml(title: "hybrid")
        let (imported, _) = try ScenarioLoader.load(yaml, file: "hybrid.yaml")
        for candidate in [topology, imported] {
            let header = PacketHeader(source: IPAddress("192.168.1.5")!, destination: IPAddress("10.2.1.20")!, protocolNumber: .tcp, sourcePort: 40_000, destinationPort: 22)
            let flow = Classifier(topology: candidate).classifyInboundFlow(header)
            #expect(flow.request.reason == .vpnInbound && flow.reply?.reason == .tgwHybrid, "\(Self.text(flow.request))\n\(flow.reply.map(Self.text) ?? "")\n\(yaml)")
            let dx = try Self.classify(candidate, from: "10.1.1.10", to: "172.16.5.5")
            #expect(dx.reason == .vpnGateway && Self.text(dx.request).contains("Direct Connect gateway dxgw-1"), "\(Self.text(dx.request))")
        }
    }

    @Test("import writes the transit gateway's attachments and route tables, and the scenario classifies alike")
    func roundTrip() throws {
        for files in [Self.base, Self.base.merging(["search-transit-gateway-routes.tgw-rtb-01.json": "{\"Routes\": []}"]) { $1 }] {
            let (topology, _) = try Self.load(files)
            var writer = ScenarioWriter(topology: topology)
            let yaml = writer.yaml(title: "tgw")
            let (loaded, _) = try ScenarioLoader.load(yaml, file: "tgw.yaml")
            for (from, to) in [("10.1.1.10", "10.2.1.20"), ("10.1.1.10", "10.2.9.9"), ("10.2.1.20", "10.1.1.10")] {
                #expect(try Self.classify(loaded, from: from, to: to).reason == Self.classify(topology, from: from, to: to).reason, "\(from) → \(to)\n\(yaml)")
            }
        }
        var unknown = Self.base
        unknown["search-transit-gateway-routes.tgw-rtb-01.json"] = nil
        let (topology, _) = try Self.load(unknown)
        var writer = ScenarioWriter(topology: topology)
        let (loaded, _) = try ScenarioLoader.load(writer.yaml(title: "tgw"), file: "tgw.yaml")
        #expect(try Self.classify(loaded, from: "10.1.1.10", to: "10.2.1.20").reason == .insufficientData, "route-tables: unknown survives the import")
    }
}
