// marsad-bench: throughput of the analyzer and the parser on one core.
// Usage: marsad-bench analyze FILE... | parse FILE... | query DB QUERIES-FILE [all|best|any] | load DB QUERIES CONCURRENCY SECONDS
//        | percolate DB QUERIES ALERTS ARTICLES
// Prints one line of JSON per run so scripts can take medians.
let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "analyze": analyzeBench(Array(arguments.dropFirst()))
case "parse": parseBench(Array(arguments.dropFirst()))
case "story-pairs": storyPairsBench(Array(arguments.dropFirst()))
case "fingerprints": fingerprintsBench(Array(arguments.dropFirst()))
case "story-assign": await storyAssignBench(Array(arguments.dropFirst()))
case "query": await queryBench(Array(arguments.dropFirst()))
case "store": await storeBench(Array(arguments.dropFirst()))
case "load": await loadBench(Array(arguments.dropFirst()))
case "percolate": await percolateBench(Array(arguments.dropFirst()))
default:
    print("usage: marsad-bench analyze|parse FILE... | query DB QUERIES-FILE [all|best|any] | load DB QUERIES CONCURRENCY SECONDS"
          + " | percolate DB QUERIES ALERTS ARTICLES")
}
