using Pipeline.Core.Credentials;

namespace Pipeline.Core.Tests.Credentials;

public sealed class CredentialIdTests
{
    [Fact]
    public void Same_inputs_give_the_same_id_and_any_change_gives_another()
    {
        var id = CredentialId.Compute("engineering", "ml-certificate", "S1001", null);
        Assert.Equal(id, CredentialId.Compute("engineering", "ml-certificate", "S1001", null));
        Assert.NotEqual(id, CredentialId.Compute("business", "ml-certificate", "S1001", null));
        Assert.NotEqual(id, CredentialId.Compute("engineering", "lab-safety", "S1001", null));
        Assert.NotEqual(id, CredentialId.Compute("engineering", "ml-certificate", "S1002", null));
        Assert.NotEqual(id, CredentialId.Compute("engineering", "ml-certificate", "S1001", "2026"));
        Assert.NotEqual(CredentialId.Compute("engineering", "ml-certificate", "S1001", ""), id);
    }

    [Fact]
    public void Fields_cannot_run_into_each_other()
    {
        Assert.NotEqual(CredentialId.Compute("a", "bc", "d", null), CredentialId.Compute("ab", "c", "d", null));
    }

    [Fact]
    public void Short_form_is_22_url_safe_characters_and_parses_back_to_the_same_uuid()
    {
        var id = CredentialId.Compute("engineering", "ml-certificate", "S1001", null);
        Assert.Matches("^[A-Za-z0-9_-]{22}$", id.Value);
        Assert.Matches("^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", id.Urn);
        Assert.True(CredentialId.TryParse(id.Value, out var parsed));
        Assert.Equal(id.Urn, parsed.Urn);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("../../../../etc/passwd1")]
    public void TryParse_rejects_what_is_not_a_credential_id(string? value)
    {
        Assert.False(CredentialId.TryParse(value, out _));
    }
}
