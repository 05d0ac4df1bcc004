/// Every module's benchmark cases, in the order `lockstep bench` lists and runs them. A module
/// with cases adds its list here.
public enum BenchmarkCatalogue {
    public static var all: [BenchmarkCase] {
        FabricBenchmarks.all + CompareBenchmarks.all + RewriterBenchmarks.all + StackBenchmarks.all + COLOBenchmark.all
    }
}
