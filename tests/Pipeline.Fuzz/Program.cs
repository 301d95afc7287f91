using Pipeline.Fuzz;
using SharpFuzz;

// Pipeline.Fuzz TARGET            — run under afl-fuzz (SharpFuzz out-of-process loop), input on stdin
// Pipeline.Fuzz TARGET FILE...    — run the target once per file (replaying a corpus or a crash)
if (args.Length == 0 || !FuzzTargets.All.TryGetValue(args[0], out var target))
{
    await Console.Error.WriteLineAsync($"usage: Pipeline.Fuzz {{{string.Join('|', FuzzTargets.All.Keys)}}} [FILE...]");
    return 2;
}
if (args.Length > 1)
{
    foreach (var file in args.Skip(1))
    {
        await using var stream = File.OpenRead(file);
        target(stream);
    }
    return 0;
}
Fuzzer.OutOfProcess.Run(target);
return 0;
