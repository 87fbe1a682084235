import FlowLogs
import PathClassifier
import PathCore
import VPCTopology

/// What a VPC Flow Log record observed, beside the model's judgement of the same traffic
/// (``PacketRecord/observation``).
public struct FlowLogObservation: Sendable, Hashable {
    /// The log file, and the record's 1-based position among its records.
    public var file: String
    public var position: Int
    /// The interface the record was logged at (`interface-id`).
    public var interface: String?
    public var action: FlowLogRecord.Action?
    public var trafficPath: FlowLogRecord.TrafficPath?
    public var logStatus: FlowLogRecord.LogStatus?
    /// Whether the traffic left the interface (`flow-direction`, else whether the interface owns
    /// the source address); `nil` when the interface is not in the topology.
    public var egress: Bool?
    public var packets: UInt64?
    public var bytes: UInt64?
    /// The aggregation window's start and end (Unix seconds).
    public var start: Int64?
    public var end: Int64?
    /// Whether the record's observation agrees with the model: its action, and its traffic path
    /// where it has one; `nil` when the record observes nothing to compare (NODATA, SKIPDATA, no
    /// addresses) or the model has no verdict for it.
    public var agrees: Bool?
    /// Whether the record carries traffic the model judged: its log status is OK (or not logged)
    /// and it gives the packet's addresses and protocol.
    public var hasTraffic = false
    /// Where the record names the AWS service of an address (`pkt-src-aws-service`,
    /// `pkt-dst-aws-service`) and the model's service ranges do not agree: the address, the name
    /// the log gives, and the model's (`nil`: the model has no range for it).
    public var serviceMismatch: ServiceMismatch?

    public struct ServiceMismatch: Sendable, Hashable {
        public var address: IPAddress
        public var logged: String
        public var model: String?
    }
}

/// What a flow log replay observed, record by record: the counts, the agreement matrix, traffic
/// per (observed path, predicted path), and the disagreements grouped with their explanation.
public struct FlowLogTally: Sendable, Hashable {
    public var records = 0
    /// Records without traffic (NODATA, SKIPDATA, no addresses): nothing to judge.
    public var withoutTraffic = 0
    public var agree = 0
    public var disagree = 0
    /// Records with traffic whose observation cannot be compared (no action, an interface not in
    /// the topology and no `flow-direction`).
    public var notCompared = 0
    /// Records by (observed action, predicted verdict); a missing action is `-`.
    public var matrix: [Pair: Int] = [:]
    /// Packets and bytes by (observed traffic path, predicted path), for egress records.
    public var paths: [Pair: TrafficCount] = [:]
    /// Disagreeing records grouped by what disagrees, with why.
    public var disagreements: [Disagreement: TrafficCount] = [:]

    public init() {}

    public struct Pair: Sendable, Hashable, Comparable {
        public var observed: String
        public var predicted: String

        public init(observed: String, predicted: String) {
            self.observed = observed
            self.predicted = predicted
        }

        public static func < (a: Pair, b: Pair) -> Bool { (a.observed, a.predicted) < (b.observed, b.predicted) }
    }

    /// A kind of disagreement: where, what the record saw, what the model says, and the likely
    /// cause.
    public struct Disagreement: Sendable, Hashable {
        public var interface: String
        public var observed: String
        public var predicted: String
        public var explanation: String

        public init(interface: String, observed: String, predicted: String, explanation: String) {
            self.interface = interface
            self.observed = observed
            self.predicted = predicted
            self.explanation = explanation
        }
    }

    public static func += (lhs: inout FlowLogTally, rhs: FlowLogTally) {
        lhs.records += rhs.records
        lhs.withoutTraffic += rhs.withoutTraffic
        lhs.agree += rhs.agree
        lhs.disagree += rhs.disagree
        lhs.notCompared += rhs.notCompared
        lhs.matrix.merge(rhs.matrix, uniquingKeysWith: +)
        lhs.paths.merge(rhs.paths, uniquingKeysWith: +)
        lhs.disagreements.merge(rhs.disagreements, uniquingKeysWith: +)
    }

