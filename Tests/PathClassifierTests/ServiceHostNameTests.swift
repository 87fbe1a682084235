import PathCore
import Testing
import VPCTopology

@testable import PathClassifier

/// AWS service host names as `--to` takes them (R5.6, R5.7): which service and Region, and
/// whether an interface endpoint's private DNS answers them.
@Suite("service host names")
struct ServiceHostNameTests {
    @Test(
        "every S3 endpoint form and the other services' documented names",
        arguments: [
            ("mybucket.s3.us-east-1.amazonaws.com", "s3", "us-east-1", true),
            ("my.dotted.bucket.s3.eu-west-1.amazonaws.com", "s3", "eu-west-1", true),
            ("s3.us-east-1.amazonaws.com", "s3", "us-east-1", true),
            ("https://s3.us-west-2.amazonaws.com/mybucket/some/key", "s3", "us-west-2", true),
            ("mybucket.s3.amazonaws.com", "s3", "us-east-1", false),
            ("s3.amazonaws.com", "s3", "us-east-1", false),
            ("mybucket.s3-us-west-2.amazonaws.com", "s3", "us-west-2", false),
            ("mybucket.s3.dualstack.us-east-1.amazonaws.com", "s3", "us-east-1", false),
            ("s3.dualstack.ap-southeast-2.amazonaws.com", "s3", "ap-southeast-2", false),
            ("s3-fips.us-east-1.amazonaws.com", "s3", "us-east-1", false),
            ("mybucket.s3-fips.dualstack.us-east-1.amazonaws.com", "s3", "us-east-1", false),
            ("reports-123456789012.s3-accesspoint.us-east-1.amazonaws.com", "s3", "us-east-1", true),
            ("reports-123456789012.s3-accesspoint.dualstack.us-east-1.amazonaws.com", "s3", "us-east-1", false),
            ("123456789012.s3-control.us-east-1.amazonaws.com", "s3", "us-east-1", true),
            ("mybucket.s3-website-us-east-1.amazonaws.com", "s3", "us-east-1", false),
            ("mybucket.s3-website.eu-central-1.amazonaws.com", "s3", "eu-central-1", false),
            ("mybucket.s3.cn-north-1.amazonaws.com.cn", "s3", "cn-north-1", true),
            ("dynamodb.us-east-1.amazonaws.com", "dynamodb", "us-east-1", true),
            ("dynamodb-fips.us-gov-west-1.amazonaws.com", "dynamodb", "us-gov-west-1", false),
            ("dynamodb.us-east-1.api.aws", "dynamodb", "us-east-1", false),
            ("lambda.eu-west-1.amazonaws.com", "lambda", "eu-west-1", true),
            ("cassandra.us-east-1.amazonaws.com", "cassandra", "us-east-1", true),
            ("cassandra-fips.us-east-1.amazonaws.com", "cassandra", "us-east-1", false),
            ("api.sagemaker.us-east-1.amazonaws.com", "sagemaker.api", "us-east-1", true),
            ("runtime.sagemaker.us-east-1.amazonaws.com", "sagemaker.runtime", "us-east-1", true),
            ("runtime-fips.sagemaker.us-east-1.amazonaws.com", "sagemaker.runtime", "us-east-1", false),
            ("redshift.us-east-1.amazonaws.com", "redshift", "us-east-1", true),
        ])
    func forms(_ name: String, _ key: String, _ region: String, _ covered: Bool) {
        let parsed = ServiceHostName(name)
        #expect(parsed?.service == AWSService(key: key, region: region), "\(name): \(String(describing: parsed))")
        #expect(parsed?.privateDNSCovers == covered, "\(name)")
    }

    @Test("not service names: a Redshift cluster's own endpoint, other domains, bare words", arguments: [
        "mycluster.abc123.us-east-1.redshift.amazonaws.com", "example.com", "s3", "bucket.s3.example.com", "s3.notaregion.amazonaws.com",
    ])
    func notServiceNames(_ name: String) { #expect(ServiceHostName(name) == nil, "\(name)") }

    @Test("with an S3 interface endpoint whose private DNS answers in the VPC: virtual-hosted and access-point names go to it, FIPS, dual-stack and legacy global names to the gateway endpoint; replies come back both ways")
    func privateDNSCoverage() throws {
        let lab = Lab.s3Endpoints(privateDNSOnlyForInboundResolver: false)
        for name in ["mybucket.s3.us-east-1.amazonaws.com", "https://s3.us-east-1.amazonaws.com/mybucket", "ap-123456789012.s3-accesspoint.us-east-1.amazonaws.com"] {
            // Judged both ways (R19.7): the request reaches the endpoint and its reply comes back.
            let flow = try lab.flow(from: "a1", to: name)
            #expect(flow.reason == .interfaceEndpoint && flow.reply?.verdict == .private, "\(name): \(flow.request.text)")
        }
        for name in ["s3-fips.us-east-1.amazonaws.com", "mybucket.s3.dualstack.us-east-1.amazonaws.com", "mybucket.s3.amazonaws.com"] {
            let flow = try lab.flow(from: "a1", to: name)
            #expect(flow.reason == .gatewayEndpoint && flow.reply?.verdict == .private, "\(name): \(flow.request.text)")
        }
    }
}
