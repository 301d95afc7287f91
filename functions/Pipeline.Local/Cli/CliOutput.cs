using Spectre.Console;

namespace Pipeline.Local.Cli;

/// <summary>
/// How the commands print what a user copies (links, paths, commands): on a line of its own, never wrapped by
/// Spectre.Console (a terminal narrower than the line soft-wraps it, so selecting the line still copies it whole).
/// </summary>
internal static class CliOutput
{
    /// <summary>Wide enough that redirected output (a pipe, a file, CI) never hard-wraps a line or shrinks a table.</summary>
    public const int RedirectedWidth = 4096;

    /// <summary>
    /// When the output is not a terminal, Spectre.Console assumes 80 columns and breaks longer lines (and table cells)
    /// with real line breaks; a file or a pipe has no width, so give it one no line reaches.
    /// </summary>
    public static void Configure()
    {
        if (Console.IsOutputRedirected)
        {
            AnsiConsole.Profile.Width = RedirectedWidth;
        }
    }

    /// <summary>Writes <paramref name="label"/>, then <paramref name="value"/> alone on the next line, unwrapped.</summary>
    public static void Copyable(string label, string value) => Copyable(AnsiConsole.Console, label, value);

    /// <summary>The same on <paramref name="console"/> (a command given its console, so a test can record it).</summary>
    public static void Copyable(IAnsiConsole console, string label, string value)
    {
        ArgumentNullException.ThrowIfNull(console);
        console.MarkupLine(Markup.Escape(label));
        console.Profile.Out.Writer.WriteLine(value);
    }
}
