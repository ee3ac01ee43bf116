/// Configurations written the way other projects' documentation tells their users to write
/// coturn's `turnserver.conf`, with the placeholders filled in.
enum PublishedConfigs {
    /// Matrix Synapse's "coturn TURN server" guide (`docs/setup/turn/coturn.md`): REST-API
    /// secret, realm, syslog, the suggested peer denials, quotas, TLS files and the NAT settings.
    /// The guide writes its remark on `user-quota` after the value
    /// (``synapseQuotaLine``), where coturn's syntax keeps it in the value and TurnGate then
    /// refuses the number; here the remark is on a comment line of its own, as a user fixes it.
    static let synapse = """
        use-auth-secret
        static-auth-secret=4f2b8c0e1d9a7e6b5c3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c
        realm=turn.matrix.example.org

        syslog

        # VoIP traffic is all UDP. There is no reason to let users connect to arbitrary TCP endpoints via the relay.
        no-tcp-relay

        # don't let the relay ever try to connect to private IP address ranges within your network (if any)
        # given the turn server is likely behind your firewall, remember to include any privileged public IPs too.
        denied-peer-ip=10.0.0.0-10.255.255.255
        denied-peer-ip=192.168.0.0-192.168.255.255
        denied-peer-ip=172.16.0.0-172.31.255.255

        # recommended additional local peers to block, to mitigate external access to internal services.
        no-multicast-peers
        denied-peer-ip=0.0.0.0-0.255.255.255
        denied-peer-ip=100.64.0.0-100.127.255.255
        denied-peer-ip=127.0.0.0-127.255.255.255
        denied-peer-ip=169.254.0.0-169.254.255.255
        denied-peer-ip=192.0.0.0-192.0.0.255
        denied-peer-ip=192.0.2.0-192.0.2.255
        denied-peer-ip=192.88.99.0-192.88.99.255
        denied-peer-ip=198.18.0.0-198.19.255.255
        denied-peer-ip=198.51.100.0-198.51.100.255
        denied-peer-ip=203.0.113.0-203.0.113.255
        denied-peer-ip=240.0.0.0-255.255.255.255

        # special case the turn server itself so that client->TURN->TURN->client flows work
        allowed-peer-ip=10.0.0.1

        # consider whether you want to limit the quota of relayed streams per user (or total) to avoid risk of DoS.
        # 4 streams per video call, so 12 streams = 3 simultaneous relayed calls per user.
        user-quota=12
        total-quota=1200

        # TLS certificates, including intermediate certs.
        cert=/etc/letsencrypt/live/turn.matrix.example.org/fullchain.pem
        # TLS private key file
        pkey=/etc/letsencrypt/live/turn.matrix.example.org/privkey.pem
        #no-tls
        #no-dtls

        external-ip=203.0.113.7
        listening-ip=10.0.0.1
        """

    /// Nextcloud Talk's "TURN server" page (`docs/TURN.md` in nextcloud/spreed): the settings
    /// to uncomment, then the logging settings it suggests. The page puts end-of-line remarks
    /// meant for older coturns on two lines. The one on `no-loopback-peers`, an option coturn
    /// has since removed, is kept (an unknown option only gets a warning); the one on the
    /// `lt-cred-mech` flag (``nextcloudFlagLine``) is left out, as a user fixes it, since it
    /// makes the flag's value unreadable (coturn exits on it too).
    static let nextcloudTalk = """
        listening-port=3478
        fingerprint
        lt-cred-mech
        use-auth-secret
        static-auth-secret=0c1f9b2e8d7a6c5b4e3f2a1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b
        realm=cloud.example.com
        total-quota=0
        bps-capacity=0
        stale-nonce
        no-loopback-peers # Only on coTURN below v4.5.1.0!
        no-multicast-peers

        no-stdout-log
        log-file=/var/log/turnserver/turn.log
        syslog
        simple-log
        """

    /// The `user-quota` line of Synapse's guide as published, with its end-of-line remark.
    static let synapseQuotaLine = "user-quota=12 # 4 streams per video call, so 12 streams = 3 simultaneous relayed calls per user."

    /// The `lt-cred-mech` line of Nextcloud Talk's page as published, with its end-of-line remark.
    static let nextcloudFlagLine = "lt-cred-mech # Only on coTURN below v4.5.0.8!"

    /// Jitsi Meet's Debian package `jitsi-meet-turnserver` (`turnserver.conf` under
    /// `doc/debian/jitsi-meet-turn/`): REST secret, TLS on its own port, no TCP listener, the
    /// address-family and hardening switches, the peer denials, and syslog.
    static let jitsi = """
        # jitsi-meet coturn config. Do not modify this line
        use-auth-secret
        keep-address-family
        static-auth-secret=b2d4f6a8c0e1f3a5c7e9b1d3f5a7c9e1
        realm=meet.example.com
        cert=/etc/jitsi/meet/meet.example.com.crt
        pkey=/etc/jitsi/meet/meet.example.com.key
        no-multicast-peers
        no-cli
        no-tcp-relay
        no-tcp
        listening-port=3478
        tls-listening-port=5349
        external-ip=198.51.100.20
        no-tlsv1
        no-tlsv1_1
        # https://ssl-config.mozilla.org/#server=haproxy&config=intermediate
        cipher-list=ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384
        # jitsi-meet coturn relay disable config. Do not modify this line
        denied-peer-ip=0.0.0.0-0.255.255.255
        denied-peer-ip=10.0.0.0-10.255.255.255
        denied-peer-ip=100.64.0.0-100.127.255.255
        denied-peer-ip=127.0.0.0-127.255.255.255
        denied-peer-ip=169.254.0.0-169.254.255.255
        denied-peer-ip=172.16.0.0-172.31.255.255
        denied-peer-ip=192.0.0.0-192.0.0.255
        denied-peer-ip=192.0.2.0-192.0.2.255
        denied-peer-ip=192.88.99.0-192.88.99.255
        denied-peer-ip=192.168.0.0-192.168.255.255
        denied-peer-ip=198.18.0.0-198.19.255.255
        denied-peer-ip=198.51.100.0-198.51.100.255
        denied-peer-ip=203.0.113.0-203.0.113.255
        denied-peer-ip=240.0.0.0-255.255.255.255
        syslog
        """
}