    /// Counts one disagreeing record, grouped by what disagrees, with why.
    mutating func addDisagreement(_ packet: PacketRecord, _ observed: FlowLogObservation, interfaceKnown: Bool) {
        let key = Disagreement(
            interface: observed.interface ?? "-",
            observed: [observed.action?.rawValue, observed.trafficPath.map { "path \($0.rawValue)" }, observed.serviceMismatch.map { "service \($0.logged)" }]
                .compactMap { $0 }.joined(separator: " "),
            predicted: "\(packet.classification.verdict.rawValue) \(packet.classification.reason.rawValue)"
                + (packet.classification.decisiveHop.map { " via \($0.resource.id)" } ?? ""),
            explanation: Self.explanation(packet, interfaceKnown: interfaceKnown))
        disagreements[key, default: TrafficCount()].add(observed)
    }

    /// The likely cause of a disagreement: data missing from the snapshot, configuration that
    /// changed since the log was written (drift), or a rule the model does not have.
    static func explanation(_ packet: PacketRecord, interfaceKnown: Bool) -> String {
        guard let observed = packet.observation else { return "" }
        let reason = packet.classification.reason
        switch reason {
        case .noSuchHost, .notInTopology, .unknownSource, .insufficientData:
            return "data missing from the snapshot: the model cannot place this traffic (\(reason.rawValue))"
        default: break
        }
        if let mismatch = observed.serviceMismatch {
            guard let model = mismatch.model else {
                return "data missing from the snapshot: the log names \(mismatch.address) an address of \(mismatch.logged), the model has no AWS range for it (give --ip-ranges with AWS's ip-ranges.json)"
            }
            return "drift in AWS's ranges: the log names \(mismatch.address) an address of \(mismatch.logged), the model's ranges say \(model)"
        }
        if let path = observed.trafficPath, packet.classification.verdict != .dropped {
            return "drift: the log saw the traffic leave by \(pathName(path)), the snapshot routes it by \(ModelPath(reason)?.rawValue ?? reason.rawValue)"
        }
        if !interfaceKnown {
            return "data missing from the snapshot: interface \(observed.interface ?? "-") is not in it (created or deleted since?)"
        }
        if observed.action == .reject {
            return "drift, or a rule the model lacks: the snapshot allows what the log saw rejected here"
        }
        return "drift: the snapshot rejects here (\(reason.rawValue)) what the log saw accepted"
    }

    /// A traffic path's name.
    static func pathName(_ path: FlowLogRecord.TrafficPath) -> String {
        switch path {
        case .sameVPC: return "the VPC (1)"
        case .internetGatewayOrGatewayEndpoint: return "internet gateway or gateway endpoint (2)"
        case .virtualPrivateGateway: return "virtual private gateway (3)"
        case .intraRegionPeering: return "peering in the Region (4)"
        case .interRegionPeering: return "peering across Regions (5)"
        case .localGateway: return "local gateway (6)"
        case .gatewayEndpoint: return "gateway endpoint (7)"
        case .internetGateway: return "internet gateway (8)"
        }
    }
}

