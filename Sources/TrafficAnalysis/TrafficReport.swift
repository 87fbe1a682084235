import CaptureReplay
import PathClassifier
import PathCore

/// What a replay adds up to, in counts that merge by addition: the records judged per reason,
/// the flow logs' tally, the traffic to AWS services that left through an internet or NAT gateway
/// (``ExposureKey``), and the hits per rule, route and gateway (``CoverageKey``).
///
/// Every part is a sum (or a minimum and maximum), so merging is associative and commutative:
/// reports of the parts of an input, merged in any grouping, equal the report of the whole — as
/// long as the parts split the input between files, since connection state does not cross files
/// (docs/scale.md). Conversations merge too, as long as every document lists all of its own
/// (written without `--top`); one that lists only its busiest marks the merge as truncated.
public struct TrafficReport: Sendable, Hashable {
    /// Everything counted: records, packets and bytes.
    public var total = TrafficCount()
    /// Records judged, by reason (the verdict follows from it).
    public var reasons: [Reason: TrafficCount] = [:]
    /// The flow logs' agreement with the model; all zero for captures and flows.
    public var flowLogs = FlowLogTally()
    /// Traffic to AWS services that left by an internet gateway or a NAT gateway.
    public var exposure: [ExposureKey: TrafficCount] = [:]
    /// Records that passed (or were stopped at) each rule, route and gateway.
    public var coverage: [CoverageKey: Int] = [:]
    /// The earliest and latest time the input covers (Unix seconds): flow log records' start and
    /// end, capture timestamps; `nil` for synthetic flows.
    public var firstSecond: Int64?
    public var lastSecond: Int64?
    /// Traffic between two addresses over one protocol, both ways (tshark's `-z conv`), per reason.
    public var conversations: [ConversationPair: [Reason: TrafficCount]] = [:]
    /// Whether ``conversations`` holds only the busiest (a document written with `--top`).
    public var conversationsTruncated = false
    /// Records read from the inputs: capture frames, flow log records, synthetic packets.
    public var read = 0
    /// Frames read but not selected by `--filter`.
    public var filtered = 0

    public init() {}

    /// Records read and neither judged nor filtered out: zero, unless a record was lost.
    public var unaccounted: Int { read - total.records - filtered }

    /// The seconds between the first and last time the input covers, at least one; `nil` without times.
    public var seconds: Int64? {
        guard let firstSecond, let lastSecond else { return nil }
        return max(lastSecond - firstSecond, 1)
    }

    /// Counts per verdict.
    public var verdicts: [Verdict: TrafficCount] {
        var counts: [Verdict: TrafficCount] = [:]
        for (reason, count) in reasons { counts[reason.verdict, default: TrafficCount()] += count }
        return counts
    }

    /// Adds another report's counts.
    public static func += (lhs: inout TrafficReport, rhs: TrafficReport) {
        lhs.total += rhs.total
        lhs.reasons.merge(rhs.reasons, uniquingKeysWith: +)
        lhs.flowLogs += rhs.flowLogs
        lhs.exposure.merge(rhs.exposure, uniquingKeysWith: +)
        lhs.coverage.merge(rhs.coverage, uniquingKeysWith: +)
        lhs.include(rhs.firstSecond)
        lhs.include(rhs.lastSecond)
        for (pair, counts) in rhs.conversations { lhs.conversations[pair, default: [:]].merge(counts, uniquingKeysWith: +) }
        lhs.conversationsTruncated = lhs.conversationsTruncated || rhs.conversationsTruncated
        lhs.read += rhs.read
        lhs.filtered += rhs.filtered
    }

    /// Widens the time the report covers to include `second`.
    mutating func include(_ second: Int64?) {
        guard let second else { return }
        firstSecond = min(firstSecond ?? second, second)
        lastSecond = max(lastSecond ?? second, second)
    }
}

/// Two addresses (the lower first) and a protocol: a conversation both ways, as tshark counts one.
public struct ConversationPair: Sendable, Hashable, Comparable {
    public var a: IPAddress
    public var b: IPAddress
    public var protocolNumber: IPProtocolNumber

    public init(_ x: IPAddress, _ y: IPAddress, protocolNumber: IPProtocolNumber) {
        (a, b) = x <= y ? (x, y) : (y, x)
        self.protocolNumber = protocolNumber
    }

    public static func < (l: Self, r: Self) -> Bool { (l.a, l.b, l.protocolNumber.rawValue) < (r.a, r.b, r.protocolNumber.rawValue) }
}

/// Traffic to one AWS service from one subnet, by one way out: what a VPC endpoint would keep
/// private (issue 14's exposure).
public struct ExposureKey: Sendable, Hashable, Comparable {
    /// The endpoint service name, `com.amazonaws.us-east-1.s3`.
    public var service: String
    public var vpc: String
    public var subnet: String
    /// The subnet's Availability Zone: an interface endpoint is paid per zone.
    public var zone: String
    /// The subnet's route table (`-` when it has none in the input): a gateway endpoint is
    /// associated with route tables.
    public var routeTable: String
    public var way: Way
    /// The internet gateway or NAT gateway it left by (`-` when the path does not name it).
    public var gateway: String

    public enum Way: String, Sendable, Hashable, Comparable, CaseIterable {
        case internetGateway = "internet-gateway"
        case natGateway = "nat-gateway"

        public static func < (a: Way, b: Way) -> Bool { a.rawValue < b.rawValue }
    }

    public init(service: String, vpc: String, subnet: String, zone: String, routeTable: String, way: Way, gateway: String) {
        self.service = service
        self.vpc = vpc
        self.subnet = subnet
        self.zone = zone
        self.routeTable = routeTable
        self.way = way
        self.gateway = gateway
    }

    public static func < (a: ExposureKey, b: ExposureKey) -> Bool {
        (a.service, a.vpc, a.subnet, a.zone, a.routeTable, a.way.rawValue) < (b.service, b.vpc, b.subnet, b.zone, b.routeTable, b.way.rawValue) || ((a.service, a.vpc, a.subnet, a.zone, a.routeTable, a.way) == (b.service, b.vpc, b.subnet, b.zone, b.routeTable, b.way) && a.gateway < b.gateway)
    }
}

/// One rule, route or gateway that records met: a hop's kind and resource, and for rules and
/// routes the entry's position (``Hop/rule``).
public struct CoverageKey: Sendable, Hashable, Comparable {
    public var kind: HopKind
    public var resource: String
    public var rule: Int?

    public init(kind: HopKind, resource: String, rule: Int?) {
        self.kind = kind
        self.resource = resource
        self.rule = rule
    }

    public static func < (a: CoverageKey, b: CoverageKey) -> Bool {
        (a.kind.rawValue, a.resource, a.rule ?? -1) < (b.kind.rawValue, b.resource, b.rule ?? -1)
    }
}
