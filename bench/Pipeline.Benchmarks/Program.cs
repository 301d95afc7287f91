using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Pipeline.Benchmarks.PipelineFixture).Assembly).Run(args);