extension Replayer {
    /// Replays the records of one flow log file, the third source beside captures and synthetic
    /// flows: each record becomes the packet it describes — its packet-level addresses where the
    /// interface is an intermediate one (`pkt-srcaddr`, `pkt-dstaddr`: a NAT gateway, a transit
    /// gateway attachment) — classified in file order with connection state (a record of a
    /// connection's replies is judged as a reply), counted (its packets and bytes) into `summary`,
    /// and handed to `lines` with the record's observation and whether it agrees with the model.
    /// One thread: a record costs a walk or a probe, and logs are read a file at a time.
    /// - Returns: how many records agreed, disagreed, or carried nothing to compare.
    @discardableResult
    public func replay(
        flowLog: FlowLogText, file: String, into summary: Summary, lines: Lines? = nil, detail: PathDetail = .full
    ) throws -> FlowLogTally {
        let walkDetail: PathDetail = lines == nil ? .reason : detail
        // Walks that record no path look routes up in compiled tables, as capture replay's do.
        let classifier = CaptureClassifier(
            topology: topology, detail: walkDetail, compiledRoutes: walkDetail == .reason ? CompiledRoutes(topology) : nil)
        let interfaces = topology.interfacesByID()
        let format = lines?.format()
        let text = LineBuffer()
        var tally = FlowLogTally()
        let entries = flowLog.entries
        // The packet each record describes; `nil` for a record without traffic (NODATA, SKIPDATA,
        // no addresses).
        var headers = entries.map { entry in
            entry.record.logStatus == nil || entry.record.logStatus == .ok ? Self.header(of: entry.record) : nil
        }
        /// Whether record `i` left its interface: `flow-direction`, else whether the interface
        /// owns the source; `nil` when the interface is not in the topology.
        // A log's records come from few interfaces: the last one looked up is kept.
        var last: (id: String, index: InterfaceIndex?)?
        func interface(_ id: String) -> InterfaceIndex? {
            if let last, last.id == id { return last.index }
            let index = interfaces[id]
            last = (id, index)
            return index
        }
        func egress(_ i: Int, _ header: PacketHeader) -> Bool? {
            entries[i].record.flowDirection.map { $0 == .egress }
                ?? entries[i].record.interfaceID.flatMap(interface).map { topology[$0].owns(entries[i].record.sourceAddress ?? header.source) }
        }
        markICMPReplies(entries, &headers, egress: egress)
        let labels = AddressLabels(topology: topology)
        /// The first address whose logged AWS service the model's ranges contradict (R14.3):
        /// `AMAZON` on either side is the catch-all and agrees with any named service.
        func serviceMismatch(_ record: FlowLogRecord, _ header: PacketHeader) -> FlowLogObservation.ServiceMismatch? {
            for (logged, address) in [(record.packetSourceAWSService, header.source), (record.packetDestinationAWSService, header.destination)] {
                guard let logged = logged?.uppercased() else { continue }
                let model = labels.awsService(of: address).map { $0.service.key.uppercased() }
                if let model, model == logged || model == "AMAZON" || logged == "AMAZON" { continue }
                return FlowLogObservation.ServiceMismatch(address: address, logged: logged, model: model)
            }
            return nil
        }
        // Within an aggregation window a log lists a connection's records in no causal order, so
        // they are judged in time order, requests before replies, and reported in file order.
        func rank(_ i: Int) -> (Int64, Int, Int) {
            guard let header = headers[i] else { return (entries[i].record.start ?? 0, 0, i) }
            let looksLikeReply: Bool
            if header.protocolNumber.isICMP {
                looksLikeReply = header.icmpType == 0 || header.icmpType == 129
            } else if let source = header.sourcePort, let destination = header.destinationPort {
                looksLikeReply = source < destination  // from the server's port to the client's
            } else {
                looksLikeReply = false
            }
            return (entries[i].record.start ?? 0, looksLikeReply ? 1 : 0, i)
        }
        // Each record's rank once, not per comparison.
        let ranks = entries.indices.map(rank)
        var packets = [PacketRecord?](repeating: nil, count: entries.count)
        for i in entries.indices.sorted(by: { ranks[$0] < ranks[$1] }) {
            // The record is read in place: a copy would retain each of its strings.
            var observation = FlowLogObservation(
                file: file, position: entries[i].position, interface: entries[i].record.interfaceID, action: entries[i].record.action,
                trafficPath: entries[i].record.trafficPath, logStatus: entries[i].record.logStatus, packets: entries[i].record.packets,
                bytes: entries[i].record.bytes, start: entries[i].record.start, end: entries[i].record.end)
            var packet: PacketRecord
            if let header = headers[i] {
                observation.hasTraffic = true
                let id = classifier.classifyPath(header)
                let classification = classifier.path(id)
                observation.egress = egress(i, header)
                observation.agrees = Self.agreement(of: entries[i].record, with: classification, egress: observation.egress)
                observation.serviceMismatch = serviceMismatch(entries[i].record, header)
                if observation.serviceMismatch != nil && observation.agrees != nil { observation.agrees = false }
                packet = PacketRecord(frame: entries[i].position, header: header, classification: classification, length: observation.bytes.map { Int($0) })
                packet.pathKey = PacketRecord.PathKey(index: id.index, generation: classifier.generation)
                summary.add(classification.reason, header: header, length: Int(observation.bytes ?? 0))
            } else {
                packet = PacketRecord(frame: entries[i].position, header: nil, classification: Classification(reason: .insufficientData, hops: [], notes: []))
            }
            packet.observation = observation
            packets[i] = packet
        }
        var counter = FlowLogCounter()
        for case let packet? in packets {
            counter.add(packet, interfaceKnown: packet.observation?.interface.flatMap(interface) != nil, into: &tally)
            format?(packet, text)
            try lines?.flush(text, atLeast: 1 << 16)
        }
        try lines?.flush(text)
        counter.fold(into: &tally)
        return tally
    }

