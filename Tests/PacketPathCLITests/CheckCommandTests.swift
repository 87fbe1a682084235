import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import _PacketPathTestSupport

/// Assertions for CI: `check` with `expect:`, JUnit XML, `compare --format json --fail-on-change`,
/// `replay --fail-on`.
@Suite("assertions for CI")
struct CheckCommandTests {
    static let policy = "Scenarios/seed/expect-private.yaml"

    @Test("check passes on the seed after the change and fails before it, each failure as file:line: flow NAME: expected …, got …")
    func seedPolicy() throws {
        let after = try CLIRunner.run(["check", "--topology", "Scenarios/seed/after.yaml", "--flows", Self.policy])
        #expect(after.status == 0 && after.stdout == "4 of 4 expectations met\n", "\(after.stdout)\(after.stderr)")
        let before = try CLIRunner.run(["check", "--topology", "Scenarios/seed/before.yaml", "--flows", Self.policy])
        #expect(before.status == 1)
        let lines = before.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4 && lines.last == "1 of 4 expectations met", "\(before.stdout)")
        #expect(
            lines[0].hasPrefix(
                "Scenarios/seed/expect-private.yaml:6: flow alpha5 reads S3 bucket s3delta: expected private (gateway-endpoint) via s3-gw, got internet igw-direct via seed-igw (igw-")
                && lines[0].hasSuffix("(route 0.0.0.0/0 → igw-0701525f89d0ac152 (seed-igw))"), "\(lines[0])")
        #expect(lines[2].hasPrefix("Scenarios/seed/expect-private.yaml:14: flow alpha5 invokes Lambda lf6c: expected private (interface-endpoint), got internet"))
    }

    @Test("--junit writes JUnit XML: a test case per checked flow, a failure with the message for each unmet one")
    func junit() throws {
        let folder = try CLIRunner.temporaryFolder("junit")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try CLIRunner.run(["check", "--topology", "Scenarios/seed/before.yaml", "--flows", Self.policy, "--junit", folder + "/report.xml"])
        #expect(result.status == 1)
        let document = try XMLDocument(contentsOf: URL(fileURLWithPath: folder + "/report.xml"))
        let suite = try #require(try document.nodes(forXPath: "/testsuites/testsuite").first as? XMLElement)
        #expect(suite.attribute(forName: "tests")?.stringValue == "4" && suite.attribute(forName: "failures")?.stringValue == "3")
        let cases = try document.nodes(forXPath: "//testcase").compactMap { $0 as? XMLElement }
        #expect(cases.map { $0.attribute(forName: "name")?.stringValue ?? "" }.first == "flow alpha5 reads S3 bucket s3delta")
        let failures = try document.nodes(forXPath: "//testcase/failure").compactMap { $0 as? XMLElement }
        #expect(failures.count == 3 && failures[0].stringValue?.contains("expected private (gateway-endpoint) via s3-gw, got internet") == true)
    }

    @Test("a via that names no resource fails its flow and is named in a warning (a typo, or a resource yet to be created)")
    func unknownVia() throws {
        let folder = try CLIRunner.temporaryFolder("via")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let text = try String(contentsOf: CLIRunner.packageRoot.appendingPathComponent(Self.policy), encoding: .utf8)
        try text.replacingOccurrences(of: "via: s3-gw", with: "via: s3-gateway").write(toFile: folder + "/typo.yaml", atomically: false, encoding: .utf8)
        let result = try CLIRunner.run(["check", "--topology", "Scenarios/seed/after.yaml", "--flows", folder + "/typo.yaml"])
        #expect(result.status == 1 && result.stdout.hasSuffix("3 of 4 expectations met\n"))
        #expect(result.stderr.contains("typo.yaml:6: warning: expect.via 's3-gateway' names no resource of the topology"), "\(result.stderr)")
    }

    @Test("compare --format json names each flow before and after; --fail-on-change exits 1 only when one changed")
    func compareJSON() throws {
        let changed = try CLIRunner.run(
            ["compare", "--before", "Scenarios/seed/before.yaml", "--after", "Scenarios/seed/after.yaml", "--flows", "Scenarios/seed/flows.yaml", "--format", "json", "--fail-on-change"])
        #expect(changed.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(changed.stdout.utf8)) as? [String: Any])
        #expect(object["changed"] as? Int == 3 && object["flows"] as? Int == 5)
        let results = try #require(object["results"] as? [[String: Any]])
        let s3 = try #require(results.first { $0["flow"] as? String == "alpha5 reads S3 bucket s3delta" })
        #expect((s3["before"] as? [String: Any])?["reason"] as? String == "igw-direct" && (s3["after"] as? [String: Any])?["reason"] as? String == "gateway-endpoint")
        let same = try CLIRunner.run(["compare", "--before", "Scenarios/seed/after.yaml", "--after", "Scenarios/seed/after.yaml", "--flows", "Scenarios/seed/flows.yaml", "--fail-on-change"])
        #expect(same.status == 0 && same.stdout.hasSuffix("0 of 5 flows changed\n"))
    }

    @Test("replay --fail-on exits 1 after writing its output when a packet gets the verdict, and names the count")
    func replayFailOn() throws {
        let leaking = try CLIRunner.run(["replay", "--topology", "Scenarios/seed/before.yaml", "--flows", "Scenarios/seed/flows.yaml", "--format", "summary", "--fail-on", "internet"])
        #expect(leaking.status == 1 && leaking.stdout.contains("summary:") && leaking.stderr.contains("--fail-on: 11 internet"), "\(leaking.stderr)")
        let clean = try CLIRunner.run(["replay", "--topology", "Scenarios/seed/after.yaml", "--flows", "Scenarios/seed/flows.yaml", "--format", "summary", "--fail-on", "dropped"])
        #expect(clean.status == 0)
        let bad = try CLIRunner.run(["replay", "--topology", "Scenarios/seed/after.yaml", "--flows", "Scenarios/seed/flows.yaml", "--fail-on", "leaked"])
        #expect(bad.status == 64)
    }
}
