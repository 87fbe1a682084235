import CaptureReplay
import Foundation
import PathClassifier
import PathCore
import PathReporters
import Testing
import VPCTopology

@Suite("Reporters")
struct ReporterTests {
    static let header = PacketHeader(
        source: IPAddress("10.0.7.10")!, destination: IPAddress("2600::1")!, protocolNumber: .tcp, sourcePort: 40000,
        destinationPort: 443)

    static func record(reason: Reason, detail: String = "route 0.0.0.0/0 → igw-1", flow: String? = "a \"quoted\", flow")
        -> PacketRecord
    {
        let hops = [
            Hop(kind: .source, resource: ResourceLabel(id: "eni-1", name: "a1/eth0"), detail: "10.0.7.10"),
            Hop(kind: .routeTable, resource: ResourceLabel(id: "rtb-1"), detail: detail, passed: reason.verdict != .dropped),
        ]
        return PacketRecord(
            frame: 7, header: header, classification: Classification(reason: reason, hops: hops, notes: ["tab\there"]), flow: flow)
    }

    @Test("JSONL is valid JSON with the stable keys, escaping quotes, control characters and non-ASCII")
    func jsonLines() throws {
        let line = JSONLinesReporter.line(Self.record(reason: .noRoute, detail: "line\nbreak \u{1} ✓"))
        #expect(!line.contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["frame"] as? Int == 7)
        #expect(object["dst"] as? String == "2600::1")
        #expect(object["verdict"] as? String == "dropped")
        #expect(object["reason"] as? String == "no-route")
        #expect(object["flow"] as? String == "a \"quoted\", flow")
        let path = try #require(object["path"] as? [[String: Any]])
        #expect(path[1]["detail"] as? String == "line\nbreak \u{1} ✓")
        #expect(path[1]["passed"] as? Bool == false)
        #expect(path[1]["name"] is NSNull)
        #expect((object["notes"] as? [String]) == ["tab\there"])
    }

    @Test("JSONL uses null for ports a protocol does not have")
    func nullPorts() throws {
        var record = Self.record(reason: .local)
        record.header = PacketHeader(source: IPAddress("10.0.0.1")!, destination: IPAddress("10.0.0.2")!, protocolNumber: .icmp, icmpType: 8, icmpCode: 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(JSONLinesReporter.line(record).utf8)) as? [String: Any])
        #expect(object["srcPort"] is NSNull && object["dstPort"] is NSNull)
        #expect(object["icmpType"] as? Int == 8)
    }

    @Test("CSV quotes fields holding commas and quotes (RFC 4180)")
    func csv() {
        let line = CSVReporter.line(Self.record(reason: .igwDirect))
        #expect(line == "7,10.0.7.10,2600::1,tcp,40000,443,internet,igw-direct,rtb-1,\"a \"\"quoted\"\", flow\"")
        #expect(CSVReporter.header.split(separator: ",").count == line.split(separator: ",").count - 1)  // the flow holds a comma
    }

    @Test("CSV numbers and IPv4 addresses written digit by digit, at their extremes; appended lines end with a line feed")
    func csvDigits() {
        var record = Self.record(reason: .igwDirect, flow: nil)
        record.frame = 1_000_000
        record.header = PacketHeader(
            source: IPAddress("0.0.0.0")!, destination: IPAddress("255.255.255.255")!, protocolNumber: .udp, sourcePort: 0,
            destinationPort: 65535)
        let line = CSVReporter.line(record)
        #expect(line == "1000000,0.0.0.0,255.255.255.255,udp,0,65535,internet,igw-direct,rtb-1,")
        // A small buffer, so that the line grows it.
        let buffer = LineBuffer(capacity: 16)
        buffer.append("earlier\n")
        CSVReporter.append(record, to: buffer)
        #expect(buffer.string == "earlier\n" + line + "\n")
    }

    @Test("text lines pad by characters (the arrow is one), ICMP type and code, and append with a line feed")
    func textPadding() {
        var record = Self.record(reason: .igwDirect, flow: nil)
        record.frame = 12
        record.header = PacketHeader(source: IPAddress("10.0.7.10")!, destination: IPAddress("8.8.8.8")!, protocolNumber: .icmp)
        record.header?.icmpType = 3
        record.header?.icmpCode = 4
        let line = TextReporter.line(record)
        let packet = "10.0.7.10 → 8.8.8.8 icmp type 3 code 4"
        #expect(line == "    12  " + packet + String(repeating: " ", count: 46 - packet.count) + "  internet  igw-direct via rtb-1")
        let buffer = LineBuffer(capacity: 16)
        TextReporter.append(record, to: buffer)
        #expect(buffer.string == line + "\n")
    }

    @Test("text lines show IPv6 endpoints in brackets, the verdict, reason and where it ended")
    func textLine() {
        let line = TextReporter.line(Self.record(reason: .noRoute))
        #expect(line.contains("10.0.7.10:40000 → [2600::1]:443 tcp"))
        #expect(line.contains("dropped   no-route via rtb-1"))
    }

    @Test("the summary counts every packet once, per verdict and per reason")
    func summary() {
        let summary = Summary()
        for reason in [Reason.local, .local, .noRoute, .igwViaNAT] {
            summary.add(Classification(reason: reason, hops: [], notes: []))
        }
        #expect(summary.packets == 4)
        #expect(summary.byVerdict == [.private: 2, .dropped: 1, .internet: 1])
        let text = summary.text()
        #expect(text.hasPrefix("summary: 4 packets"))
        #expect(text.contains("private   local"))
    }

    @Test("merging per-worker summaries gives the summary of all their packets, conversations included")
    func summaryMerge() {
        let a = IPAddress("10.0.7.10")!, b = IPAddress("52.216.1.2")!, c = IPAddress("2600::1")!
        let packets: [(Reason, PacketHeader, Int)] = [
            (.gatewayEndpoint, PacketHeader(source: a, destination: b, protocolNumber: .tcp), 100),
            (.gatewayEndpoint, PacketHeader(source: b, destination: a, protocolNumber: .tcp), 1500),
            (.igwDirect, PacketHeader(source: c, destination: c, protocolNumber: .udp), 80),
            (.noRoute, PacketHeader(source: a, destination: b, protocolNumber: .udp), 60),
            (.gatewayEndpoint, PacketHeader(source: a, destination: b, protocolNumber: .tcp), 40),
        ]
        let all = Summary()
        let parts = [Summary(), Summary()]
        for (reason, header, length) in packets {
            all.add(reason, header: header, length: length)
            // Partitioned by host pair, as the parallel replay does.
            parts[header.source == c ? 1 : 0].add(reason, header: header, length: length)
        }
        let merged = Summary()
        for part in parts { merged.merge(part) }
        #expect(merged.text(top: 10) == all.text(top: 10))
        #expect(all.text(top: 10).contains("10.0.7.10 ↔ 52.216.1.2 tcp"))
        #expect(all.byReason == [.gatewayEndpoint: 3, .igwDirect: 1, .noRoute: 1])
    }

    @Test("a reason's ordinal is its position among all reasons (counters are indexed by it)")
    func reasonOrdinals() {
        for (index, reason) in Reason.allCases.enumerated() { #expect(reason.ordinal == index) }
    }

    @Test("every reason has a verdict, rules or a stated reason for none, and a Batfish disposition")
    func reasonVocabulary() {
        for reason in Reason.allCases {
            #expect(!reason.batfishDisposition.isEmpty)
            #expect(reason.verdict == .dropped || reason.reachabilityAnalyzerCode == nil)
            #expect(!reason.rules.isEmpty || [.loop, .malformedFrame, .fragmentWithoutFirst].contains(reason), "\(reason)")
        }
    }
}

