import CaptureReplay
import Decompression
import EC2Snapshot
import FlowLogs
import Foundation
import PathClassifier
import PathReporters
import Testing
import VPCTopology
import _PacketPathTestSupport

@Suite("Flow logs against the model")
struct FlowLogReplayTests {
    static func log(_ name: String, format: FlowLogFormat? = nil) throws -> FlowLogText {
        let url = Corpus.packageRoot.appendingPathComponent("Tests/FlowLogsTests/Fixtures/\(name)")
        var bytes = [UInt8](try Data(contentsOf: url))
        if let compression = Compression(magic: bytes) { bytes = try compression.decompress(bytes) }
        return FlowLogText(String(decoding: bytes, as: UTF8.self), format: format)
    }

    static func snapshot(_ name: String) throws -> Topology {
        try SnapshotImporter.load(Corpus.packageRoot.appendingPathComponent("Tests/EC2SnapshotTests/Fixtures/\(name)").path).0
    }

    /// The JSONL objects of a replay.
    static func objects(_ log: FlowLogText, topology: Topology) throws -> (FlowLogTally, [[String: Any]]) {
        var text: [UInt8] = []
        let lines = Replayer.Lines(format: { PathLineWriter<JSONLinesReporter>().append }, write: { text += $0 })
        let tally = try Replayer(topology: topology, jobs: 1).replay(flowLog: log, file: "log", into: Summary(), lines: lines)
        let objects = try String(decoding: text, as: UTF8.self).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        return (tally, objects)
    }

