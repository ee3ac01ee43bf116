import Testing
import TURNRedis

struct RedisConnectionStringTests {
    @Test func parsesCoturnsDocumentedExample() throws {
        let configuration = try RedisConnectionConfiguration(
            coturnConnectionString: "ip=127.0.0.1 dbname=0 port=6379 password=secret connect_timeout=30")
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 6379)
        #expect(configuration.database == 0)
        #expect(configuration.password?.value == "secret")
        #expect(configuration.connectTimeout == .seconds(30))
    }

    @Test(arguments: [
        "host=redis.internal port=7000 db=2",
        "\"host=redis.internal port=7000 db=2\"",
        "'addr=redis.internal p=7000 database=2'",
        "  hostaddr=redis.internal   port=7000\tdbname=2 user=turn ",
        "ipaddr=\"redis.internal\" port='7000' dbname=2",
    ])
    func acceptsAliasesAndQuotes(string: String) throws {
        let configuration = try RedisConnectionConfiguration(coturnConnectionString: string)
        #expect(configuration.host == "redis.internal")
        #expect(configuration.port == 7000)
        #expect(configuration.database == 2)
        #expect(configuration.password == nil)
    }

    @Test func defaultsMatchCoturn() throws {
        let configuration = try RedisConnectionConfiguration(coturnConnectionString: "")
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 6379)
        #expect(configuration.database == 0)
    }

    @Test func quotedPasswordMayHoldSpaces() throws {
        let configuration = try RedisConnectionConfiguration(coturnConnectionString: "pwd=\"two words\" timeout=0")
        #expect(configuration.password?.value == "two words")
        #expect(configuration.connectTimeout == RedisConnectionConfiguration().connectTimeout)
    }

    @Test(arguments: [
        ("ip=1.2.3.4 colour=blue", "unknown key 'colour'"),
        ("ip=1.2.3.4 password", "word 2 is not key=value"),
        ("port=0", "port must be an integer"),
        ("port=70000", "port must be an integer"),
        ("port=abc", "port must be an integer"),
        ("dbname=-1", "dbname must be an integer"),
        ("connect_timeout=soon", "connect_timeout must be an integer"),
        ("host=", "host is empty"),
        ("password=\"open", "unterminated quote"),
    ])
    func reportsErrorsClearly(string: String, expected: String) {
        let error = #expect(throws: RedisError.invalidConnectionString) {
            try RedisConnectionConfiguration(coturnConnectionString: string)
        }
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "no error")")
    }

    @Test func neverPrintsThePassword() throws {
        let configuration = try RedisConnectionConfiguration(coturnConnectionString: "ip=10.0.0.1 password=hunter2")
        #expect(!configuration.description.contains("hunter2"))
        #expect(configuration.description.contains("password=<redacted>"))
        #expect(!"\(configuration.password as Any)".contains("hunter2"))
        let error = #expect(throws: RedisError.self) {
            try RedisConnectionConfiguration(coturnConnectionString: "hunter2 ip=10.0.0.1")
        }
        #expect(error?.description.contains("hunter2") == false)
    }
}
