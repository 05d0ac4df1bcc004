import Testing
@testable import Primary
