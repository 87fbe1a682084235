import Decompression
import FlowLogs
import Foundation
import PathCore
import Testing
import _PacketPathTestSupport

@Suite("Flow log files")
struct FlowLogTextTests {
    static func fixture(_ name: String) throws -> String {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
        var bytes = [UInt8](try Data(contentsOf: url))
        if let compression = Compression(magic: bytes) { bytes = try compression.decompress(bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }

    static let v5 = "${version} ${account-id} ${vpc-id} ${subnet-id} ${interface-id} ${srcaddr} ${dstaddr} ${pkt-srcaddr} ${pkt-dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status} ${flow-direction} ${traffic-path}"

    @Test("CloudWatch style in the default format, S3 style (gzip, header line) and a custom version-5 format")
    func deliveryStyles() throws {
        let before = FlowLogText(try Self.fixture("seed-before.default.cloudwatch.log"))
        #expect(before.problems.isEmpty && before.entries.count == 17 && !before.formatFromHeader)
        #expect(before.entries.first?.record.interfaceID == "eni-602a28126d3dd75c4" && before.entries.first?.position == 1)

        let after = FlowLogText(try Self.fixture("seed-after.s3.log.gz"))
        #expect(after.problems.isEmpty && after.entries.count == 25 && after.formatFromHeader)
        #expect(after.format == (try FlowLogFormat(parsing: Self.v5)) && after.format.version == 5)
        #expect(after.entries.first?.line == 2 && after.entries.first?.position == 1, "the header is line 1 and not a record")
        #expect(after.entries.contains { $0.record.trafficPath == .gatewayEndpoint && $0.record.flowDirection == .egress })

        let multiTier = FlowLogText(try Self.fixture("multi-tier.custom-v5.cloudwatch.log"), format: try FlowLogFormat(parsing: Self.v5))
        #expect(multiTier.problems.isEmpty && multiTier.entries.count == 175)
        let withoutFormat = FlowLogText(try Self.fixture("multi-tier.custom-v5.cloudwatch.log"))
        #expect(withoutFormat.entries.isEmpty && withoutFormat.problems.count == 175)
        #expect(withoutFormat.problems[0].description == "line 1: 20 fields, the format has 14; if the flow log has a custom format, give it with --log-format")
    }

    @Test("JSON lines with the record in message; blank lines and CRLF; a malformed line is reported and the rest read")
    func jsonLinesAndDamage() {
        let text = """
            {"timestamp":1748851800000,"message":"2 123456789012 eni-1 10.0.7.10 3.5.21.73 60057 443 6 5 317 1748851800 1748851801 ACCEPT OK","ingestionTime":1748851900000}\r

            {"message":"2 123456789012 eni-1 10.0.7.10 3.5.21.73 60057 443 6 5 317 1748851800 1748851801 ACCEPT OK","nested":{"a":[1,"}"]}}
            2 123456789012 eni-1 10.0.7.10 3.5.21.73 60057 99999 6 5 317 1748851800 1748851801 ACCEPT OK
            {"message":"2 123456789012 eni-\\u0031 - - - - - - - 1748851800 1748851860 - NODATA"}
            {"timestamp":1}
            {"message":"unterminated}
            2 123456789012 eni-1 10.0.7.10 3.5.21.73 60057 443 6 5 317 1748851800 1748851801 REJECT OK
            """
        let log = FlowLogText(text)
        #expect(log.entries.map(\.position) == [1, 2, 4, 7] && log.entries.map(\.line) == [1, 3, 5, 8])
        #expect(log.entries[2].record.interfaceID == "eni-1" && log.entries[2].record.logStatus == .noData)
        #expect(log.entries[3].record.action == .reject)
        #expect(log.problems.map(\.description) == [
            "line 4: field 7 (dstport): '99999' is not a port (0 to 65535)",
            "line 6: a JSON line without a \"message\" string",
            "line 7: a malformed JSON line: column 26: unterminated string",
        ])
        #expect(log.problems.map(\.line) == [4, 6, 7])
    }

    @Test("a CloudWatch Logs document (get-log-events, filter-log-events): each event's message is a record; a problem names the message's line")
    func cloudWatchDocument() throws {
        let lines = try Self.fixture("seed-before.default.cloudwatch.log").split(separator: "\n")
        // As `aws logs get-log-events` prints it: indented, one member per line, tokens after the events.
        var events = lines.enumerated().map { index, line in
            "        {\n            \"timestamp\": \(1_748_851_800_000 + index),\n            \"message\": \"\(line)\",\n            \"ingestionTime\": 1748851900000\n        }"
        }
        events[2] = events[2].replacingOccurrences(of: " 443 ", with: " 99999 ")
        let document = "{\n    \"events\": [\n" + events.joined(separator: ",\n") + "\n    ],\n    \"nextForwardToken\": \"f/1\"\n}\n"
        let log = FlowLogText(document)
        #expect(log.entries.count == lines.count - 1)
        #expect(log.entries.map(\.position) == Array(1...lines.count).filter { $0 != 3 })
        #expect(log.problems.map(\.description) == ["line 15: field 7 (dstport): '99999' is not a port (0 to 65535)"], "the third event's message is on line 15")
        #expect(log.entries[0].record.interfaceID == "eni-602a28126d3dd75c4" && log.entries[0].record.destinationPort == 443)
        // filter-log-events names the stream; an event without a message is a problem, not a crash.
        let filtered = FlowLogText(#"{"events": [{"logStreamName": "eni-602a28126d3dd75c4-all", "timestamp": 1, "eventId": "1"}, {"logStreamName": "s", "message": "\#(lines[0])"}], "searchedLogStreams": []}"#)
        #expect(filtered.entries.count == 1 && filtered.entries[0].position == 2)
        #expect(filtered.problems.map(\.description) == ["line 1: event 1 has no \"message\" string"])
    }

    @Test("every flow log of the shared corpus reads whole, in its format (skipped without ../shared/corpus)")
    func corpus() throws {
        guard Corpus.isPresent else { return #expect(Corpus.skipNote("flow log corpus")) }
        let folder = Corpus.root.appendingPathComponent("flowlogs")
        let index = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("index.json"))) as? [[String: Any]])
        #expect(index.count >= 6)
        for entry in index {
            let file = try #require(entry["file"] as? String)
            var bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent(file)))
            if let compression = Compression(magic: bytes) { bytes = try compression.decompress(bytes) }
            let format = try FlowLogFormat(parsing: try #require(entry["format"] as? String))
            let log = FlowLogText(String(decoding: bytes, as: UTF8.self), format: format)
            #expect(log.problems.isEmpty, "\(file): \(log.problems.prefix(3))")
            #expect(log.entries.count == entry["records"] as? Int, "\(file)")
            #expect(log.format == format && log.format.version == entry["version"] as? Int, "\(file)")
        }
    }
}