    @Test("the seed's logs agree with the snapshots they were written against, record for record, with every contract key")
    func agreement() throws {
        let (before, objects) = try Self.objects(try Self.log("seed-before.default.cloudwatch.log"), topology: try Self.snapshot("seed-before"))
        #expect(before.records == 17 && before.agree == 15 && before.disagree == 0 && before.notCompared == 0 && before.withoutTraffic == 2)
        #expect(before.disagreements.isEmpty && before.matrix.values.reduce(0, +) == 15)
        #expect(objects.count == 17)
        let keys = ["record", "file", "src", "dst", "protocol", "srcPort", "dstPort", "interface", "verdict", "reason", "observedAction", "observedPath", "agree"]
        for object in objects { #expect(keys.allSatisfy { object[$0] != nil }, "\(object.keys.sorted())") }
        #expect(objects.map { $0["record"] as? Int } == (1...17).map { $0 })
        let noData = try #require(objects.first { $0["logStatus"] as? String == "NODATA" })
        #expect(noData["verdict"] is NSNull && noData["agree"] is NSNull && noData["observedAction"] is NSNull)

        // OK, but no addresses: nothing to judge either.
        let addressless = FlowLogText("2 123456789012 eni-602a28126d3dd75c4 - - - - 6 5 317 1748851800 1748851801 ACCEPT OK")
        let (none, noneObjects) = try Self.objects(addressless, topology: try Self.snapshot("seed-before"))
        #expect(none.withoutTraffic == 1 && none.matrix.isEmpty && noneObjects.first?["verdict"] is NSNull)

        let (after, _) = try Self.objects(try Self.log("seed-after.s3.log.gz"), topology: try Self.snapshot("seed-after"))
        #expect(after.records == 25 && after.agree == 23 && after.disagree == 0 && after.withoutTraffic == 2)
    }

    @Test("pkt-dst-aws-service against the model's ranges: the same service agrees, AMAZON agrees with any, another service or no range disagrees with the cause")
    func awsService() throws {
        let format = try FlowLogFormat(parsing: "${version} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status} ${flow-direction} ${pkt-dst-aws-service}")
        // 3.5.21.73 is in the snapshot's S3 prefix list, 52.94.3.88 in DynamoDB's; 198.51.100.7 in no range.
        let log = FlowLogText(
            """
            5 eni-602a28126d3dd75c4 10.0.7.10 3.5.21.73 50001 443 6 5 300 1748851800 1748851801 ACCEPT OK egress S3
            5 eni-602a28126d3dd75c4 10.0.7.10 3.5.21.73 50002 443 6 5 300 1748851800 1748851801 ACCEPT OK egress AMAZON
            5 eni-602a28126d3dd75c4 10.0.7.10 52.94.3.88 50003 443 6 5 300 1748851800 1748851801 ACCEPT OK egress S3
            5 eni-602a28126d3dd75c4 10.0.7.10 198.51.100.7 50004 443 6 5 300 1748851800 1748851801 ACCEPT OK egress S3
            5 eni-602a28126d3dd75c4 10.0.7.10 198.51.100.7 50005 443 6 5 300 1748851800 1748851801 ACCEPT OK egress -
            """, format: format)
        let (tally, objects) = try Self.objects(log, topology: try Self.snapshot("seed-before"))
        #expect(objects.map { $0["agree"] as? Bool } == [true, true, false, false, true])
        let explanations = Set(tally.disagreements.keys.map(\.explanation))
        #expect(explanations.contains("drift in AWS's ranges: the log names 52.94.3.88 an address of S3, the model's ranges say DYNAMODB"), "\(explanations)")
        #expect(explanations.contains("data missing from the snapshot: the log names 198.51.100.7 an address of S3, the model has no AWS range for it (give --ip-ranges with AWS's ip-ranges.json)"))
        #expect(tally.disagreements.keys.allSatisfy { $0.observed == "ACCEPT service S3" })
    }

    @Test("a stale snapshot without the endpoints disagrees where the log saw them: S3 and DynamoDB by gateway endpoint (path 7), not the internet gateway")
    func staleSnapshot() throws {
        let (tally, objects) = try Self.objects(try Self.log("seed-after.s3.log.gz"), topology: try Self.snapshot("seed-before"))
        #expect(tally.disagree >= 2)
        let viaEndpoint = objects.filter { $0["observedPath"] as? Int == 7 }
        #expect(viaEndpoint.count >= 2)
        for object in viaEndpoint {
            #expect(object["agree"] as? Bool == false && object["reason"] as? String == "igw-direct", "\(object["dst"] ?? "")")
        }
        // The summary names the change: traffic the log saw leave by the gateway endpoint.
        let drift = tally.disagreements.filter { $0.key.explanation.contains("gateway endpoint (7)") && $0.key.explanation.hasPrefix("drift") }
        #expect(drift.values.reduce(0) { $0 + $1.records } == viaEndpoint.count, "\(tally.disagreements)")
        #expect(tally.matrix.values.reduce(0, +) == tally.records - tally.withoutTraffic)
        #expect(tally.paths[FlowLogTally.Pair(observed: "gateway endpoint (7)", predicted: "internet gateway")]?.records == viaEndpoint.count)
    }

    @Test("every corpus flow log agrees with its snapshot, in both delivery styles (skipped without ../shared/corpus)")
    func corpus() throws {
        guard Corpus.isPresent else { return #expect(Corpus.skipNote("flow log agreement")) }
        let folder = Corpus.root.appendingPathComponent("flowlogs")
        let index = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("index.json"))) as? [[String: Any]])
        for entry in index {
            let file = try #require(entry["file"] as? String)
            let scenario = try #require(entry["scenario"] as? String)
            var bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent(file)))
            if let compression = Compression(magic: bytes) { bytes = try compression.decompress(bytes) }
            let log = FlowLogText(String(decoding: bytes, as: UTF8.self), format: try FlowLogFormat(parsing: try #require(entry["format"] as? String)))
            let topology = try SnapshotImporter.load(Corpus.root.appendingPathComponent("snapshots/\(scenario)").path).0
            let tally = try Replayer(topology: topology, jobs: 1).replay(flowLog: log, file: file, into: Summary())
            #expect(tally.records == entry["records"] as? Int && tally.disagree == 0 && tally.notCompared == 0, "\(file): \(tally)")
        }
    }
}
