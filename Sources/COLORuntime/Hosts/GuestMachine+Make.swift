import Fabric
import GuestStack
import Deployment

extension GuestMachine {
    /// The guest behind a host's NIC as a run configuration describes it: its stack (the
    /// secondary may run its own), named after its host, with the NIC's `mac=` and the vnet
    /// header length of the netdev it sits on; its divergence knobs; and its applications (the
    /// request/response server, a datagram server when the client queries, the guest's own
    /// outbound workload). The emulated hosts and a real-QEMU backend build their guests here,
    /// so both run the same guest.
    package static func make(
        role: HostRole, nic: NICConfiguration, vnetHeaderLength: Int, run: COLORunConfiguration,
        scheduler: Scheduler, core: NetCore
    ) throws(COLORunError) -> GuestMachine {
        var stack = (role == .secondary ? run.secondaryGuestStack : nil) ?? run.guestStack
        stack.name = role.rawValue
        if let text = nic.mac {
            guard let mac = MACAddress(parsing: text) else {
                throw .creationFailed(host: role.rawValue, object: nic.id ?? nic.model, reason: "mac '\(text)' is not a MAC address")
            }
            stack.mac = mac
        }
        stack.vnetHeaderLength = vnetHeaderLength
        let knobs = role == .primary ? run.primaryKnobs : run.secondaryKnobs
        let server = RequestResponseServer(
            port: run.workload.port, defaultResponseSize: run.guestDefaultResponseSize, recording: run.workload.recording)
        var applications: [any StackApplication] = [server]
        if let queries = run.datagramQueries {
            applications.append(DatagramServer(port: queries.port, recording: run.workload.recording))
        }
        if var outbound = run.guestWorkload {
            outbound.server = HostNetwork.clientAddress
            applications.append(ConnectionWorkload(outbound))
        }
        return GuestMachine(
            role: role, host: StackHost(stack: NetworkStack(configuration: stack), applications: applications, knobs: knobs),
            scheduler: scheduler, core: core, nicRule: NICReceiveRule(nic))
    }
}
