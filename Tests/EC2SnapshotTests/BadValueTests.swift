import EC2Snapshot
import Foundation
import Testing
import VPCTopology

/// Issue 10: a value of the wrong type or out of range in a snapshot is an error at its line,
/// column and key path; it never becomes "all ports" or silently removes a network ACL entry.
@Suite("Bad snapshot values")
struct BadValueTests {
    /// Loads the seed-after snapshot after `edit` changed the JSON object of `file`.
    static func load(_ file: String, _ edit: (inout [String: Any]) throws -> Void) throws -> (error: SnapshotError?, text: [Substring]) {
        var text: [Substring] = []
        let result = try BrokenSnapshotTests.load { folder in
            let url = folder.appendingPathComponent(file)
            var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
            try edit(&object)
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
            try data.write(to: url)
            text = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        }
        if case .failure(let error) = result { return (error, text) }
        return (nil, text)
    }

    /// The first TCP ingress permission of the first group that has one: its group and permission index.
    static func editFirstTCPPermission(_ object: inout [String: Any], _ change: (inout [String: Any]) -> Void) throws -> String {
        var groups = try #require(object["SecurityGroups"] as? [[String: Any]])
        for g in groups.indices {
            var permissions = groups[g]["IpPermissions"] as? [[String: Any]] ?? []
            guard let p = permissions.firstIndex(where: { $0["IpProtocol"] as? String == "tcp" }) else { continue }
            change(&permissions[p])
            groups[g]["IpPermissions"] = permissions
            object["SecurityGroups"] = groups
            return "SecurityGroups[\(g)].IpPermissions[\(p)]"
        }
        Issue.record("no TCP permission in the fixture")
        return ""
    }

    /// Checks that `error` holds an error at `path` whose line in `text` shows `key`.
    static func expectError(_ error: SnapshotError?, at path: String, key: String, text: [Substring], saying phrase: String) {
        guard let error else {
            Issue.record("\(path): loaded without an error")
            return
        }
        guard let diagnostic = error.diagnostics.first(where: { $0.severity == .error && $0.path == path }) else {
            Issue.record("no error at \(path):\n\(error)")
            return
        }
        #expect(diagnostic.message.contains(phrase), "\(diagnostic)")
        guard let line = diagnostic.line, let column = diagnostic.column, line <= text.count else {
            Issue.record("no line and column: \(diagnostic)")
            return
        }
        let shown = text[line - 1]
        #expect(shown.contains(key), "line \(line) is '\(shown)', not the value of \(key)")
        #expect(column > 1 && column <= shown.count + 1)
    }

