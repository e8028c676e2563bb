using BenchmarkDotNet.Running;
using JitNotebooks.Benchmarks;

// `-- --pages` prints the page-count comparison, `-- --profile` the stopwatch breakdown, `-- --course`
// the runner's whole-course timings; anything else goes to BenchmarkDotNet.
if (args.Contains("--course"))
    CourseRunReport.Run(args);
else if (args.Contains("--pages"))
    PagesReport.Run();
else if (args.Contains("--profile"))
    ProfileReport.Run();
else
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
