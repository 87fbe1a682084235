import CaptureReplay
import PathClassifier
import PathCore
import VPCTopology

/// Adds replayed records into a ``TrafficReport``: one per worker (the replay's line formats are
/// made per worker), merged when the replay ends. Records need every hop (``PathDetail/hops`` or
/// ``PathDetail/full``): coverage reads them all. Unchecked `Sendable`: one worker adds to it,
/// and its report is read after the replay has joined its workers.
public final class TrafficAnalyzer: @unchecked Sendable {
    let topology: Topology
    let labels: AddressLabels
    let interfaces: [String: InterfaceIndex]
    /// The report, but for coverage, which is counted by slot (``coverageSlots``) and added in by
    /// ``report``.
    private var counts = TrafficReport()
    /// Coverage counted per slot: each distinct rule, route or gateway gets one the first time
    /// it is met, so a record costs no hashing of resource names.
    private var coverageKeys: [CoverageKey] = []
    private var coverageCounts: [Int] = []
    private var coverageSlot: [CoverageKey: Int] = [:]
    /// The slots of a replaying worker's path (``PacketRecord/pathKey``): records that share a
    /// path share its slots. Cleared when large (paths of a huge replay are many).
    private var pathSlots: [PacketRecord.PathKey: [Int]] = [:]
    /// Exposure keys by (inside interface, outside address, way): a service's addresses recur.
    private var exposures: [ExposureMemo: ExposureKey?] = [:]

    struct ExposureMemo: Hashable {
        var inside: InterfaceIndex
        var outside: IPAddress
        var way: ExposureKey.Way
    }

    /// Everything added so far.
    public var report: TrafficReport {
        var report = counts
        for (slot, count) in coverageCounts.enumerated() where count > 0 { report.coverage[coverageKeys[slot], default: 0] += count }
        for (key, count) in conversations { report.conversations[key.pair, default: [:]][key.reason, default: TrafficCount()] += count }
        return report
    }

    /// Conversations counted per (conversation, reason) in one flat table: a record costs one
    /// hash, not one for the conversation and another for its reason; ``report`` nests them.
    private var conversations: [ConversationReason: TrafficCount] = [:]

    struct ConversationReason: Hashable {
        var pair: ConversationPair
        var reason: Reason
    }

    public init(topology: Topology) {
        self.topology = topology
        labels = AddressLabels(topology: topology)
        interfaces = topology.interfacesByID()
    }

    /// Counts one replayed record.
    public func add(_ packet: PacketRecord) {
        let count = TrafficCount(packet)
        counts.total += count
        if let observed = packet.observation {
            counts.include(observed.start)
            counts.include(observed.end)
            // Records without traffic (NODATA, SKIPDATA) are in the flow log tally alone.
            guard observed.hasTraffic else { return }
        }
        if let time = packet.time { counts.include(time.seconds) }
        counts.reasons[packet.reason, default: TrafficCount()] += count
        if let header = packet.header {
            conversations[ConversationReason(pair: ConversationPair(header.source, header.destination, protocolNumber: header.protocolNumber), reason: packet.reason), default: TrafficCount()] += count
        }
        for slot in slots(packet) { coverageCounts[slot] += 1 }
        if let header = packet.header, let key = exposure(packet, header) { counts.exposure[key, default: TrafficCount()] += count }
    }

    /// The coverage slots of a record's walks (its reply's too, for a synthetic flow).
    func slots(_ packet: PacketRecord) -> [Int] {
        if packet.reply == nil, let key = packet.pathKey, let known = pathSlots[key] { return known }
        var found: [Int] = []
        for classification in [packet.classification, packet.reply].compactMap({ $0 }) {
            for hop in classification.hops where Self.isCovered(hop) {
                let key = CoverageKey(kind: hop.kind, resource: hop.resource.id, rule: hop.rule)
                if let slot = coverageSlot[key] {
                    found.append(slot)
                } else {
                    coverageSlot[key] = coverageKeys.count
                    found.append(coverageKeys.count)
                    coverageKeys.append(key)
                    coverageCounts.append(0)
                }
            }
        }
        if packet.reply == nil, let key = packet.pathKey {
            if pathSlots.count >= 1 << 16 { pathSlots.removeAll(keepingCapacity: true) }
            pathSlots[key] = found
        }
        return found
    }

    /// Whether coverage counts a hop: a rule or route that decided (``Hop/rule``), or a gateway or
    /// endpoint the packet crossed.
    static func isCovered(_ hop: Hop) -> Bool {
        if hop.rule != nil { return true }
        switch hop.kind {
        case .internetGateway, .egressOnlyInternetGateway, .natGateway, .gatewayEndpoint, .gatewayLoadBalancerEndpoint,
            .interfaceEndpoint, .peeringConnection, .transitGateway, .vpnGateway, .loadBalancer:
            return hop.passed
        default: return false
        }
    }

    /// The exposure a record counts toward: traffic between an interface of the topology and a
    /// named AWS service (not the catch-all `AMAZON` range) that the model sends by an internet
    /// gateway, directly or through a NAT gateway. A flow log record logged at another interface
    /// of the topology than the inside one (a NAT gateway's, which logs the same packets again)
    /// is left out, so traffic is counted once.
    func exposure(_ packet: PacketRecord, _ header: PacketHeader) -> ExposureKey? {
        let way: ExposureKey.Way
        switch packet.reason {
        case .igwDirect: way = .internetGateway
        case .igwViaNAT: way = .natGateway
        default: return nil
        }
        let inside: InterfaceIndex, outside: IPAddress
        if let owner = topology.addressOwners[header.source]?.first {
            (inside, outside) = (owner, header.destination)
        } else if let owner = topology.addressOwners[header.destination]?.first {
            (inside, outside) = (owner, header.source)
        } else {
            return nil
        }
        if let logged = packet.observation?.interface.flatMap({ interfaces[$0] }), logged != inside { return nil }
        let memo = ExposureMemo(inside: inside, outside: outside, way: way)
        if let known = exposures[memo] { return known }
        let key = exposureKey(inside: inside, outside: outside, way: way)
        if exposures.count >= 1 << 16 { exposures.removeAll(keepingCapacity: true) }
        exposures[memo] = key
        return key
    }

    /// The exposure key of traffic between `inside` and the public address `outside`; `nil` when
    /// `outside` is not a named AWS service's.
    func exposureKey(inside: InterfaceIndex, outside: IPAddress, way: ExposureKey.Way) -> ExposureKey? {
        guard let service = labels.awsService(of: outside)?.service, service.key != "AMAZON", service.key != "ec2" else { return nil }
        let subnet = topology[topology[inside].subnet]
        let table = topology.routeTable(of: topology[inside].subnet)
        // The gateway is the target of the subnet's route to the service, the same for a request
        // and its reply (a reply's walk starts outside).
        let gateway = table.flatMap { table in
            RouteSelection.select(outside, in: topology[table], topology: topology).winner.map { topology.label(of: topology[table].routes[$0.routeIndex].target).id }
        }
        return ExposureKey(
            service: service.serviceName, vpc: topology[subnet.vpc].label.id, subnet: subnet.label.id, zone: subnet.availabilityZone,
            routeTable: table.map { topology[$0].label.id } ?? "-", way: way, gateway: gateway ?? "-")
    }
}
