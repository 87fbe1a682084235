import PathCore

/// An AWS service in one Region, named as VPC endpoints name it: `com.amazonaws.<region>.<key>`.
public struct AWSService: Sendable, Hashable, CustomStringConvertible {
    /// The short key: `s3`, `dynamodb`, `lambda`, `cassandra`, `sagemaker.api`, `redshift`, …
    public var key: String
    public var region: String

    public init(key: String, region: String) {
        self.key = key
        self.region = region
    }

    /// Parses `com.amazonaws.us-east-1.s3`; returns `nil` for other text.
    public init?(serviceName: String) {
        let parts = serviceName.split(separator: ".", maxSplits: 3)
        guard parts.count == 4, parts[0] == "com", parts[1] == "amazonaws" else { return nil }
        self.region = String(parts[2])
        self.key = String(parts[3])
    }

    /// `com.amazonaws.<region>.<key>`.
    public var serviceName: String { "com.amazonaws.\(region).\(key)" }

    /// The default DNS name of the service's Regional endpoint (what private DNS overrides, R5.6).
    public var defaultDNSName: String {
        switch key {
        case "cassandra": return "cassandra.\(region).amazonaws.com"
        case "sagemaker.api": return "api.sagemaker.\(region).amazonaws.com"
        case "sagemaker.runtime": return "runtime.sagemaker.\(region).amazonaws.com"
        default: return "\(key).\(region).amazonaws.com"
        }
    }

    /// The port clients use: 9142 for Amazon Keyspaces (R5.11), 443 for the HTTPS APIs.
    public var defaultPort: UInt16 { key == "cassandra" ? 9142 : 443 }

    /// Whether the service has gateway endpoints (R4.1): S3, DynamoDB and S3 Express.
    public var hasGatewayEndpoints: Bool { key == "s3" || key == "dynamodb" || key == "s3express" }

    /// A short human name, `S3 us-east-1`.
    public var description: String { "\(AWSService.displayNames[key] ?? key) \(region)" }

    /// Short aliases people type, mapped to endpoint service keys.
    public static let aliases: [String: String] = [
        "keyspaces": "cassandra", "sagemaker": "sagemaker.api", "dynamo": "dynamodb",
    ]

    /// Service keys recognised as bare words (`--to s3`).
    public static var knownKeys: Set<String> { Set(displayNames.keys) }

    static let displayNames: [String: String] = [
        "s3": "S3", "dynamodb": "DynamoDB", "lambda": "Lambda", "cassandra": "Keyspaces",
        "sagemaker.api": "SageMaker API", "sagemaker.runtime": "SageMaker Runtime", "redshift": "Redshift",
        "s3express": "S3 Express", "sts": "STS", "ec2": "EC2", "sqs": "SQS", "kms": "KMS",
    ]
}

/// A public address range of an AWS service (ip-ranges.json `prefixes`, R14.1).
public struct ServiceRange: Sendable, Hashable {
    public var prefix: IPPrefix
    /// The ip-ranges.json subset (`S3`, `DYNAMODB`, `AMAZON`, …) or an endpoint service key.
    public var service: String
    public var region: String
    public init(prefix: IPPrefix, service: String, region: String) {
        self.prefix = prefix
        self.service = service
        self.region = region
    }
}
