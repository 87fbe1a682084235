import PathClassifier
import PathCore
import VPCTopology

/// What a reachability question asks about: a protocol, a destination port (or every port class),
/// an address family, and whether replies are walked too (R19.7).
public struct ReachQuestion: Sendable, Hashable {
    public var protocolNumber: IPProtocolNumber
    /// `nil`: every port, answered per port class (``PortClasses``).
    public var port: UInt16?
    public var family: AddressFamily
    public var oneWay: Bool

    public init(protocolNumber: IPProtocolNumber = .tcp, port: UInt16? = nil, family: AddressFamily = .ipv4, oneWay: Bool = false) {
        self.protocolNumber = protocolNumber
        self.port = port
        self.family = family
        self.oneWay = oneWay
    }
}

/// The other side of a reachability answer: a sending or receiving interface, a set of address
/// classes outside the VPCs, or an AWS service.
public enum ReachParty: Sendable, Hashable {
    case interface(InterfaceIndex)
    /// Addresses outside every VPC, with one answer: the internet, on-premises networks (behind a
    /// VPN or Direct Connect), or other private space; merged runs of classes.
    case addresses(AddressKind, [AddressRange])
    /// An AWS service by name (`com.amazonaws.us-east-1.s3`).
    case service(String)

    public enum AddressKind: String, Sendable, Hashable, CaseIterable {
        case internet
        case onPremises = "on-premises"
        case otherPrivate = "other-private"
    }
}

/// One way a party's traffic goes, for the ports in ``ports``: the walk of a representative
/// packet (every packet of the same address class and port class gets the same walk).
public struct ReachOutcome: Sendable {
    /// Merged runs of port classes (`nil` for protocols without ports).
    public var ports: [PortRange]?
    public var header: PacketHeader
    public var flow: FlowClassification

    /// Whether the traffic arrives: a verdict other than dropped.
    public var reaches: Bool { flow.verdict != .dropped }

    /// What makes two outcomes the same answer: the reason and the resource that decided.
    var signature: String { "\(flow.reason.rawValue) \(flow.decisiveHop?.resource.id ?? "")" }
}

/// The answer for one party: its outcomes, one per distinct way, or why the question does not
/// apply to it (a name that does not resolve from there).
public struct ReachAnswer: Sendable {
    public var party: ReachParty
    public var outcomes: [ReachOutcome]
    public var unresolved: String?

    public init(party: ReachParty, outcomes: [ReachOutcome], unresolved: String?) {
        self.party = party
        self.outcomes = outcomes
        self.unresolved = unresolved
    }

    /// Whether any of the party's ports gets through.
    public var reaches: Bool { outcomes.contains(where: \.reaches) }

    /// The outcomes' signatures, for merging parties with the same answer.
    var signature: String { outcomes.map { "\($0.ports?.description ?? "") \($0.signature)" }.joined(separator: "|") + (unresolved ?? "") }
}

/// Answers reachability questions over address classes (Batfish's reachability, AWS Network Access
/// Analyzer): every interface as a party by itself, and everything outside the VPCs by address
/// class (``AddressClasses``), each class walked once through its first address; ports by port
/// class (``PortClasses``). Sources send from the first ephemeral port synthetic flows use (R10.6).
public struct Reachability: Sendable {
    public let topology: Topology
    let classifier: Classifier
    let resolver: NameResolver

    public init(topology: Topology) {
        self.topology = topology
        classifier = Classifier(topology: topology)
        resolver = NameResolver(topology: topology)
    }

    /// Interfaces that start connections: instances', Lambda functions' and unowned ones (not an
    /// endpoint's, a NAT gateway's, a load balancer's or one AWS manages).
    public var senders: [InterfaceIndex] {
        topology.interfaces.indices.map(InterfaceIndex.init).filter { index in
            switch topology[index].owner {
            case .instance, .lambda, .none: topology[index].isAttached
            default: false
            }
        }
    }

    /// The port classes the question covers.
    public func portClasses(_ question: ReachQuestion) -> [PortRange?] {
        guard question.protocolNumber.hasPorts else { return [nil] }
        if let port = question.port { return [PortRange(port, port)] }
        return PortClasses(topology: topology, protocolNumber: question.protocolNumber).classes
    }

