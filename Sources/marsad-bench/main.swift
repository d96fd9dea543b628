// marsad-bench: throughput of the analyzer and the parser on one core.
// Usage: marsad-bench analyze FILE... | marsad-bench parse FILE... | marsad-bench query DB QUERIES-FILE
// Prints one line of JSON per run so scripts can take medians.
let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "analyze": analyzeBench(Array(arguments.dropFirst()))
case "parse": parseBench(Array(arguments.dropFirst()))
case "query": await queryBench(Array(arguments.dropFirst()))
case "store": await storeBench(Array(arguments.dropFirst()))
default:
    print("usage: marsad-bench analyze|parse FILE... | query DB QUERIES-FILE")
}
