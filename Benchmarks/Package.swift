// swift-tools-version: 6.1
//
// packet-path's benchmark suites (ordo-one/package-benchmark), kept out of the main package so that
// building and testing packet-path never needs the benchmark dependencies.
//
//   cd Benchmarks && swift package benchmark
//
// The side-by-side comparison with DPDK, C and libpcap peers is Benchmarks/compare/run.sh.
import PackageDescription

let package = Package(
    name: "packet-path-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "packet-path", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "PathBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "PathClassifier", package: "packet-path"),
                .product(name: "PacketWire", package: "packet-path"),
                .product(name: "PacketSources", package: "packet-path"),
                .product(name: "CaptureReplay", package: "packet-path"),
                .product(name: "LPMComparison", package: "packet-path"),
            ],
            path: "Benchmarks/PathBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    ]
)
