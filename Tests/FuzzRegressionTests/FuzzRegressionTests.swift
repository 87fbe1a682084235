import Foundation
import Testing
import _PacketPathFuzzing
import _PacketPathTestSupport

/// Every committed fuzz seed and every input a fuzzer once failed on (`Tests/Fuzz/Seeds`,
/// `Tests/Fuzz/Regressions`), run through its harness without the fuzzer: a regression traps
/// here in the ordinary test run, in CI and on a fresh clone.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static let harnesses: [(name: String, run: @Sendable (UnsafeRawBufferPointer) -> Void)] = [
        ("FrameDecoder", FuzzHarness.frameDecoder), ("Capture", FuzzHarness.capture), ("Snapshot", FuzzHarness.snapshot),
        ("Scenario", FuzzHarness.scenario), ("FlowFile", FuzzHarness.flowFile), ("FlowLog", FuzzHarness.flowLog), ("Summary", FuzzHarness.summary),
    ]

    /// The committed inputs of one harness.
    static func inputs(_ harness: String) throws -> [URL] {
        let fuzz = Corpus.packageRoot.appendingPathComponent("Tests/Fuzz")
        return try ["Seeds", "Regressions"].flatMap { kind in
            try FileManager.default.contentsOfDirectory(at: fuzz.appendingPathComponent("\(kind)/\(harness)"), includingPropertiesForKeys: nil)
                .filter { !$0.lastPathComponent.hasPrefix(".") }
        }
    }

    @Test("every seed and regression runs through its harness", arguments: harnesses.map(\.name))
    func harness(_ name: String) throws {
        let run = try #require(Self.harnesses.first { $0.name == name }).run
        let files = try Self.inputs(name)
        #expect(!files.isEmpty, "\(name) has committed seeds")
        for file in files {
            let bytes = [UInt8](try Data(contentsOf: file))
            bytes.withUnsafeBytes { run($0) }
        }
    }
}
