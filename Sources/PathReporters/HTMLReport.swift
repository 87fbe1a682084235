import CaptureReplay
import PathClassifier
import PathCore
import TrafficAnalysis
import VPCTopology

/// `packet-path report`: one self-contained HTML file (no network, no external scripts, styles or
/// fonts) with the network diagram, the counts per verdict and reason as bars, and a table of
/// conversations that sorts, filters and expands each row to its hop-by-hop paths; with a
/// topology from before a change, each row's outcome before it and whether it changed. The file is
/// a function of its inputs alone (no date, no random IDs), so equal inputs give equal files.
package struct HTMLReport {
    /// A table row: a conversation after (or without) the change, and its outcomes before it.
    package struct Row {
        package var conversation: Conversation
        /// `nil` without `--before`; empty when the conversation was not seen before (it cannot
        /// be: both sides replay the same inputs).
        package var before: [Conversation.Outcome]?

        package init(conversation: Conversation, before: [Conversation.Outcome]?) {
            self.conversation = conversation
            self.before = before
        }

        /// Whether the outcomes (reasons and deciding resources) differ before and after.
        package var changed: Bool {
            guard let before else { return false }
            return Set(before.map(\.signature)) != Set(conversation.outcomes.map(\.signature))
        }
    }

    /// The diagram: Graphviz's SVG, or why there is none.
    package enum Diagram {
        case svg(String)
        case missing(String)
    }

    package var title: String
    /// What the report was made from, as (what, file) pairs.
    package var inputs: [(String, String)]
    package var topology: Topology
    /// Every conversation, with the outcomes before the change when there is a before.
    package var rows: [Row]
    /// Rows shown at most (the busiest by bytes, then packets); the counts cover every row.
    package var rowLimit: Int
    package var diagram: Diagram
    package var hasBefore: Bool
    /// Whether rows count traffic (records, packets, bytes); a reachability report's rows are
    /// parties, one record each, and show no traffic columns.
    package var countsTraffic = true
    /// Whether a row's label (``Conversation/Key/flow``) names its destination rather than its
    /// source (`reach --from`: the parties are destinations).
    package var labelsDestination = false
    /// The heading of the table and the noun of its rows.
    package var rowsHeading = "Conversations"

    package init(title: String, inputs: [(String, String)], topology: Topology, rows: [Row], rowLimit: Int, diagram: Diagram, hasBefore: Bool) {
        self.title = title
        self.inputs = inputs
        self.topology = topology
        self.rows = rows
        self.rowLimit = rowLimit
        self.diagram = diagram
        self.hasBefore = hasBefore
    }

    /// Whether any record has a size: synthetic flows have none, and a column of `0 B` would
    /// say they were empty.
    var showsBytes: Bool { countsTraffic && rows.contains { $0.conversation.count.bytes > 0 } }

    /// The report as one HTML document.
    package func html() -> String {
        var out: [String] = [
            "<!DOCTYPE html>", "<html lang=\"en\">", "<head>", "<meta charset=\"utf-8\">",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
            // No request leaves the file: scripts and styles are inline, images are data: URLs.
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">",
            "<title>\(Markup.escaped(title))</title>", "<style>", Self.style, "</style>", "</head>", "<body>",
            "<header><h1>\(Markup.escaped(title))</h1><dl class=\"inputs\">",
        ]
        for (what, file) in inputs { out.append("<dt>\(Markup.escaped(what))</dt><dd>\(Markup.escaped(file))</dd>") }
        out.append("</dl></header>")
        out.append(contentsOf: countsSection())
        if hasBefore { out.append(contentsOf: changesSection()) }
        out.append(contentsOf: diagramSection())
        out.append(contentsOf: tableSection())
        out.append(contentsOf: ["<script>", Self.script, "</script>", "</body>", "</html>"])
        return out.joined(separator: "\n")
    }

    // MARK: Counts

    /// Counts per verdict and per reason, as bars scaled to the largest.
    func countsSection() -> [String] {
        var reasons: [Reason: TrafficCount] = [:]
        var total = TrafficCount()
        for row in rows {
            for outcome in row.conversation.outcomes {
                reasons[outcome.flow.reason, default: TrafficCount()] += outcome.count
                total += outcome.count
            }
        }
        let parties = "\(total.records) \(rowsHeading.lowercased())"
        var out = [
            "<section id=\"counts\"><h2>Verdicts</h2>",
            countsTraffic ? "" : "<p class=\"total\">\(parties), each walked once; the bars are shares of them.</p>",
            !countsTraffic ? "" : "<p class=\"total\">\(total.records) record\(total.records == 1 ? "" : "s"), \(total.packets) packet\(total.packets == 1 ? "" : "s"), \(showsBytes ? Self.bytes(total.bytes) : "no sizes (synthetic flows)") in \(rows.count) conversation\(rows.count == 1 ? "" : "s"); every record is counted here once.</p>",
            "<table class=\"bars\"><thead><tr><th scope=\"col\">verdict / reason</th><th scope=\"col\">\(countsTraffic ? "records" : rowsHeading.lowercased())</th>\(countsTraffic ? "<th scope=\"col\">packets</th>" : "")\(showsBytes ? "<th scope=\"col\">bytes</th>" : "")<th scope=\"col\" class=\"bar-col\">share of \(countsTraffic ? "packets" : rowsHeading.lowercased())</th></tr></thead><tbody>",
        ]
        let scale = max(countsTraffic ? total.packets : UInt64(total.records), 1)
        func bytesCell(_ count: TrafficCount) -> String {
            (countsTraffic ? "<td>\(count.packets)</td>" : "") + (showsBytes ? "<td>\(Self.bytes(count.bytes))</td>" : "")
        }
        func bar(_ count: TrafficCount, verdict: Verdict) -> String {
            let percent = Double(countsTraffic ? count.packets : UInt64(count.records)) * 100 / Double(scale)
            let width = (percent * 10).rounded() / 10
            return "<td class=\"bar-col\"><span class=\"bar \(verdict.rawValue)\" style=\"width:\(width)%\"></span><span class=\"share\">\(width)%</span></td>"
        }
        for verdict in Verdict.allCases {
            let mine = reasons.filter { $0.key.verdict == verdict }.sorted { ($1.value.packets, $0.key.rawValue) < ($0.value.packets, $1.key.rawValue) }
            let sum = mine.reduce(TrafficCount()) { $0 + $1.value }
            out.append(
                "<tr class=\"verdict-row\" data-verdict=\"\(verdict.rawValue)\"><th scope=\"row\"><span class=\"badge \(verdict.rawValue)\">\(verdict.rawValue)</span></th><td>\(sum.records)</td>\(bytesCell(sum))\(bar(sum, verdict: verdict))</tr>")
            for (reason, count) in mine {
                out.append(
                    "<tr class=\"reason-row\" data-reason=\"\(reason.rawValue)\"><th scope=\"row\">\(reason.rawValue)</th><td>\(count.records)</td>\(bytesCell(count))\(bar(count, verdict: verdict))</tr>")
            }
        }
        out.append("</tbody></table></section>")
        return out
    }

    // MARK: Changes

    /// How many conversations changed, and from which verdict to which.
    func changesSection() -> [String] {
        var moves: [String: Int] = [:]
        var changed = 0
        for row in rows where row.changed {
            changed += 1
            let before = row.before?.first.map { $0.flow.verdict.rawValue } ?? "unseen"
            moves["\(before) → \(row.conversation.main.flow.verdict.rawValue)", default: 0] += 1
        }
        var out = [
            "<section id=\"changes\"><h2>What the change did</h2>",
            "<p><strong id=\"changed-count\">\(changed)</strong> of \(rows.count) conversation\(rows.count == 1 ? "" : "s") changed outcome (reason or deciding resource).</p>",
        ]
        if !moves.isEmpty {
            out.append("<ul class=\"moves\">")
            for (move, count) in moves.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) {
                out.append("<li>\(Markup.escaped(move)): \(count)</li>")
            }
            out.append("</ul>")
        }
        out.append("</section>")
        return out
    }

    // MARK: Diagram

    func diagramSection() -> [String] {
        switch diagram {
        case .svg(let svg):
            // Graphviz's SVG without its XML prolog and doctype, which HTML does not take.
            let bytes = Array(svg.utf8)
            let start = bytes.indices.first { bytes[$0...].starts(with: "<svg".utf8) } ?? 0
            return ["<section id=\"diagram\"><h2>Network</h2><div class=\"diagram\">", String(decoding: bytes[start...], as: UTF8.self), "</div></section>"]
        case .missing(let why):
            return ["<section id=\"diagram\"><h2>Network</h2><p class=\"missing\">\(Markup.escaped(why))</p></section>"]
        }
    }

    // MARK: Conversations

    func tableSection() -> [String] {
        let shown = Self.busiest(rows, limit: rowLimit)
        var out = [
            "<section id=\"conversations\"><h2>\(rowsHeading)</h2>",
            "<div class=\"controls\" role=\"search\">",
            "<label>Filter <input id=\"filter\" type=\"search\" placeholder=\"address, name, reason, resource…\"></label>",
        ]
        for verdict in Verdict.allCases {
            out.append("<label><input type=\"checkbox\" class=\"show-verdict\" value=\"\(verdict.rawValue)\" checked> \(verdict.rawValue)</label>")
        }
        if hasBefore { out.append("<label><input type=\"checkbox\" id=\"changed-only\"> changed only</label>") }
        out.append("<span id=\"shown\" aria-live=\"polite\"></span></div>")
        if shown.count < rows.count {
            let listed = Set(shown)
            let rest = rows.indices.filter { !listed.contains($0) }.reduce(TrafficCount()) { $0 + rows[$1].conversation.count }
            out.append(
                "<p class=\"omitted\">The \(shown.count) busiest of \(rows.count) conversations are listed; the other \(rows.count - shown.count) (\(rest.packets) packets, \(Self.bytes(rest.bytes))) are in the counts above. Raise --rows to list more.</p>")
        }
        var head = "<table id=\"rows\"><thead><tr><th scope=\"col\" data-sort=\"first\" aria-sort=\"ascending\">#</th><th scope=\"col\" data-sort=\"text\">source</th><th scope=\"col\" data-sort=\"text\">destination</th><th scope=\"col\" data-sort=\"text\">protocol</th>"
        if hasBefore { head += "<th scope=\"col\" data-sort=\"text\">before</th>" }
        head += "<th scope=\"col\" data-sort=\"text\">verdict</th><th scope=\"col\" data-sort=\"text\">reason</th><th scope=\"col\" data-sort=\"text\">via</th>\(countsTraffic ? "<th scope=\"col\" data-sort=\"number\">packets</th>" : "")"
        if showsBytes { head += "<th scope=\"col\" data-sort=\"number\">bytes</th>" }
        head += "</tr></thead><tbody>"
        out.append(head)
        for (number, index) in shown.enumerated() { out.append(contentsOf: rowLines(rows[index], number: number + 1)) }
        out.append("</tbody></table></section>")
        return out
    }

    /// The positions of the `limit` busiest rows (by bytes, then packets, then first seen), in
    /// their order.
    package static func busiest(_ rows: [Row], limit: Int) -> [Int] {
        // Positions are sorted, not rows: a row is large, and a report may have a million.
        let counts = rows.map(\.conversation.count)
        return rows.indices
            .sorted { (counts[$0].bytes, counts[$0].packets, $1) > (counts[$1].bytes, counts[$1].packets, $0) }
            .prefix(limit).sorted()
    }

    /// A conversation's row and its detail row (hidden until expanded).
    func rowLines(_ row: Row, number: Int) -> [String] {
        let conversation = row.conversation
        let main = conversation.main
        let key = conversation.key
        let count = conversation.count
        let label = key.flow.map { countsTraffic ? "flow \($0)" : $0 }
        let source = endpoint(key.source, prefix: labelsDestination ? nil : label)
        let destination = endpoint(key.destination, prefix: labelsDestination ? label : nil)
        let service = key.protocolNumber.map { proto in proto.description + (key.service.map { proto.hasPorts ? " \($0)" : " type \($0)" } ?? "") } ?? "not IP"
        let via = main.flow.decisiveHop.map { $0.resource.description } ?? ""
        let others = conversation.outcomes.count > 1 ? " <span class=\"more\">+\(conversation.outcomes.count - 1) other outcome\(conversation.outcomes.count == 2 ? "" : "s")</span>" : ""
        // What the filter box searches: the row's cells and every resource on its paths.
        var searchable: [String] = [source, destination, service, via, key.capture ?? ""]
        for outcome in conversation.outcomes + (row.before ?? []) {
            searchable.append(outcome.flow.verdict.rawValue)
            searchable.append(outcome.flow.reason.rawValue)
            for hop in outcome.flow.request.hops + (outcome.flow.reply?.hops ?? []) { searchable.append(hop.resource.description) }
        }
        var cells = [
            "<td data-label=\"#\"><button type=\"button\" class=\"expand\" aria-expanded=\"false\" aria-controls=\"detail-\(number)\" title=\"show the path\">\(number)</button></td>",
            "<td data-label=\"source\">\(Markup.escaped(source))</td>", "<td data-label=\"destination\">\(Markup.escaped(destination))</td>",
            "<td data-label=\"protocol\">\(Markup.escaped(service))</td>",
        ]
        if let before = row.before {
            let text = before.map { "\($0.flow.verdict.rawValue) \($0.flow.reason.rawValue)" }.joined(separator: "; ")
            cells.append("<td data-label=\"before\" class=\"before\">\(before.first.map { "<span class=\"badge \($0.flow.verdict.rawValue)\">\($0.flow.verdict.rawValue)</span> " } ?? "")\(Markup.escaped(text))</td>")
        }
        cells += [
            "<td data-label=\"verdict\"><span class=\"badge \(main.flow.verdict.rawValue)\">\(main.flow.verdict.rawValue)</span>\(others)</td>",
            "<td data-label=\"reason\">\(main.flow.reason.rawValue)</td>", "<td data-label=\"via\">\(Markup.escaped(via))</td>",
        ]
        if countsTraffic { cells.append("<td data-label=\"packets\" data-value=\"\(count.packets)\">\(count.packets)</td>") }
        if showsBytes { cells.append("<td data-label=\"bytes\" data-value=\"\(count.bytes)\">\(Self.bytes(count.bytes))</td>") }
        let attributes =
            "class=\"row\(row.changed ? " changed" : "")\" id=\"row-\(number)\" data-first=\"\(number)\" data-verdict=\"\(main.flow.verdict.rawValue)\" data-changed=\"\(row.changed)\" data-search=\(Markup.attribute(searchable.joined(separator: " ").lowercased()))"
        var detail = ["<tr class=\"detail\" id=\"detail-\(number)\" hidden><td colspan=\"\(7 + (countsTraffic ? 1 : 0) + (hasBefore ? 1 : 0) + (showsBytes ? 1 : 0))\">"]
        if let before = row.before {
            detail.append("<div class=\"sides\"><div class=\"side\"><h3>Before</h3>")
            if before.isEmpty { detail.append("<p class=\"missing\">Not seen before the change.</p>") }
            for outcome in before { detail.append(contentsOf: outcomeLines(outcome)) }
            detail.append("</div><div class=\"side\"><h3>After</h3>")
            for outcome in conversation.outcomes { detail.append(contentsOf: outcomeLines(outcome)) }
            detail.append("</div></div>")
        } else {
            for outcome in conversation.outcomes { detail.append(contentsOf: outcomeLines(outcome)) }
        }
        detail.append("</td></tr>")
        return ["<tr \(attributes)>" + cells.joined() + "</tr>"] + detail
    }

    /// One outcome: its count, verdict and reason, the request's and the reply's hops (with the
    /// rule or route that decided each), and the notes.
    func outcomeLines(_ outcome: Conversation.Outcome) -> [String] {
        let flow = outcome.flow
        var out = [
            "<div class=\"outcome\"><p><span class=\"badge \(flow.verdict.rawValue)\">\(flow.verdict.rawValue)</span> <strong>\(flow.reason.rawValue)</strong> \(countsTraffic ? " — \(outcome.count.packets) packet\(outcome.count.packets == 1 ? "" : "s"), first at record \(outcome.firstFrame)\(outcome.firstFile.map { " of \(Markup.escaped($0))" } ?? "")" : "")</p>",
            "<ol class=\"hops\">",
        ]
        func hopLines(_ hops: [Hop]) {
            for hop in hops {
                out.append(
                    "<li class=\"\(hop.passed ? "passed" : "stopped")\"><span class=\"kind\">\(hop.kind.rawValue)</span> <span class=\"resource\">\(Markup.escaped(hop.resource.description))</span> <span class=\"hop-detail\">\(Markup.escaped(hop.detail))</span>\(hop.passed ? "" : " <strong class=\"stop\">stopped here</strong>")</li>")
            }
        }
        hopLines(flow.request.hops)
        out.append("</ol>")
        if let reply = flow.reply {
            out.append("<p class=\"reply\">The reply (\(reply.verdict.rawValue) \(reply.reason.rawValue)):</p><ol class=\"hops\" start=\"\(flow.request.hops.count + 1)\">")
            hopLines(reply.hops)
            out.append("</ol>")
        }
        var notes: [String] = []  // the reply often repeats the request's
        for note in flow.request.notes + (flow.reply?.notes ?? []) where !notes.contains(note) { notes.append(note) }
        if !notes.isEmpty { out.append("<ul class=\"notes\">" + notes.map { "<li>\(Markup.escaped($0))</li>" }.joined() + "</ul>") }
        out.append("</div>")
        return out
    }

    /// An address with the name of what has it (an interface, a public address's interface, an
    /// AWS service).
    func endpoint(_ address: IPAddress?, prefix: String?) -> String {
        guard let address else { return prefix ?? "—" }
        var text = "\(address)"
        var owner = topology.addressOwners[address]?.first
        if owner == nil, case .v4(let v4) = address { owner = topology.publicAddressOwners[v4] }
        if let owner {
            text = "\(topology[owner].label.name ?? topology[owner].label.id) (\(address))"
        } else if let service = AddressLabels(topology: topology).service(of: address) {
            text = "\(service.name) (\(address))"
        }
        return prefix.map { "\($0): \(text)" } ?? text
    }

    /// `1.2 MB`, `532 B`: decimal units, as tcpreplay prints them.
    static func bytes(_ count: UInt64) -> String {
        if count < 1000 { return "\(count) B" }
        let units = ["kB", "MB", "GB", "TB", "PB", "EB"]
        var value = Double(count) / 1000
        var unit = 0
        while value >= 1000 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return "\((value * 10).rounded() / 10) \(units[unit])"
    }
}
