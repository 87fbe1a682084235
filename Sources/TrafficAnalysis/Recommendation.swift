import CaptureReplay
import VPCTopology

/// A VPC endpoint that would keep observed traffic to an AWS service private, with what it would
/// cost and save (`packet-path recommend`, docs/recommend.md).
public struct Recommendation: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// A route to the service's prefix list in each route table (S3, DynamoDB; R4.1).
        case gateway
        /// An interface in each Availability Zone the traffic comes from, with private DNS (R5.6).
        case interface
    }

    /// The endpoint service, `com.amazonaws.us-east-1.s3`.
    public var service: String
    public var kind: Kind
    public var vpc: String
    /// The route tables a gateway endpoint must be associated with (the subnets' tables).
    public var routeTables: [String]
    /// The subnets the traffic came from, and their zones (an interface endpoint needs one
    /// subnet per zone).
    public var subnets: [String]
    public var zones: [String]
    /// The traffic the endpoint would carry, and the part of it that went through NAT gateways.
    public var traffic: TrafficCount
    public var throughNAT: TrafficCount
    /// NAT gateway data processing the endpoint saves, over the observed traffic.
    public var natSaving: Double
    /// What the endpoint costs for the observed traffic: its data processing (interface endpoints).
    public var dataCost: Double
    /// What the endpoint costs per month whatever the traffic: its hours (interface endpoints).
    public var monthlyFixedCost: Double

    /// Recommendations for every (service, VPC) of the report's exposure: a gateway endpoint for
    /// services that have them (S3, DynamoDB: free, R4.1), else an interface endpoint; most bytes first.
    public static func recommend(_ report: TrafficReport, pricing: Pricing) -> [Recommendation] {
        var grouped: [[String]: [(ExposureKey, TrafficCount)]] = [:]
        for (key, count) in report.exposure { grouped[[key.service, key.vpc], default: []].append((key, count)) }
        var found: [Recommendation] = []
        for (group, entries) in grouped {
            let gateway = AWSService(serviceName: group[0])?.hasGatewayEndpoints ?? false
            var traffic = TrafficCount(), throughNAT = TrafficCount()
            for (key, count) in entries {
                traffic += count
                if key.way == .natGateway { throughNAT += count }
            }
            let zones = Set(entries.map(\.0.zone)).sorted()
            let natSaving = Double(throughNAT.bytes) / Pricing.bytesPerGB * pricing.natGatewayPerGB
            found.append(
                Recommendation(
                    service: group[0], kind: gateway ? .gateway : .interface, vpc: group[1],
                    routeTables: Set(entries.map(\.0.routeTable)).subtracting(["-"]).sorted(), subnets: Set(entries.map(\.0.subnet)).sorted(),
                    zones: zones, traffic: traffic, throughNAT: throughNAT, natSaving: natSaving,
                    dataCost: gateway ? 0 : Double(traffic.bytes) / Pricing.bytesPerGB * pricing.interfaceEndpointPerGB,
                    monthlyFixedCost: gateway
                        ? pricing.gatewayEndpointPerHour * pricing.hoursPerMonth
                        : Double(zones.count) * pricing.interfaceEndpointPerZoneHour * pricing.hoursPerMonth))
        }
        return found.sorted { ($1.traffic.bytes, $0.service, $0.vpc) < ($0.traffic.bytes, $1.service, $1.vpc) }
    }
}
