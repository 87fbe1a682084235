import PathCore
import VPCTopology

/// What happens at each kind of route target (R11.2).
extension Classifier {
    /// Internet gateway: attached, public destination, and a public address for the source (R7.1–R7.6).
    func internetGateway(_ walk: inout Walk, gateway: InternetGatewayIndex, vpc: VPCIndex) -> Reason {
        let packet = walk.current
        let label = topology[gateway].label
        guard isAttached(&walk, .internetGateway, label, topology[gateway].attachedVPC, to: vpc) else { return .gatewayState }
        if SpecialAddresses.isPrivateOrShared(packet.destination) {
            walk.hop(
                .internetGateway, label, "refuses RFC 1918 / RFC 6598 destination \(packet.destination) (R7.5)",
                passed: false)
            return .igwPrivateAddress
        }
        let viaNAT = walk.natGateway != nil
        // R7.8: the subnet whose traffic meets the gateway: the NAT gateway's, or the sender's.
        let subnet = walk.natGateway.map { topology[$0].subnet } ?? topology[walk.origin].subnet
        guard passesBPA(&walk, .egress(viaNAT: viaNAT), subnet: subnet, kind: .internetGateway, gateway: label) else { return .bpaBlocked }
        switch walk.currentSource {
        case .v4(let privateAddress):
            guard let sender = topology.owner(of: walk.currentSource, in: vpc) else {
                walk.hop(.internetGateway, label, "source \(privateAddress) belongs to no interface of this VPC (R7.3)", passed: false)
                return .igwNoPublicIP
            }
            let interface = topology[sender]
            if case .lambda = interface.owner {
                walk.hop(
                    .internetGateway, label,
                    "Lambda Hyperplane ENIs never have a public IP, even in a public subnet (R6.3)", passed: false)
                return .igwNoPublicIP
            }
            guard let publicAddress = interface.publicAddress(for: privateAddress), interface.isAttached else {
                let what = viaNAT ? "the NAT gateway is private: it has" : "the source has"
                walk.hop(
                    .internetGateway, label, "\(what) no public IPv4 paired with \(privateAddress) (R7.2, R7.3)",
                    passed: false)
                return .igwNoPublicIP
            }
            walk.hop(.internetGateway, label, "translates \(privateAddress) to public \(publicAddress) (R7.2)")
            if let target = publicOwner(of: packet.destination) {
                walk.currentSource = .v4(publicAddress)
                return hairpin(&walk, to: target.interface, privateAddress: target.privateAddress)
            }
        case .v6:
            walk.hop(.internetGateway, label, "IPv6 leaves untranslated (R7.2)")
            if let target = publicOwner(of: packet.destination) {
                return hairpin(&walk, to: target.interface, privateAddress: target.privateAddress)
            }
        }
        labelAWSDestination(&walk)
        walk.delivery = .internet(gateway, nat: walk.natGateway)
        return viaNAT ? .igwViaNAT : .igwDirect
    }

    /// The interface a public destination belongs to, and its private address: the owner of a
    /// public IPv4 (R7.2), or of a global IPv6 address.
    func publicOwner(of destination: IPAddress) -> (interface: InterfaceIndex, privateAddress: IPAddress)? {
        switch destination {
        case .v4(let address):
            guard let owner = topology.publicAddressOwners[address],
                let binding = topology[owner].ipv4.first(where: { $0.publicAddress == address })
            else { return nil }
            return (owner, .v4(binding.privateAddress))
        case .v6:
            return topology.addressOwners[destination]?.first.map { ($0, destination) }
        }
    }

    /// A packet to a public address of this network: it leaves through the internet gateway and
    /// comes back in through the destination VPC's internet gateway, which translates the address;
    /// the destination's network ACL and security groups see the sender's public address, so
    /// security-group references do not match (R19.6, R9.4).
    func hairpin(_ walk: inout Walk, to target: InterfaceIndex, privateAddress: IPAddress) -> Reason {
        let vpc = topology.vpc(of: target)
        guard let gateway = topology.internetGateways.indices.map({ InternetGatewayIndex($0) }).first(where: { topology[$0].attachedVPC == vpc }) else {
            walk.hop(.internetGateway, topology[vpc].label, "the destination's VPC has no internet gateway to come in by (R7.1)", passed: false)
            return .igwNotPublicTarget
        }
        guard passesBPA(&walk, .inbound, subnet: topology[target].subnet, kind: .internetGateway, gateway: topology[gateway].label) else {
            return .bpaBlocked
        }
        let destination = walk.current.destination
        let sender = walk.currentSource
        walk.hop(
            .internetGateway, topology[gateway].label,
            "\(destination) is \(topology[target].label)'s: back in from the internet as \(privateAddress), from \(sender) (R19.6)")
        walk.current.destination = privateAddress
        return enterVPC(&walk, through: .internetGateway(gateway), vpc: vpc, success: .igwHairpin)
    }

