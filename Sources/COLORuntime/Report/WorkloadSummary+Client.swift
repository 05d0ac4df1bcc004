import GuestStack

extension WorkloadSummary {
    /// The client's view at the end of a run: its connections, its UDP queries, and the
    /// exchanges the primary guest ran as a client of the client host.
    init(client: ClientMachine, primaryGuest: GuestMachine, workload: WorkloadConfiguration) {
        self.init(reports: client.reports, workload: workload)
        datagramQueriesSent = client.datagramQueries.reduce(0) { $0 + $1.attempts }
        datagramQueriesAnswered = client.datagramQueries.filter { $0.answeredAt != nil }.count
        let outbound = primaryGuest.outboundReports
        guestRequestsCompleted = outbound.reduce(0) { $0 + $1.requestsCompleted }
        guestConnectionErrors = outbound.filter { $0.error != nil }.count
    }
}