    /// A JSON value from its text (`"x"`, `65536`, `[]`, `null`).
    static func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed)
    }

    @Test("a security-group port of \"x\", 65536, [] or null is an error, never all ports", arguments: [
        ("\"x\"", "the text \"x\""), ("65536", "65536"), ("[]", "a list"), ("null", "null"),
    ])
    func securityGroupPorts(_ value: String, _ shown: String) throws {
        var path = ""
        let parsed = try Self.json(value)
        let (error, text) = try Self.load("describe-security-groups.json") { object in
            path = try Self.editFirstTCPPermission(&object) { $0["FromPort"] = parsed }
        }
        Self.expectError(error, at: path + ".FromPort", key: "FromPort", text: text, saying: "found \(shown)")
    }

    @Test("a TCP rule without ports, with From above To, or with an unknown protocol is an error")
    func securityGroupShapes() throws {
        var path = ""
        var (error, _) = try Self.load("describe-security-groups.json") { object in
            path = try Self.editFirstTCPPermission(&object) { $0["ToPort"] = nil }
        }
        #expect(error?.diagnostics.contains { $0.path == path && $0.message.contains("FromPort ≤ ToPort") } == true)
        (error, _) = try Self.load("describe-security-groups.json") { object in
            path = try Self.editFirstTCPPermission(&object) { $0["FromPort"] = 443; $0["ToPort"] = 80 }
        }
        #expect(error?.diagnostics.contains { $0.path == path && $0.message.contains("FromPort ≤ ToPort") } == true)
        (error, _) = try Self.load("describe-security-groups.json") { object in
            path = try Self.editFirstTCPPermission(&object) { $0["IpProtocol"] = "tcpp" }
        }
        #expect(error?.diagnostics.contains { $0.path == path + ".IpProtocol" && $0.message.contains("unknown protocol") } == true)
    }

    /// Changes entry `index` of the first network ACL.
    static func editACLEntry(_ index: Int, _ object: inout [String: Any], _ change: (inout [String: Any]) -> Void) throws {
        var acls = try #require(object["NetworkAcls"] as? [[String: Any]])
        var entries = try #require(acls[0]["Entries"] as? [[String: Any]])
        change(&entries[index])
        acls[0]["Entries"] = entries
        object["NetworkAcls"] = acls
    }

    @Test("a network ACL RuleNumber of null, 1e308, 0 or \"100\" is an error, never a removed entry", arguments: [
        ("null", "null"), ("1e308", "1e+308"), ("0", "0"), ("\"100\"", "the text"),
    ])
    func ruleNumbers(_ value: String, _ shown: String) throws {
        let parsed = try Self.json(value)
        let (error, text) = try Self.load("describe-network-acls.json") { object in
            try Self.editACLEntry(0, &object) { $0["RuleNumber"] = parsed }
        }
        Self.expectError(error, at: "NetworkAcls[0].Entries[0].RuleNumber", key: "RuleNumber", text: text, saying: "rule number from 1 to 32766")
        #expect(error?.description.contains(shown) == true, "\(String(describing: error))")
    }

    @Test("a network ACL entry's direction, action, ports and CIDR must be readable", arguments: [
        ("Egress", "true", "expected Egress"), ("RuleAction", "permit", "expected RuleAction"), ("CidrBlock", "10.0.0.0/33", "10.0.0.0/33"),
    ])
    func aclEntryFields(_ key: String, _ value: String, _ phrase: String) throws {
        let (error, text) = try Self.load("describe-network-acls.json") { object in
            try Self.editACLEntry(0, &object) { $0[key] = value }
        }
        Self.expectError(error, at: "NetworkAcls[0].Entries[0].\(key)", key: key, text: text, saying: phrase)
    }

    @Test("a TCP network ACL entry needs its PortRange; ICMP type and code stay within -1…255")
    func aclPortsAndICMP() throws {
        var (error, _) = try Self.load("describe-network-acls.json") { object in
            try Self.editACLEntry(0, &object) { $0["Protocol"] = "6"; $0["PortRange"] = nil }
        }
        #expect(error?.diagnostics.contains { $0.path.hasSuffix("Entries[0].PortRange") && $0.message.contains("needs PortRange") } == true,
                "\(String(describing: error))")
        (error, _) = try Self.load("describe-network-acls.json") { object in
            try Self.editACLEntry(0, &object) { $0["Protocol"] = "1"; $0["IcmpTypeCode"] = ["Type": 300, "Code": 0] }
        }
        #expect(error?.diagnostics.contains { $0.path.hasSuffix("Entries[0].IcmpTypeCode.Type") } == true, "\(String(describing: error))")
        (error, _) = try Self.load("describe-network-acls.json") { object in
            try Self.editACLEntry(0, &object) { $0["Protocol"] = "1"; $0["IcmpTypeCode"] = ["Type": -1, "Code": 3] }
        }
        #expect(error?.diagnostics.contains { $0.message.contains("all ICMP types (-1) need all codes") } == true, "\(String(describing: error))")
    }

    @Test("a true/false field of another type is an error, not its default")
    func flags() throws {
        let (error, text) = try Self.load("describe-network-interfaces.json") { object in
            var interfaces = try #require(object["NetworkInterfaces"] as? [[String: Any]])
            interfaces[0]["SourceDestCheck"] = "false"
            object["NetworkInterfaces"] = interfaces
        }
        Self.expectError(error, at: "NetworkInterfaces[0].SourceDestCheck", key: "SourceDestCheck", text: text, saying: "expected true or false")
    }
}
