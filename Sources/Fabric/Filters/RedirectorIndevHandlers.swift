/// Which chardev handlers a redirector has installed on its indev: the read handler (frames
/// are decoded and injected) and the event handler (open/close notifications). The versions
/// differ in when each is installed and removed (R-2, R-7, R-8, W-11).
struct RedirectorIndevHandlers: Hashable {
    var reading = false
    var listeningForEvents = false

    /// at setup 7.2 always installs both; upstream only when the status is on.
    static func afterSetup(version: QEMUNetVersion, status: FilterStatus) -> Self {
        switch version {
        case .qemu72: Self(reading: true, listeningForEvents: true)
        case .upstream: status == .on ? Self(reading: true, listeningForEvents: true) : Self()
        }
    }

    /// upstream installs or removes everything with the status; 7.2 ignores status here.
    func afterStatusChange(to status: FilterStatus, version: QEMUNetVersion) -> Self {
        switch version {
        case .qemu72: self
        case .upstream: status == .on ? Self(reading: true, listeningForEvents: true) : Self()
        }
    }

    /// upstream keeps listening for events on close; 7.2 removes everything for good.
    func afterChardevClosed(version: QEMUNetVersion) -> Self {
        guard listeningForEvents else { return self }
        switch version {
        case .qemu72: return Self()
        case .upstream: return Self(reading: false, listeningForEvents: true)
        }
    }

    /// upstream resumes reading on reopen when on; 7.2 never does.
    func afterChardevOpened(version: QEMUNetVersion, status: FilterStatus) -> Self {
        guard listeningForEvents, version == .upstream, status == .on else { return self }
        return Self(reading: true, listeningForEvents: true)
    }

    /// W-11: a framing error removes every handler, in both versions.
    func afterFramingError() -> Self {
        Self()
    }
}
