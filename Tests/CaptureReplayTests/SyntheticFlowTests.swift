import CaptureReplay
import Foundation
import PathClassifier
import PathCore
import PathReporters
import ScenarioFormat
import Testing
import VPCTopology
import _PacketPathTestSupport

@Suite("Synthetic flows as a replay source")
struct SyntheticFlowTests {
    /// The seed scenario's flows, resolved as `replay --flows` resolves them.
    static func seed() throws -> (Topology, [SyntheticFlow]) {
        let root = Corpus.packageRoot
        let scenario = root.appendingPathComponent("Scenarios/seed/after.yaml").path
        let flowFile = root.appendingPathComponent("Scenarios/seed/flows.yaml").path
        let topology = try ScenarioLoader.load(try String(contentsOfFile: scenario, encoding: .utf8), file: scenario).0
        var requests = try FlowFileLoader.load(try String(contentsOfFile: flowFile, encoding: .utf8), file: flowFile)
        // Several packets per flow, so that numbering across flows shows.
        for index in requests.indices { requests[index].packets = index + 1 }
        let resolver = NameResolver(topology: topology)
        let flows = try requests.enumerated().map { index, request in
            let resolved = try resolver.resolve(request, ordinal: index)
            return SyntheticFlow(request: request, header: resolved.header, source: resolved.source)
        }
        return (topology, flows)
    }

    @Test("each packet of each flow is counted and gets a line, numbered from 1 in file order, with its flow's judgement")
    func packetsAndLines() throws {
        let (topology, flows) = try Self.seed()
        let replayer = Replayer(topology: topology, jobs: 1)
        let judged = replayer.judge(flows, oneWay: false)
        let summary = Summary()
        var text: [UInt8] = []
        var writes = 0
        let lines = Replayer.Lines(format: { CSVReporter.append }, write: { text += $0; writes += 1 })
        try replayer.replay(flows, oneWay: false, into: summary, lines: lines)

        let packets = flows.reduce(0) { $0 + $1.request.packets }
        #expect(flows.count >= 3 && summary.packets == packets)
        let rows = String(decoding: text, as: UTF8.self).split(separator: "\n")
        #expect(rows.count == packets)
        var row = 0
        for flow in judged {
            for _ in 0..<flow.flow.request.packets {
                let fields = rows[row].split(separator: ",", omittingEmptySubsequences: false)
                row += 1
                #expect(fields[0] == "\(row)", "frame numbers run across flows")
                #expect(rows[row - 1].contains(",\(flow.classification.verdict.rawValue),\(flow.classification.reason.rawValue),"))
            }
        }
        for reason in Set(judged.map(\.classification.reason)) {
            let expected = judged.filter { $0.classification.reason == reason }.reduce(0) { $0 + $1.flow.request.packets }
            #expect(summary.packets(reason) == expected, "\(reason)")
        }
        #expect(writes == 1, "a small flow file is written in one piece")
    }

    @Test("one-way judges the first packet alone; both ways walks the reply (R19.7)")
    func oneWay() throws {
        let (topology, flows) = try Self.seed()
        let replayer = Replayer(topology: topology, jobs: 1)
        let both = replayer.judge(flows, oneWay: false)
        let single = replayer.judge(flows, oneWay: true)
        #expect(single.allSatisfy { $0.classification.reply == nil })
        #expect(both.contains { $0.classification.reply != nil })
        #expect(zip(both, single).allSatisfy { $0.classification.request == $1.classification.request })
    }

    @Test("a flow from outside the topology is walked inbound to the interface owning its destination")
    func inbound() throws {
        let (topology, _) = try Self.seed()
        let resolver = NameResolver(topology: topology)
        let request = FlowRequest(from: "203.0.113.9", to: "alpha5", protocolNumber: .tcp, port: 22)
        let header = try #require(resolver.resolveInbound(request, ordinal: 0))
        let judged = Replayer(topology: topology, jobs: 1).judge([SyntheticFlow(request: request, header: header, source: nil)], oneWay: true)
        #expect(judged[0].classification == Classifier(topology: topology).classifyInboundFlow(header, oneWay: true))
    }
}
