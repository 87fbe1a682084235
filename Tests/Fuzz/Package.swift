// swift-tools-version: 6.1
//
// packet-path's libFuzzer executable, kept out of the main package: it links only when built with
// Swift's fuzzer sanitizer (scripts/fuzz.sh), which brings libFuzzer.
//
//   swift build --package-path Tests/Fuzz -c release -Xswiftc -sanitize=fuzzer,address …
//   packet-path-fuzzer Capture -max_total_time=60 CORPUS
//
// Its first argument names the harness of `_PacketPathFuzzing` (Tests/_PacketPathFuzzing) that
// each input is fed to.
import PackageDescription

let package = Package(
    name: "packet-path-fuzz",
    dependencies: [.package(name: "packet-path", path: "../..")],
    targets: [
        .executableTarget(
            name: "packet-path-fuzzer",
            dependencies: [.product(name: "_PacketPathFuzzing", package: "packet-path")],
            path: "Fuzzer"
        )
    ]
)
