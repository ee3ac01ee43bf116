import Foundation

/// The fuzz targets of this executable, by the name `TURNGATE_FUZZ_TARGET` (under libFuzzer) or
/// the first argument (replaying files) gives.
enum FuzzTarget: String, CaseIterable {
    case authenticated
    case stream
    case config
    case gateway
    case signal

    func run(_ bytes: [UInt8]) {
        switch self {
        case .authenticated: AuthenticatedProcessorTarget.run(bytes)
        case .stream: StreamDecoderTarget.run(bytes)
        case .config: ConfigTarget.run(bytes)
        case .gateway: GatewayTarget.run(bytes)
        case .signal: SignalTarget.run(bytes)
        }
    }

    static let names = Self.allCases.map(\.rawValue).joined(separator: ", ")
}

#if FUZZING
/// libFuzzer's driver (compiler-rt `FuzzerDriver.cpp`): reads the libFuzzer flags from the
/// command line and runs the fuzzing loop, calling `callback` for each input.
@_extern(c, "LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// The target libFuzzer runs, read once from the environment (the callback captures nothing).
let selectedTarget: FuzzTarget = {
    guard let name = ProcessInfo.processInfo.environment["TURNGATE_FUZZ_TARGET"], let target = FuzzTarget(rawValue: name) else {
        FileHandle.standardError.write(Data("set TURNGATE_FUZZ_TARGET to one of: \(FuzzTarget.names)\n".utf8))
        exit(2)
    }
    return target
}()

/// The entry point under libFuzzer; see `Fuzz/STUNWireFuzz/FuzzEntry.swift` for why it
/// starts libFuzzer's driver itself.
@main
struct FuzzMain {
    static func main() {
        _ = selectedTarget
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            selectedTarget.run(Array(UnsafeBufferPointer(start: data, count: size)))
            return 0
        }
        exit(status)
    }
}
#else
/// Without the fuzzer: `turngate-fuzz <target> <file>...` replays saved inputs.
@main
struct ReplayCorpus {
    static func main() throws {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
            print("usage: turngate-fuzz <\(FuzzTarget.allCases.map(\.rawValue).joined(separator: "|"))> <file>...")
            exit(2)
        }
        for path in arguments.dropFirst() {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            target.run(bytes)
            print("ok \(name) \(path) (\(bytes.count) bytes)")
        }
    }
}
#endif
