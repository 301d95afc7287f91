using Pipeline.Core.Contracts;

namespace Pipeline.Core.Tests.Contracts;

public sealed class TextFieldsTests
{
    [Theory]
    [InlineData("A\u030A", "\u00C5")]
    [InlineData("\u212B", "\u00C5")]
    [InlineData("\u1100\u1161", "\uAC00")]
    [InlineData("e\u0323\u0301", "\u1EB9\u0301")]
    [InlineData("e\u0301\u0323", "\u1EB9\u0301")]
    [InlineData("Ada Lovelace", "Ada Lovelace")]
    [InlineData("李 \U0001F393", "李 \U0001F393")]
    public void Normalise_gives_NFC_with_InvariantGlobalization_on(string value, string expected)
    {
        // string.Normalize returns its input with InvariantGlobalization (Directory.Build.props): this is why TextFields
        // does not call it.
        Assert.Equal(value, value.Normalize(System.Text.NormalizationForm.FormC));

        Assert.Equal(expected, TextFields.Normalise(value, TextFields.MaxNameLength, out var problem));
        Assert.Null(problem);
    }

    [Fact]
    public void Length_counts_characters_after_NFC_not_UTF16_units()
    {
        Assert.NotNull(TextFields.Normalise(string.Concat(Enumerable.Repeat("e\u0301", 200)), 200, out _));
        Assert.NotNull(TextFields.Normalise(string.Concat(Enumerable.Repeat("\U0001F393", 200)), 200, out _));
        Assert.Null(TextFields.Normalise(new string('a', 201), 200, out var problem));
        Assert.Equal("at most 200 characters (201 found)", problem);
    }

    [Fact]
    public void Visible_shows_forbidden_characters_and_cuts_long_values()
    {
        Assert.Equal("a<U+000A>b<U+202E><U+D800>", TextFields.Visible("a\nb\u202E\uD800"));
        Assert.Equal(new string('x', 80) + "… (10000 characters)", TextFields.Visible(new string('x', 10_000)));
    }
}
