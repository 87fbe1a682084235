import PathCore
import VPCTopology

/// Which AWS service a public address belongs to, for labels only (R14.3): routing never uses it.
public struct AddressLabels: Sendable {
    public let topology: Topology

    public init(topology: Topology) { self.topology = topology }

    /// A service name (`S3 us-east-1`) and where the fact came from.
    public struct Label: Sendable, Hashable {
        public var name: String
        public var source: String
    }

    /// R14.3 order: an AWS-managed prefix list first, then declared public ranges (the most
    /// specific; a named service before the catch-all `AMAZON`).
    public func service(of address: IPAddress) -> Label? {
        awsService(of: address).map { Label(name: $0.service.description, source: $0.source) }
    }

    /// The AWS service of a public address (its key `AMAZON` for the catch-all range) and where
    /// the fact came from, by R14.3's order.
    public func awsService(of address: IPAddress) -> (service: AWSService, source: String)? {
        for list in topology.prefixLists where list.isAWSManaged && list.contains(address) {
            if let service = AWSService(serviceName: list.prefixListName) {
                return (service, "in AWS-managed prefix list \(list.label.id) \(list.prefixListName)")
            }
        }
        let matches = topology.serviceRanges.filter { $0.prefix.contains(address) }
        // R14.3: a named service subset, then AMAZON, then EC2 (customer addresses, not a service).
        func rank(_ range: ServiceRange) -> Int {
            switch range.service.uppercased() {
            case "EC2": return 0
            case "AMAZON": return 1
            default: return 2
            }
        }
        let best = matches.max { a, b in
            if rank(a) != rank(b) { return rank(a) < rank(b) }
            return a.prefix.length < b.prefix.length
        }
        guard let best else { return nil }
        let key = best.service.lowercased()
        return (AWSService(key: key == "amazon" ? "AMAZON" : key, region: best.region), "in the \(best.service) public range \(best.prefix) (\(best.region))")
    }
}
