#if canImport(Glibc)
import Glibc
#endif
import _PacketPathFuzzing

// `packet-path-fuzzer HARNESS [libFuzzer options] [corpus…]`: libFuzzer's driver, run from this
// executable's own main (SwiftPM names every executable's entry point itself, so libFuzzer's main
// cannot be used), feeding each input to one harness of `FuzzHarness`. Built with Swift's fuzzer
// sanitizer, which links libFuzzer in (scripts/fuzz.sh).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// The harness named on the command line; a C callback cannot capture it, so it is a global.
nonisolated(unsafe) var harness: (UnsafeRawBufferPointer) -> Void = { _ in }

let harnesses: [String: (UnsafeRawBufferPointer) -> Void] = [
    "FrameDecoder": FuzzHarness.frameDecoder, "Capture": FuzzHarness.capture, "Snapshot": FuzzHarness.snapshot,
    "Scenario": FuzzHarness.scenario, "FlowFile": FuzzHarness.flowFile, "FlowLog": FuzzHarness.flowLog, "Summary": FuzzHarness.summary,
]
guard CommandLine.arguments.count > 1, let chosen = harnesses[CommandLine.arguments[1]] else {
    let usage = "usage: packet-path-fuzzer \(harnesses.keys.sorted().joined(separator: "|")) [libFuzzer options] [corpus…]\n"
    _ = usage.withCString { write(2, $0, strlen($0)) }
    exit(64)
}
harness = chosen
// libFuzzer sees the program name and what follows the harness's name.
var argv = CommandLine.unsafeArgv
argv[1] = argv[0]
var argc = CommandLine.argc - 1
var shifted = argv + 1
exit(LLVMFuzzerRunDriver(&argc, &shifted) { data, size in
    harness(UnsafeRawBufferPointer(start: data, count: size))
    return 0
})
