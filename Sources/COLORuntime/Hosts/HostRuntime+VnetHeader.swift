extension HostRuntime {
    /// `qom-set <id> vnet_hdr_support`: the writers (mirror, redirector outdev, compare outdev)
    /// use the new value from their next record; readers keep the framing they were set up with.
    func setVnetHeaderSupport(object id: String, _ value: Bool) {
        for mirror in mirrors where mirror.id == id { mirror.filter.vnetHeaderSupport = value }
        for redirector in redirectors where redirector.id == id { redirector.filter.vnetHeaderSupport = value }
        for compare in compares where compare.id == id && compare.isRunning { compare.setVnetHeaderSupport(value) }
    }
}
