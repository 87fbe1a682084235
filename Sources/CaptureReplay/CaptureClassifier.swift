import PathClassifier
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
    package let classifier: Classifier

    /// An interned classification: its index in this classifier's path table, and its reason,
    /// which is all that counting a frame needs. IDs stay valid until ``generation`` changes
    /// (memory stays flat: past ``pathLimit`` paths the tables start again).
    public struct PathID: Hashable, Sendable {
        public let index: UInt32
        public let reason: Reason
    }

    /// Classifications by ``PathID/index``.
    package private(set) var paths: [Classification] = []
    private var pathIDs: [Classification: PathID] = [:]
    /// With ``PathDetail/reason``, the index of each reason's path, by ``Reason/ordinal``.
    private var reasonPathIndex = [UInt32?](repeating: nil, count: Reason.allCases.count)
    /// The path table's generation, behind a `let` reference: read on every frame, so no dynamic
    /// exclusivity check. It changes when the path table starts again (past ``pathLimit`` paths)
    /// and earlier ``PathID``s lose their meaning.
    private let pathGenerations = SharedBuffer<UInt32>(repeating: 0, count: 1)
    private var pathGeneration: UInt32 {
        get { pathGenerations[0] }
        set { pathGenerations[0] = newValue }
    }

    /// Incremented whenever the path table starts again and earlier ``PathID``s lose their meaning.
    package var generation: Int { Int(pathGeneration) }

    /// A connection direction seen: the opener's direction holds its path, a reply's direction
    /// the reply's path. A reply walk is deterministic, so the next reply of the connection takes
    /// the same result without walking again. The walk's kind and, for a reply, the opener's reason
    /// are kept too: when the path table has started again since, the direction is walked anew
    /// with the state it had, never forgotten.
    struct Direction {
        var path: PathID
        var generation: UInt32
        var kind: WalkKind
        /// The opener's reason, for replies.
        var forward: Reason?
        /// The direction's conversation in ``summary`` (``Summary/conversation(of:)``), -1 if none.
        var conversation: Int32
        var isReply: Bool { forward != nil }
    }
    private let connections: GenerationalFlowTable<PacketKey, Direction>
    /// First fragments' paths, by addresses, protocol and identification.
    private let firstFragments: FlowTable<PacketKey, PathID>
    /// Connection directions per generation of the connection table (two generations: a
    /// direction is forgotten only after this many newer ones while it was not seen), and first
    /// fragments remembered.
    package let connectionLimit: Int
    /// The most distinct paths remembered before the path table starts again.
    package let pathLimit: Int

    /// The interface the capture was taken on, when known (`--capture-point`): frames through it
    /// that are neither from nor to its own addresses meet its source/destination check (R13.2).
    package let capturePoint: InterfaceIndex?

    /// The summary whose conversation numbers the connection directions keep, if any.
    let summary: Summary?

    /// What of each path is recorded: every choice gives every packet the same reason by the same
    /// walk; `.reason` paths are the reason alone, `.decisive` ones the last two hops without texts,
    /// `.hops` every hop without texts.
    package let detail: PathDetail

    /// - Parameters:
    ///   - summary: the summary frames are counted into, which numbers their conversations: the
    ///     number is kept with each connection direction, so counting a frame needs no lookup.
    ///   - compiledRoutes: compiled route tables for walks that record no path (shared by the
    ///     workers of a replay); without them those walks use ``RouteSelection`` too.
    ///   - connectionLimit, pathLimit: the bounds on state (defaults: 32,768 connection directions
    ///     per generation, 16,384 paths); tests lower them.
    public init(
        topology: Topology, capturePoint: InterfaceIndex? = nil, detail: PathDetail = .full, summary: Summary? = nil,
        compiledRoutes: CompiledRoutes? = nil, connectionLimit: Int = 1 << 15, pathLimit: Int = 1 << 14
    ) {
        self.summary = summary
        self.connectionLimit = connectionLimit
        self.pathLimit = pathLimit
        connections = GenerationalFlowTable(generationLimit: connectionLimit)
        firstFragments = FlowTable(limit: connectionLimit)
        walks = FlowTable(limit: pathLimit)
        self.classifier = Classifier(topology: topology, routes: compiledRoutes.map { .compiled($0) } ?? .reference)
        self.capturePoint = capturePoint
        self.detail = detail
    }

    /// Classifies the next packet of the capture.
    /// - Parameter fragment: the IP identification and whether this is the first fragment, for fragments.
    public func classify(_ packet: PacketHeader, fragment: (identification: UInt32, isFirst: Bool)? = nil) -> Classification {
        path(classifyPath(packet, fragment: fragment))
    }

    /// Classifies the next packet of the capture and returns its interned path.
    public func classifyPath(_ packet: PacketHeader, fragment: (identification: UInt32, isFirst: Bool)? = nil) -> PathID {
        classifyFrame(packet, fragment: fragment).path
    }

    /// Classifies the next packet of the capture and returns its interned path and its
    /// conversation's number in ``summary`` (-1 without one): numbered once per new direction
    /// (and for packets whose direction is not kept: dropped ones, fragments) and remembered with
    /// the direction.
    func classifyFrame(_ packet: PacketHeader, fragment: (identification: UInt32, isFirst: Bool)? = nil) -> (path: PathID, conversation: Int32) {
        guard let fragment else { return classifyUnfragmented(packet) }
        return (classifyFragment(packet, identification: fragment.identification, isFirst: fragment.isFirst), conversation(of: packet))
    }

    /// The number of `packet`'s conversation in ``summary``, -1 without one.
    func conversation(of packet: PacketHeader) -> Int32 { summary?.conversation(of: packet) ?? -1 }

    /// The classification of a path.
    public func path(_ id: PathID) -> Classification { paths[Int(id.index)] }

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
        let result = classifyUnfragmented(packet).path
        firstFragments.insert(key, result)
        return result
    }

    /// The tag of a connection direction: protocol and ports; ICMP has no ports, so an echo
    /// request (8, 128) and its reply (0, 129) get mirrored tags, making the reply the reverse of
    /// the request and a request the other way not.
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

    func classifyUnfragmented(_ packet: PacketHeader) -> (path: PathID, conversation: Int32) {
        let tags = Self.connectionTag(packet)
        let key = PacketKey(packet.source, packet.destination, tag: tags.forward)
        // More packets of an open flow in the same direction, or further replies: one probe.
        if let known = connections[key] {
            if known.generation == pathGeneration { return (known.path, known.conversation) }
            // The path table started again: the same walk, with the state this direction had.
            if let id = walkPath(packet, known.kind, forward: known.forward) {
                var updated = known
                updated.path = id
                updated.generation = pathGeneration
                connections.insert(key, updated)
                return (id, known.conversation)
            }
        }
        let number = conversation(of: packet)
        return (classifyNewDirection(packet, key: key, reverse: key.swapped(tag: tags.reverse), conversation: number), number)
    }

    /// Which walk a connection direction takes.
    enum WalkKind: UInt64 {
        case fromSource, inbound, transit, outside, replyFromSource, replyToDestination
    }

    /// The first packet of a connection direction: a reply to an opened flow, or a new flow.
    func classifyNewDirection(_ packet: PacketHeader, key: PacketKey, reverse: PacketKey, conversation: Int32) -> PathID {
        let topology = classifier.topology
        let kind: WalkKind
        var forward: Reason?
        if let opener = connections[reverse], !opener.isReply {
            // R9.2, R10.3, R11.5: a reply walks its own direction, passing SGs by state.
            forward = opener.path.reason
            if topology.addressOwners[packet.source] != nil {
                kind = .replyFromSource
            } else if topology.addressOwners[packet.destination] != nil {
                kind = .replyToDestination
            } else {
                // Neither end is ours (transit, outside): the reply takes its opener's path.
                let id = opener.generation == pathGeneration ? opener.path : (walkPath(packet, opener.kind, forward: nil) ?? outsidePath(packet))
                connections.insert(key, Direction(path: id, generation: pathGeneration, kind: opener.kind, forward: opener.path.reason, conversation: conversation))
                return id
            }
        } else if let point = capturePoint, !topology[point].owns(packet.source), !topology[point].owns(packet.destination) {
            kind = .transit
        } else if topology.addressOwners[packet.source] != nil {
            kind = .fromSource
        } else if topology.addressOwners[packet.destination] != nil {
            kind = .inbound
        } else {
            kind = .outside
        }
        let id = walkPath(packet, kind, forward: forward) ?? outsidePath(packet)
        if forward != nil || id.reason.verdict != .dropped {
            connections.insert(key, Direction(path: id, generation: pathGeneration, kind: kind, forward: forward, conversation: conversation))
        }
        return id
    }

    /// The path of `packet` by the walk of `kind` (for replies, after an opener with reason
    /// `forward`); `nil` when that walk no longer applies (the owner of an address is gone).
    func walkPath(_ packet: PacketHeader, _ kind: WalkKind, forward: Reason?) -> PathID? {
        let topology = classifier.topology
        switch kind {
        case .replyFromSource:
            guard let owner = topology.addressOwners[packet.source]?.first, let forward else { return nil }
            // The reply is walked on its own; a delivered reply is reported as its flow's path
            // (an interface endpoint's answer is still the interface-endpoint flow).
            return walk(packet, kind, forward: forward) {
                var result = classifier.classify(packet, from: owner, isReply: true, detail: detail)
                if result.verdict != .dropped { result.reason = forward }
                return result
            }
        case .replyToDestination:
            guard let owner = topology.addressOwners[packet.destination]?.first, let forward else { return nil }
            // The reply walk reads the opener's reason only.
            return walk(packet, kind, forward: forward) {
                classifier.classifyReply(packet, to: owner, forward: Classification(reason: forward, hops: [], notes: []), detail: detail)
            }
        case .transit:
            guard let point = capturePoint else { return nil }
            // Transit traffic at the capture point: an appliance forwards it only with the check off.
            return walk(packet, kind) {
                guard topology[point].sourceDestCheck else { return classifier.classify(packet, from: point, detail: detail) }
                return Classification(
                    reason: .sourceDestCheck,
                    hops: [Hop(kind: .source, resource: topology[point].label,
                               detail: "neither \(packet.source) nor \(packet.destination) is this interface's, and its source/destination check is on (R13.2)",
                               passed: false)],
                    notes: [])
            }
        case .fromSource:
            guard let owner = topology.addressOwners[packet.source]?.first else { return nil }
            return walk(packet, kind) { classifier.classify(packet, from: owner, detail: detail) }
        case .inbound:
            guard let owner = topology.addressOwners[packet.destination]?.first else { return nil }
            return walk(packet, kind) { classifier.classifyInbound(packet, to: owner, detail: detail) }
        case .outside:
            return outsidePath(packet)
        }
    }

    /// The path of a packet neither of whose addresses belongs to the topology.
    func outsidePath(_ packet: PacketHeader) -> PathID {
        walk(packet, .outside) {
            Classification(
                reason: .notInTopology,
                hops: [Hop(kind: .source, resource: ResourceLabel(id: packet.source.description),
                           detail: "neither \(packet.source) nor \(packet.destination) belongs to an interface of the topology", passed: false)],
                notes: [])
        }
    }

    /// Walks already taken, by everything a walk reads: addresses, protocol, destination port, ICMP
    /// type and code, which walk, and for replies the forward path's reason. No walk reads the
    /// source port (security-group and network-ACL rules match destination ports, R9.1, R10.1, and no
    /// hop names it; a test checks this), so connections differing only in their ephemeral port
    /// share one walk.
    private let walks: FlowTable<PacketKey, PathID>

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
    func annotated(_ id: PathID, note: String) -> PathID {
        let key = AnnotatedPath(path: id, note: note)
        if let known = annotations[key] { return known }
        var classification = path(id)
        classification.notes.append(note)
        let generationBefore = pathGeneration
        let annotatedID = intern(classification)
        if pathGeneration == generationBefore { annotations[key] = annotatedID }
        return annotatedID
    }

    private struct AnnotatedPath: Hashable {
        var path: PathID
        var note: String
    }
    private var annotations: [AnnotatedPath: PathID] = [:]

    /// The ID of a classification, adding it to the path table if new. Past ``pathLimit`` paths
    /// every table starts again (a new ``generation``).
    ///
    /// A full path is not looked up: its hops' texts name the packet's addresses and ports, so it
    /// rarely repeats across connections, and hashing and comparing a dozen hop texts cost more
    /// than the one rendering a repeat would save; nor is a path of every hop (`.hops`), whose
    /// dozen labels cost as much to hash. Shorter paths (decisive hops, reasons) repeat across
    /// every connection and are shared.
    func intern(_ original: Classification) -> PathID {
        let classification: Classification
        switch detail {
        case .full: classification = original
        case .hops:
            // Hops made whole outside a walk (a packet from outside the topology) carry a text: dropped too.
            classification = Classification(reason: original.reason, hops: original.hops.map { Hop(kind: $0.kind, resource: $0.resource, detail: "", passed: $0.passed, rule: $0.rule) }, notes: [])
        case .decisive: classification = Classification(reason: original.reason, hops: Array(original.hops.suffix(2)), notes: [])
        case .reason: classification = Classification(reason: original.reason, hops: [], notes: [])
        }
        // A `.reason` path is its reason alone: found by ordinal, without hashing a classification.
        if detail == .reason, let index = reasonPathIndex[classification.reason.ordinal] { return PathID(index: index, reason: classification.reason) }
        let sharesPaths = detail == .reason || detail == .decisive
        if sharesPaths, let id = pathIDs[classification] { return id }
        if paths.count >= pathLimit {
            paths.removeAll(keepingCapacity: true)
            pathIDs.removeAll(keepingCapacity: true)
            // Connections stay: their directions are walked anew, with their state, when next seen.
            firstFragments.removeAll()
            annotations.removeAll(keepingCapacity: true)
            walks.removeAll()
            reasonPathIndex = Array(repeating: nil, count: Reason.allCases.count)
            pathGeneration &+= 1
        }
        let id = PathID(index: UInt32(paths.count), reason: classification.reason)
        paths.append(classification)
        if sharesPaths { pathIDs[classification] = id }
        if detail == .reason { reasonPathIndex[classification.reason.ordinal] = id.index }
        return id
    }
}
