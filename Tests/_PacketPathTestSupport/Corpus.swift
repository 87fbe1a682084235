import Foundation

/// The shared corpus (`../shared/corpus` beside the package), present in CI and absent on a
/// user's fresh clone; whole-corpus tests run only when it is there and say so when skipped.
public enum Corpus {
    /// The package root, found from this file's path.
    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    public static let root = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus")

    public static var isPresent: Bool { FileManager.default.fileExists(atPath: root.appendingPathComponent("snapshots").path) }

    /// Prints why a corpus test did nothing, so a skip is never silent.
    public static func skipNote(_ test: String) -> Bool {
        guard isPresent else {
            print("note: \(test) skipped: \(root.path) does not exist (it does in CI)")
            return true
        }
        return false
    }

    public static func folders(_ name: String) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: root.appendingPathComponent(name), includingPropertiesForKeys: nil)
            .filter { $0.hasDirectoryPath }.sorted { $0.path < $1.path }
    }

    /// One labelled flow of a capture's `.flows.json`.
    public struct LabelledFlow: Decodable, Sendable {
        /// 1-based frame numbers of the flow in its capture.
        public var frames: [Int]?
        public var src: String
        public var dst: String
        public var proto: String
        public var sport: Int?
        public var dport: Int?
        public var icmp_type: Int?
        public var expected: String
        public var expected_detail: String
        public var ambiguous: Bool?
        public var acceptable: [String]?
    }

    /// The verdicts a flow may get, in packet-path's names (the corpus says `igw` for `internet`):
    /// its label, or every acceptable one when the label is ambiguous.
    public static func acceptedVerdictNames(_ flow: LabelledFlow) -> [String] {
        let labels = flow.ambiguous == true ? flow.acceptable ?? [flow.expected] : [flow.expected]
        return labels.map { $0 == "igw" ? "internet" : $0 }
    }

    public struct FlowsFile: Decodable, Sendable {
        /// Frames that never leave the link (ARP, NDP), listed by the real captures.
        public var non_routed_frames: NonRouted?
        public struct NonRouted: Decodable, Sendable { public var frames: [Int] }
        public var capture: String
        public var scenario: String
        public var flows: [LabelledFlow]
    }

    public static func flowFiles(in subfolder: String = "pcaps/scenarios") throws -> [FlowsFile] {
        let folder = root.appendingPathComponent(subfolder)
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".flows.json") }.sorted()
            .map { try JSONDecoder().decode(FlowsFile.self, from: Data(contentsOf: folder.appendingPathComponent($0))) }
    }

    /// Every labelled capture below `subfolder`, with its labels. The capture is named after the
    /// labels file (`X.flows.json` labels `X`, or `X.pcap` for the scenario captures), not after its
    /// `capture` key, which one formats file gets wrong.
    public static func labelledCaptures(in subfolder: String) throws -> [(capture: URL, labels: FlowsFile)] {
        let folder = root.appendingPathComponent(subfolder)
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".flows.json") }.sorted().map { name in
            let base = String(name.dropLast(".flows.json".count))
            var capture = folder.appendingPathComponent(base)
            if !FileManager.default.fileExists(atPath: capture.path) { capture = folder.appendingPathComponent(base + ".pcap") }
            return (capture, try JSONDecoder().decode(FlowsFile.self, from: Data(contentsOf: folder.appendingPathComponent(name))))
        }
    }
}
