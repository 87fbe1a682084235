import Foundation
import Testing
import _PacketPathTestSupport

/// `packet-path reach` against exhaustive runs of the same flows through `replay --flows` (the
/// walk `trace` makes, resolved from a flow file): every sending interface, and a sample of
/// addresses from each internet and on-premises class.
@Suite("reach command")
struct ReachCommandTests {
    static let scenarios = [
        "Scenarios/seed/before.yaml", "Scenarios/seed/after.yaml", "Scenarios/multi-tier/scenario.yaml", "Scenarios/hub-and-spoke/scenario.yaml",
        "Scenarios/hybrid/scenario.yaml", "Scenarios/lambda-in-vpc/scenario.yaml", "Scenarios/privatelink/before.yaml", "Scenarios/privatelink/after.yaml",
    ]

    /// One party of a `reach --format json` answer and the verdict and reason it claims.
    struct Claim {
        var from: [String]
        var to: [String]
        var verdict: String
        var reason: String
    }

    /// Random IPv4 addresses of a party's ranges, and each range's ends.
    static func sample(_ ranges: [[String: String]], _ random: inout SystemRandomNumberGenerator) -> [String] {
        func value(_ text: String) -> UInt32 { text.split(separator: ".").reduce(0) { $0 << 8 | UInt32($1)! } }
        func text(_ value: UInt32) -> String { [24, 16, 8, 0].map { String(value >> $0 & 0xFF) }.joined(separator: ".") }
        var found: [String] = []
        for range in ranges.prefix(8) {
            let (first, last) = (value(range["first"]!), value(range["last"]!))
            found += [text(first), text(last), text(UInt32.random(in: first...last, using: &random))]
        }
        return found
    }

    /// Replays `claims` as a flow file (source port 40000, as reach walks) and returns the
    /// verdict and reason of each flow, in order.
    static func replay(_ claims: [Claim], topology: String, port: Int, folder: String) throws -> [(String, String)] {
        var lines = ["version: 1", "flows:"]
        for claim in claims {
            for from in claim.from {
                for to in claim.to { lines.append("  - {from: \"\(from)\", to: \"\(to)\", port: \(port), source-port: 40000}") }
            }
        }
        try lines.joined(separator: "\n").write(toFile: folder + "/flows.yaml", atomically: true, encoding: .utf8)
        let run = try CLIRunner.run(["replay", "--topology", topology, "--flows", folder + "/flows.yaml", "--format", "jsonl"])
        #expect(run.status == 0, "\(run.stderr)")
        return run.stdout.split(separator: "\n").compactMap { line in
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return object.map { ($0["verdict"] as? String ?? "", $0["reason"] as? String ?? "") }
        }
    }

