import ScenarioFormat
import VPCTopology

/// Loads a scenario text in tests.
enum ScenarioLoaderSupport {
    static func load(_ yaml: String) throws -> Topology { try ScenarioLoader.load(yaml, file: "test.yaml").0 }
}
