// Each test here drives real processes and peers (nodes, bridges, softphones, browsers) and times them on a
// two-core machine; two such tests at once starve each other, so the classes run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
