import PathCore
import VPCTopology

/// Checks that need the whole scenario: addressing and route rules AWS enforces.
extension ScenarioBuilder {
    func validate() {
        validateSubnets()
        validateAddresses()
        validateRoutes()
    }

    func path(_ kind: ResourceKind, _ index: Int) -> String { paths[kind]?[index] ?? "" }

    /// Subnets lie inside their VPC and do not overlap each other.
    func validateSubnets() {
        for (i, subnet) in topology.subnets.enumerated() {
            let vpc = topology[subnet.vpc]
            if let cidr = subnet.ipv4CIDR, !vpc.ipv4CIDRs.contains(where: { $0.contains(cidr) }) {
                reader.error(
                    "subnet CIDR \(cidr) is outside the CIDR blocks of \(vpc.label) (\(vpc.ipv4CIDRs.map(\.description).joined(separator: ", ")))",
                    path: path(.subnet, i) + ".cidr")
            }
            if let cidr = subnet.ipv6CIDR, !vpc.ipv6CIDRs.contains(where: { $0.contains(cidr) }) {
                reader.error("subnet IPv6 CIDR \(cidr) is outside the IPv6 blocks of \(vpc.label)", path: path(.subnet, i) + ".ipv6-cidr")
            }
            for j in 0..<i where topology.subnets[j].vpc == subnet.vpc {
                let other = topology.subnets[j]
                for (a, b) in zip([subnet.ipv4CIDR.map { IPPrefix.v4($0) }, subnet.ipv6CIDR.map { IPPrefix.v6($0) }],
                                  [other.ipv4CIDR.map { IPPrefix.v4($0) }, other.ipv6CIDR.map { IPPrefix.v6($0) }])
                {
                    if let a, let b, a.overlaps(b) {
                        reader.error("subnet CIDR \(a) overlaps subnet \(other.label) (\(b))", path: path(.subnet, i))
                    }
                }
            }
        }
    }

    /// Every interface address lies in its subnet, is not reserved (R13.1), and is unique in its VPC.
    func validateAddresses() {
        var seen: [String: String] = [:]
        var publicSeen: [IPv4Address: String] = [:]
        for (i, interface) in topology.interfaces.enumerated() {
            let subnet = topology[interface.subnet]
            let where_ = path(.interface, i)
            for address in interface.addresses {
                if !subnet.contains(address) {
                    let cidr = address.family == .ipv4 ? subnet.ipv4CIDR?.description : subnet.ipv6CIDR?.description
                    reader.error("\(address) is outside its subnet \(subnet.label) (\(cidr ?? "no \(address.family.rawValue) block"))", path: where_)
                } else if subnet.isReserved(address) {
                    reader.error("\(address) is one of the five addresses AWS reserves in \(subnet.label) (R13.1)", path: where_)
                }
                let key = "\(subnet.vpc.rawValue)/\(address)"
                if let other = seen[key] {
                    reader.error("\(address) is already used at \(other)", path: where_)
                }
                seen[key] = where_
            }
            for binding in interface.ipv4 {
                guard let publicAddress = binding.publicAddress else { continue }
                if let other = publicSeen[publicAddress] { reader.error("public IP \(publicAddress) is already used at \(other)", path: where_) }
                publicSeen[publicAddress] = where_
            }
        }
    }

    /// Routes AWS would refuse: more specific than local unless a whole subnet to a NAT gateway,
    /// interface or GWLB endpoint (R1.8); IPv4 to an egress-only gateway (R7.7).
    func validateRoutes() {
        for (t, table) in topology.routeTables.enumerated() {
            let vpc = topology[table.vpc]
            for route in table.routes {
                guard case .cidr(let prefix) = route.destination, let where_ = routePaths[t]?[route] else { continue }
                if case .egressOnlyInternetGateway = route.target, prefix.family == .ipv4 {
                    reader.error("an egress-only internet gateway routes IPv6 only (R7.7)", path: where_)
                }
                guard let local = vpc.cidrs.first(where: { $0.contains(prefix) && $0 != prefix }) else { continue }
                let wholeSubnet = topology.subnets.contains { $0.vpc == table.vpc && $0.cidrs.contains(prefix) }
                let allowedTarget: Bool
                switch route.target {
                case .natGateway, .networkInterface, .gatewayLoadBalancerEndpoint: allowedTarget = true
                default: allowedTarget = false
                }
                if !wholeSubnet || !allowedTarget {
                    reader.error(
                        "route \(prefix) is more specific than the local route \(local); AWS accepts that only for a whole subnet CIDR to a NAT gateway, network interface or Gateway Load Balancer endpoint (R1.8)",
                        path: where_)
                }
            }
        }
    }
}
