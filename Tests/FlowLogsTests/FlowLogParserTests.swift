import FlowLogs
import PathCore
import Testing

/// Records from AWS's "Flow log record examples" (Amazon VPC User Guide), parsed field by field.
@Suite("Flow log records")
struct FlowLogParserTests {
    static func parse(_ format: FlowLogFormat, _ line: String) throws -> FlowLogRecord {
        try format.parse(line).get()
    }

    @Test("the default format (version 2): accepted SSH, every field typed")
    func defaultFormat() throws {
        let r = try Self.parse(.default, "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK")
        #expect(FlowLogFormat.default.fields.count == 14 && FlowLogFormat.default.version == 2)
        #expect(r.version == 2 && r.accountID == "123456789010" && r.interfaceID == "eni-1235b8ca123456789")
        #expect(r.sourceAddress == IPAddress("172.31.16.139") && r.destinationAddress == IPAddress("172.31.16.21"))
        #expect(r.sourcePort == 20641 && r.destinationPort == 22 && r.protocolNumber == .tcp)
        #expect(r.packets == 20 && r.bytes == 4249 && r.start == 1_418_530_010 && r.end == 1_418_530_070)
        #expect(r.action == .accept && r.logStatus == .ok)
        #expect(r.vpcID == nil && r.flowDirection == nil, "fields the format does not list are nil")
    }

    @Test("NODATA and SKIPDATA records: '-' is nil, not an error")
    func noData() throws {
        let none = try Self.parse(.default, "2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA")
        #expect(none.logStatus == .noData && none.sourceAddress == nil && none.packets == nil && none.action == nil)
        #expect(none.start == 1_431_280_876)
        let skipped = try Self.parse(.default, "2 123456789010 eni-11111111aaaaaaaaa - - - - - - - 1431280876 1431280934 - SKIPDATA")
        #expect(skipped.logStatus == .skipData)
    }

    @Test("IPv6 addresses and an ICMP reply rejected by a network ACL")
    func ipv6AndICMP() throws {
        let v6 = try Self.parse(.default, "2 123456789010 eni-1235b8ca123456789 2001:db8:1234:a100:8d6e:3477:df66:f105 2001:db8:1234:a102:3304:8879:34cf:4071 34892 22 6 54 8855 1477913708 1477913820 ACCEPT OK")
        #expect(v6.sourceAddress == IPAddress("2001:db8:1234:a100:8d6e:3477:df66:f105"))
        let icmp = try Self.parse(.default, "2 123456789010 eni-1235b8ca123456789 172.31.16.139 203.0.113.12 0 0 1 4 336 1432917094 1432917142 REJECT OK")
        #expect(icmp.protocolNumber == .icmp && icmp.action == .reject)
    }

    @Test("a custom version-3 format with TCP flags, type and packet addresses (the TCP flag sequence example)")
    func version3() throws {
        let format = try FlowLogFormat(parsing: "version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status")
        #expect(format.version == 3)
        let r = try Self.parse(format, "3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 123456789010 IPv4 10.0.0.62 52.213.180.42 5001 43638  10.0.0.62 52.213.180.42 6 967 14 1566933133 1566933193 ACCEPT 19 OK")
        #expect(r.vpcID == "vpc-abcdefab012345678" && r.instanceID == "i-01234567890123456" && r.type == "IPv4")
        #expect(r.tcpFlags == 19 && r.bytes == 967 && r.packets == 14, "two spaces between fields are one separator")
        #expect(r.packetDestinationAddress == IPAddress("52.213.180.42"))
    }

    @Test("a NAT gateway's interface: srcaddr is its own address, pkt-srcaddr the internet host's")
    func natGateway() throws {
        let format = try FlowLogFormat(parsing: "${instance-id} ${interface-id} ${srcaddr} ${dstaddr} ${pkt-srcaddr} ${pkt-dstaddr}")
        let r = try Self.parse(format, "- eni-1235b8ca123456789 10.0.0.220 10.0.1.5 203.0.113.5 10.0.1.5")
        #expect(r.instanceID == nil && r.sourceAddress == IPAddress("10.0.0.220") && r.packetSourceAddress == IPAddress("203.0.113.5"))
    }

