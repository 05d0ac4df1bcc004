import Testing
@testable import Secondary
