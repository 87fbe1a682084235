import CaptureReplay
import Foundation
import PathClassifier
import PathCore
import VPCTopology
import Testing

@testable import TrafficAnalysis

/// The summary document's counts: written and read back, added up, priced.
@Suite("traffic reports")
struct TrafficReportTests {
    static func exposure(_ service: String, zone: String, way: ExposureKey.Way, bytes: UInt64) -> ExposureKey {
        ExposureKey(service: service, vpc: "vpc-1", subnet: "subnet-\(zone)", zone: zone, routeTable: "rtb-\(zone)", way: way, gateway: way == .natGateway ? "nat-1" : "igw-1")
    }

    /// A report with something in every part.
    static func sample(_ seed: Int) -> TrafficReport {
        var report = TrafficReport()
        report.total = TrafficCount(records: 3 + seed, packets: 10, bytes: 1000 * UInt64(seed + 1))
        report.reasons[.igwViaNAT] = TrafficCount(records: 2, packets: 6, bytes: 600)
        report.reasons[seed.isMultiple(of: 2) ? .securityGroupEgress : .local] = TrafficCount(records: 1 + seed, packets: 4, bytes: 400)
        report.flowLogs.records = 3 + seed
        report.flowLogs.agree = 2
        report.flowLogs.disagree = 1 + seed
        report.flowLogs.matrix[FlowLogTally.Pair(observed: "ACCEPT", predicted: "internet")] = 2
        report.flowLogs.paths[FlowLogTally.Pair(observed: "internet gateway (8)", predicted: "the VPC")] = TrafficCount(records: 1, packets: 2, bytes: 3)
        report.flowLogs.disagreements[
            FlowLogTally.Disagreement(interface: "eni-\"quoted\"", observed: "ACCEPT path 8", predicted: "internet igw-via-nat", explanation: "drift: …")] =
            TrafficCount(records: 1, packets: 2, bytes: 3)
        report.exposure[exposure("com.amazonaws.us-east-1.s3", zone: "us-east-1a", way: .natGateway, bytes: 0)] = TrafficCount(records: 2, packets: 6, bytes: 1 << 30)
        report.coverage[CoverageKey(kind: .routeTable, resource: "rtb-us-east-1a", rule: seed)] = 2
        report.coverage[CoverageKey(kind: .natGateway, resource: "nat-1", rule: nil)] = 2
        report.firstSecond = 100 + Int64(seed)
        report.lastSecond = 200 - Int64(seed)
        return report
    }

    @Test("a report reads back from its document as it was, and the document is the same text again")
    func roundTrip() throws {
        let report = Self.sample(1)
        let text = report.json()
        let read = try TrafficReport(json: Array(text.utf8))
        #expect(read == report)
        #expect(read.json() == text)
    }

    @Test("adding reports is associative and commutative, and an empty report changes nothing")
    func addition() {
        let (a, b, c) = (Self.sample(0), Self.sample(1), Self.sample(2))
        var left = a
        left += b
        left += c
        var bc = b
        bc += c
        var right = a
        right += bc
        var reversed = c
        reversed += b
        reversed += a
        #expect(left == right && left == reversed)
        var empty = TrafficReport()
        empty += a
        #expect(empty == a)
        #expect(left.firstSecond == 100 && left.lastSecond == 200)
        #expect(left.total.records == 12 && left.coverage[CoverageKey(kind: .natGateway, resource: "nat-1", rule: nil)] == 6)
    }

    @Test("a document that is not a summary, or lacks a member, is refused with what is wrong")
    func refusals() {
        #expect(throws: TrafficReport.DocumentError.self) { try TrafficReport(json: Array("{\"packetPathSummary\":2}".utf8)) }
        var text = Self.sample(0).json()
        text = text.replacingOccurrences(of: "\"way\":\"nat-gateway\"", with: "\"way\":\"teleport\"")
        do {
            _ = try TrafficReport(json: Array(text.utf8))
            Issue.record("an unknown way was read")
        } catch {
            #expect("\(error)" == "exposure[0]: unknown way 'teleport'")
        }
    }

