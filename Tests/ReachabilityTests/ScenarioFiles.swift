import Foundation
import PathCore
import Reachability
import ScenarioFormat
import VPCTopology
import _PacketPathTestSupport

/// The bundled scenarios (Scenarios/, the labs' exercises and solutions included) and this
/// target's fixture, whose rules name small internet ranges.
enum ScenarioFiles {
    static var all: [String] {
        let root = Corpus.packageRoot.appendingPathComponent("Scenarios").path
        let found = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
        return found.filter { path in
            path.hasSuffix(".yaml") && !path.hasSuffix("flows.yaml") && !path.hasSuffix("check.yaml") && !path.contains("expect")
        }.sorted().map { root + "/" + $0 } + [Corpus.packageRoot.appendingPathComponent("Tests/ReachabilityTests/Fixtures/edge.yaml").path]
    }

    /// Addresses at the edges of every CIDR block and address written in the file (first, last,
    /// and one either side), read from its text independently of the code under test: where a
    /// class boundary the code forgot would show.
    static func edgeAddresses(_ path: String) throws -> [IPAddress] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let words = text.split { !($0.isHexDigit || $0 == "." || $0 == ":" || $0 == "/") }
        var found: [IPAddress] = []
        for word in words {
            if let prefix = try? IPPrefix.parse(word).get() {
                let range = AddressRange(prefix)
                let top: UInt128 = range.family == .ipv4 ? UInt128(UInt32.max) : .max
                var values = [range.first, range.last]
                if range.first > 0 { values.append(range.first - 1) }
                if range.last < top { values.append(range.last + 1) }
                found += values.map(range.address)
            } else if let address = IPAddress(String(word)) {
                found.append(address)
            }
        }
        return found
    }

    static func load(_ path: String) throws -> Topology {
        try ScenarioLoader.load(String(contentsOfFile: path, encoding: .utf8), file: path).0
    }
}
