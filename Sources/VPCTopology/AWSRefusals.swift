import PathCore

/// A state AWS would refuse to create (R1.8, R7.7, R13.1): a subnet outside its VPC, an address
/// outside its subnet or on a reserved address, a route more specific than `local`. Scenarios and
/// snapshots are checked by the same rules, so `validate` and `import` agree on what loads.
public struct AWSRefusal: Sendable, Hashable {
    /// What the problem is about.
    public enum Subject: Sendable, Hashable {
        case subnet(SubnetIndex)
        case interface(InterfaceIndex)
        case route(RouteTableIndex, Route)
    }
    public var subject: Subject
    /// The field of the subject at fault (`cidr`, `ipv6-cidr`), when one is.
    public var field: String?
    public var message: String
}

extension NetworkResources {
    /// Every state in the topology AWS would refuse, subnets first, then interfaces, then routes.
    public func awsRefusals() -> [AWSRefusal] {
        subnetRefusals() + addressRefusals() + routeRefusals()
    }

    /// Subnets lie inside their VPC and do not overlap each other.
    func subnetRefusals() -> [AWSRefusal] {
        var found: [AWSRefusal] = []
        for (i, subnet) in subnets.enumerated() {
            let vpc = self[subnet.vpc]
            let subject = AWSRefusal.Subject.subnet(SubnetIndex(i))
            if let cidr = subnet.ipv4CIDR, !vpc.ipv4CIDRs.contains(where: { $0.contains(cidr) }) {
                found.append(AWSRefusal(
                    subject: subject, field: "cidr",
                    message: "subnet CIDR \(cidr) is outside the CIDR blocks of \(vpc.label) (\(vpc.ipv4CIDRs.map(\.description).joined(separator: ", ")))"))
            }
            if let cidr = subnet.ipv6CIDR, !vpc.ipv6CIDRs.contains(where: { $0.contains(cidr) }) {
                found.append(AWSRefusal(subject: subject, field: "ipv6-cidr", message: "subnet IPv6 CIDR \(cidr) is outside the IPv6 blocks of \(vpc.label)"))
            }
            for other in subnets[..<i] where other.vpc == subnet.vpc {
                for a in subnet.cidrs {
                    for b in other.cidrs where a.family == b.family && a.overlaps(b) {
                        found.append(AWSRefusal(subject: subject, message: "subnet CIDR \(a) overlaps subnet \(other.label) (\(b))"))
                    }
                }
            }
        }
        return found
    }

    /// Every interface address lies in its subnet, is not reserved (R13.1), and is unique in its
    /// VPC; every public IPv4 address is unique.
    func addressRefusals() -> [AWSRefusal] {
        var found: [AWSRefusal] = []
        var seen: [String: InterfaceIndex] = [:]
        var publicSeen: [IPv4Address: InterfaceIndex] = [:]
        for (i, interface) in interfaces.enumerated() {
            let subnet = self[interface.subnet]
            let subject = AWSRefusal.Subject.interface(InterfaceIndex(i))
            for address in interface.addresses {
                if !subnet.contains(address) {
                    let cidr = address.family == .ipv4 ? subnet.ipv4CIDR?.description : subnet.ipv6CIDR?.description
                    found.append(AWSRefusal(subject: subject, message: "\(address) is outside its subnet \(subnet.label) (\(cidr ?? "no \(address.family.rawValue) block"))"))
                } else if subnet.isReserved(address) {
                    found.append(AWSRefusal(subject: subject, message: "\(address) is one of the five addresses AWS reserves in \(subnet.label) (R13.1)"))
                }
                let key = "\(subnet.vpc.rawValue)/\(address)"
                if let other = seen[key] {
                    found.append(AWSRefusal(subject: subject, message: "\(address) is already used by \(self[other].label)"))
                }
                seen[key] = InterfaceIndex(i)
            }
            for binding in interface.ipv4 {
                guard let publicAddress = binding.publicAddress else { continue }
                if let other = publicSeen[publicAddress] {
                    found.append(AWSRefusal(subject: subject, message: "public IP \(publicAddress) is already used by \(self[other].label)"))
                }
                publicSeen[publicAddress] = InterfaceIndex(i)
            }
        }
        return found
    }

    /// Routes AWS would refuse: more specific than local unless a whole subnet to a NAT gateway,
    /// interface or GWLB endpoint (R1.8); IPv4 to an egress-only gateway (R7.7).
    func routeRefusals() -> [AWSRefusal] {
        var found: [AWSRefusal] = []
        for (t, table) in routeTables.enumerated() {
            let vpc = self[table.vpc]
            for route in table.routes {
                guard case .cidr(let prefix) = route.destination else { continue }
                let subject = AWSRefusal.Subject.route(RouteTableIndex(t), route)
                if case .egressOnlyInternetGateway = route.target, prefix.family == .ipv4 {
                    found.append(AWSRefusal(subject: subject, message: "an egress-only internet gateway routes IPv6 only (R7.7)"))
                }
                guard let local = vpc.cidrs.first(where: { $0.contains(prefix) && $0 != prefix }) else { continue }
                let wholeSubnet = subnets.contains { $0.vpc == table.vpc && $0.cidrs.contains(prefix) }
                let allowedTarget: Bool
                switch route.target {
                case .natGateway, .networkInterface, .gatewayLoadBalancerEndpoint: allowedTarget = true
                default: allowedTarget = false
                }
                if !wholeSubnet || !allowedTarget {
                    found.append(AWSRefusal(
                        subject: subject,
                        message: "route \(prefix) is more specific than the local route \(local); AWS accepts that only for a whole subnet CIDR to a NAT gateway, network interface or Gateway Load Balancer endpoint (R1.8)"))
                }
            }
        }
        return found
    }
}
