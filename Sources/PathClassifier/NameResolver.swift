import PathCore
import VPCTopology

/// Turns what people type (`alpha5`, `10.0.7.10`, `s3`, `lambda.us-east-1.amazonaws.com`,
/// `s3delta`) into addresses, resolving AWS service names the way VPC DNS does (R4.10, R5.6, R5.7).
public struct NameResolver: Sendable {
    public let topology: Topology

    /// A resolved source: the interface a packet leaves and its address.
    public struct Source: Sendable, Hashable {
        public var interface: InterfaceIndex
        public var address: IPAddress
    }

    /// A resolved destination, with how DNS answered when a name was involved.
    public struct Destination: Sendable, Hashable {
        public var address: IPAddress
        /// The AWS service reached, when the destination was a service or service resource.
        public var service: AWSService?
        /// `lambda.us-east-1.amazonaws.com → 10.0.7.200 (private DNS of vpce-…)`.
        public var dnsAnswer: String?
    }

    /// Why a name could not be resolved; messages name the input and what would fix it.
    public enum Failure: Error, Hashable, Sendable, CustomStringConvertible {
        case unknownName(String)
        case notASource(String, why: String)
        case noAddress(String, family: AddressFamily)
        case noServiceAddress(AWSService)
        case unresolvable(String, why: String)

        public var description: String {
            switch self {
            case .unknownName(let name):
                return "'\(name)' is not an IP address, a resource name in the topology, or an AWS service name"
            case .notASource(let name, let why): return "'\(name)' cannot send packets: \(why)"
            case .noAddress(let name, let family): return "'\(name)' has no \(family.rawValue) address"
            case .noServiceAddress(let service):
                return "no address is known for \(service.serviceName): give AWS's ip-ranges.json with --ip-ranges FILE (or, in a scenario, declare its AWS-managed prefix list or aws-public-ranges)"
            case .unresolvable(let name, let why): return "'\(name)' does not resolve here: \(why)"
            }
        }
    }

    private var interfacesByName: [String: InterfaceIndex] = [:]
    private var lambdasByName: [String: LambdaIndex] = [:]
    private var balancersByName: [String: LoadBalancerIndex] = [:]
    /// Endpoint services by name, ID, service name and private DNS name (R19.4).
    private var servicesByName: [String: EndpointServiceIndex] = [:]

    public init(topology: Topology) {
        self.topology = topology
        for (i, instance) in topology.instances.enumerated() {
            for key in [instance.label.name, instance.label.id].compactMap({ $0 }) {
                if let primary = instance.interfaces.first { interfacesByName[key] = primary }
            }
            _ = i
        }
        for (i, interface) in topology.interfaces.enumerated() {
            for key in [interface.label.name, interface.label.id].compactMap({ $0 }) where interfacesByName[key] == nil {
                interfacesByName[key] = InterfaceIndex(i)
            }
        }
        for (i, function) in topology.lambdaFunctions.enumerated() {
            for key in [function.label.name, function.label.id].compactMap({ $0 }) { lambdasByName[key] = LambdaIndex(i) }
        }
        for (i, balancer) in topology.loadBalancers.enumerated() {
            for key in [balancer.label.name, balancer.label.id].compactMap({ $0 }) + balancer.dnsNames { balancersByName[key] = LoadBalancerIndex(i) }
        }
        for (i, service) in topology.endpointServices.enumerated() {
            for key in [service.label.name, service.label.id, service.serviceName, service.privateDNSName].compactMap({ $0 }) {
                servicesByName[key] = EndpointServiceIndex(i)
            }
        }
    }

    /// Resolves a sender: an instance or interface name, a VPC-attached Lambda function, or an
    /// address some interface owns.
    public func source(_ text: String, family: AddressFamily = .ipv4) throws(Failure) -> Source {
        if let address = IPAddress(text) {
            guard let owner = topology.addressOwners[address]?.first else {
                throw .notASource(text, why: "no interface in the topology owns this address")
            }
            return Source(interface: owner, address: address)
        }
        if let function = lambdasByName[text] {
            guard let interface = topology[function].interfaces.first else {
                throw .notASource(
                    text, why: "the function runs outside any VPC, in Lambda's own network, so it never sends from a VPC (R6.6)")
            }
            return Source(interface: interface, address: try address(of: interface, name: text, family: family))
        }
        guard let interface = interfacesByName[text] else { throw .unknownName(text) }
        return Source(interface: interface, address: try address(of: interface, name: text, family: family))
    }

