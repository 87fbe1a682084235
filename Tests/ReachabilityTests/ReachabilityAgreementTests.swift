import PathClassifier
import PathCore
import Testing
import VPCTopology

@testable import Reachability

/// Every address of a class, and every port of a port class, gets the answer its representative
/// got: sampled addresses and ports walked one by one, on every bundled scenario.
@Suite("reachability over classes")
struct ReachabilityAgreementTests {
    /// What an answer is compared by: the verdict, the reason and the resource that decided.
    static func signature(_ flow: FlowClassification) -> String {
        "\(flow.verdict.rawValue) \(flow.reason.rawValue) \(flow.decisiveHop?.resource.id ?? "")"
    }

    /// Runs `body` for every instance of every bundled scenario, with its scenario file, the
    /// topology, an engine, and the file's edge addresses.
    static func eachInstance(_ body: (String, Topology, Reachability, [IPAddress], String) throws -> Void) throws {
        for file in ScenarioFiles.all {
            let topology = try ScenarioFiles.load(file)
            let engine = Reachability(topology: topology)
            let edges = try ScenarioFiles.edgeAddresses(file)
            for instance in topology.instances { try body(file, topology, engine, edges, instance.label.name ?? instance.label.id) }
        }
    }

    /// Up to `count` ports of the outcome's ranges: each range's ends and random ones inside.
    static func ports(_ outcome: ReachOutcome, _ random: inout SplitMix, count: Int = 6) -> [UInt16?] {
        guard let ranges = outcome.ports else { return [nil] }
        var found: [UInt16?] = []
        for range in ranges.prefix(count) {
            found += [range.lower, range.upper, UInt16(Int(range.lower) + Int(random.next() % UInt64(Int(range.upper) - Int(range.lower) + 1)))]
        }
        return found
    }

    /// Random addresses of the party's ranges (and each range's ends).
    static func addresses(_ ranges: [AddressRange], _ random: inout SplitMix, count: Int) -> [IPAddress] {
        var found: [IPAddress] = []
        for index in 0..<count {
            let range = ranges[index % ranges.count]
            let offset = (UInt128(random.next()) << 64 | UInt128(random.next())) % (range.count == .max ? .max : range.count)
            found.append(range.address(range.first &+ offset))
        }
        return found + ranges.prefix(count).flatMap { [$0.address($0.first), $0.address($0.last)] }
    }

    @Test("who can reach each instance (IPv4 and IPv6): interfaces and sampled outside addresses and ports walked singly agree with the classes' answers")
    func sourcesAgree() throws {
        var random = SplitMix(seed: 42)
        var checked = 0
        try Self.eachInstance { file, topology, engine, edges, name in
            for (port, family) in [(UInt16?(443), AddressFamily.ipv4), (nil, .ipv4), (443, .ipv6)] {
                let question = ReachQuestion(protocolNumber: .tcp, port: port, family: family)
                for answer in engine.sources(reaching: name, question) {
                    for outcome in answer.outcomes {
                        for port in Self.ports(outcome, &random) {
                            switch answer.party {
                            case .interface(let sender):
                                let single = try engine.walk(from: topology[sender].label.id, to: name, question, port: port)
                                #expect(Self.signature(single.flow) == Self.signature(outcome.flow), "\(file): \(topology[sender].label) → \(name):\(port ?? 0)")
                                checked += 1
                            case .addresses(_, let ranges):
                                let edges = edges.filter { address in ranges.contains { $0.contains(address) } }
                                for address in Self.addresses(ranges, &random, count: 4) + edges {
                                    let single = try engine.inbound(from: address, to: name, question, port: port)
                                    #expect(Self.signature(single.flow) == Self.signature(outcome.flow), "\(file): \(address) → \(name):\(port ?? 0)")
                                    checked += 1
                                }
                            case .service: Issue.record("a service is never a source")
                            }
                        }
                    }
                }
            }
        }
        #expect(checked > 1000, "\(checked) walks compared")
    }

    @Test("where each instance can send: interfaces, services and sampled outside addresses walked singly agree")
    func destinationsAgree() throws {
        var random = SplitMix(seed: 9)
        var checked = 0
        try Self.eachInstance { file, topology, engine, edges, name in
            let question = ReachQuestion(protocolNumber: .tcp, port: nil)
            guard let answers = try? engine.destinations(from: name, question) else { return }
            for answer in answers {
                for outcome in answer.outcomes {
                    for port in Self.ports(outcome, &random, count: 2) {
                        let targets: [String]
                        switch answer.party {
                        case .interface(let receiver): targets = [topology[receiver].label.id]
                        case .service(let service): targets = [service]
                        case .addresses(_, let ranges):
                            let edges = edges.filter { address in ranges.contains { $0.contains(address) } }
                            targets = (Self.addresses(ranges, &random, count: 3) + edges).map { "\($0)" }
                        }
                        for target in targets {
                            let single = try engine.walk(from: name, to: target, question, port: port)
                            #expect(Self.signature(single.flow) == Self.signature(outcome.flow), "\(file): \(name) → \(target):\(port ?? 0)")
                            checked += 1
                        }
                    }
                }
            }
        }
        #expect(checked > 1000, "\(checked) walks compared")
    }
}
