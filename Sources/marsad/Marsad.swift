import ArgumentParser

@main
struct Marsad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "marsad")
    func run() async throws {}
}
