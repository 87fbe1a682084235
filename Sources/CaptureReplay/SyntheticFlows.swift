import PathClassifier
import PathCore
import VPCTopology

/// A synthetic flow of a flow file, resolved against the topology: its first packet, and where
/// that packet starts.
public struct SyntheticFlow: Sendable {
    public var request: FlowRequest
    public var header: PacketHeader
    /// The interface that sends it; `nil` for a flow from outside the topology (the internet, or
    /// on premises behind a VPN: R19.2, R19.6), walked inbound to the interface owning its
    /// destination.
    public var source: InterfaceIndex?

    public init(request: FlowRequest, header: PacketHeader, source: InterfaceIndex?) {
        self.request = request
        self.header = header
        self.source = source
    }

    /// The name its lines carry: its own, else `from → to`.
    public var name: String { request.name ?? "\(request.from) → \(request.to)" }
}

/// A synthetic flow judged both ways (R19.7).
public struct JudgedFlow: Sendable {
    public var flow: SyntheticFlow
    public var classification: FlowClassification
}

extension Replayer {
    /// Judges each flow once: its first packet and, unless `oneWay`, its reply (R19.7). Every
    /// packet of a synthetic flow is the same packet, so one walk stands for all of them.
    public func judge(_ flows: [SyntheticFlow], oneWay: Bool) -> [JudgedFlow] {
        let classifier = Classifier(topology: topology)
        return flows.map { flow in
            let classification = flow.source.map { classifier.classifyFlow(flow.header, from: $0, oneWay: oneWay) }
                ?? classifier.classifyInboundFlow(flow.header, oneWay: oneWay)
            return JudgedFlow(flow: flow, classification: classification)
        }
    }

    /// Replays synthetic flows, the second source beside captures: each flow judged once
    /// (``judge(_:oneWay:)``), then each of its `packets` counted into `summary` (with no bytes:
    /// a synthetic packet has no size) and handed to `lines` as a record numbered from 1 across
    /// the flows, in file order. One thread: a flow file is small, and its cost is the walks.
    public func replay(_ flows: [SyntheticFlow], oneWay: Bool, into summary: Summary, lines: Lines? = nil) throws {
        let format = lines?.format()
        let text = LineBuffer()
        var number = 0
        for judged in judge(flows, oneWay: oneWay) {
            let name = judged.flow.name
            for _ in 0..<judged.flow.request.packets {
                number += 1
                var record = PacketRecord(frame: number, header: judged.flow.header, flow: judged.classification, name: name)
                record.capture = lines?.capture
                summary.add(record.reason, header: record.header)
                format?(record, text)
            }
            try lines?.flush(text, atLeast: 1 << 16)
        }
        try lines?.flush(text)
    }
}
