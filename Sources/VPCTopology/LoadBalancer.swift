import PathCore

/// An Elastic Load Balancing load balancer: a Network Load Balancer (R19.3) — a node interface per
/// Availability Zone, listeners that accept one protocol and port each, target groups of instances
/// or IP addresses — or a Gateway Load Balancer, the appliance fleet behind Gateway Load Balancer
/// endpoints (R19.5).
public struct LoadBalancer: Sendable {
    /// `network` or `gateway` (`Type` in describe-load-balancers).
    public enum Kind: String, Sendable, CaseIterable {
        case network
        case gateway
    }

    /// Whether the internet reaches it (`Scheme`).
    public enum Scheme: String, Sendable, CaseIterable {
        case `internal`
        case internetFacing = "internet-facing"
    }

    /// What a listener or target group speaks.
    public enum ListenerProtocol: String, Sendable, CaseIterable {
        case tcp
        case udp
        case tcpUDP = "tcp-udp"
        case tls

        /// Whether a packet of `number` is carried.
        public func carries(_ number: IPProtocolNumber) -> Bool {
            switch self {
            case .tcp, .tls: return number == .tcp
            case .udp: return number == .udp
            case .tcpUDP: return number == .tcp || number == .udp
            }
        }
    }

    /// How a target group names its targets.
    public enum TargetType: String, Sendable, CaseIterable {
        case instance
        case ip
    }

    public struct Listener: Sendable, Hashable {
        public var listenerProtocol: ListenerProtocol
        public var port: UInt16
        /// Index into ``LoadBalancer/targetGroups``.
        public var targetGroup: Int

        public init(listenerProtocol: ListenerProtocol, port: UInt16, targetGroup: Int) {
            self.listenerProtocol = listenerProtocol
            self.port = port
            self.targetGroup = targetGroup
        }
    }

    public struct Target: Sendable, Hashable {
        public enum Kind: Sendable, Hashable {
            case instance(InstanceIndex)
            case ip(IPAddress)
        }

        /// `TargetHealth.State` of describe-target-health.
        public enum Health: String, Sendable, CaseIterable {
            case healthy, unhealthy, unused, initial, draining, unavailable
        }

        public var kind: Kind
        /// Its own port, else the target group's.
        public var port: UInt16?
        /// Only `healthy` targets receive traffic while one is; with none healthy, all do
        /// (fail-open, R19.3).
        public var health: Health

        public init(kind: Kind, port: UInt16? = nil, health: Health = .healthy) {
            self.kind = kind
            self.port = port
            self.health = health
        }
    }

    public struct TargetGroup: Sendable {
        public var label: ResourceLabel
        public var targetType: TargetType
        public var port: UInt16
        /// `preserve_client_ip.enabled`: when `nil`, on for instance targets and UDP, off for IP
        /// targets over TCP and TLS (R19.3).
        public var preserveClientIP: Bool?
        /// The target group's own `load_balancing.cross_zone.enabled`; `nil` uses the load
        /// balancer's (`use_load_balancer_configuration`).
        public var crossZone: Bool?
        public var targets: [Target]
        /// Whether the input lists the registered targets (a snapshot without describe-target-health
        /// for the group does not).
        public var targetsKnown: Bool

        public init(label: ResourceLabel, targetType: TargetType, port: UInt16, targets: [Target] = []) {
            self.label = label
            self.targetType = targetType
            self.port = port
            self.preserveClientIP = nil
            self.crossZone = nil
            self.targets = targets
            self.targetsKnown = true
        }

        /// Whether targets see the client's address rather than the load balancer node's.
        public func preservesClientIP(over listener: ListenerProtocol) -> Bool {
            if let preserveClientIP { return preserveClientIP }
            return targetType == .instance || listener == .udp || listener == .tcpUDP
        }
    }

    public var label: ResourceLabel
    public var kind: Kind
    public var scheme: Scheme
    public var vpc: VPCIndex
    /// The node interfaces, one per Availability Zone it is in.
    public var nodes: [InterfaceIndex]
    /// Whether it has security groups (on its nodes): without, all client traffic reaches the
    /// listeners and all traffic leaves it; an empty list is not deny-all (R19.3).
    public var hasSecurityGroups: Bool
    /// Cross-zone load balancing: off by default for NLBs, a node forwards only to targets in its
    /// own Availability Zone (R19.3).
    public var crossZone: Bool
    /// `enforce_security_group_inbound_rules_on_private_link_traffic` (on by default): whether the
    /// inbound rules see traffic from endpoint services, with the consumer's private address as
    /// source.
    public var enforcesInboundRulesOnPrivateLink: Bool
    public var listeners: [Listener]
    /// Whether the input lists the listeners (a snapshot without describe-listeners does not).
    public var listenersKnown: Bool
    public var targetGroups: [TargetGroup]
    /// Names that resolve to it besides its own (alias records its owner keeps in public DNS).
    public var dnsNames: [String]

    public init(label: ResourceLabel, kind: Kind = .network, scheme: Scheme = .internal, vpc: VPCIndex) {
        self.label = label
        self.kind = kind
        self.scheme = scheme
        self.vpc = vpc
        self.nodes = []
        self.hasSecurityGroups = false
        self.crossZone = false
        self.enforcesInboundRulesOnPrivateLink = true
        self.listeners = []
        self.listenersKnown = true
        self.targetGroups = []
        self.dnsNames = []
    }

    /// The listener for a packet of `number` to `port`.
    public func listener(for number: IPProtocolNumber, port: UInt16) -> Listener? {
        listeners.first { $0.port == port && $0.listenerProtocol.carries(number) }
    }

    /// The targets a node in `zone` may send to, healthy ones first: its own zone's unless
    /// cross-zone load balancing is on (R19.3). `zone(of:)` gives a target's zone, `nil` when it
    /// is not in the topology (an IP target outside the VPC: any zone may reach it).
    public func eligibleTargets(of group: TargetGroup, nodeZone zone: String, zone zoneOf: (Target) -> String?) -> [Target] {
        let crossZone = group.crossZone ?? self.crossZone
        let reachable = group.targets.filter { target in crossZone || zoneOf(target).map { $0 == zone } ?? true }
        // Fail-open: with no healthy target, the unhealthy and unused ones receive traffic (R19.3).
        let healthy = reachable.filter { $0.health == .healthy }
        return healthy.isEmpty ? reachable : healthy
    }
}

/// An endpoint service (R5.12, R19.4): a provider's load balancers published to consumers'
/// interface (NLB) or Gateway Load Balancer endpoints.
public struct EndpointService: Sendable {
    public var label: ResourceLabel
    /// `com.amazonaws.vpce.<region>.vpce-svc-…`: what consumers' endpoints name as their service.
    public var serviceName: String
    public var loadBalancers: [LoadBalancerIndex]
    /// Whether the provider accepts each connection by hand (`AcceptanceRequired`): a consumer's
    /// endpoint waits in `pendingAcceptance` until then.
    public var acceptanceRequired: Bool
    /// Principals allowed to connect (describe-vpc-endpoint-service-permissions); informational.
    public var allowedPrincipals: [String]
    /// The provider's private DNS name for the service, and whether its domain is verified: only a
    /// verified name resolves to consumers' endpoints (R19.4).
    public var privateDNSName: String?
    public var privateDNSVerified: Bool

    public init(label: ResourceLabel, serviceName: String) {
        self.label = label
        self.serviceName = serviceName
        self.loadBalancers = []
        self.acceptanceRequired = true
        self.allowedPrincipals = []
        self.privateDNSName = nil
        self.privateDNSVerified = false
    }
}
