import Fabric
import Deployment

/// One chardev socket of the topology as a simulated pipe: the end whose frontend writes
/// (mirror or redirector outdev, compare outdev) to the end whose frontend reads (redirector
/// indev, compare primary_in / secondary_in).
final class PipeLink {
    let writer: ChardevEndpoint
    let reader: ChardevEndpoint
    let pipe: ChardevPipe
    let crossesHosts: Bool
    let writerPort: SocketChardev
    let readerPort: SocketChardev

    init(writer: ChardevEndpoint, reader: ChardevEndpoint, pipe: ChardevPipe, writerPort: SocketChardev, readerPort: SocketChardev) {
        self.writer = writer
        self.reader = reader
        self.pipe = pipe
        self.crossesHosts = writer.host != reader.host
        self.writerPort = writerPort
        self.readerPort = readerPort
    }

    var name: String { pipe.configuration.name }

    /// Which frontend roles read or write through a chardev, and whether they expect the V field.
    static func direction(
        serverRoles: [ChardevFrontendRole], clientRoles: [ChardevFrontendRole]
    ) -> (serverWrites: Bool, clientWrites: Bool, serverReads: Bool, clientReads: Bool) {
        (serverRoles.contains(where: \.writes), clientRoles.contains(where: \.writes),
         serverRoles.contains(where: \.reads), clientRoles.contains(where: \.reads))
    }
}

extension HostConfiguration {
    /// Whether the reading frontend of `chardev` expects records with the V field (W-1).
    func readerExpectsVnetField(chardev: String) -> Bool {
        for role in frontends(ofChardev: chardev) where role.reads {
            switch role {
            case .redirectorIndev(let id):
                return filter(id)?.vnetHeaderSupport ?? false
            case .comparePrimaryIn(let id), .compareSecondaryIn(let id), .compareNotifyDev(let id):
                return object(id)?.coloCompare?.vnetHeaderSupport ?? false
            default:
                continue
            }
        }
        return false
    }
}
