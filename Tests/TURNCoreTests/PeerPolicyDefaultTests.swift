import IPAddressing
import STUNWire
import Testing
import TURNCore

struct PeerPolicyDefaultTests {
    typealias Category = PeerAddressPolicy.Category

    static let denied: [(String, Category)] = [
        ("0.0.0.0", .unspecified),
        ("0.1.2.3", .unspecified),
        ("::", .unspecified),
        ("::ffff:0.0.0.0", .unspecified),
        ("127.0.0.1", .loopback),
        ("127.255.255.254", .loopback),
        ("::1", .loopback),
        ("::ffff:127.0.0.1", .loopback),
        ("::127.0.0.1", .loopback),
        ("64:ff9b::7f00:1", .loopback),
        ("2002:7f00:1::1", .loopback),
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", .loopback),
        ("10.0.0.1", .private),
        ("10.255.255.255", .private),
        ("172.16.0.1", .private),
        ("172.31.255.255", .private),
        ("192.168.1.1", .private),
        ("::ffff:10.0.0.1", .private),
        ("::ffff:192.168.0.1", .private),
        ("::10.0.0.1", .private),
        ("64:ff9b::a00:1", .private),
        ("2002:a00:1::1", .private),
        ("100.64.0.1", .carrierGradeNAT),
        ("100.127.255.255", .carrierGradeNAT),
        ("::ffff:100.64.0.1", .carrierGradeNAT),
        ("169.254.169.254", .linkLocal),
        ("169.254.0.1", .linkLocal),
        ("::ffff:169.254.169.254", .linkLocal),
        ("64:ff9b::a9fe:a9fe", .linkLocal),
        ("fe80::1", .linkLocal),
        ("febf:ffff::1", .linkLocal),
        ("fec0::1", .siteLocal),
        ("fc00::1", .uniqueLocal),
        ("fd12:3456:789a::1", .uniqueLocal),
        ("224.0.0.1", .multicast),
        ("239.255.255.250", .multicast),
        ("::ffff:224.0.0.251", .multicast),
        ("ff02::1", .multicast),
        ("ff05::1:3", .multicast),
        ("240.0.0.1", .reserved),
        ("255.255.255.255", .reserved),
        ("::8.8.8.8", .reserved),
        ("::ffff:0:808:808", .reserved),
        ("64:ff9b:1::808:808", .reserved),
        ("5f00::1", .reserved),
        ("4000::1", .reserved),
        ("1::1", .reserved),
        ("192.0.0.1", .ietfProtocolAssignments),
        ("192.0.0.170", .ietfProtocolAssignments),
        ("2001:1::1", .ietfProtocolAssignments),
        ("2001:10::1", .ietfProtocolAssignments),
        ("2001:1ff:ffff::1", .ietfProtocolAssignments),
        ("192.0.2.1", .documentation),
        ("198.51.100.7", .documentation),
        ("203.0.113.9", .documentation),
        ("2001:db8::1", .documentation),
        ("3fff::1", .documentation),
        ("198.18.0.1", .benchmarking),
        ("198.19.255.255", .benchmarking),
        ("2001:2::1", .benchmarking),
        ("100::1", .discard),
        ("2001:0:4136:e378:8000:63bf:f7f7:f7f7", .teredo),
        ("2002:808:808::1", .sixToFour),
        ("192.88.99.1", .sixToFour),
    ]

    @Test(arguments: denied)
    func deniesEveryBuiltInCategory(text: String, category: Category) throws {
        let policy = PeerAddressPolicy()
        let address = try IPAddress(parsing: text)
        #expect(policy.decision(address) == .deniedBuiltIn(category))
        #expect(!policy.permits(address))
    }

    @Test func hasAnExampleForEveryCategory() {
        let covered = Set(Self.denied.map(\.1))
        #expect(covered == Set(Category.allCases))
    }