    /// Marks the echo replies among ICMP records. A record does not say which ICMP messages it
    /// counts, and a log lists an exchange's records in no causal order, so between two addresses,
    /// records overlapping in time are one exchange. When it has records both ways, the side that
    /// pings is the one under which the model agrees with more of the exchange's observed actions
    /// (each record judged without state: a request on its own, a reply as one), else the source
    /// of the exchange's first record; records from it are requests, records the other way
    /// replies. An exchange one way only is all requests.
    func markICMPReplies(_ entries: [FlowLogEntry], _ headers: inout [PacketHeader?], egress: (Int, PacketHeader) -> Bool?) {
        let stateless = Classifier(topology: topology)
        var exchanges: [ICMPPair: (end: Int64, members: [Int])] = [:]
        var finished: [[Int]] = []
        func reply(_ header: PacketHeader) -> PacketHeader {
            var reply = header
            reply.icmpType = header.protocolNumber == .icmp ? 0 : 129
            return reply
        }
        // An exchange's records repeat the same packets window after window: each is judged once.
        var judged: [StatelessJudgment: Classification] = [:]
        func agreements(_ members: [Int], initiator: IPAddress) -> Int {
            members.filter { i in
                let header = headers[i]!
                let isReply = header.source != initiator
                guard let owner = topology.addressOwners[header.source]?.first else { return false }
                let packet = isReply ? reply(header) : header
                let key = StatelessJudgment(packet: packet, isReply: isReply)
                let classification = judged[key] ?? stateless.classify(packet, from: owner, isReply: isReply, detail: .reason)
                judged[key] = classification
                return Self.agreement(of: entries[i].record, with: classification, egress: egress(i, header)) == true
            }.count
        }
        func decide(_ members: [Int]) -> IPAddress {
            let first = headers[members[0]]!
            // Records one way only: no replies among them.
            guard members.contains(where: { headers[$0]!.source != first.source }) else { return first.source }
            return agreements(members, initiator: first.destination) > agreements(members, initiator: first.source) ? first.destination : first.source
        }
        for i in entries.indices.sorted(by: { (entries[$0].record.start ?? 0, $0) < (entries[$1].record.start ?? 0, $1) }) {
            guard let header = headers[i], header.protocolNumber.isICMP else { continue }
            let pair = ICMPPair(header.source, header.destination)
            let start = entries[i].record.start ?? .min, end = entries[i].record.end ?? entries[i].record.start ?? .max
            if var exchange = exchanges[pair], start <= exchange.end {
                exchange.end = max(exchange.end, end)
                exchange.members.append(i)
                exchanges[pair] = exchange
            } else {
                if let done = exchanges[pair] { finished.append(done.members) }
                exchanges[pair] = (end, [i])
            }
        }
        finished += exchanges.values.map(\.members)
        for members in finished {
            let initiator = decide(members)
            for i in members where headers[i]!.source != initiator { headers[i] = reply(headers[i]!) }
        }
    }