    /// NAT gateway: available, TCP/UDP/ICMP, then translated and routed by its own subnet (R8.1–R8.5).
    func natGateway(_ walk: inout Walk, nat: NATGatewayIndex, from subnetIndex: SubnetIndex?) -> Reason {
        let record = topology[nat]
        guard record.state == .available else {
            walk.hop(.natGateway, record.label, "state \(record.state): routes to it are blackholes (R8.5)", passed: false)
            return .natNotAvailable
        }
        let packet = walk.current
        guard packet.protocolNumber == .tcp || packet.protocolNumber == .udp || packet.protocolNumber.isICMP else {
            walk.hop(.natGateway, record.label, "NAT gateways carry TCP, UDP and ICMP only (R8.2)", passed: false)
            return .natProtocol
        }
        guard case .v4 = packet.destination, let natInterface = record.interface,
            let natAddress = topology[natInterface].ipv4.first?.privateAddress
        else {
            walk.hop(.natGateway, record.label, "no IPv4 address for the NAT gateway in the input", passed: false)
            return .insufficientData
        }
        guard walk.handOff(at: .natGateway, record.label) else { return .loop }
        // R8.1: NACL inbound of the NAT subnet, translate, NAT subnet route table, NACL outbound.
        if record.subnet != subnetIndex {
            if let drop = networkACLCheck(&walk, subnet: record.subnet, egress: false) { return drop }
        }
        let translated = walk.currentSource
        walk.hop(.natGateway, record.label, "\(record.connectivity.rawValue) NAT: source \(translated) becomes \(natAddress) (R8.1)")
        walk.currentSource = .v4(natAddress)
        walk.natGateway = nat
        walk.note("Q7: traffic forwarded by the NAT gateway is routed by plain LPM in its subnet's route table")
        if let drop = networkACLCheck(&walk, subnet: record.subnet, egress: true) { return drop }
        return route(&walk, from: record.subnet)
    }

    /// Gateway endpoint: available, not entered from outside the VPC, TCP or ICMP echo (R4.2–R4.7).
    func gatewayEndpoint(_ walk: inout Walk, endpoint: EndpointIndex) -> Reason {
        let record = topology[endpoint]
        guard record.isAvailable else {
            walk.hop(.gatewayEndpoint, record.label, "state \(record.state): not forwarding (R5.5)", passed: false)
            return .endpointNotAvailable
        }
        let packet = walk.current
        guard !walk.enteredFromOutside else {
            walk.hop(
                .gatewayEndpoint, record.label,
                "the packet entered the VPC from outside it (a transit gateway, a VPN): gateway endpoints serve the VPC's own traffic only (R4.6)",
                passed: false)
            return .gatewayEndpointNotExtensible
        }
        guard packet.protocolNumber == .tcp || packet.isEchoRequest else {
            walk.hop(
                .gatewayEndpoint, record.label,
                "gateway endpoints accept only TCP and ICMP echo, not \(packet.protocolNumber) (R4.7)", passed: false)
            return .gatewayEndpointProtocol
        }
        walk.hop(.gatewayEndpoint, record.label, "to \(record.serviceName) over the AWS network (R4.2)")
        if walk.detail != .reason, let service = AWSService(serviceName: record.serviceName) {
            walk.hop(.awsService, ResourceLabel(id: record.serviceName, name: service.description), "private endpoint of the service")
        }
        walk.note("endpoint policies are not evaluated: they authorize requests, they do not route (R4.9)")
        walk.delivery = .gatewayEndpoint(endpoint)
        return .gatewayEndpoint
    }

    /// A route to an interface: a middlebox appliance (R1.8, R2.6, R13.2). It receives the packet
    /// (its subnet's inbound network ACL and its security groups, R11.3) and forwards it
    /// unchanged: the walk goes on as egress from its interface (R19.5).
    func appliance(_ walk: inout Walk, interface: InterfaceIndex, from subnetIndex: SubnetIndex?) -> Reason {
        let record = topology[interface]
        if case .instance(let instance) = record.owner, !topology[instance].isRunning {
            walk.hop(.destination, record.label, "appliance instance \(topology[instance].label) is \(topology[instance].state): the route is a blackhole (R16.11)", passed: false)
            return .blackholeRoute
        }
        if record.subnet != subnetIndex {
            if let drop = networkACLCheck(&walk, subnet: record.subnet, egress: false) { return drop }
        }
        if let drop = securityGroupCheck(&walk, interface: interface, egress: false) { return drop }
        if record.owns(walk.current.destination) {
            let destination = walk.current.destination
            walk.hop(.destination, record.label, "\(destination) \(ownerText(record.owner)) in subnet \(topology[record.subnet].label)")
            walk.delivery = .interface(interface)
            return .local
        }
        if record.sourceDestCheck {
            walk.hop(
                .destination, record.label,
                "source/destination check is on: the appliance drops packets not addressed to it (R13.2)", passed: false)
            return .sourceDestCheck
        }
        guard walk.handOff(at: .destination, record.label) else { return .loop }
        walk.hop(.destination, record.label, "appliance in subnet \(topology[record.subnet].label) forwards the packet unchanged (R19.5)")
        return forward(&walk, from: interface)
    }

