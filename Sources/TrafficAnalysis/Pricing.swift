import JSONParsing

/// The prices `recommend` weighs endpoints with: AWS's published on-demand prices, which the
/// user may replace with a pricing file (docs/recommend.md). A GB is 2³⁰ bytes, as AWS bills it.
public struct Pricing: Sendable, Hashable {
    /// Where the prices apply, for the report.
    public var region = "us-east-1"
    public var currency = "USD"
    /// NAT gateway data processing, per GB in either direction (AWS, "Amazon VPC pricing").
    public var natGatewayPerGB = 0.045
    /// An interface endpoint, per Availability Zone it has an interface in, per hour (AWS
    /// PrivateLink pricing).
    public var interfaceEndpointPerZoneHour = 0.01
    /// Data an interface endpoint processes, per GB (the first PB a month).
    public var interfaceEndpointPerGB = 0.01
    /// Gateway endpoints (S3, DynamoDB) cost nothing (R4.1; "Gateway endpoints", AWS PrivateLink guide).
    public var gatewayEndpointPerHour = 0.0
    /// Hours in a billing month.
    public var hoursPerMonth = 730.0

    /// Bytes in a billed GB.
    public static let bytesPerGB = Double(1 << 30)

    public init() {}

    /// A pricing file: a JSON object with any of the members above (`natGatewayPerGB`,
    /// `interfaceEndpointPerZoneHour`, `interfaceEndpointPerGB`, `gatewayEndpointPerHour`,
    /// `hoursPerMonth`, `region`, `currency`); members left out keep the published price.
    public init(json bytes: [UInt8]) throws {
        self.init()
        let document: JSONValue
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            throw TrafficReport.DocumentError(description: "\(error)")
        }
        guard let members = document.object else { throw TrafficReport.DocumentError(description: "a pricing file is a JSON object") }
        let prices: [String: WritableKeyPath<Pricing, Double>] = [
            "natGatewayPerGB": \.natGatewayPerGB, "interfaceEndpointPerZoneHour": \.interfaceEndpointPerZoneHour,
            "interfaceEndpointPerGB": \.interfaceEndpointPerGB, "gatewayEndpointPerHour": \.gatewayEndpointPerHour, "hoursPerMonth": \.hoursPerMonth,
        ]
        for (key, value) in members.sorted(by: { $0.key < $1.key }) {
            if let path = prices[key] {
                guard case .number(let number) = value, number >= 0 else {
                    throw TrafficReport.DocumentError(description: "\"\(key)\" must be a number of at least 0")
                }
                self[keyPath: path] = number
            } else if key == "region" || key == "currency" {
                guard let text = value.string else { throw TrafficReport.DocumentError(description: "\"\(key)\" must be a string") }
                if key == "region" { region = text } else { currency = text }
            } else {
                throw TrafficReport.DocumentError(description: "unknown member \"\(key)\"; known: \((prices.keys.sorted() + ["currency", "region"]).joined(separator: ", "))")
            }
        }
    }
}
