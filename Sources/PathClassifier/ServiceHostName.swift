import VPCTopology

/// A host name (or URL) of an AWS service's public endpoint, read as AWS DNS reads it: which
/// service and Region it names, and whether an interface endpoint's private DNS covers it (R5.6,
/// R5.7: the Regional names, `*.s3.<region>`, `s3-control` and `s3-accesspoint`, are covered; FIPS,
/// website, dual-stack and legacy global names are not, and keep resolving to public addresses).
///
/// S3's forms: virtual-hosted (`bucket.s3.us-east-1.amazonaws.com`, buckets with dots too),
/// path-style (`s3.us-east-1.amazonaws.com/bucket`), legacy dash-Region (`s3-us-west-2`), legacy
/// global (`bucket.s3.amazonaws.com`, `s3.amazonaws.com`: us-east-1), dual-stack
/// (`s3.dualstack.us-east-1`), FIPS (`s3-fips.us-east-1`, `s3-fips.dualstack.us-east-1`), access
/// points (`NAME-ACCOUNT.s3-accesspoint[.dualstack].us-east-1`), S3 control (`s3-control`), and
/// website endpoints (`s3-website-us-east-1`, `s3-website.us-east-1`). Other services:
/// `SERVICE[-fips].REGION.amazonaws.com`, dual-stack `SERVICE.REGION.api.aws`, SageMaker's
/// `api.sagemaker.REGION` and `runtime.sagemaker.REGION` (and their `-fips` forms), Keyspaces'
/// `cassandra[-fips].REGION`. China's `amazonaws.com.cn` too.
public struct ServiceHostName: Sendable, Hashable {
    public var service: AWSService
    /// Whether an interface endpoint's private DNS answers this name inside the VPC.
    public var privateDNSCovers: Bool
    /// What kind of name it is, for the DNS explanation (`virtual-hosted bucket name`, `FIPS endpoint`).
    public var form: String

    init(service: AWSService, privateDNSCovers: Bool, form: String) {
        self.service = service
        self.privateDNSCovers = privateDNSCovers
        self.form = form
    }

    /// Reads `text`, a host name or an `https://host/path` URL; `nil` for anything else.
    public init?(_ text: String) {
        var host = Substring(text.lowercased())
        if let colon = host.firstIndex(of: ":"), host[colon...].hasPrefix("://") { host = host[host.index(colon, offsetBy: 3)...] }
        var pathStyle = false
        if let slash = host.firstIndex(of: "/") {  // path-style: the bucket is in the path
            pathStyle = host[slash...].count > 1
            host = host[..<slash]
        }
        if let colon = host.firstIndex(of: ":") { host = host[..<colon] }
        var labels = host.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard labels.count >= 2, !labels.contains("") else { return nil }
        // The suffix: amazonaws.com, amazonaws.com.cn, or api.aws (dual-stack names).
        var dualStack = false
        if labels.suffix(2) == ["api", "aws"] {
            labels.removeLast(2)
            dualStack = true
        } else if labels.suffix(3) == ["amazonaws", "com", "cn"] {
            labels.removeLast(3)
        } else if labels.suffix(2) == ["amazonaws", "com"] {
            labels.removeLast(2)
        } else {
            return nil
        }
        guard let parsed = Self.s3(labels, pathStyle: pathStyle) ?? Self.other(labels, dualStack: dualStack) else { return nil }
        self = parsed
    }

    /// A Region name: `us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-north-1`.
    static func isRegion(_ label: String) -> Bool {
        let parts = label.split(separator: "-")
        return parts.count >= 3 && parts.last!.allSatisfy(\.isNumber) && parts.dropLast().allSatisfy { $0.allSatisfy(\.isLetter) }
    }

    /// S3's names, read from the right of what precedes `amazonaws.com`.
    static func s3(_ labels: [String], pathStyle: Bool) -> ServiceHostName? {
        func make(_ region: String, covered: Bool, _ form: String) -> ServiceHostName {
            ServiceHostName(service: AWSService(key: "s3", region: region), privateDNSCovers: covered, form: form)
        }
        var rest = labels
        guard let last = rest.popLast() else { return nil }
        // Legacy global: [bucket.]s3.amazonaws.com is us-east-1.
        if last == "s3" { return make("us-east-1", covered: false, rest.isEmpty ? "legacy global endpoint" : "legacy global virtual-hosted bucket name") }
        // Legacy dash-Region and website forms: s3-us-west-2, s3-website-us-east-1.
        if last.hasPrefix("s3-website-"), isRegion(String(last.dropFirst(11))) { return make(String(last.dropFirst(11)), covered: false, "website endpoint") }
        if last.hasPrefix("s3-"), isRegion(String(last.dropFirst(3))) {
            return make(String(last.dropFirst(3)), covered: false, rest.isEmpty ? "legacy dash-Region endpoint" : "legacy dash-Region bucket name")
        }
        guard isRegion(last), let kind = rest.popLast() else { return nil }
        var dualStack = false
        var label = kind
        if kind == "dualstack" {
            guard let before = rest.popLast() else { return nil }
            dualStack = true
            label = before
        }
        let who = rest.isEmpty ? "" : " (\(rest.joined(separator: ".")))"
        switch label {
        case "s3":
            if dualStack { return make(last, covered: false, "dual-stack \(rest.isEmpty ? "endpoint" : "bucket name")") }
            if rest.isEmpty { return make(last, covered: true, pathStyle ? "path-style Regional endpoint" : "Regional endpoint") }
            return make(last, covered: true, "virtual-hosted bucket name\(who)")
        case "s3-fips": return make(last, covered: false, "FIPS \(dualStack ? "dual-stack " : "")endpoint")
        case "s3-accesspoint": return make(last, covered: !dualStack, "\(dualStack ? "dual-stack " : "")access point\(who)")
        case "s3-control": return make(last, covered: !dualStack, "S3 control endpoint\(who)")
        case "s3-website": return make(last, covered: false, "website endpoint")
        default: return nil
        }
    }

    /// Other services: `SERVICE[-fips].REGION`, SageMaker's `api.sagemaker.REGION` and
    /// `runtime.sagemaker.REGION`, dual-stack `SERVICE.REGION` under `api.aws`.
    static func other(_ labels: [String], dualStack: Bool) -> ServiceHostName? {
        guard labels.count >= 2, isRegion(labels[labels.count - 1]) else { return nil }
        let region = labels[labels.count - 1]
        var service = labels[labels.count - 2]
        var fips = false
        if service.hasSuffix("-fips") {
            service.removeLast(5)
            fips = true
        }
        var key = service
        if service == "sagemaker" {
            guard labels.count == 3 else { return nil }
            var part = labels[0]
            if part.hasSuffix("-fips") {
                part.removeLast(5)
                fips = true
            }
            guard part == "api" || part == "runtime" else { return nil }
            key = "sagemaker.\(part)"
        } else if labels.count != 2 {
            return nil  // a resource's own name (a Redshift cluster's endpoint), not the service's
        }
        let form = fips ? "FIPS endpoint" : dualStack ? "dual-stack endpoint" : "Regional endpoint"
        return ServiceHostName(service: AWSService(key: key, region: region), privateDNSCovers: !fips && !dualStack, form: form)
    }
}