    @Test("recommendations: a gateway endpoint for S3 per route table, free, saving the NAT processing; an interface endpoint per zone for Lambda, priced")
    func recommendations() throws {
        var report = TrafficReport()
        report.exposure[Self.exposure("com.amazonaws.us-east-1.s3", zone: "us-east-1a", way: .natGateway, bytes: 0)] = TrafficCount(records: 1, packets: 1, bytes: 2 << 30)
        report.exposure[Self.exposure("com.amazonaws.us-east-1.s3", zone: "us-east-1b", way: .internetGateway, bytes: 0)] = TrafficCount(records: 1, packets: 1, bytes: 1 << 30)
        report.exposure[Self.exposure("com.amazonaws.us-east-1.lambda", zone: "us-east-1a", way: .natGateway, bytes: 0)] = TrafficCount(records: 1, packets: 1, bytes: 1 << 30)
        report.exposure[Self.exposure("com.amazonaws.us-east-1.lambda", zone: "us-east-1b", way: .natGateway, bytes: 0)] = TrafficCount(records: 1, packets: 1, bytes: 1 << 30)
        let pricing = try Pricing(json: Array(#"{"natGatewayPerGB": 0.05, "region": "test"}"#.utf8))
        #expect(pricing.natGatewayPerGB == 0.05 && pricing.interfaceEndpointPerGB == 0.01 && pricing.region == "test")
        let found = Recommendation.recommend(report, pricing: pricing)
        #expect(found.map(\.service) == ["com.amazonaws.us-east-1.s3", "com.amazonaws.us-east-1.lambda"], "most bytes first")
        let s3 = found[0], lambda = found[1]
        #expect(s3.kind == .gateway && s3.routeTables == ["rtb-us-east-1a", "rtb-us-east-1b"] && s3.monthlyFixedCost == 0 && s3.dataCost == 0)
        #expect(abs(s3.natSaving - 0.10) < 1e-9, "2 GB through the NAT gateway at $0.05")
        #expect(lambda.kind == .interface && lambda.zones == ["us-east-1a", "us-east-1b"])
        #expect(abs(lambda.monthlyFixedCost - 2 * 0.01 * 730) < 1e-9 && abs(lambda.dataCost - 0.02) < 1e-9 && abs(lambda.natSaving - 0.10) < 1e-9)
        #expect(throws: TrafficReport.DocumentError.self) { try Pricing(json: Array(#"{"natGatewayPerGb": 1}"#.utf8)) }
    }
}

/// What covers what, for the never-matching rules of coverage.
@Suite("rule cover")
struct RuleCoverTests {
    @Test("a protocol's port range covers the ranges inside it; all traffic covers everything; ICMP types must agree")
    func traffic() {
        let tcp443 = TrafficMatch(protocolNumber: .tcp, ports: PortRange(443, 443))
        let tcpHigh = TrafficMatch(protocolNumber: .tcp, ports: PortRange(1024, 65535))
        let tcpAll = TrafficMatch(protocolNumber: .tcp, ports: .all)
        #expect(TrafficMatch.all.covers(tcp443) && tcpAll.covers(tcpHigh) && !tcpHigh.covers(tcp443) && !tcp443.covers(tcpAll))
        #expect(tcpHigh.covers(TrafficMatch(protocolNumber: .tcp, ports: PortRange(5432, 5432))))
        #expect(!tcpAll.covers(TrafficMatch(protocolNumber: .udp, ports: .all)) && !tcpAll.covers(.all))
        let echo = TrafficMatch(protocolNumber: .icmp, icmpType: 8)
        #expect(TrafficMatch(protocolNumber: .icmp).covers(echo) && !echo.covers(TrafficMatch(protocolNumber: .icmp)))
        #expect(!echo.covers(TrafficMatch(protocolNumber: .icmp, icmpType: 0)))
    }
}

/// Sums that leave the range of a count.
@Suite("traffic report overflow")
struct TrafficReportOverflowTests {
    @Test("adding reports whose counts overflow throws and changes nothing; the document reader refuses counts past 2^53")
    func overflow() throws {
        var big = TrafficReport()
        big.total = TrafficCount(records: Int.max - 1, packets: 1, bytes: 1)
        var sum = big
        #expect(throws: TrafficReport.DocumentError.self) { try sum.add(big) }
        #expect(sum == big)
        var small = TrafficReport()
        small.total = TrafficCount(records: 1, packets: 1, bytes: 1)
        try sum.add(small)
        #expect(sum.total.records == Int.max)
        var text = TrafficReportTests.sample(0).json()
        text = text.replacingOccurrences(of: "\"total\":{\"records\":3,", with: "\"total\":{\"records\":9007199254740993,")
        #expect(throws: TrafficReport.DocumentError.self) { try TrafficReport(json: Array(text.utf8)) }
    }
}