    /// Resolves a receiver as seen from `source`: an address, a resource name, an AWS service
    /// (`s3`, `com.amazonaws.us-east-1.s3`, `s3.us-east-1.amazonaws.com`) or a service resource.
    public func destination(_ text: String, from source: InterfaceIndex, family: AddressFamily = .ipv4) throws(Failure)
        -> Destination
    {
        if let address = IPAddress(text) { return Destination(address: address) }
        let region = topology[topology.vpc(of: source)].region
        if let service = topology.serviceResources[text] {
            var answer = try resolve(service, from: source)
            answer.dnsAnswer = "\(text) is a \(service) resource; " + (answer.dnsAnswer ?? "")
            return answer
        }
        if let function = lambdasByName[text] {
            // Reaching a function means calling the Lambda API (Invoke), never its ENI (R6.2, R6.7).
            var answer = try resolve(AWSService(key: "lambda", region: topology[function].region), from: source)
            answer.dnsAnswer = "\(text) is a Lambda function, reached through the Lambda API (Invoke, R6.7); " + (answer.dnsAnswer ?? "")
            return answer
        }
        if let interface = interfacesByName[text] {
            return Destination(address: try address(of: interface, name: text, family: family))
        }
        // A consumer VPC's private DNS answers before public DNS (R19.4).
        if let service = servicesByName[text] {
            do { return try resolve(service, name: text, from: source) } catch {
                if balancersByName[text] == nil { throw error }
            }
        }
        if let balancer = balancersByName[text] { return try resolve(balancer, name: text, from: source, family: family) }
        if let host = ServiceHostName(text) { return try resolve(host.service, from: source, name: text, host: host) }
        if let service = AWSService(serviceName: text) ?? serviceFromKey(text, region: region) {
            return try resolve(service, from: source)
        }
        throw .unknownName(text)
    }

    /// The address `service`'s default DNS name (or the host name `name`, read as `host`) has
    /// inside the source's VPC (R4.10, R5.6, R5.7): an interface endpoint's private DNS answers the
    /// names it covers, public DNS the others.
    public func resolve(_ service: AWSService, from source: InterfaceIndex, name given: String? = nil, host: ServiceHostName? = nil) throws(Failure) -> Destination {
        let subnet = topology[topology[source].subnet]
        let vpcIndex = subnet.vpc
        let vpc = topology[vpcIndex]
        let name = given.map { host.map { "\(given!) (\($0.form) of \(service))" } ?? $0 } ?? service.defaultDNSName
        for endpoint in topology.endpoints
        where endpoint.vpc == vpcIndex && endpoint.kind == .interface && endpoint.serviceName == service.serviceName
            && endpoint.privateDNSEnabled && host?.privateDNSCovers != false
        {
            guard vpc.dnsSupport && vpc.dnsHostnames else { continue }
            // R5.7: S3 private DNS only for inbound Resolver endpoints keeps in-VPC answers public.
            if endpoint.privateDNSOnlyForInboundResolver { continue }
            if let chosen = nearest(endpoint.interfaces, to: source), let address = topology[chosen].ipv4.first?.privateAddress {
                return Destination(
                    address: .v4(address), service: service,
                    dnsAnswer: "VPC DNS answers \(name) with \(address), interface endpoint \(endpoint.label) (private DNS, R5.6)")
            }
        }
        if let list = topology.awsManagedPrefixList(for: service.serviceName), let entry = topology[list].entries?.first,
            case .v4(let prefix) = entry
        {
            let address = IPv4Address(prefix.network.rawValue | (prefix.length < 32 ? 1 : 0))
            return Destination(
                address: .v4(address), service: service,
                dnsAnswer: "public DNS answers \(name) with \(address), in prefix list \(topology[list].label.id) (R4.10)")
        }
        let key = service.key.uppercased()
        if let range = topology.serviceRanges.first(where: {
            ($0.service.uppercased() == key) && $0.region == service.region && $0.prefix.family == .ipv4
        }), case .v4(let prefix) = range.prefix {
            let address = IPv4Address(prefix.network.rawValue | (prefix.length < 32 ? 1 : 0))
            return Destination(
                address: .v4(address), service: service,
                dnsAnswer: "public DNS answers \(name) with \(address), in the \(range.service) public range \(range.prefix)")
        }
        // R14.3: ip-ranges.json has no subset for most APIs (Lambda among them): any AMAZON address of
        // the Region that belongs to no prefix list and no other service routes the same way.
        let claimed = topology.prefixLists.filter(\.isAWSManaged).flatMap { $0.entries ?? [] }
            + topology.serviceRanges.filter { $0.service.uppercased() != "AMAZON" }.map(\.prefix)
        if let range = topology.serviceRanges.first(where: { range in
            range.service.uppercased() == "AMAZON" && range.region == service.region && range.prefix.family == .ipv4
                && !claimed.contains { $0.overlaps(range.prefix) }
        }), case .v4(let prefix) = range.prefix {
            let address = IPv4Address(prefix.network.rawValue | (prefix.length < 32 ? 1 : 0))
            return Destination(
                address: .v4(address), service: service,
                dnsAnswer: "public DNS answers \(name) with an AMAZON address of \(service.region), \(address) in \(range.prefix): ip-ranges.json has no \(key) subset (R14.3)")
        }
        throw .noServiceAddress(service)
    }

