import CaptureReplay
import PathClassifier
import PathCore
import Synchronization

/// Traffic grouped for people to read (`packet-path report`): one ``Conversation`` per sender,
/// receiver, protocol and service port (the source port left out: each connection's ephemeral port
/// would make its own row), per synthetic flow name and per capture. A conversation keeps each
/// distinct outcome its packets had (reason and deciding resource) with the path of the first
/// packet that had it.
public struct Conversation: Sendable {
    public struct Key: Hashable, Sendable {
        public var flow: String?
        public var capture: String?
        /// `nil` for frames that hold no IP packet.
        public var source: IPAddress?
        public var destination: IPAddress?
        public var protocolNumber: IPProtocolNumber?
        /// The destination port, or the ICMP type.
        public var service: UInt16?

        public init(flow: String?, capture: String?, source: IPAddress?, destination: IPAddress?, protocolNumber: IPProtocolNumber?, service: UInt16?) {
            self.flow = flow
            self.capture = capture
            self.source = source
            self.destination = destination
            self.protocolNumber = protocolNumber
            self.service = service
        }
    }

    /// One way the conversation's packets went, with the walk of the first packet that went so.
    public struct Outcome: Sendable {
        public var flow: FlowClassification
        public var count: TrafficCount
        /// Where the first packet that went so is: its frame or record number, in its file (a
        /// flow log's, or a capture's when a run replays several).
        public var firstFrame: Int
        public var firstFile: String?

        public init(flow: FlowClassification, count: TrafficCount, firstFrame: Int, firstFile: String? = nil) {
            self.flow = flow
            self.count = count
            self.firstFrame = firstFrame
            self.firstFile = firstFile
        }

        /// Whether this outcome's first packet comes before `other`'s: by file name, then
        /// number (files replayed side by side finish in any order; this order does not depend on it).
        func precedes(_ other: Outcome) -> Bool { (firstFile ?? "", firstFrame) < (other.firstFile ?? "", other.firstFrame) }

        /// What distinguishes outcomes: the reason and the resource that decided.
        public var signature: Signature { Signature(reason: flow.reason, resource: flow.decisiveHop?.resource.id) }
    }

    /// An outcome's reason and deciding resource.
    public struct Signature: Hashable, Sendable {
        public var reason: Reason
        public var resource: String?
    }

    public var key: Key
    /// At least one; in the order first seen.
    public var outcomes: [Outcome]

    public init(key: Key, outcomes: [Outcome]) {
        self.key = key
        self.outcomes = outcomes
    }

    public var count: TrafficCount { outcomes.reduce(TrafficCount()) { $0 + $1.count } }
    /// The outcome whose first packet came first.
    public var first: Outcome { outcomes.min { $0.precedes($1) }! }

    /// The outcome that carried the most bytes, then packets (the first seen on a tie): what a
    /// one-line summary of the conversation shows.
    public var main: Outcome {
        outcomes.enumerated().max { a, b in
            (a.element.count.bytes, a.element.count.packets, -a.offset) < (b.element.count.bytes, b.element.count.packets, -b.offset)
        }!.element
    }

    /// Adds `outcome`, merged into the outcome with its signature when there is one (keeping the
    /// path of the earlier first frame).
    mutating func add(_ outcome: Outcome) {
        let signature = outcome.signature
        guard let index = outcomes.firstIndex(where: { $0.signature == signature }) else {
            outcomes.append(outcome)
            return
        }
        let count = outcomes[index].count + outcome.count
        if outcome.precedes(outcomes[index]) { outcomes[index] = outcome }
        outcomes[index].count = count
    }
}

/// Collects a replay's records into conversations: the replay's lines make one table per
/// worker; ``conversations()`` merges them once the replay has joined its workers. Records need
/// their full paths (``PathDetail/full``): the report shows each hop's rule.
public final class ConversationSet: Sendable {
    private let tables = Mutex<[Table]>([])

    public init() {}

    /// One worker's conversations. Unchecked `Sendable`: one worker adds to it, and it is read
    /// after the replay has joined its workers.
    final class Table: @unchecked Sendable {
        var index: [Conversation.Key: Int] = [:]
        var conversations: [Conversation] = []

        /// Adds another table's conversations (the earlier first packet's path kept).
        func absorb(_ other: Table) {
            for conversation in other.conversations {
                if let position = index[conversation.key] {
                    for outcome in conversation.outcomes { conversations[position].add(outcome) }
                } else {
                    index[conversation.key] = conversations.count
                    conversations.append(conversation)
                }
            }
        }

        func add(_ record: PacketRecord) {
            // Records without traffic (NODATA, SKIPDATA) judged nothing.
            if record.observation?.hasTraffic == false { return }
            let header = record.header
            let key = Conversation.Key(
                flow: record.flow, capture: record.capture, source: header?.source, destination: header?.destination,
                protocolNumber: header?.protocolNumber, service: header.flatMap { $0.destinationPort ?? $0.icmpType.map(UInt16.init) })
            var outcome = Conversation.Outcome(
                flow: FlowClassification(request: record.classification, reply: record.reply), count: TrafficCount(record), firstFrame: record.frame,
                firstFile: record.observation?.file ?? record.capture)
            if let position = index[key] {
                let signature = outcome.signature
                if let known = conversations[position].outcomes.firstIndex(where: { $0.signature == signature }), !outcome.precedes(conversations[position].outcomes[known]) {
                    conversations[position].outcomes[known].count += outcome.count  // the stored path stays
                    return
                }
                outcome.flow = interned(outcome.flow)
                conversations[position].add(outcome)
            } else {
                outcome.flow = interned(outcome.flow)
                index[key] = conversations.count
                conversations.append(Conversation(key: key, outcomes: [outcome]))
            }
        }

        /// Hops and notes met before, each stored once: most of a path (the rules, routes and
        /// gateways) recurs across conversations, and a report may keep hundreds of thousands.
        private var hops: Set<Hop> = []
        private var notes: Set<String> = []

        /// `flow` with its hops and notes shared with the paths stored before.
        func interned(_ flow: FlowClassification) -> FlowClassification {
            func intern(_ classification: Classification) -> Classification {
                var classification = classification
                classification.hops = classification.hops.map { hops.insert($0).memberAfterInsert }
                classification.notes = classification.notes.map { notes.insert($0).memberAfterInsert }
                return classification
            }
            return FlowClassification(request: intern(flow.request), reply: flow.reply.map(intern))
        }
    }

    /// Lines that write nothing and collect every record into a new table per worker; when the
    /// replay settles (flow log files done), the finished tables fold into one, so that a
    /// conversation seen in many files keeps one path, not one a file.
    public func lines() -> Replayer.Lines {
        Replayer.Lines(
            format: { [self] in
                let table = Table()
                tables.withLock { $0.append(table) }
                return { record, _ in table.add(record) }
            }, write: { _ in }, settle: { [self] in settle() })
    }

    /// Folds every table into the first. Only while no worker adds (the replay settled).
    func settle() {
        tables.withLock { tables in
            guard let first = tables.first else { return }
            for table in tables.dropFirst() { first.absorb(table) }
            tables = [first]
        }
    }

    /// Every conversation, in the order first seen (by file, then number).
    public func conversations() -> [Conversation] {
        settle()
        return tables.withLock { tables in
            var merged = tables.first?.conversations ?? []
            // Tables come in the order workers started; the result does not depend on it.
            for index in merged.indices { merged[index].outcomes.sort { $0.precedes($1) } }
            return merged.sorted { $0.first.precedes($1.first) }
        }
    }
}