    /// The claims of a reach answer: each party's sources (or destinations) with its verdict.
    static func claims(_ json: String, subject: String, direction: String, random: inout SystemRandomNumberGenerator) throws -> [Claim] {
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] ?? [:]
        var claims: [Claim] = []
        for answer in object["answers"] as? [[String: Any]] ?? [] {
            guard answer["unresolved"] is NSNull, let party = answer["party"] as? [String: Any],
                let outcome = (answer["outcomes"] as? [[String: Any]])?.first
            else { continue }
            let parties: [String]
            switch party["kind"] as? String {
            case "interface": parties = [party["id"] as! String]
            case "service": parties = [party["name"] as! String]
            default: parties = sample(party["ranges"] as? [[String: String]] ?? [], &random)
            }
            let verdict = outcome["verdict"] as! String, reason = outcome["reason"] as! String
            claims.append(
                direction == "to"
                    ? Claim(from: parties, to: [subject], verdict: verdict, reason: reason)
                    : Claim(from: [subject], to: parties, verdict: verdict, reason: reason))
        }
        return claims
    }

    @Test("reach --to every instance and --from every instance agree with replaying each party's flows one by one, on every bundled scenario")
    func agreesWithExhaustiveReplays() throws {
        let folder = try CLIRunner.temporaryFolder("reach")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var random = SystemRandomNumberGenerator()
        var compared = 0
        for topology in Self.scenarios {
            // The instances' names: the keys of the scenario's top-level `instances:` map.
            let names = try CLIRunner.shell("awk '/^instances:/ {f = 1; next} /^[^ #]/ {f = 0} f && /^  [A-Za-z0-9_.-]+:/ {sub(/^  /, \"\"); sub(/:.*/, \"\"); print}' \(topology)")
            for name in names.stdout.split(separator: "\n").map(String.init) {
                for direction in ["to", "from"] {
                    let reach = try CLIRunner.run(["reach", "--topology", topology, "--\(direction)", name, "--port", "443", "--format", "json"])
                    #expect(reach.status == 0, "\(topology) \(direction) \(name): \(reach.stderr)")
                    let claims = try Self.claims(reach.stdout, subject: name, direction: direction, random: &random)
                    let expected = claims.flatMap { claim in Array(repeating: (claim.verdict, claim.reason), count: claim.from.count * claim.to.count) }
                    let replayed = try Self.replay(claims, topology: topology, port: 443, folder: folder)
                    #expect(replayed.count == expected.count, "\(topology) \(direction) \(name)")
                    for (index, (got, claimed)) in zip(replayed, expected).enumerated() where got != claimed {
                        Issue.record("\(topology) reach --\(direction) \(name): flow \(index) replayed \(got), reach said \(claimed)")
                    }
                    compared += replayed.count
                }
            }
        }
        #expect(compared > 500, "\(compared) flows compared")
    }

    @Test("who can reach the database: the app tier, not the bastion (stopped by data-nacl's rule 50), not the internet")
    func multiTierDatabase() throws {
        let result = try CLIRunner.run(["reach", "--topology", "Scenarios/multi-tier/scenario.yaml", "--to", "db1", "--port", "5432"])
        #expect(result.status == 0)
        let text = result.stdout
        let reachable = text.components(separatedBy: "cannot reach")[0]
        #expect(reachable.contains("can reach (2):") && reachable.contains("app1/eth0") && reachable.contains("app2/eth0"), "\(text)")
        #expect(text.contains("bastion/eth0") && text.contains("dropped nacl-ingress at data-nacl (acl-09a2c16d009a0bbbd): rule 50 deny tcp 5432 10.20.0.0/24"), "\(text)")
        #expect(text.contains("internet: 3,702,390,784 addresses"), "\(text)")
    }

    @Test("one flow: its answer, the classes it stands for, and the rules it depends on")
    func oneFlow() throws {
        let result = try CLIRunner.run(["reach", "--topology", "Scenarios/multi-tier/scenario.yaml", "--from", "app1", "--to", "198.51.100.7", "--port", "443"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("the same answer holds for every destination address in 198.51.100.0/24"), "\(result.stdout)")
        #expect(result.stdout.contains("route-table: rt-private (rtb-0e197ecac8571a064) — route 198.51.100.0/24 → eni-5adc88b6a703af41a is a blackhole route (R1.11) ✗"))
        #expect(result.stdout.contains("network-acl-egress: private-nacl (acl-0a50482efba21575c) — rule 100 allow all traffic 0.0.0.0/0"))
    }

    @Test("without --port, each party's ports are answered per port class")
    func portClasses() throws {
        let result = try CLIRunner.run(["reach", "--topology", "Scenarios/multi-tier/scenario.yaml", "--to", "db1", "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let answers = object?["answers"] as? [[String: Any]] ?? []
        let app1 = answers.first { ($0["party"] as? [String: Any])?["name"] as? String == "app1/eth0" }
        let outcomes = app1?["outcomes"] as? [[String: Any]] ?? []
        let reaching = outcomes.filter { $0["reaches"] as? Bool == true }.compactMap { $0["ports"] as? [String] }
        #expect(reaching == [["5432"]], "\(outcomes)")
        #expect(outcomes.flatMap { $0["ports"] as? [String] ?? [] }.contains("25"), "SMTP, denied by private-nacl, is a class of its own")
    }

    @Test("bad questions: an unknown --from or --to, neither --to nor --from, a diagram of one flow")
    func refusals() throws {
        let unknown = try CLIRunner.run(["reach", "--topology", "Scenarios/multi-tier/scenario.yaml", "--from", "nosuch"])
        #expect(unknown.status == 65 && unknown.stderr.contains("'nosuch' is not an IP address"), "\(unknown.stderr)")
        #expect(try CLIRunner.run(["reach", "--topology", "Scenarios/multi-tier/scenario.yaml"]).status == 64)
        let typo = try CLIRunner.run(["reach", "--topology", "Scenarios/multi-tier/scenario.yaml", "--to", "db2", "--port", "5432"])
        #expect(typo.status == 65 && typo.stdout.isEmpty && typo.stderr.contains("error: --to: 'db2' is not an IP address"), "\(typo.stderr)")
        #expect(try CLIRunner.run(["reach", "--topology", "Scenarios/multi-tier/scenario.yaml", "--from", "app1", "--to", "db1", "--format", "dot"]).status == 64)
    }
}