    /// Every party that can send to `destination` (a name, address or service), and how far each
    /// gets: each sending interface, and the internet's and on-premises networks' address classes.
    public func sources(reaching destination: String, _ question: ReachQuestion) -> [ReachAnswer] {
        var answers: [ReachAnswer] = []
        let ports = portClasses(question)
        // The destination's own interface is no source of it.
        let receiver = target(destination)
        for sender in senders where receiver != .interface(sender) {
            let id = topology[sender].label.id
            answers.append(answer(.interface(sender), ports: ports) { port throws(NameResolver.Failure) in
                try walk(from: id, to: destination, question, port: port)
            })
        }
        answers += external(question, kinds: [.internet, .onPremises], ports: ports) { address, port throws(NameResolver.Failure) in
            try inbound(from: address, to: destination, question, port: port)
        }
        return answers
    }

    /// Everything `source` (a sending interface, instance or Lambda function, or an address
    /// outside the VPCs) can send to, and how far it gets: every interface, the AWS services the
    /// topology knows, and the address classes of the internet, on-premises and other private
    /// networks.
    public func destinations(from source: String, _ question: ReachQuestion) throws(NameResolver.Failure) -> [ReachAnswer] {
        let ports = portClasses(question)
        var answers: [ReachAnswer] = []
        if let address = IPAddress(source), topology.addressOwners[address] == nil {
            // From outside: to every interface, as the internet or an on-premises network addresses it.
            for receiver in topology.interfaces.indices.map(InterfaceIndex.init) {
                answers.append(answer(.interface(receiver), ports: ports) { port throws(NameResolver.Failure) in
                    try inbound(from: address, to: topology[receiver].label.id, question, port: port)
                })
            }
            return answers
        }
        let sender = try resolver.source(source, family: question.family).interface
        for receiver in topology.interfaces.indices.map(InterfaceIndex.init) where receiver != sender {
            answers.append(answer(.interface(receiver), ports: ports) { port throws(NameResolver.Failure) in
                try walk(from: source, to: topology[receiver].label.id, question, port: port)
            })
        }
        for service in services() {
            answers.append(answer(.service(service), ports: ports) { port throws(NameResolver.Failure) in try walk(from: source, to: service, question, port: port) })
        }
        answers += external(question, kinds: ReachParty.AddressKind.allCases, ports: ports) { address, port throws(NameResolver.Failure) in
            try walk(from: source, to: "\(address)", question, port: port)
        }
        return answers
    }

    /// The one flow from `source` to `destination`, with the address classes each side stands for.
    public func flow(from source: String, to destination: String, _ question: ReachQuestion) throws(NameResolver.Failure) -> ReachOutcome {
        if let address = IPAddress(source), topology.addressOwners[address] == nil {
            return try inbound(from: address, to: destination, question, port: question.port)
        }
        return try walk(from: source, to: destination, question, port: question.port)
    }

    /// The interface a destination names, if it names one.
    func target(_ text: String) -> ReachParty? {
        (try? resolver.source(text)).map { .interface($0.interface) }
    }

    /// AWS services the topology can address: AWS-managed prefix lists' and endpoints' services.
    func services() -> [String] {
        var names: [String] = []
        for list in topology.prefixLists where list.isAWSManaged && !names.contains(list.prefixListName) { names.append(list.prefixListName) }
        for endpoint in topology.endpoints where endpoint.kind != .gatewayLoadBalancer && !names.contains(endpoint.serviceName) {
            names.append(endpoint.serviceName)
        }
        return names.filter { AWSService(serviceName: $0) != nil }
    }

    /// An interface-sent flow, resolved as `trace` resolves it, walked.
    func walk(from source: String, to destination: String, _ question: ReachQuestion, port: UInt16?) throws(NameResolver.Failure) -> ReachOutcome {
        let request = self.request(from: source, to: destination, question, port: port)
        let resolved = try resolver.resolve(request, ordinal: 0)
        return ReachOutcome(
            ports: nil, header: resolved.header, flow: classifier.classifyFlow(resolved.header, from: resolved.source, oneWay: question.oneWay))
    }