    @Test("version 5: service names, traffic path and flow direction (the S3 example)")
    func version5() throws {
        let format = try FlowLogFormat(parsing: "version srcaddr dstaddr srcport dstport protocol start end type packets bytes account-id vpc-id subnet-id instance-id interface-id region az-id sublocation-type sublocation-id action tcp-flags pkt-srcaddr pkt-dstaddr pkt-src-aws-service pkt-dst-aws-service traffic-path flow-direction log-status")
        #expect(format.version == 5)
        let ingress = try Self.parse(format, "5 52.95.128.179 10.0.0.71 80 34210 6 1616729292 1616729349 IPv4 14 15044 123456789012 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-0c50d5961bcb2d47b eni-1235b8ca123456789 ap-southeast-2 apse2-az3 - - ACCEPT 19 52.95.128.179 10.0.0.71 S3 - - ingress OK")
        #expect(ingress.packetSourceAWSService == "S3" && ingress.trafficPath == nil && ingress.flowDirection == .ingress)
        #expect(ingress.region == "ap-southeast-2" && ingress.availabilityZoneID == "apse2-az3" && ingress.sublocationType == nil)
        let egress = try Self.parse(format, "5 10.0.0.71 52.95.128.179 34210 80 6 1616729292 1616729349 IPv4 7 471 123456789012 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-0c50d5961bcb2d47b eni-1235b8ca123456789 ap-southeast-2 apse2-az3 - - ACCEPT 3 10.0.0.71 52.95.128.179 - S3 8 egress OK")
        #expect(egress.packetDestinationAWSService == "S3" && egress.trafficPath == .internetGateway && egress.flowDirection == .egress)
    }

    @Test("versions 7 and 8: ECS fields and reject-reason")
    func versions7And8() throws {
        let format = try FlowLogFormat(parsing: "${version} ${interface-id} ${ecs-cluster-name} ${ecs-task-id} ${action} ${reject-reason}")
        #expect(format.version == 8)
        let r = try Self.parse(format, "8 eni-0123456789abcdef0 prod-cluster 0f1e2d3c4b5a REJECT BPA")
        #expect(r.ecs[.ecsClusterName] == "prod-cluster" && r.ecs[.ecsTaskID] == "0f1e2d3c4b5a" && r.rejectReason == "BPA")
        #expect(FlowLogField.allCases.filter { $0.version == 7 }.count == 10)
    }

    @Test("a malformed value names its field and position; a short line names both counts", arguments: [
        ("2 123456789010 eni-1 172.31.16.139 172.31.16.21 70000 22 6 20 4249 1418530010 1418530070 ACCEPT OK", "field 6 (srcport): '70000' is not a port (0 to 65535)"),
        ("2 123456789010 eni-1 172.31.16.999 172.31.16.21 1 22 6 20 4249 1418530010 1418530070 ACCEPT OK", "field 4 (srcaddr): '172.31.16.999' is not an IP address"),
        ("2 123456789010 eni-1 172.31.16.139 172.31.16.21 1 22 6 20 4249 1418530010 1418530070 ALLOW OK", "field 13 (action): 'ALLOW' is not ACCEPT or REJECT"),
        ("2 123456789010 eni-1 172.31.16.139 172.31.16.21 1 22 256 20 4249 1418530010 1418530070 ACCEPT OK", "field 8 (protocol): '256' is not an IANA protocol number (0 to 255)"),
        ("2 123456789010 eni-1 172.31.16.139", "4 fields, the format has 14"),
    ])
    func malformed(_ line: String, _ message: String) {
        guard case .failure(let error) = FlowLogFormat.default.parse(line) else {
            Issue.record("parsed: \(line)")
            return
        }
        #expect(error.description == message)
    }

    @Test("formats: ${…} and header spellings agree; an unknown or repeated field is an error naming it")
    func formats() throws {
        let a = try FlowLogFormat(parsing: "${version} ${srcaddr} ${traffic-path}")
        let b = try FlowLogFormat(parsing: "version srcaddr traffic-path")
        #expect(a == b && a.version == 5 && a.description == "${version} ${srcaddr} ${traffic-path}")
        #expect(FlowLogFormat.isHeader("version account-id interface-id srcaddr") && !FlowLogFormat.isHeader("2 123456789010 eni-1"))
        #expect(throws: FlowLogFormatError(message: "'${source}' is not a flow log field (versions 2 to 8)")) { try FlowLogFormat(parsing: "${version} ${source}") }
        #expect(throws: FlowLogFormatError(message: "'srcaddr' is listed twice")) { try FlowLogFormat(parsing: "srcaddr srcaddr") }
        #expect(throws: FlowLogFormatError(message: "the format lists no fields")) { try FlowLogFormat(parsing: "  ") }
    }
}
