import ArgumentParser
import PathClassifier
import ScenarioFormat
import VPCTopology

/// `--topology FILE`, shared by every command that needs a network.
struct TopologyOptions: ParsableArguments {
    /// The YAML scenario describing the network.
    @Option(name: .long, help: ArgumentHelp("The network: a YAML scenario file (docs/scenario-format.md).", valueName: "file"))
    var topology: String

    /// Loads the scenario, printing warnings; exits 65 with every diagnostic on errors.
    func load() throws -> Topology {
        try loadTopology(topology)
    }
}

/// Loads a scenario file, printing warnings; exits 65 with every diagnostic on errors.
func loadTopology(_ path: String) throws -> Topology {
    let text = try readText(path)
    do {
        let (topology, warnings) = try ScenarioLoader.load(text, file: path)
        report(warnings)
        return topology
    } catch {
        report(error.diagnostics)
        throw ExitStatus.badInput
    }
}

/// Loads a flow file; exits 65 with every diagnostic on errors.
func loadFlows(_ path: String) throws -> [FlowRequest] {
    let text = try readText(path)
    do {
        return try FlowFileLoader.load(text, file: path)
    } catch {
        report(error.diagnostics)
        throw ExitStatus.badInput
    }
}

/// Resolves every flow of a file against a topology, or exits 65 naming each flow that fails.
func resolveFlows(_ flows: [FlowRequest], file: String, topology: Topology) throws -> [ResolvedFlow] {
    let resolver = NameResolver(topology: topology)
    var resolved: [ResolvedFlow] = []
    var failures = 0
    for (index, flow) in flows.enumerated() {
        do {
            resolved.append(try resolver.resolve(flow, ordinal: index))
        } catch {
            failures += 1
            printError("\(file): error: flows[\(index)]\(flow.name.map { " (\($0))" } ?? ""): \(error)")
        }
    }
    if failures > 0 { throw ExitStatus.badInput }
    return resolved
}