@Suite("JSONL writer")
struct JSONLinesWriterTests {
    @Test("the caching writer prints exactly what the reporter prints")
    func sameAsReporter() {
        let writer = PathLineWriter<JSONLinesReporter>()
        for reason in [Reason.noRoute, .local, .noRoute] {
            var record = ReporterTests.record(reason: reason)
            record.time = CaptureTime(seconds: 1, nanoseconds: 1)
            record.length = 60
            record.capture = "a.pcap"
            #expect(JSONLinesReporter.line(record).contains("\"time\":\"1.000000001\""))
            #expect(CaptureTime(seconds: 1_700_000_000, nanoseconds: 123_456_789).text == "1700000000.123456789")
            #expect(CaptureTime(seconds: 0, nanoseconds: 0).text == "0.000000000")
            #expect(CaptureTime(seconds: -1, nanoseconds: 5).text == "-1.000000005")
            #expect(writer.line(record) == JSONLinesReporter.line(record))
            let appended = LineBuffer(capacity: 16)
            appended.append("earlier\n")
            writer.append(record, to: appended)
            #expect(appended.string == "earlier\n" + JSONLinesReporter.line(record) + "\n")
            record.header = nil
            #expect(writer.line(record) == JSONLinesReporter.line(record))
            #expect(JSONLinesReporter.line(record).contains("\"src\":null,\"dst\":null"))
        }
    }

    @Test("a path key's rendering is reused: records with one key share a path (the replay's contract), others are rendered anew")
    func cachedByPathKey() {
        let writer = PathLineWriter<JSONLinesReporter>()
        var first = ReporterTests.record(reason: .local, detail: "first path")
        first.pathKey = PacketRecord.PathKey(index: 7, generation: 0)
        #expect(writer.line(first) == JSONLinesReporter.line(first))
        var same = ReporterTests.record(reason: .local, detail: "second path")
        same.pathKey = first.pathKey
        #expect(writer.line(same).contains("first path"), "the cached rendering of key 7")
        same.pathKey = PacketRecord.PathKey(index: 7, generation: 1)
        #expect(writer.line(same).contains("second path"), "another generation is another path")
        same.pathKey = nil
        #expect(writer.line(same) == JSONLinesReporter.line(same))
    }
}
