import JSONParsing
import PathClassifier
import PathCore
import Reachability
import VPCTopology

/// `packet-path reach` as text and JSON: who can reach a destination (or what a source can
/// reach), each party with the ports that get through and, where they do not, the hop that
/// stops them; for one flow, the rules it depends on.
package struct ReachText {
    package enum Direction: String {
        case to, from
    }

    let topology: Topology
    package let question: ReachQuestion
    let direction: Direction
    /// The destination (`to`) or source (`from`) asked about.
    let subject: String

    package init(topology: Topology, question: ReachQuestion, direction: Direction, subject: String) {
        self.topology = topology
        self.question = question
        self.direction = direction
        self.subject = subject
    }

    /// `tcp 5432`, `tcp (every port)`, `icmp echo`.
    var traffic: String {
        let name = question.protocolNumber.description
        if !question.protocolNumber.hasPorts { return question.protocolNumber.isICMP ? "\(name) echo" : name }
        return question.port.map { "\(name) \($0)" } ?? "\(name) (every port)"
    }

    // MARK: Text

    /// `who can send tcp 5432 to db1`, `where web1 can send tcp (every port)`.
    package var title: String { direction == .to ? "who can send \(traffic) to \(subject)" : "where \(subject) can send \(traffic)" }

    package func text(_ answers: [ReachAnswer], classes: Int) -> String {
        var lines = [
            "packet-path reach: \(title)",
            "  \(answers.count) parties: each sending interface, and \(classes) address classes outside the VPCs merged by answer; from port \(NameResolver.firstEphemeralPort), \(question.oneWay ? "first packets only" : "replies judged too (R19.7)")",
        ]
        for reaches in [true, false] {
            let mine = answers.filter { $0.reaches == reaches && $0.unresolved == nil }
            lines.append("")
            lines.append("\(reaches ? "can reach" : "cannot reach") (\(mine.count)):")
            if mine.isEmpty { lines.append("  none") }
            for answer in mine { lines += answerLines(answer) }
        }
        let unresolved = answers.filter { $0.unresolved != nil }
        if !unresolved.isEmpty {
            lines.append("")
            lines.append("not asked (\(unresolved.count)):")
            for answer in unresolved { lines.append("  \(party(answer.party)): \(answer.unresolved ?? "")") }
        }
        return lines.joined(separator: "\n")
    }

    func answerLines(_ answer: ReachAnswer) -> [String] {
        let name = party(answer.party)
        if answer.outcomes.count == 1, let outcome = answer.outcomes.first {
            return ["  \(name)", "      \(outcomeText(outcome))"]
        }
        return ["  \(name)"] + answer.outcomes.map { "      \($0.ports == nil ? "" : "\(question.protocolNumber) \(Self.ports($0))  ")\(outcomeText($0))" }
    }

    /// `private local`, `dropped security-group-ingress at db-sg (sg-…): no rule …`.
    func outcomeText(_ outcome: ReachOutcome) -> String {
        let flow = outcome.flow
        var text = "\(flow.verdict.rawValue) \(flow.reason.rawValue)"
        if let hop = flow.decisiveHop {
            let replyDropped = flow.request.verdict != .dropped && flow.verdict == .dropped
            text += flow.verdict == .dropped ? " at \(hop.resource)\(replyDropped ? " (the reply)" : ""): \(hop.detail)" : " via \(hop.resource)"
        }
        return text
    }

    /// How a party is named: an interface with its subnet, a set of address ranges, a service.
    package func party(_ party: ReachParty) -> String {
        switch party {
        case .interface(let index):
            let interface = topology[index]
            let subnet = topology[interface.subnet]
            let address = interface.addresses.first { $0.family == question.family }.map { " \($0)" } ?? ""
            return "\(interface.label)\(address) in subnet \(subnet.label.name ?? subnet.label.id), \(topology[subnet.vpc].label.name ?? topology[subnet.vpc].label.id)"
        case .addresses(let kind, let ranges):
            let blocks = ranges.flatMap(\.prefixes)
            let count = ranges.reduce(UInt128(0)) { $0 &+ $1.count }
            let shown = blocks.prefix(4).map(\.description).joined(separator: ", ")
            return "\(kind.rawValue): \(Self.grouped(count)) address\(count == 1 ? "" : "es") in \(blocks.count) block\(blocks.count == 1 ? "" : "s") (\(shown)\(blocks.count > 4 ? ", …" : ""))"
        case .service(let name): return "AWS service \(name)"
        }
    }

    /// `3,702,390,784`.
    static func grouped(_ count: UInt128) -> String {
        let digits = Array(String(count))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }

    /// `22, 443, 1024-65535`.
    package static func ports(_ outcome: ReachOutcome) -> String { (outcome.ports ?? []).map(\.description).joined(separator: ", ") }

    /// One flow's answer and the rules it depends on: every hop that a rule, entry or route
    /// decided, request and reply.
    package func flowText(_ outcome: ReachOutcome, destination: String, sourceClass: AddressRange?, destinationClass: AddressRange?, portClass: PortRange?) -> String {
        var lines = [
            "packet-path reach: \(subject) → \(destination)", "  packet: \(TextReporter.packet(outcome.header))",
            "  answer: \(outcomeText(outcome))",
        ]
        var same: [String] = []
        if let sourceClass { same.append("every source address in \(sourceClass)") }
        if let destinationClass { same.append("every destination address in \(destinationClass)") }
        if let portClass { same.append("every destination port in \(portClass)") }
        if !same.isEmpty { lines.append("  the same answer holds for " + same.joined(separator: ", ") + " (their classes)") }
        lines.append("")
        lines.append("depends on:")
        let hops = outcome.flow.request.hops + (outcome.flow.reply?.hops ?? [])
        for hop in hops where hop.rule != nil || hop.kind == .routeTable {
            let reply = outcome.flow.reply?.hops.contains(hop) == true && !outcome.flow.request.hops.contains(hop) ? " (reply)" : ""
            lines.append("  \(hop.kind.rawValue)\(reply): \(hop.resource) — \(hop.detail)\(hop.passed ? "" : " ✗")")
        }
        return lines.joined(separator: "\n")
    }

    // MARK: JSON

    package func json(_ answers: [ReachAnswer], classes: Int) -> String {
        let objects = answers.map(answerJSON)
        return "{\"question\":\(questionJSON),\"addressClasses\":\(classes),\"answers\":["
            + (objects.isEmpty ? "" : "\n  " + objects.joined(separator: ",\n  ") + "\n") + "]}"
    }

    var questionJSON: String {
        "{\"direction\":\(JSONText.string(direction.rawValue)),\"subject\":\(JSONText.string(subject)),\"protocol\":\(JSONText.string(question.protocolNumber.description)),"
            + "\"port\":\(question.port.map(String.init) ?? "null"),\"family\":\(JSONText.string(question.family.rawValue)),\"oneWay\":\(question.oneWay),"
            + "\"sourcePort\":\(NameResolver.firstEphemeralPort)}"
    }

    func answerJSON(_ answer: ReachAnswer) -> String {
        "{\"party\":\(partyJSON(answer.party)),\"reaches\":\(answer.reaches),\"unresolved\":\(JSONText.optional(answer.unresolved)),\"outcomes\":["
            + answer.outcomes.map(outcomeJSON).joined(separator: ",") + "]}"
    }

    func partyJSON(_ party: ReachParty) -> String {
        switch party {
        case .interface(let index):
            let interface = topology[index]
            let subnet = topology[interface.subnet]
            return "{\"kind\":\"interface\",\"id\":\(JSONText.string(interface.label.id)),\"name\":\(JSONText.optional(interface.label.name)),"
                + "\"addresses\":[\(interface.addresses.map { JSONText.string("\($0)") }.joined(separator: ","))],"
                + "\"subnet\":\(JSONText.string(subnet.label.id)),\"vpc\":\(JSONText.string(topology[subnet.vpc].label.id))}"
        case .addresses(let kind, let ranges):
            let count = ranges.reduce(UInt128(0)) { $0 &+ $1.count }
            return "{\"kind\":\(JSONText.string(kind.rawValue)),\"addresses\":\"\(count)\",\"ranges\":["
                + ranges.map { "{\"first\":\"\($0.address($0.first))\",\"last\":\"\($0.address($0.last))\"}" }.joined(separator: ",")
                + "],\"prefixes\":[\(ranges.flatMap(\.prefixes).map { "\"\($0)\"" }.joined(separator: ","))]}"
        case .service(let name): return "{\"kind\":\"service\",\"name\":\(JSONText.string(name))}"
        }
    }

    func outcomeJSON(_ outcome: ReachOutcome) -> String {
        let flow = outcome.flow
        let stop = flow.verdict == .dropped ? flow.decisiveHop : nil
        let stopJSON = stop.map {
            "{\"kind\":\(JSONText.string($0.kind.rawValue)),\"resource\":\(JSONText.string($0.resource.id)),\"name\":\(JSONText.optional($0.resource.name)),"
                + "\"detail\":\(JSONText.string($0.detail)),\"rule\":\($0.rule.map(String.init) ?? "null")}"
        }
        let ports = outcome.ports.map { "[" + $0.map { JSONText.string($0.description) }.joined(separator: ",") + "]" } ?? "null"
        let header = outcome.header
        return "{\"ports\":\(ports),\"reaches\":\(outcome.reaches),\"verdict\":\(JSONText.string(flow.verdict.rawValue)),\"reason\":\(JSONText.string(flow.reason.rawValue)),"
            + "\"src\":\"\(header.source)\",\"dst\":\"\(header.destination)\",\"replyDropped\":\(flow.request.verdict != .dropped && flow.verdict == .dropped),"
            + "\"stoppedAt\":\(stopJSON ?? "null")}"
    }
}
