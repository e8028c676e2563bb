using BenchmarkDotNet.Running;
using JitNotebooks.Benchmarks;

// `-- --pages` prints the page-count comparison; anything else goes to BenchmarkDotNet.
if (args.Contains("--pages"))
    PagesReport.Run();
else
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
