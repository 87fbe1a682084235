// swift-tools-version: 6.1
//
// packet-path's libFuzzer targets, kept out of the main package: they link only when built with
// Swift's fuzzer sanitizer (scripts/fuzz.sh), which provides `main`.
//
//   swift build --package-path Tests/Fuzz -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
//
// Each target feeds its input to one harness of `_PacketPathFuzzing` (Tests/_PacketPathFuzzing).
import PackageDescription

let harnesses = ["FrameDecoder", "Capture", "Snapshot", "Scenario", "FlowFile"]

let package = Package(
    name: "packet-path-fuzz",
    dependencies: [.package(name: "packet-path", path: "../..")],
    targets: harnesses.map { name in
        .executableTarget(
            name: "Fuzz\(name)",
            dependencies: [.product(name: "_PacketPathFuzzing", package: "packet-path")],
            path: "Targets/Fuzz\(name)"
        )
    }
)
