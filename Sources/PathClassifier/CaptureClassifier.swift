import PathCore
import VPCTopology

/// Classifies the packets of a capture in order, keeping connection state: which flows were
/// opened and how, so replies pass security groups by state (R9.2) and take their flow's path, and
/// later IP fragments take their first fragment's verdict.
///
/// One instance per capture; not thread-safe.
public final class CaptureClassifier {
    public let classifier: Classifier

    /// A direction of a conversation: addresses, protocol and ports (ICMP: type-less).
    struct FlowKey: Hashable {
        var source: IPAddress
        var destination: IPAddress
        var protocolNumber: UInt8
        var sourcePort: UInt16
        var destinationPort: UInt16

        init(_ packet: PacketHeader) {
            source = packet.source
            destination = packet.destination
            protocolNumber = packet.protocolNumber.rawValue
            sourcePort = packet.sourcePort ?? 0
            destinationPort = packet.destinationPort ?? 0
            // ICMP has no ports: an echo request (8, 128) and its reply (0, 129) get mirrored keys, so
            // the reply is the reverse of the request and a request the other way is not.
            if packet.protocolNumber.isICMP, let type = packet.icmpType {
                switch type {
                case 8, 128: (sourcePort, destinationPort) = (1, 0)
                case 0, 129: (sourcePort, destinationPort) = (0, 1)
                default: (sourcePort, destinationPort) = (2 + UInt16(type), 2 + UInt16(type))
                }
            }
        }

        var reversed: FlowKey {
            var key = self
            swap(&key.source, &key.destination)
            swap(&key.sourcePort, &key.destinationPort)
            return key
        }
    }

    struct FragmentKey: Hashable {
        var source: IPAddress
        var destination: IPAddress
        var identification: UInt32
    }

    /// Flows whose first packet was delivered, by the opener's direction, with that packet's classification.
    private var opened: [FlowKey: Classification] = [:]
    /// Replies already walked, by the reply's direction: the walk is deterministic, so the next
    /// reply of the connection takes the same result without walking again.
    private var answered: [FlowKey: Classification] = [:]
    /// First fragments' classifications (R8.2: fragments share their datagram's fate).
    private var firstFragments: [FragmentKey: Classification] = [:]
    /// The most connections remembered; past it the table starts again, so memory stays flat.
    public static let connectionLimit = 1 << 20

    /// The interface the capture was taken on, when known (`--capture-point`): frames through it
    /// that are neither from nor to its own addresses meet its source/destination check (R13.2).
    public let capturePoint: InterfaceIndex?

    public init(topology: Topology, capturePoint: InterfaceIndex? = nil) {
        self.classifier = Classifier(topology: topology)
        self.capturePoint = capturePoint
    }

    /// Classifies the next packet of the capture.
    /// - Parameter fragment: the IP identification and whether this is the first fragment, for fragments.
    public func classify(_ packet: PacketHeader, fragment: (identification: UInt32, isFirst: Bool)? = nil) -> Classification {
        if let fragment {
            let key = FragmentKey(source: packet.source, destination: packet.destination, identification: fragment.identification)
            if !fragment.isFirst {
                if let first = firstFragments[key] { return first }
                return Classification(
                    reason: .fragmentWithoutFirst,
                    hops: [Hop(kind: .source, resource: ResourceLabel(id: packet.source.description),
                               detail: "a later fragment (id \(fragment.identification)) whose first fragment is not in the capture", passed: false)],
                    notes: [])
            }
            let result = classifyUnfragmented(packet)
            remember(&firstFragments, key, result)
            return result
        }
        return classifyUnfragmented(packet)
    }

    private func classifyUnfragmented(_ packet: PacketHeader) -> Classification {
        let key = FlowKey(packet)
        if let forward = opened[key] { return forward }  // more packets of an open flow, same direction
        let topology = classifier.topology
        if let reply = opened[key.reversed] {
            if let known = answered[key] { return known }
            // R9.2, R10.3, R11.5: a reply walks its own direction, passing SGs by state.
            var result = reply
            if let owner = topology.addressOwners[packet.source]?.first {
                // The reply is walked on its own; a delivered reply is reported as its flow's path
                // (an interface endpoint's answer is still the interface-endpoint flow).
                result = classifier.classify(packet, from: owner, isReply: true)
                if result.verdict != .dropped { result.reason = reply.reason }
            } else if let owner = topology.addressOwners[packet.destination]?.first {
                result = classifier.classifyReply(packet, to: owner, forward: reply)
            }
            remember(&answered, key, result)
            return result
        }
        let result: Classification
        if let point = capturePoint, !topology[point].owns(packet.source), !topology[point].owns(packet.destination) {
            // Transit traffic at the capture point: an appliance forwards it only with the check off.
            if topology[point].sourceDestCheck {
                result = Classification(
                    reason: .sourceDestCheck,
                    hops: [Hop(kind: .source, resource: topology[point].label,
                               detail: "neither \(packet.source) nor \(packet.destination) is this interface's, and its source/destination check is on (R13.2)",
                               passed: false)],
                    notes: [])
            } else {
                result = classifier.classify(packet, from: point)
            }
        } else if let owner = topology.addressOwners[packet.source]?.first {
            result = classifier.classify(packet, from: owner)
        } else if let owner = topology.addressOwners[packet.destination]?.first {
            result = classifier.classifyInbound(packet, to: owner)
        } else {
            result = Classification(
                reason: .notInTopology,
                hops: [Hop(kind: .source, resource: ResourceLabel(id: packet.source.description),
                           detail: "neither \(packet.source) nor \(packet.destination) belongs to an interface of the topology", passed: false)],
                notes: [])
        }
        if result.verdict != .dropped { remember(&opened, key, result) }
        return result
    }

    private func remember<Key: Hashable>(_ table: inout [Key: Classification], _ key: Key, _ value: Classification) {
        if table.count >= Self.connectionLimit { table.removeAll(keepingCapacity: true) }
        table[key] = value
    }
}