    /// A Gateway Load Balancer endpoint: the packet goes to the appliances behind it and comes
    /// back at the endpoint (security groups do not apply); the endpoint subnet's route table then
    /// decides (R19.5). Its subnet's network ACLs apply on the way in and out, as for any interface.
    func gatewayLoadBalancerEndpoint(_ walk: inout Walk, endpoint: EndpointIndex, from subnetIndex: SubnetIndex?) -> Reason {
        let record = topology[endpoint]
        guard record.isAvailable else {
            walk.hop(.gatewayLoadBalancerEndpoint, record.label, "state \(record.state) (R5.5)", passed: false)
            return .endpointNotAvailable
        }
        guard let interface = record.interfaces.first else {
            walk.hop(.gatewayLoadBalancerEndpoint, record.label, "the endpoint's interface is not in the input", passed: false)
            return .insufficientData
        }
        let subnet = topology[interface].subnet
        guard walk.handOff(at: .gatewayLoadBalancerEndpoint, record.label) else { return .loop }
        if subnet != subnetIndex {
            if let drop = networkACLCheck(&walk, subnet: subnet, egress: false) { return drop }
        }
        let service = topology.endpointService(named: record.serviceName)
        if let service {
            if let drop = gatewayLoadBalancerFleet(&walk, service, endpoint: record.label, subnet: subnet) { return drop }
        } else if record.gatewayLoadBalancerTargets == 0 {
            walk.hop(.gatewayLoadBalancerEndpoint, record.label, "the Gateway Load Balancer behind \(record.serviceName) has no registered target (R19.5)", passed: false)
            return .lbNoTarget
        }
        walk.hop(
            .gatewayLoadBalancerEndpoint, record.label,
            "to the appliances behind \(record.serviceName) and back; security groups do not apply (R19.5)")
        if service == nil && record.gatewayLoadBalancerTargets == nil {
            walk.note("the Gateway Load Balancer's appliances are not in the input: they are taken to return every packet unchanged")
        }
        if let drop = networkACLCheck(&walk, subnet: subnet, egress: true) { return drop }
        return route(&walk, from: subnet)
    }

    /// Peering: active, destination inside the peer VPC, then delivery there (R12.1, R12.2).
    func peeringConnection(_ walk: inout Walk, peering: PeeringIndex, vpc: VPCIndex) -> Reason {
        let record = topology[peering]
        guard record.status == .active else {
            walk.hop(.peeringConnection, record.label, "status \(record.status): not carrying traffic (R12.1)", passed: false)
            return .gatewayState
        }
        let peerVPC = record.peer(of: vpc)
        let peerCIDRs = peerVPC.map { topology[$0].cidrs } ?? record.peerCIDRs(from: vpc)
        let destination = walk.current.destination
        guard peerCIDRs.contains(where: { $0.contains(destination) }) else {
            walk.hop(
                .peeringConnection, record.label,
                "\(destination) is not in the peer VPC's CIDR blocks: peering is not transitive (R12.2)",
                passed: false)
            return .peeringNotTransitive
        }
        walk.hop(.peeringConnection, record.label, "to the peer VPC")
        guard let peerVPC else {
            walk.note("the peer VPC is not in the topology; delivery inside it is not modelled")
            walk.delivery = .outside
            return .peering
        }
        walk.note("the peer VPC's route tables are not consulted for the forward packet (R11.2)")
        return deliverInVPC(&walk, vpc: peerVPC, from: nil, success: .peering)
    }

    /// Adds the AWS service a public destination belongs to, if known (R4.11, R14.3).
    func labelAWSDestination(_ walk: inout Walk) {
        let destination = walk.current.destination
        guard walk.detail != .reason, let service = AddressLabels(topology: topology).service(of: destination) else { return }
        walk.hop(.awsService, ResourceLabel(id: destination.description, name: service.name), service.source)
        walk.note(
            "\(destination) is a public \(service.name) address: the traffic stays on the AWS network but takes the internet gateway path (R4.11)")
    }
}
