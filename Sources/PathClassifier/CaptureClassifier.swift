import PathCore
import VPCTopology

/// Classifies the packets of a capture in order, keeping connection state: which flows were
/// opened and how, so replies pass security groups by state (R9.2) and take their flow's path, and
/// later IP fragments take their first fragment's verdict (R8.2).
///
/// Built for line rate: each distinct classification is walked once and interned as a
/// ``PathID``; every later packet of its connection costs one ``FlowTable`` probe and returns that
/// small integer, with nothing allocated. ``path(_:)`` gives the full classification of an ID.
///
/// One instance per capture (or per worker); not thread-safe.
public final class CaptureClassifier {
    public let classifier: Classifier

    /// An interned classification: its index in this classifier's path table, and its reason,
    /// which is all that counting a frame needs. IDs stay valid until ``generation`` changes
    /// (memory stays flat: past ``pathLimit`` paths the tables start again).
    public struct PathID: Hashable, Sendable {
        public let index: UInt32
        public let reason: Reason
    }

    /// Classifications by ``PathID/index``.
    public private(set) var paths: [Classification] = []
    private var pathIDs: [Classification: PathID] = [:]
    /// Incremented whenever the tables start again and earlier ``PathID``s lose their meaning.
    public private(set) var generation = 0

    /// A connection direction seen: the opener's direction holds its path, a reply's direction
    /// the reply's path. A reply walk is deterministic, so the next reply of the connection takes
    /// the same result without walking again.
    struct Direction {
        var path: PathID
        var isReply: Bool
    }
    private let connections = FlowTable<PacketKey, Direction>(limit: connectionLimit)
    /// First fragments' paths, by addresses, protocol and identification.
    private let firstFragments = FlowTable<PacketKey, PathID>(limit: connectionLimit)
    /// The most connections (and, separately, first fragments) remembered.
    public static let connectionLimit = 1 << 20
    /// The most distinct paths remembered.
    public static let pathLimit = 1 << 16

    /// The interface the capture was taken on, when known (`--capture-point`): frames through it
    /// that are neither from nor to its own addresses meet its source/destination check (R13.2).
    public let capturePoint: InterfaceIndex?

    /// Whether paths carry their hops and notes. Without them (a counting replay) every
    /// packet gets the same reason, by the same walk, and a path is just its reason.
    public let recordsPaths: Bool

    /// - Parameter compiledRoutes: compiled route tables for walks that record no path (shared
    ///   by the workers of a replay); without them those walks use ``RouteSelection`` too.
    public init(topology: Topology, capturePoint: InterfaceIndex? = nil, recordsPaths: Bool = true, compiledRoutes: CompiledRoutes? = nil) {
        self.classifier = Classifier(topology: topology, compiledRoutes: compiledRoutes)
        self.capturePoint = capturePoint
        self.recordsPaths = recordsPaths
    }

    /// Classifies the next packet of the capture.
    /// - Parameter fragment: the IP identification and whether this is the first fragment, for fragments.
    public func classify(_ packet: PacketHeader, fragment: (identification: UInt32, isFirst: Bool)? = nil) -> Classification {
        path(classifyPath(packet, fragment: fragment))
    }

    /// Classifies the next packet of the capture and returns its interned path.
    @inlinable
    public func classifyPath(_ packet: PacketHeader, fragment: (identification: UInt32, isFirst: Bool)? = nil) -> PathID {
        guard let fragment else { return classifyUnfragmented(packet) }
        return classifyFragment(packet, identification: fragment.identification, isFirst: fragment.isFirst)
    }

    /// The classification of a path.
    @inlinable
    public func path(_ id: PathID) -> Classification { paths[Int(id.index)] }

    @usableFromInline
    func classifyFragment(_ packet: PacketHeader, identification: UInt32, isFirst: Bool) -> PathID {
        let key = PacketKey(packet.source, packet.destination, tag: UInt64(packet.protocolNumber.rawValue) << 32 | UInt64(identification))
        if !isFirst {
            if let first = firstFragments[key] { return first }
            return intern(Classification(
                reason: .fragmentWithoutFirst,
                hops: [Hop(kind: .source, resource: ResourceLabel(id: packet.source.description),
                           detail: "a later fragment (id \(identification)) whose first fragment is not in the capture", passed: false)],
                notes: []))
        }
        let result = classifyUnfragmented(packet)
        firstFragments.insert(key, result)
        return result
    }

    /// The tag of a connection direction: protocol and ports; ICMP has no ports, so an echo
    /// request (8, 128) and its reply (0, 129) get mirrored tags, making the reply the reverse of
    /// the request and a request the other way not.
    @inlinable
    static func connectionTag(_ packet: PacketHeader) -> (forward: UInt64, reverse: UInt64) {
        var source = packet.sourcePort ?? 0
        var destination = packet.destinationPort ?? 0
        if packet.protocolNumber.isICMP, let type = packet.icmpType {
            switch type {
            case 8, 128: (source, destination) = (1, 0)
            case 0, 129: (source, destination) = (0, 1)
            default: (source, destination) = (2 + UInt16(type), 2 + UInt16(type))
            }
        }
        let protocolBits = UInt64(packet.protocolNumber.rawValue)
        return (protocolBits | UInt64(source) << 8 | UInt64(destination) << 24,
                protocolBits | UInt64(destination) << 8 | UInt64(source) << 24)
    }

    @usableFromInline
    func classifyUnfragmented(_ packet: PacketHeader) -> PathID {
        let tags = Self.connectionTag(packet)
        let key = PacketKey(packet.source, packet.destination, tag: tags.forward)
        // More packets of an open flow in the same direction, or further replies: one probe.
        if let known = connections.find(key) { return connections[slot: known].path }
        return classifyNewDirection(packet, key: key, reverse: key.swapped(tag: tags.reverse))
    }

