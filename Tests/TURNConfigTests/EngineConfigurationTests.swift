import Testing

@testable import TURNConfig

struct EngineConfigurationTests {
    @Test
    func defaultsAreOneEnginePerCoreChosenAutomaticallyWithoutABatchWait() {
        let configuration = TURNServerConfiguration()
        #expect(configuration.relayThreads == 0)
        #expect(configuration.relayEngine == .auto)
        #expect(configuration.relayBatchWait == 0)
        #expect(configuration.sockBufSize == 2 << 20)
    }

    @Test
    func readsEveryEngineOption() {
        let (configuration, diagnostics) = loadOptions(
            "relay-threads=3\nrelay-engine=epoll\nrelay-batch-wait=50\nsock-buf-size=65536", strict: true)
        #expect(diagnostics.isEmpty)
        #expect(configuration.relayThreads == 3)
        #expect(configuration.relayEngine == .epoll)
        #expect(configuration.relayBatchWait == 50)
        #expect(configuration.sockBufSize == 65536)
        let (uring, _) = loadOptions("relay-engine=io-uring", strict: true)
        #expect(uring.relayEngine == .ioUring)
    }

    @Test(arguments: [
        ("relay-engine=kqueue", "relay-engine"), ("relay-threads=-1", "relay-threads"), ("relay-threads=many", "relay-threads"),
        ("relay-batch-wait=20000", "relay-batch-wait"), ("sock-buf-size=big", "sock-buf-size"),
    ])
    func refusesABadValueWithItsLine(line: String, key: String) {
        let (configuration, diagnostics) = loadOptions("realm=x\n\(line)")
        #expect(diagnostics.map(\.line) == [2])
        #expect(diagnostics.first?.severity == .error)
        #expect(diagnostics.first?.message.contains(key) == true)
        #expect(configuration.relayEngine == .auto)
        #expect(configuration.relayThreads == 0)
    }
}