    /// A flow from outside the VPCs, addressed as the internet or an on-premises network would (R19.6).
    func inbound(from address: IPAddress, to destination: String, _ question: ReachQuestion, port: UInt16?) throws(NameResolver.Failure) -> ReachOutcome {
        let request = self.request(from: "\(address)", to: destination, question, port: port)
        guard let header = resolver.resolveInbound(request, ordinal: 0) else {
            throw .unresolvable(destination, why: "it has no \(question.family.rawValue) address that \(address) could send to")
        }
        return ReachOutcome(ports: nil, header: header, flow: classifier.classifyInboundFlow(header, oneWay: question.oneWay))
    }

    func request(from source: String, to destination: String, _ question: ReachQuestion, port: UInt16?) -> FlowRequest {
        FlowRequest(
            from: source, to: destination, protocolNumber: question.protocolNumber, port: port, sourcePort: NameResolver.firstEphemeralPort,
            family: question.family)
    }

    /// A party's answer: one walk per port class, port classes with the same outcome merged.
    func answer(_ party: ReachParty, ports: [PortRange?], _ walk: (UInt16?) throws(NameResolver.Failure) -> ReachOutcome) -> ReachAnswer {
        var outcomes: [ReachOutcome] = []
        for range in ports {
            let outcome: ReachOutcome
            do {
                outcome = try walk(range?.lower)
            } catch {
                return ReachAnswer(party: party, outcomes: [], unresolved: error.description)
            }
            if let index = outcomes.firstIndex(where: { $0.signature == outcome.signature }) {
                if let range { outcomes[index].ports = PortClasses.merge(outcomes[index].ports ?? [], range) }
            } else {
                var first = outcome
                first.ports = range.map { [$0] }
                outcomes.append(first)
            }
        }
        return ReachAnswer(party: party, outcomes: outcomes, unresolved: nil)
    }

    /// The answers for the address classes outside every VPC, of the kinds asked, adjacent
    /// classes with the same answer merged.
    func external(
        _ question: ReachQuestion, kinds: [ReachParty.AddressKind], ports: [PortRange?],
        _ walk: (IPAddress, UInt16?) throws(NameResolver.Failure) -> ReachOutcome
    ) -> [ReachAnswer] {
        let classes = AddressClasses(topology: topology, family: question.family)
        let inside = topology.vpcs.flatMap(\.cidrs).map(AddressRange.init).filter { $0.family == question.family }
        var answers: [ReachAnswer] = []
        // Classes of one kind with the same answer make one party, their touching ranges joined.
        var groups: [String: Int] = [:]
        for range in classes.classes where !inside.contains(where: { $0.first <= range.first && range.last <= $0.last }) {
            let representative = range.address(range.first)
            guard let kind = kind(of: representative), kinds.contains(kind) else { continue }
            let answer = self.answer(.addresses(kind, [range]), ports: ports) { port throws(NameResolver.Failure) in try walk(representative, port) }
            let group = "\(kind.rawValue) \(answer.signature)"
            guard let index = groups[group], case .addresses(_, var ranges) = answers[index].party else {
                groups[group] = answers.count
                answers.append(answer)
                continue
            }
            if ranges[ranges.count - 1].last + 1 == range.first {
                ranges[ranges.count - 1].last = range.last
            } else {
                ranges.append(range)
            }
            answers[index].party = .addresses(kind, ranges)
        }
        return answers
    }

    /// Which kind of outside address `address` is: on premises when a VPN or Direct Connect
    /// attachment declares it, private (RFC 1918, RFC 6598, unique local), the internet (IPv6:
    /// global unicast only), or none (link-local, loopback, multicast, "this network": nothing
    /// sends from or to them across a VPC).
    func kind(of address: IPAddress) -> ReachParty.AddressKind? {
        if topology.isOnPremises(address) { return .onPremises }
        if AddressClasses.unroutable.contains(where: { $0.contains(address) }) { return nil }
        if AddressClasses.privateSpace.contains(where: { $0.contains(address) }) { return .otherPrivate }
        // Outside 2000::/3 an IPv6 address is nothing the internet routes (reserved, mapped, …).
        if address.family == .ipv6 && !AddressClasses.globalUnicast.contains(address) { return nil }
        return .internet
    }
}
