import CaptureReplay
import PathClassifier
import PathCore
import VPCTopology

/// Adds replayed records into a ``TrafficReport``: one per worker (the replay's line formats are
/// made per worker), merged when the replay ends. Records need their full path
/// (``PathDetail/full``): coverage reads every hop. Unchecked `Sendable`: one worker adds to it,
/// and its report is read after the replay has joined its workers.
public final class TrafficAnalyzer: @unchecked Sendable {
    let topology: Topology
    let labels: AddressLabels
    let interfaces: [String: InterfaceIndex]
    public private(set) var report = TrafficReport()

    public init(topology: Topology) {
        self.topology = topology
        labels = AddressLabels(topology: topology)
        var interfaces: [String: InterfaceIndex] = [:]
        for index in topology.interfaces.indices { interfaces[topology.interfaces[index].label.id] = InterfaceIndex(index) }
        self.interfaces = interfaces
    }

    /// Counts one replayed record.
    public func add(_ packet: PacketRecord) {
        let count = TrafficCount(packet)
        report.total += count
        if let observed = packet.observation {
            report.include(observed.start)
            report.include(observed.end)
            // Records without traffic (NODATA, SKIPDATA) are in the flow log tally alone.
            guard observed.hasTraffic else { return }
        }
        if let time = packet.time { report.include(time.seconds) }
        report.reasons[packet.reason, default: TrafficCount()] += count
        for classification in [packet.classification, packet.reply].compactMap({ $0 }) {
            for hop in classification.hops where Self.isCovered(hop) {
                report.coverage[CoverageKey(kind: hop.kind, resource: hop.resource.id, rule: hop.rule), default: 0] += 1
            }
        }
        if let header = packet.header, let key = exposure(packet, header) { report.exposure[key, default: TrafficCount()] += count }
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
