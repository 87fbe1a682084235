#if canImport(Glibc)
import Glibc
#endif
import _PacketPathFuzzing

// libFuzzer's driver, run from this executable's own main (SwiftPM names every executable's
// entry point itself, so libFuzzer's main cannot be used): each input goes to
// `FuzzHarness.flowFile`. The fuzzer sanitizer links libFuzzer in (scripts/fuzz.sh).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
    FuzzHarness.flowFile(UnsafeRawBufferPointer(start: data, count: size))
    return 0
})
