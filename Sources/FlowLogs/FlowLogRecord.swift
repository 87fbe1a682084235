import PathCore

/// One flow log record: every field its format lists, typed; a field the format does not list, or
/// that the record gives as `-` (AWS: "not applicable or could not be computed"), is `nil`.
public struct FlowLogRecord: Sendable, Hashable {
    /// Whether the traffic was allowed by the security groups and network ACLs (`action`).
    public enum Action: String, Sendable, Hashable {
        case accept = "ACCEPT"
        case reject = "REJECT"
    }

    /// Whether the record holds data (`log-status`).
    public enum LogStatus: String, Sendable, Hashable {
        case ok = "OK"
        /// No traffic to or from the interface in the aggregation interval.
        case noData = "NODATA"
        /// Records were skipped in the interval (capacity): traffic happened that is not logged.
        case skipData = "SKIPDATA"
    }

    /// Which way the traffic crossed the interface (`flow-direction`).
    public enum Direction: String, Sendable, Hashable {
        case ingress
        case egress
    }

    /// The path egress traffic took to its destination (`traffic-path`, egress records only).
    public enum TrafficPath: Int, Sendable, Hashable, CaseIterable {
        case sameVPC = 1
        case internetGatewayOrGatewayEndpoint = 2
        case virtualPrivateGateway = 3
        case intraRegionPeering = 4
        case interRegionPeering = 5
        case localGateway = 6
        case gatewayEndpoint = 7
        case internetGateway = 8
    }

    public var version: Int?
    public var accountID: String?
    public var interfaceID: String?
    public var sourceAddress: IPAddress?
    public var destinationAddress: IPAddress?
    public var sourcePort: UInt16?
    public var destinationPort: UInt16?
    public var protocolNumber: IPProtocolNumber?
    public var packets: UInt64?
    public var bytes: UInt64?
    /// Seconds since the epoch: the first packet of the interval, and the last.
    public var start: Int64?
    public var end: Int64?
    public var action: Action?
    public var logStatus: LogStatus?
    public var vpcID: String?
    public var subnetID: String?
    public var instanceID: String?
    /// The OR of the TCP flags seen in the interval (FIN 1, SYN 2, RST 4, SYN-ACK 18).
    public var tcpFlags: UInt16?
    /// `IPv4`, `IPv6` or `EFA`.
    public var type: String?
    /// The packet's own addresses, where an intermediate interface (a NAT gateway, a transit
    /// gateway attachment) logs its own in `srcaddr`/`dstaddr`.
    public var packetSourceAddress: IPAddress?
    public var packetDestinationAddress: IPAddress?
    public var region: String?
    public var availabilityZoneID: String?
    public var sublocationType: String?
    public var sublocationID: String?
    /// The AWS service a public address belongs to (`S3`, `DYNAMODB`, …).
    public var packetSourceAWSService: String?
    public var packetDestinationAWSService: String?
    public var flowDirection: Direction?
    public var trafficPath: TrafficPath?
    /// The Amazon ECS fields (version 7), by field.
    public var ecs: [FlowLogField: String] = [:]
    /// Why traffic was rejected when not by a security group or network ACL (`BPA`: VPC Block
    /// Public Access).
    public var rejectReason: String?

    public init() {}
}