    /// The packet a record describes: the packet-level addresses when logged, else the interface's.
    static func header(of record: FlowLogRecord) -> PacketHeader? {
        guard let source = record.packetSourceAddress ?? record.sourceAddress,
            let destination = record.packetDestinationAddress ?? record.destinationAddress,
            let protocolNumber = record.protocolNumber
        else { return nil }
        var header = PacketHeader(source: source, destination: destination, protocolNumber: protocolNumber)
        if protocolNumber.hasPorts {
            header.sourcePort = record.sourcePort
            header.destinationPort = record.destinationPort
        } else if protocolNumber.isICMP {
            // A record does not say which ICMP messages it counts (its ports are 0): an echo
            // request, unless ``markICMPReplies(_:_:)`` finds it answers one.
            header.icmpType = protocolNumber == .icmp ? 8 : 128
            header.icmpCode = 0
        }
        return header
    }

    /// Whether what `record` observed agrees with `classification`:
    /// - its action: REJECT exactly when the model stops the traffic at this interface's security
    ///   groups or its subnet's network ACL (the side the record sees: outbound for egress records,
    ///   inbound for ingress ones), at an interface endpoint refusing what is not TCP, or by VPC
    ///   Block Public Access; traffic dropped elsewhere (by
    ///   routing, at another interface) is logged ACCEPT here;
    /// - its traffic path, for egress records that have one and traffic the model delivers: the
    ///   gateway the model chose.
    static func agreement(of record: FlowLogRecord, with classification: Classification, egress: Bool?) -> Bool? {
        guard let action = record.action, let egress else { return nil }
        let rejectedHere: Bool
        switch classification.reason {
        case .securityGroupEgress, .networkACLEgress: rejectedHere = egress
        // An interface endpoint's interface refuses what is not TCP (R5.4) as its groups would.
        case .securityGroupIngress, .networkACLIngress, .endpointProtocol: rejectedHere = !egress
        case .bpaBlocked: rejectedHere = true
        default: rejectedHere = false
        }
        guard (action == .reject) == rejectedHere else { return false }
        if let path = record.trafficPath, egress, classification.verdict != .dropped, let expected = ModelPath(classification.reason) {
            return expected.trafficPaths.contains(path)
        }
        return true
    }
}

/// A file's ``FlowLogTally`` counts while it is replayed, in flat arrays indexed by action,
/// verdict, traffic path and model path, so that a record costs no string hashing; folded into
/// the tally, with its names, once per file.
struct FlowLogCounter {
    var records = 0
    var withoutTraffic = 0
    var agree = 0
    var disagree = 0
    var notCompared = 0
    /// Records by (observed action: ACCEPT, REJECT, none) × verdict.
    var matrix = [Int](repeating: 0, count: 3 * Verdict.allCases.count)
    /// Egress traffic by (traffic path, 0 for none) × model path slot (``slot(_:)``).
    var paths = [TrafficCount](repeating: TrafficCount(), count: 9 * FlowLogCounter.slots)

    static let actions: [FlowLogRecord.Action?] = [.accept, .reject, nil]
    /// Model path slots: dropped, each ``ModelPath``, then each reason without one.
    static let slots = 1 + ModelPath.allCases.count + Reason.allCases.count

    static func slot(_ classification: Classification) -> Int {
        if classification.verdict == .dropped { return 0 }
        if let path = ModelPath(classification.reason) { return 1 + ModelPath.allCases.firstIndex(of: path)! }
        return 1 + ModelPath.allCases.count + classification.reason.ordinal
    }

    static func slotName(_ slot: Int) -> String {
        if slot == 0 { return "dropped" }
        if slot <= ModelPath.allCases.count { return ModelPath.allCases[slot - 1].rawValue }
        return Reason.allCases[slot - 1 - ModelPath.allCases.count].rawValue
    }

