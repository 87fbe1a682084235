import Foundation
import Testing

/// The shared corpus (`../shared/corpus` beside the package), present in CI and absent on a
/// user's fresh clone; whole-corpus tests run only when it is there and say so when skipped.
enum Corpus {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/corpus")

    static var isPresent: Bool { FileManager.default.fileExists(atPath: root.appendingPathComponent("snapshots").path) }

    /// Prints why a corpus test did nothing, so a skip is never silent.
    static func skipNote(_ test: String) -> Bool {
        guard isPresent else {
            print("note: \(test) skipped: \(root.path) does not exist (it does in CI)")
            return true
        }
        return false
    }

    static func folders(_ name: String) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: root.appendingPathComponent(name), includingPropertiesForKeys: nil)
            .filter { $0.hasDirectoryPath }.sorted { $0.path < $1.path }
    }

    /// One labelled flow of a capture's `.flows.json`.
    struct LabelledFlow: Decodable {
        var src: String
        var dst: String
        var proto: String
        var sport: Int?
        var dport: Int?
        var icmp_type: Int?
        var expected: String
        var expected_detail: String
        var ambiguous: Bool?
        var acceptable: [String]?
    }

    struct FlowsFile: Decodable {
        var capture: String
        var scenario: String
        var flows: [LabelledFlow]
    }

    static func flowFiles() throws -> [FlowsFile] {
        let folder = root.appendingPathComponent("pcaps/scenarios")
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".flows.json") }.sorted()
            .map { try JSONDecoder().decode(FlowsFile.self, from: Data(contentsOf: folder.appendingPathComponent($0))) }
    }
}
