using Pipeline.Local.Cli;

namespace Pipeline.Local.Tests.Cli;

public sealed class DemoCommandTests
{
    [Fact]
    public void A_base_url_that_is_not_an_http_url_is_refused_with_what_was_expected()
    {
        var result = DemoCommand.Create().Parse(["--base-url", "notaurl"]);

        var error = Assert.Single(result.Errors);
        Assert.Equal("--base-url: expected an absolute http or https URL like http://localhost:5080/, found \"notaurl\".", error.Message);
    }

    [Fact]
    public void A_loopback_base_url_with_a_port_is_accepted()
    {
        var result = DemoCommand.Create().Parse(["--base-url", "http://127.0.0.1:5091/"]);

        Assert.Empty(result.Errors);
    }
}
