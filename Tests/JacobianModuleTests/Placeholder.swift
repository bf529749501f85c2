import Testing
@Test func placeholderJacobianModuleTests() { #expect(Bool(true)) }
