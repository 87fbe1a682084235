// swift-tools-version: 6.1
//
// packet-path: a packet-path simulator for AWS VPC networks.
//
// Layering is one-way: docs/architecture.md draws the module graph (a test checks the drawing
// against this manifest). PathCore, VPCTopology and PathClassifier import neither Foundation nor C;
// only PacketSources imports libpcap.
import PackageDescription

let package = Package(
    name: "packet-path",
    products: [
        .executable(name: "packet-path", targets: ["packet-path"]),
        .library(name: "PathClassifier", targets: ["PathClassifier"]),
        // For Benchmarks/ and library users: decoding, capture reading and writing, and whole replays.
        .library(name: "PacketWire", targets: ["PacketWire"]),
        .library(name: "PacketSources", targets: ["PacketSources"]),
        .library(name: "CaptureReplay", targets: ["CaptureReplay"]),
        .library(name: "LPMComparison", targets: ["LPMComparison"]),
        // For Tests/Fuzz (libFuzzer targets, scripts/fuzz.sh): what each fuzzer runs per input.
        .library(name: "_PacketPathFuzzing", targets: ["_PacketPathFuzzing"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // Integer IP addresses, prefixes, protocol numbers and port ranges, and the LPM structures
        // the compiled route tables use (Poptrie, DIR-16-8-8).
        .target(name: "PathCore"),
        // LPM structures measured against, not used by the classifier (DIR-24-8): for `bench lpm`
        // and Benchmarks/.
        .target(name: "LPMComparison", dependencies: ["PathCore"]),
        // The VPC domain model: VPCs, subnets, route tables, endpoints, ENIs, SGs, NACLs.
        .target(name: "VPCTopology", dependencies: ["PathCore"]),
        // The packet walk: (topology, packet) -> verdict, reason and hop path.
        .target(name: "PathClassifier", dependencies: ["PathCore", "VPCTopology"]),
        // Reachability questions (`reach`): address and port classes, every party walked once per class.
        .target(name: "Reachability", dependencies: ["PathCore", "VPCTopology", "PathClassifier"]),
        // The human-written YAML scenario and flow formats, with collected diagnostics.
        .target(
            name: "ScenarioFormat",
            dependencies: ["PathCore", "VPCTopology", "PathClassifier", .product(name: "Yams", package: "Yams")]
        ),
        // zlib, as a system library: only Decompression imports it.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // zstd and xz, as system libraries: only Decompression imports them.
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CLzma", pkgConfig: "liblzma", providers: [.apt(["liblzma-dev"])]),
        // Compressed inputs, streamed: gzip through zlib, zstd through libzstd, xz through liblzma
        // (Gzip.swift, Zstd.swift and Xz.swift the only files calling them).
        .target(name: "Decompression", dependencies: ["CZlib", "CZstd", "CLzma"]),
        // VPC Flow Logs: the record formats of versions 2 to 8, parsed into typed records.
        .target(name: "FlowLogs", dependencies: ["JSONParsing", "PathCore"]),
        // A strict pure-Swift JSON parser: malformed input is reported by line and column.
        .target(name: "JSONParsing"),
        // `aws ec2 describe-*` snapshot folders and ip-ranges.json.
        .target(name: "EC2Snapshot", dependencies: ["JSONParsing", "PathCore", "VPCTopology"]),
        // Temporary output files removed on exit and on SIGINT/SIGTERM/SIGHUP: a signal handler is C.
        .target(name: "COutputCleanup"),
        // Output files that cannot destroy anything: atomic replace, write-through for devices and
        // pipes, every write checked (docs/cli.md, "Output files").
        .target(name: "OutputFiles", dependencies: ["COutputCleanup"]),
        // libpcap, as a system library: only PacketSources imports it.
        .systemLibrary(name: "CPcap", pkgConfig: "libpcap", providers: [.apt(["libpcap-dev"])]),
        // Wire formats: link, IP, transport and VXLAN headers, bounds-checked (no Foundation, no C).
        .target(name: "PacketWire", dependencies: ["PathCore"]),
        // Captures: reading pcap/pcapng through libpcap (LibpcapCalls.swift), writing pcap and pcapng.
        .target(name: "PacketSources", dependencies: ["CPcap", "PacketWire", "OutputFiles", "Decompression"]),
        // Replay: frames decoded and classified in order with connection state (flow tables,
        // the capture classifier), counted into a summary and handed to sinks as records.
        .target(
            name: "CaptureReplay",
            dependencies: ["PacketSources", "PacketWire", "FlowLogs", "PathClassifier", "PathCore", "VPCTopology"]
        ),
        // Text, JSONL and CSV renderings of records and summaries.
        .target(
            name: "TrafficAnalysis", dependencies: ["CaptureReplay", "FlowLogs", "JSONParsing", "PathClassifier", "PathCore", "VPCTopology"]
        ),
        .target(
            name: "PathReporters", dependencies: ["PathCore", "VPCTopology", "PathClassifier", "CaptureReplay", "JSONParsing", "TrafficAnalysis", "Reachability"]
        ),
        .executableTarget(
            name: "packet-path",
            dependencies: [
                "PathCore", "VPCTopology", "ScenarioFormat", "EC2Snapshot", "PathClassifier", "PathReporters",
                "PacketWire", "PacketSources", "CaptureReplay", "OutputFiles", "LPMComparison", "FlowLogs", "Decompression", "TrafficAnalysis",
                "JSONParsing", "Reachability",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Shared by the test targets: where the shared corpus is, and its label files.
        .target(name: "_PacketPathTestSupport", dependencies: ["PathCore"], path: "Tests/_PacketPathTestSupport"),
        // The fuzz harnesses: run by the libFuzzer targets of Tests/Fuzz and by FuzzRegressionTests.
        .target(
            name: "_PacketPathFuzzing",
            dependencies: [
                "CaptureReplay", "EC2Snapshot", "FlowLogs", "Decompression", "ScenarioFormat", "PacketSources", "PacketWire", "PathClassifier",
                "PathCore", "TrafficAnalysis", "VPCTopology",
            ],
            path: "Tests/_PacketPathFuzzing"
        ),
        .testTarget(name: "PathCoreTests", dependencies: ["PathCore", "_PacketPathTestSupport"]),
        .testTarget(name: "DecompressionTests", dependencies: ["Decompression"]),
        .testTarget(name: "JSONParsingTests", dependencies: ["JSONParsing"]),
        .testTarget(
            name: "FlowLogsTests", dependencies: ["FlowLogs", "Decompression", "PathCore", "_PacketPathTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "LPMComparisonTests", dependencies: ["LPMComparison", "PathCore", "_PacketPathTestSupport"]),
        .testTarget(name: "VPCTopologyTests", dependencies: ["VPCTopology", "PathCore"]),
        .testTarget(name: "PacketWireTests", dependencies: ["PacketWire", "PathCore"]),
        .testTarget(name: "PacketSourcesTests", dependencies: ["PacketSources", "PacketWire", "PathCore", "_PacketPathTestSupport"]),
        .testTarget(name: "OutputFilesTests", dependencies: ["OutputFiles"]),
        .testTarget(
            name: "ScenarioFormatTests",
            dependencies: ["ScenarioFormat", "PathClassifier", "VPCTopology", "PathCore"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "PathClassifierTests",
            // CaptureReplay for the rules judged on a packet sequence (stateful groups, fragments).
            dependencies: ["PathClassifier", "CaptureReplay", "ScenarioFormat", "VPCTopology", "PathCore", "_PacketPathTestSupport"]
        ),
        .testTarget(
            name: "PathReportersTests",
            dependencies: ["PathReporters", "CaptureReplay", "PathClassifier", "ScenarioFormat", "VPCTopology", "PathCore"]
        ),
        .testTarget(
            name: "EC2SnapshotTests",
            dependencies: ["EC2Snapshot", "PathClassifier", "ScenarioFormat", "VPCTopology", "PathCore", "_PacketPathTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "CaptureReplayTests",
            dependencies: [
                "CaptureReplay", "PacketSources", "PacketWire", "EC2Snapshot", "PathClassifier", "PathReporters", "VPCTopology",
                "FlowLogs", "Decompression",
                "PathCore", "ScenarioFormat", "_PacketPathTestSupport",
                "CPcap",  // the mutation test counts frames with libpcap directly, as an oracle independent of PacketSources
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "ReachabilityTests", dependencies: ["Reachability", "PathClassifier", "ScenarioFormat", "VPCTopology", "PathCore", "_PacketPathTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "TrafficAnalysisTests", dependencies: ["TrafficAnalysis", "CaptureReplay", "PathClassifier", "VPCTopology", "PathCore"]
        ),
        .testTarget(name: "PacketPathCLITests", dependencies: ["packet-path", "_PacketPathTestSupport"]),
        // Every committed fuzz seed and regression, through its harness, without the fuzzer.
        .testTarget(name: "FuzzRegressionTests", dependencies: ["_PacketPathFuzzing", "_PacketPathTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
