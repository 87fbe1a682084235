import CaptureReplay
import PathClassifier
import Reachability
import TrafficAnalysis
import VPCTopology

extension HTMLReport {
    /// A reachability answer as a report (`reach --format html`): a row per party and way its
    /// traffic goes (with the ports, when it differs by port), its representative packet's path
    /// behind the row.
    package init(reach answers: [ReachAnswer], render: ReachText, topology: Topology, topologyFile: String, diagram: Diagram) {
        var rows: [Row] = []
        for answer in answers where answer.unresolved == nil {
            for outcome in answer.outcomes {
                let header = outcome.header
                // An interface is named by its address; address classes and services by the party.
                var label: [String] = []
                if case .interface = answer.party {} else { label.append(render.party(answer.party)) }
                if answer.outcomes.count > 1 { label.append("\(render.question.protocolNumber) \(ReachText.ports(outcome))") }
                let key = Conversation.Key(
                    flow: label.isEmpty ? nil : label.joined(separator: ", "), capture: nil, source: header.source,
                    destination: header.destination, protocolNumber: header.protocolNumber,
                    service: header.destinationPort ?? header.icmpType.map(UInt16.init))
                let walked = Conversation.Outcome(flow: outcome.flow, count: TrafficCount(records: 1), firstFrame: rows.count + 1)
                rows.append(Row(conversation: Conversation(key: key, outcomes: [walked]), before: nil))
            }
        }
        self.init(
            title: "packet-path reach: \(render.title)", inputs: [("topology", topologyFile)], topology: topology, rows: rows, rowLimit: rows.count,
            diagram: diagram, hasBefore: false)
        countsTraffic = false
        labelsDestination = render.direction == .from
        rowsHeading = "Parties"
    }
}
