import ArgumentParser

/// `turngate`: the STUN/TURN relay and credential gateway, configured like coturn, with the
/// operator's tools as subcommands. Without a subcommand it serves.
@main
struct TurnGateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "turngate",
        abstract: "TurnGate: a STUN/TURN relay server that reads coturn's turnserver.conf.",
        usage: """
            turngate [-c <file>] [--<option> [<value>] ...]
              turngate <subcommand> [<options>]
            """,
        discussion: """
            Without a subcommand, turngate serves: -c/--config names the configuration file             (coturn's turnserver.conf syntax), and every option of that file can also be given             as a long option (--listening-port 3478). See `turngate serve --help`.
            """,
        version: TurnGateVersion.current,
        subcommands: [ServeCommand.self, CheckConfigCommand.self, CredentialsCommand.self, SessionsCommand.self, DrainCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}
