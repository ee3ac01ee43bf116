import TURNLogging

extension RelayLoop {
    /// Samples the `request refused` lines: at most one a second per refusal reason, shared by
    /// every loop of the process so that the rate holds whatever loop a flood lands on.
    static let refusalSampler = LogSampler<String>(interval: .seconds(1))
}
