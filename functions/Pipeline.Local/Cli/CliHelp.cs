using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Pipeline.Local.Cli;

/// <summary>
/// Help output: a command keeps a one-line description (the command list of the root's <c>--help</c> stays readable)
/// and its own <c>--help</c> ends with the details: what it checks or does, and what its exit codes mean.
/// </summary>
internal static class CliHelp
{
    public static RootCommand WithDetails(this RootCommand root, params (Command Command, string Details)[] details)
    {
        ArgumentNullException.ThrowIfNull(root);
        var help = root.Options.OfType<HelpOption>().Single();
        if (help.Action is SynchronousCommandLineAction standard)
        {
            help.Action = new DetailedHelpAction(standard, details.ToDictionary(d => d.Command, d => d.Details));
        }
        return root;
    }

    private sealed class DetailedHelpAction(SynchronousCommandLineAction standard, Dictionary<Command, string> details) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var exitCode = standard.Invoke(parseResult);
            if (details.TryGetValue(parseResult.CommandResult.Command, out var text))
            {
                var output = parseResult.InvocationConfiguration.Output;
                output.WriteLine(text.TrimEnd());
                output.WriteLine();
            }
            return exitCode;
        }
    }
}
