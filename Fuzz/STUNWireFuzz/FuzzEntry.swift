import Foundation
import STUNWire

/// Feeds one input to every STUNWire entry point that reads untrusted bytes (the processor gets
/// the same input in ``exerciseProcessor(_:)``).
///
/// Any trap here is a remote crash of the server: libFuzzer reports it with the input.
func exerciseParsers(_ bytes: [UInt8]) {
    if let message = try? STUNMessage(parsing: bytes) {
        _ = message.hasValidFingerprint
        _ = message.hasValidMessageIntegrity(key: Array("key".utf8))
        _ = message.hasValidMessageIntegritySHA256(key: Array("key".utf8))
        _ = try? message.attribute(XORMappedAddress.self)
        _ = try? message.attribute(MappedAddress.self)
        _ = try? message.attributes(XORPeerAddress.self)
        _ = try? message.attribute(ErrorCodeAttribute.self)
        _ = try? message.attribute(AddressErrorCode.self)
        _ = try? message.attribute(UnknownAttributes.self)
        _ = try? message.attribute(PasswordAlgorithms.self)
        _ = try? message.attribute(PasswordAlgorithm.self)
        _ = try? message.attribute(Username.self)
        _ = try? message.attribute(Realm.self)
        _ = try? message.attribute(Nonce.self)
        _ = try? message.attribute(Lifetime.self)
        _ = try? message.attribute(ChannelNumber.self)
        _ = try? message.attribute(ICMPAttribute.self)
        _ = try? message.attribute(EvenPort.self)
        _ = try? message.attribute(RequestedTransport.self)
        _ = try? message.attribute(RequestedAddressFamily.self)
        _ = message.serialize()
        _ = message.serialize(integrity: (Array("key".utf8), .sha256), fingerprint: true)
    }
    _ = try? SendIndicationView(parsing: bytes.span)
    _ = try? ChannelDataHeader.parseDatagram(bytes.span)
    _ = try? STUNStreamFraming.frame(at: bytes.span)
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

/// The entry point under libFuzzer.
///
/// SwiftPM links an executable with `main` aliased to the module's own entry point
/// (`stunwire_fuzz_main`, so that tests can link executables), which leaves libFuzzer's `main`
/// unused: this entry point starts libFuzzer's driver itself. Build with
/// `-Xswiftc -enable-experimental-feature -Xswiftc Extern` for `@_extern`; `scripts/fuzz.sh` does.
@main
struct FuzzMain {
    static func main() {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            let bytes = Array(UnsafeBufferPointer(start: data, count: size))
            exerciseParsers(bytes)
            exerciseProcessor(bytes)
            return 0
        }
        exit(status)
    }
}
#else
/// Without the fuzzer: replays the files named on the command line (a saved crash or corpus).
@main
struct ReplayCorpus {
    static func main() throws {
        for path in CommandLine.arguments.dropFirst() {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            exerciseParsers(bytes)
            exerciseProcessor(bytes)
            print("ok \(path) (\(bytes.count) bytes)")
        }
    }
}
#endif
