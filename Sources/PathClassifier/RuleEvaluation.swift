import PathCore
import VPCTopology

/// Security-group and network-ACL evaluation, the readable way.
struct RuleEvaluation {
    let topology: Topology

    /// The outcome of a security-group check.
    enum SecurityGroupOutcome {
        /// Allowed by rule `rule` (its position among the group's rules of this direction) of
        /// group `group`.
        case allowed(group: SecurityGroupIndex, rule: Int)
        /// No rule of any group matched; `groups` were evaluated.
        case denied
        /// No rule matched, but a rule refers to something missing from the input.
        case unknown(missing: String)
    }

    /// Evaluates the security groups of `interface` for a packet to or from `peer` (R9.1, R9.3–R9.5).
    /// - Parameters:
    ///   - egress: `true` for outbound rules (peer is the destination), `false` for inbound.
    ///   - transitGateway: the transit gateway the packet crossed, if any: group references match
    ///     across it only when it has security-group referencing support (R9.4, R19.1).
    ///   - balancerNode: the load balancer node that forwarded the packet, if any: a rule
    ///     referencing the load balancer's group matches it even when the client's address is
    ///     preserved (R19.3).
    func securityGroups(
        of interface: InterfaceIndex, egress: Bool, packet: PacketHeader, peer: IPAddress, transitGateway: TransitGatewayIndex? = nil,
        balancerNode: InterfaceIndex? = nil
    ) -> SecurityGroupOutcome {
        var missing: String?
        let vpc = topology.vpc(of: interface)
        for groupIndex in topology[interface].securityGroups {
            let group = topology[groupIndex]
            for (ruleIndex, rule) in (egress ? group.egress : group.ingress).enumerated() {
                guard
                    rule.traffic.matches(
                        protocol: packet.protocolNumber, port: packet.destinationPort, icmpType: packet.icmpType,
                        icmpCode: packet.icmpCode)
                else { continue }
                switch rule.peer {
                case .cidr(let prefix):
                    if prefix.contains(peer) { return .allowed(group: groupIndex, rule: ruleIndex) }
                case .prefixList(let list):
                    if topology[list].entries == nil { missing = topology[list].label.id }
                    if topology[list].contains(peer) { return .allowed(group: groupIndex, rule: ruleIndex) }
                case .securityGroup(let referenced):
                    // R9.4: the peer must be a private IP of an interface that has the group attached,
                    // in this VPC, a VPC peered with it in the same Region, or across a transit
                    // gateway with referencing support.
                    if let balancerNode, topology[balancerNode].securityGroups.contains(referenced) {
                        return .allowed(group: groupIndex, rule: ruleIndex)
                    }
                    let members = topology.addressOwners[peer] ?? []
                    if members.contains(where: {
                        topology[$0].securityGroups.contains(referenced) && referencesReach(from: topology.vpc(of: $0), to: vpc, across: transitGateway)
                    }) {
                        return .allowed(group: groupIndex, rule: ruleIndex)
                    }
                case .missing(let id):
                    missing = id
                }
            }
        }
        if let missing { return .unknown(missing: missing) }
        return .denied
    }

    /// Whether a group of `member`'s VPC can be referenced by a rule in `vpc` (R9.4): the same VPC;
    /// a VPC peered with it by an active connection in the same Region (inter-Region peering cannot
    /// reference groups); or both attached to `transitGateway` when it and both VPC attachments
    /// support referencing (R19.1).
    func referencesReach(from member: VPCIndex, to vpc: VPCIndex, across transitGateway: TransitGatewayIndex?) -> Bool {
        if member == vpc { return true }
        if topology[member].region == topology[vpc].region,
            topology.peeringConnections.contains(where: {
                $0.status == .active && (($0.requester == member && $0.accepter == vpc) || ($0.requester == vpc && $0.accepter == member))
            })
        {
            return true
        }
        guard let transitGateway, topology[transitGateway].securityGroupReferencing else { return false }
        let attached = topology[transitGateway].attachments
        return attached.contains { $0.vpc == member && $0.securityGroupReferencing } && attached.contains { $0.vpc == vpc && $0.securityGroupReferencing }
    }

    /// The outcome of a network-ACL check: the entry that decided, or `nil` for the `*` rule.
    struct NetworkACLOutcome {
        var allows: Bool
        var entry: NetworkACL.Entry?
        /// The entry's position among the ACL's entries of this direction.
        var index: Int?
    }

    /// Evaluates `acl` in one direction: ascending rule numbers, first match wins, `*` denies
    /// (R10.2); the address checked is the destination outbound and the source inbound.
    func networkACL(_ acl: NetworkACLIndex, egress: Bool, packet: PacketHeader) -> NetworkACLOutcome {
        let entries = egress ? topology[acl].egress : topology[acl].ingress
        let address = egress ? packet.destination : packet.source
        for (index, entry) in entries.enumerated() where entry.cidr.contains(address) {
            if entry.traffic.matches(
                protocol: packet.protocolNumber, port: packet.destinationPort, icmpType: packet.icmpType,
                icmpCode: packet.icmpCode)
            {
                return NetworkACLOutcome(allows: entry.allows, entry: entry, index: index)
            }
        }
        return NetworkACLOutcome(allows: false, entry: nil)
    }
}
