import Foundation
import JSONParsing
import PathCore
import VPCTopology

/// AWS's published `ip-ranges.json` (R14.1): `prefixes` (`ip_prefix`) and `ipv6_prefixes`
/// (`ipv6_prefix`), each with `region`, `service` and `network_border_group`.
package enum IPRanges {
    /// Reads the file; malformed JSON is an error with line and column, odd entries are warnings.
    package static func load(_ path: String) throws(SnapshotError) -> ([ServiceRange], [Diagnostic]) {
        guard let bytes = readFileBytes(path) else {
            throw SnapshotError(diagnostics: [Diagnostic(severity: .error, file: path, line: nil, column: nil, path: "", message: "cannot read the file")])
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw SnapshotError(diagnostics: [
                Diagnostic(severity: .error, file: path, line: error.line, column: error.column, path: "", message: "malformed JSON: \(error.message)")
            ])
        }
        guard value["prefixes"] != nil || value["ipv6_prefixes"] != nil else {
            throw SnapshotError(diagnostics: [
                Diagnostic(severity: .error, file: path, line: 1, column: 1, path: "", message: "not an ip-ranges.json document: no 'prefixes' or 'ipv6_prefixes'")
            ])
        }
        var ranges: [ServiceRange] = []
        var warnings: [Diagnostic] = []
        for (key, field) in [("prefixes", "ip_prefix"), ("ipv6_prefixes", "ipv6_prefix")] {
            for (i, item) in (value[key]?.items ?? []).enumerated() {
                guard let text = item[field]?.string, let prefix = IPPrefix(text), let service = item["service"]?.string else {
                    warnings.append(Diagnostic(severity: .warning, file: path, line: nil, column: nil, path: "\(key)[\(i)]", message: "entry without a valid \(field) and service; ignored"))
                    continue
                }
                ranges.append(ServiceRange(prefix: prefix, service: service, region: item["region"]?.string ?? "GLOBAL"))
            }
        }
        return (ranges, warnings)
    }
}