    static let allowed = [
        "8.8.8.8", "1.1.1.1", "9.9.9.9", "11.0.0.0", "100.63.255.255", "100.128.0.0", "126.255.255.255",
        "128.0.0.0", "169.253.255.255", "172.15.255.255", "172.32.0.0", "192.0.1.255", "192.0.3.0",
        "192.167.255.255", "192.169.0.0", "198.17.255.255", "198.20.0.0", "223.255.255.255",
        "2606:4700::1111", "2001:4860:4860::8888", "2400:cb00::1", "2001:200::1", "2003::1",
        "3ffe:ffff::1", "3fff:1000::1", "::ffff:8.8.8.8", "64:ff9b::808:808", "64:ff9b::1.1.1.1",
    ]

    @Test(arguments: allowed)
    func allowsPublicAddresses(text: String) throws {
        let policy = PeerAddressPolicy()
        let address = try IPAddress(parsing: text)
        #expect(policy.decision(address) == .allowed)
        #expect(policy.permits(address))
    }

    @Test func labelsAreBoundedAndDistinct() {
        let labels = Category.allCases.map { PeerAddressPolicy.Decision.deniedBuiltIn($0).label }
            + [PeerAddressPolicy.Decision.allowed.label, PeerAddressPolicy.Decision.deniedByRule.label]
        #expect(Set(labels).count == labels.count)
        #expect(labels.allSatisfy { label in
            label.utf8.allSatisfy { ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || $0 == UInt8(ascii: "_")
                || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) }
        })
        #expect(PeerAddressPolicy.Decision.deniedBuiltIn(.linkLocal).label == "link_local")
        #expect(PeerAddressPolicy.Decision.deniedBuiltIn(.carrierGradeNAT).label == "cgnat")
    }

    /// Each block as CIDR text, read by the range parser: an independent check of the policy's
    /// own tables, at both ends of each block and just outside them.
    static let blocks: [(String, Category)] = [
        ("0.0.0.0/8", .unspecified), ("10.0.0.0/8", .private), ("100.64.0.0/10", .carrierGradeNAT),
        ("127.0.0.0/8", .loopback), ("169.254.0.0/16", .linkLocal), ("172.16.0.0/12", .private),
        ("192.0.0.0/24", .ietfProtocolAssignments), ("192.0.2.0/24", .documentation),
        ("192.88.99.0/24", .sixToFour), ("192.168.0.0/16", .private), ("198.18.0.0/15", .benchmarking),
        ("198.51.100.0/24", .documentation), ("203.0.113.0/24", .documentation),
        ("224.0.0.0/4", .multicast), ("240.0.0.0/4", .reserved),
        ("::1/128", .loopback), ("100::/64", .discard), ("2001:2::/48", .benchmarking),
        ("2001:db8::/32", .documentation), ("3fff::/20", .documentation), ("fc00::/7", .uniqueLocal),
        ("fe80::/10", .linkLocal), ("fec0::/10", .siteLocal), ("ff00::/8", .multicast),
    ]

    @Test(arguments: blocks)
    func deniesEachBlockExactlyToItsEdges(text: String, category: Category) throws {
        let policy = PeerAddressPolicy()
        let range = try IPAddressRange(parsing: text)
        #expect(policy.decision(range.lowerBound) == .deniedBuiltIn(category))
        #expect(policy.decision(range.upperBound) == .deniedBuiltIn(category))
        for outside in [Self.neighbour(of: range.lowerBound, by: -1), Self.neighbour(of: range.upperBound, by: 1)] {
            guard let outside else { continue }
            #expect(policy.decision(outside) != .deniedBuiltIn(category), "\(outside)")
        }
    }

    /// The address `step` (plus or minus one) away, or nil past either end of the family.
    static func neighbour(of address: IPAddress, by step: Int) -> IPAddress? {
        switch address {
        case .v4(let value):
            let (next, overflow) = step > 0 ? value.addingReportingOverflow(1) : value.subtractingReportingOverflow(1)
            return overflow ? nil : .v4(next)
        case .v6(let high, let low):
            let value = UInt128(high) << 64 | UInt128(low)
            let (next, overflow) = step > 0 ? value.addingReportingOverflow(1) : value.subtractingReportingOverflow(1)
            return overflow
                ? nil : .v6(high: UInt64(truncatingIfNeeded: next >> 64), low: UInt64(truncatingIfNeeded: next))
        }
    }
}