    /// A load balancer's DNS name: its node in the source's zone first; an internet-facing one
    /// answers with public addresses, from inside AWS too (its traffic then takes the internet
    /// gateway, R19.6).
    private func resolve(_ balancer: LoadBalancerIndex, name: String, from source: InterfaceIndex, family: AddressFamily) throws(Failure) -> Destination {
        let record = topology[balancer]
        guard let node = nearest(record.nodes, to: source) else {
            throw .unresolvable(name, why: "load balancer \(record.label) has no node in the input")
        }
        if record.scheme == .internetFacing, family == .ipv4, let publicAddress = topology[node].ipv4.first?.publicAddress {
            return Destination(address: .v4(publicAddress), dnsAnswer: "public DNS answers \(name) with \(publicAddress), node \(topology[node].label) (internet-facing)")
        }
        let address = try address(of: node, name: name, family: family)
        return Destination(address: address, dnsAnswer: "DNS answers \(name) with \(address), node \(topology[node].label)")
    }

    /// An endpoint service seen from a consumer VPC (R19.4): its name or ID stands for the
    /// endpoint's own `vpce-…` DNS names; its private DNS name resolves to the endpoint only when
    /// the endpoint has private DNS on and the provider's domain is verified.
    private func resolve(_ service: EndpointServiceIndex, name: String, from source: InterfaceIndex) throws(Failure) -> Destination {
        let record = topology[service]
        let vpcIndex = topology.vpc(of: source)
        guard let endpoint = topology.endpoints.first(where: { $0.vpc == vpcIndex && $0.kind == .interface && $0.serviceName == record.serviceName }) else {
            throw .unresolvable(name, why: "\(topology[vpcIndex].label) has no interface endpoint for endpoint service \(record.label) (\(record.serviceName))")
        }
        if name == record.privateDNSName {
            let vpc = topology[vpcIndex]
            guard record.privateDNSVerified else {
                throw .unresolvable(name, why: "the private DNS name of \(record.label) is not verified: only the endpoint's vpce-… names resolve (R19.4)")
            }
            guard endpoint.privateDNSEnabled, vpc.dnsSupport, vpc.dnsHostnames else {
                throw .unresolvable(name, why: "endpoint \(endpoint.label) has private DNS off (or the VPC's DNS attributes are off): only its vpce-… names resolve (R5.6, R19.4)")
            }
        }
        guard let chosen = nearest(endpoint.interfaces, to: source), let address = topology[chosen].ipv4.first?.privateAddress else {
            throw .unresolvable(name, why: "endpoint \(endpoint.label) has no interface in the input")
        }
        return Destination(address: .v4(address), dnsAnswer: "VPC DNS answers \(name) with \(address), interface endpoint \(endpoint.label) of \(record.label) (R19.4)")
    }

    /// Of `interfaces`, one in the source's Availability Zone if any, else the first: what zonal
    /// DNS answers prefer.
    private func nearest(_ interfaces: [InterfaceIndex], to source: InterfaceIndex) -> InterfaceIndex? {
        let zone = topology[topology[source].subnet].availabilityZone
        return interfaces.first { topology[topology[$0].subnet].availabilityZone == zone } ?? interfaces.first
    }

    private func address(of interface: InterfaceIndex, name: String, family: AddressFamily) throws(Failure) -> IPAddress {
        guard let address = topology[interface].addresses.first(where: { $0.family == family }) else {
            throw .noAddress(name, family: family)
        }
        return address
    }

    /// `s3`, `dynamodb`, `keyspaces` in the source's Region.
    private func serviceFromKey(_ text: String, region: String) -> AWSService? {
        let key = AWSService.aliases[text] ?? text
        let known = topology.prefixLists.contains { $0.prefixListName == "com.amazonaws.\(region).\(key)" }
            || topology.endpoints.contains { $0.serviceName == "com.amazonaws.\(region).\(key)" }
            || topology.serviceRanges.contains { $0.service.lowercased() == key }
            || AWSService.knownKeys.contains(key)
        return known ? AWSService(key: key, region: region) : nil
    }
}
