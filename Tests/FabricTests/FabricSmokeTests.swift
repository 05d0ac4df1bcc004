import Testing
@testable import Fabric
