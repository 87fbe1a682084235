import Foundation
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
        // Read by Python's XML parser (FoundationXML leaks under LeakSanitizer, in libxml2).
        let script = """
            import sys, xml.etree.ElementTree as E
            root = E.parse(sys.argv[1]).getroot()
            suite = root.find('testsuite')
            cases = suite.findall('testcase')
            failures = [c.find('failure') for c in cases if c.find('failure') is not None]
            print(root.tag, suite.get('tests'), suite.get('failures'), len(cases), len(failures))
            print(cases[0].get('name'))
            print(failures[0].text)
            """
        try script.write(toFile: folder + "/read.py", atomically: false, encoding: .utf8)
        let read = try CLIRunner.shell("python3 '\(folder)/read.py' '\(folder)/report.xml'")
        let lines = read.stdout.split(separator: "\n").map(String.init)
        #expect(read.status == 0 && lines.count == 3, "\(read.stdout)\(read.stderr)")
        #expect(lines.first == "testsuites 4 3 4 3", "\(lines)")
        #expect(lines.dropFirst().first == "flow alpha5 reads S3 bucket s3delta")
        #expect(lines.last?.contains("expected private (gateway-endpoint) via s3-gw, got internet") == true, "\(lines)")
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