    /// Counts one record; a disagreeing one also goes to `tally`'s disagreements.
    mutating func add(_ packet: PacketRecord, interfaceKnown: Bool, into tally: inout FlowLogTally) {
        records += 1
        guard let observed = packet.observation else { return }
        guard observed.hasTraffic else {
            withoutTraffic += 1
            return
        }
        let action = observed.action == .accept ? 0 : observed.action == .reject ? 1 : 2
        matrix[action * Verdict.allCases.count + Verdict.allCases.firstIndex(of: packet.classification.verdict)!] += 1
        if observed.egress == true {
            paths[(observed.trafficPath?.rawValue ?? 0) * Self.slots + Self.slot(packet.classification)].add(observed)
        }
        switch observed.agrees {
        case true?: agree += 1
        case false?:
            disagree += 1
            tally.addDisagreement(packet, observed, interfaceKnown: interfaceKnown)
        case nil: notCompared += 1
        }
    }

    /// Adds the counts to `tally`, by name.
    func fold(into tally: inout FlowLogTally) {
        tally.records += records
        tally.withoutTraffic += withoutTraffic
        tally.agree += agree
        tally.disagree += disagree
        tally.notCompared += notCompared
        for (index, count) in matrix.enumerated() where count > 0 {
            let action = Self.actions[index / Verdict.allCases.count]?.rawValue ?? "-"
            tally.matrix[FlowLogTally.Pair(observed: action, predicted: Verdict.allCases[index % Verdict.allCases.count].rawValue), default: 0] += count
        }
        for (index, count) in paths.enumerated() where count.records > 0 {
            let path = index / Self.slots
            let observed = path == 0 ? "-" : FlowLogRecord.TrafficPath(rawValue: path).map(FlowLogTally.pathName) ?? "-"
            tally.paths[FlowLogTally.Pair(observed: observed, predicted: Self.slotName(index % Self.slots)), default: TrafficCount()] += count
        }
    }
}

/// A packet judged without connection state, as a request or as a reply (its source's first
/// owner walks it).
struct StatelessJudgment: Hashable {
    var packet: PacketHeader
    var isReply: Bool
}

/// The two addresses of an ICMP exchange, in either order.
struct ICMPPair: Hashable {
    var low: IPAddress
    var high: IPAddress

    init(_ a: IPAddress, _ b: IPAddress) { (low, high) = a < b ? (a, b) : (b, a) }
}

/// The way the model sends delivered traffic, in the terms of flow logs' traffic paths
/// (AWS, "Flow log records", `traffic-path`).
enum ModelPath: String, CaseIterable {
    case internetGateway = "internet gateway"
    case gatewayEndpoint = "gateway endpoint"
    /// The next hop is a network interface in the VPC: a NAT gateway's, an endpoint's, a transit
    /// gateway attachment's, another instance's.
    case vpc = "the VPC"
    case peering
    case virtualPrivateGateway = "virtual private gateway"

    /// The path of a delivered reason (of its flow's, for a reply); `nil` where the documented
    /// traffic paths do not decide.
    init?(_ reason: Reason) {
        switch reason {
        case .igwDirect, .igwHairpin, .egressOnlyIGW, .igwInbound: self = .internetGateway
        case .gatewayEndpoint: self = .gatewayEndpoint
        case .local, .interfaceEndpoint, .igwViaNAT, .transitGateway, .tgwHybrid: self = .vpc
        case .peering: self = .peering
        case .vpnGateway, .vpnInbound: self = .virtualPrivateGateway
        default: return nil
        }
    }

    /// The traffic paths a flow log may give egress traffic that takes this way.
    var trafficPaths: Set<FlowLogRecord.TrafficPath> {
        switch self {
        case .internetGateway: return [.internetGateway, .internetGatewayOrGatewayEndpoint]
        case .gatewayEndpoint: return [.gatewayEndpoint, .internetGatewayOrGatewayEndpoint]
        case .vpc: return [.sameVPC]
        case .peering: return [.intraRegionPeering, .interRegionPeering]
        case .virtualPrivateGateway: return [.virtualPrivateGateway]
        }
    }
}