    /// The first packet of a connection direction: a reply to an opened flow, or a new flow.
    func classifyNewDirection(_ packet: PacketHeader, key: PacketKey, reverse: PacketKey) -> PathID {
        let topology = classifier.topology
        if let opener = connections[reverse], !opener.isReply {
            // R9.2, R10.3, R11.5: a reply walks its own direction, passing SGs by state.
            let forward = path(opener.path)
            let id: PathID
            if let owner = topology.addressOwners[packet.source]?.first {
                // The reply is walked on its own; a delivered reply is reported as its flow's path
                // (an interface endpoint's answer is still the interface-endpoint flow).
                id = walk(packet, .replyFromSource, forward: forward.reason) {
                    var result = classifier.classify(packet, from: owner, isReply: true, recordsPath: recordsPaths)
                    if result.verdict != .dropped { result.reason = forward.reason }
                    return result
                }
            } else if let owner = topology.addressOwners[packet.destination]?.first {
                id = walk(packet, .replyToDestination, forward: forward.reason) {
                    classifier.classifyReply(packet, to: owner, forward: forward, recordsPath: recordsPaths)
                }
            } else {
                id = opener.path
            }
            connections.insert(key, Direction(path: id, isReply: true))
            return id
        }
        let id: PathID
        if let point = capturePoint, !topology[point].owns(packet.source), !topology[point].owns(packet.destination) {
            // Transit traffic at the capture point: an appliance forwards it only with the check off.
            id = walk(packet, .transit) {
                guard topology[point].sourceDestCheck else { return classifier.classify(packet, from: point, recordsPath: recordsPaths) }
                return Classification(
                    reason: .sourceDestCheck,
                    hops: [Hop(kind: .source, resource: topology[point].label,
                               detail: "neither \(packet.source) nor \(packet.destination) is this interface's, and its source/destination check is on (R13.2)",
                               passed: false)],
                    notes: [])
            }
        } else if let owner = topology.addressOwners[packet.source]?.first {
            id = walk(packet, .fromSource) { classifier.classify(packet, from: owner, recordsPath: recordsPaths) }
        } else if let owner = topology.addressOwners[packet.destination]?.first {
            id = walk(packet, .inbound) { classifier.classifyInbound(packet, to: owner, recordsPath: recordsPaths) }
        } else {
            id = walk(packet, .outside) {
                Classification(
                    reason: .notInTopology,
                    hops: [Hop(kind: .source, resource: ResourceLabel(id: packet.source.description),
                               detail: "neither \(packet.source) nor \(packet.destination) belongs to an interface of the topology", passed: false)],
                    notes: [])
            }
        }
        if id.reason.verdict != .dropped { connections.insert(key, Direction(path: id, isReply: false)) }
        return id
    }

    /// Which walk a new connection direction takes.
    enum WalkKind: UInt64 {
        case fromSource, inbound, transit, outside, replyFromSource, replyToDestination
    }

    /// Walks already taken, by everything a walk reads: addresses, protocol, destination port, ICMP
    /// type and code, which walk, and for replies the forward path's reason. No walk reads the
    /// source port (security-group and network-ACL rules match destination ports, R9.1, R10.1, and no
    /// hop names it; a test checks this), so connections differing only in their ephemeral port
    /// share one walk.
    private let walks = FlowTable<PacketKey, PathID>(limit: pathLimit)

    /// The path of `packet`'s walk of this kind, walking (with `body`) only the first time.
    private func walk(_ packet: PacketHeader, _ kind: WalkKind, forward: Reason? = nil, _ body: () -> Classification) -> PathID {
        var tag = UInt64(packet.protocolNumber.rawValue) | kind.rawValue << 8 | UInt64(forward.map { $0.ordinal + 1 } ?? 0) << 11
        if let port = packet.destinationPort { tag |= 1 << 18 | UInt64(port) << 19 }
        if let type = packet.icmpType { tag |= 1 << 35 | UInt64(type) << 36 }
        if let code = packet.icmpCode { tag |= 1 << 44 | UInt64(code) << 45 }
        let key = PacketKey(packet.source, packet.destination, tag: tag)
        if let known = walks[key] { return known }
        let id = intern(body())
        walks.insert(key, id)
        return id
    }

    /// The path of `id` with a note added (e.g. that the frame was decapsulated from VXLAN),
    /// interned once per path and note.
    public func annotated(_ id: PathID, note: String) -> PathID {
        let key = AnnotatedPath(path: id, note: note)
        if let known = annotations[key] { return known }
        var classification = path(id)
        classification.notes.append(note)
        let generationBefore = generation
        let annotatedID = intern(classification)
        if generation == generationBefore { annotations[key] = annotatedID }
        return annotatedID
    }

    private struct AnnotatedPath: Hashable {
        var path: PathID
        var note: String
    }
    private var annotations: [AnnotatedPath: PathID] = [:]

    /// The ID of a classification, adding it to the path table if new. Past ``pathLimit`` paths
    /// every table starts again (a new ``generation``).
    public func intern(_ classification: Classification) -> PathID {
        let classification = recordsPaths ? classification : Classification(reason: classification.reason, hops: [], notes: [])
        if let id = pathIDs[classification] { return id }
        if paths.count >= Self.pathLimit {
            paths.removeAll(keepingCapacity: true)
            pathIDs.removeAll(keepingCapacity: true)
            connections.removeAll()
            firstFragments.removeAll()
            annotations.removeAll(keepingCapacity: true)
            walks.removeAll()
            generation += 1
        }
        let id = PathID(index: UInt32(paths.count), reason: classification.reason)
        paths.append(classification)
        pathIDs[classification] = id
        return id
    }
}
